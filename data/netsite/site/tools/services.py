# -*- coding: utf-8 -*-
"""Independent personal-services ads (non-explicit) and one same-advertiser business."""
from ads import *
from jobdata import FIRST_EN_F, FIRST_EN_M, FIRST_FR_F, FIRST_FR_M
from networks import NEAR, finish_contacts, para

COMMON_EN_G = [['Discreet and friendly service.', 'Discreet and friendly.'],
               ['Catering to an upscale clientele.', 'Upscale clientele only.'],
               ['Call or text to book.', 'Call or text anytime.'],
               ['No rush — your session is never clock-watched.'], ['Same-day appointments often available.'],
               ['By appointment only.']]
COMMON_EN = [x for g in COMMON_EN_G for x in g]


def sample_groups(groups, k):
    return [R.choice(g) for g in R.sample(groups, k)]
COMMON_FR = ['Discrète et sympathique.', 'Appel ou SMS.', 'Clientèle haut de gamme.', 'Sur rendez-vous uniquement.',
             'Pas de numéros masqués.']

LMT_TITLES = ['Licensed Massage Therapist – Swedish & Deep Tissue', 'Therapeutic massage – new clients welcome',
              'Mobile sports massage therapist', 'Hot stone & aromatherapy massage',
              'Deep tissue massage for back and neck pain', 'Reflexology and relaxation massage',
              'Prenatal & relaxation massage by certified therapist', 'Male therapist – sports and remedial massage',
              'Relaxing massage in a calm private studio']
COMP_TITLES = ['Elegant companion for dinners and events', 'Your plus-one for weddings, galas and business dinners',
               'Charming dinner companion – {c}', 'Sophisticated company for evenings out',
               'Travel companion & city guide', 'Gentleman companion for social occasions',
               'Theatre and fine dining companion', 'Warm, witty company for an evening out']
COMP_DESC_F = ['a well-travelled, well-read woman with a warm sense of humour',
               'a former events planner who loves good food and good conversation',
               'a graduate in art history who enjoys galleries and jazz bars',
               'a bilingual tour guide who knows every hidden bar and museum in town',
               'a classically trained pianist with a passion for opera and fine wine']
COMP_DESC_M = ['a friendly, easy-going gentleman who is comfortable at any black-tie event',
               'a retired diplomat who enjoys good food, history and long conversations']
DATING_TITLES = ['Looking for a weekend brunch partner', 'Single professional seeking someone to explore the city with',
                 'Anyone up for museums and coffee?', 'New in town – looking for friends and maybe more',
                 'Widowed gentleman seeks companion for walks and dinners', 'Hiking buddy wanted – and maybe more']
ELDER_TITLES = ['Companion for elderly relatives – visits, errands, conversation',
                'Friendly companion & sitter for seniors', 'Senior companionship – walks, appointments and company']


def _person(country, male=False):
    if country == 'FR':
        return R.choice(FIRST_FR_M if male else FIRST_FR_F)
    return R.choice(FIRST_EN_M if male else FIRST_EN_F)


def _extra_contact(ad, name, forced_handle=None):
    r = R.random()
    base = re.sub(r'[^a-z]', '', name.lower().replace('é', 'e').replace('è', 'e').replace('ï', 'i'))
    if forced_handle:
        return [('htext',) + forced_handle]
    if r < 0.25:
        e = uniq_email(base + R.choice(['.', '_', '']) + R.choice(['massage', 'bookings', 'company', 'relax',
                                                                   'evenings', str(R.randint(10, 99))]),
                       R.choice(['mailbox.example', 'post.test', 'webmail.example', 'inbox.test']))
        return [R.choice([('email', e), ('email', e, R.choice(OBF_KINDS)), ('mailto', e), ('mailto_inline', e)])]
    if r < 0.40:
        h = uniq_handle(base + R.choice(['_', '.', '']) + R.choice(['massage', 'official', 'vip', 'city', 'x']))
        return [('htext', R.choice(['instagram', 'telegram', 'snapchat']), h)]
    if r < 0.47:
        h = uniq_handle(base + R.choice(['_tg', '.relax', '_bookings']))
        return [('tg', h)]
    return []


def _phone_items(ad, ph):
    return default_phone_items(ad, ph)


def svc_lmt(city, forced_phone=None, tag=None):
    a = Ad('services', city)
    a.kind = 'massage_therapist'
    c = a.country
    male = R.random() < 0.2
    name = _person(c, male)
    t = R.choice(LMT_TITLES)
    if male and 'Male' not in t and R.random() < 0.5:
        t = 'Male therapist – ' + t[0].lower() + t[1:]
    a.title = t
    cert = R.choice(['licensed massage therapist (LMT)', 'nationally certified massage therapist'] if c == 'US' else
                    ['fully qualified massage therapist (ITEC Level 3)', 'qualified sports massage therapist (Level 4)'])
    y = R.randint(3, 18)
    para(a, R.choice(["Hi, I'm {n}, a {ce} with {y} years of experience.",
                      '{n} – {ce}, {y} years in practice, now taking new clients in {c}.',
                      'My name is {n} and I have worked as a {ce} for {y} years.',
                      'Need to unwind? {n} here, {ce} with {y}+ years of practice.',
                      'Sore shoulders from the desk? I am {n}, a {ce} based in {c}.',
                      'Experienced {ce} offering appointments in {c} — {y} years of hands-on practice.']),
         n=name, ce=cert, y=y, c=city)
    offers = R.sample(['I offer Swedish, deep tissue, hot stone and aromatherapy massage.',
                       'Sessions of 60 or 90 minutes, tailored to your needs.',
                       'Perfect for stress relief, sore muscles and better sleep.',
                       'Great for runners, cyclists and desk-bound backs.',
                       'Reflexology, Indian head massage and relaxation massage available.',
                       'Every session starts with a short consultation about your goals.',
                       'Firm or gentle pressure — you choose.',
                       'Trigger point work and stretching for chronic tension.'], R.randint(1, 3))
    place = R.choice(['Clean, quiet private studio with free parking.',
                      'Mobile service – I bring the table, towels and oils to your home or hotel.',
                      'Relaxing, professional setting close to public transport.',
                      'Home studio in a quiet residential street.',
                      'Treatment room inside a physiotherapy clinic, ground floor with step-free access.',
                      'Calm room with heated table, soft music and fresh linen for every client.'])
    common = sample_groups(COMMON_EN_G, R.randint(1, 3))
    bits = offers + [place]
    R.shuffle(bits)
    para(a, ' '.join(bits))
    if c == 'US':
        v = R.choice([80, 90, 100, 110, 120, 140])
        a.set_price(price(v, v, 'USD', 'hour'), bare=R.random() < 0.3)
    else:
        v = R.choice([45, 50, 55, 60, 70, 80])
        a.set_price(price(v, v, 'GBP', 'hour'))
    para(a, ' '.join(common + ['Rate: %s.' % a.price_raw if R.random() < 0.6 else 'Strictly professional '
                                                                                  'therapeutic massage.']))
    ph = forced_phone or new_phone(city)
    items = _phone_items(a, ph) + _extra_contact(a, name)
    finish_contacts(a, items, lead_en=R.choice(['Call or text {c}', 'Book: {c}', 'Contact: {c}', '\U0001F4F1 {c}']),
                    lead_nolinks='Book with the buttons below.')
    if tag:
        a.tags.add(tag)
    return a


def svc_companion(city, forced_handle=None, forced_email=None, tag=None):
    a = Ad('services', city)
    a.kind = 'social_companion'
    c = a.country
    male = R.random() < 0.15
    name = _person(c, male)
    age = R.randint(24, 48)
    a.title = R.choice(COMP_TITLES).format(c=city)
    desc = R.choice(COMP_DESC_M if male else COMP_DESC_F)
    para(a, R.choice(["I'm {n}, {ag}, {d}.", '{n}, {ag} — {d}.', 'Hello! My name is {n} and I am {d}.',
                      'About me: {d}. {n}, age {ag}.', 'Good company guaranteed: I am {d} ({n}, {ag}).']),
         n=name, ag=age, d=desc)
    para(a, R.choice(['Available as a plus-one for weddings, corporate dinners, galas and theatre evenings.',
                      'Happy to show visitors around the city, from museums to the best local restaurants.',
                      'I make any dinner or event more relaxed and fun.']))
    common = sample_groups([['Discreet and friendly.'], ['Upscale clientele only.', 'Catering to an upscale clientele.'],
                            ['Strictly social, platonic companionship.'],
                            ['Advance booking preferred; I may ask for a short introductory call.'],
                            ['Call or text, no withheld numbers.', 'Call or text to arrange.']], R.randint(2, 3))
    cur = CUR[c]
    if R.random() < 0.5:
        v = R.choice([200, 250, 300, 400])
        a.set_price(price(v, v, cur, 'evening'))
    else:
        v = R.choice([100, 120, 150, 180, 200])
        a.set_price(price(v, v, cur, 'hour'), bare=(c == 'US' and R.random() < 0.5))
    para(a, ' '.join(common) + ' Rate: ' + a.price_raw + '.')
    items = []
    if forced_email:
        items.append(('email', forced_email, 'at_dot'))
    else:
        ph = new_phone(city, mobile=True)
        items += _phone_items(a, ph)
    items += _extra_contact(a, name, forced_handle)
    finish_contacts(a, items, lead_en=R.choice(['Call or text {c}', 'Contact: {c}', 'Reach me: {c}']),
                    lead_nolinks='Use the buttons below to get in touch.')
    if tag:
        a.tags.add(tag)
    return a


def svc_dating(city):
    a = Ad('services', city)
    a.kind = 'personal'
    c = a.country
    male = 'gentleman' in (t := R.choice(DATING_TITLES)) or R.random() < 0.4
    a.title = t
    age = R.randint(27, 68) if 'Widowed' in t else R.randint(25, 45)
    job = R.choice(['nurse', 'teacher', 'software engineer', 'architect', 'chef', 'accountant', 'graphic designer'])
    para(a, R.choice(['{ag}-year-old {j} here, {s} {c}.', '{j_cap}, {ag}, {s} {c}.',
                      'Hi! I work as a {j} and have been {s2} {c} for a while.',
                      'Me: {ag}, {j}, {s} {c}, friendly and a bit shy at first.']), ag=age, j=job, c=city,
         j_cap=job.capitalize(), s=R.choice(['recently moved to', 'living in', 'back in']),
         s2=R.choice(['living in', 'working in']))
    para(a, R.choice(['I love farmers markets, old movies and long walks.',
                      'Into live music, cooking for friends and terrible puns.',
                      'Weekends are for hiking, galleries and finding the best coffee in town.',
                      'I read too much, run a little and make a decent lasagne.']) + ' ' +
         R.choice(['Looking for someone kind and curious to share weekends with.',
                   'Would love to meet someone for coffee and see where it goes.',
                   'Friendship first — no pressure.']))
    name = _person(c, male)
    r = R.random()
    if r < 0.4:
        e = uniq_email(re.sub(r'[^a-z]', '', name.lower()) + str(R.randint(70, 99)),
                       R.choice(['mailbox.example', 'post.test', 'inbox.test']))
        items = [R.choice([('email', e), ('email', e, R.choice(OBF_KINDS)), ('mailto', e)])]
    elif r < 0.7:
        h = uniq_handle(re.sub(r'[^a-z]', '', name.lower()) + R.choice(['_in_', '.', '']) + city.lower()
                        .replace(' ', ''))
        items = [('htext', R.choice(['instagram', 'snapchat', 'telegram']), h)]
    else:
        items = [('phone', new_phone(city, mobile=True))]
        if R.random() < 0.5:
            para(a, "Call or text if you'd like to chat.")
    finish_contacts(a, items, lead_en=R.choice(['Say hi: {c}', 'Contact: {c}', 'Message me: {c}']),
                    lead_nolinks='Reply with the button below.')
    return a


def svc_elder(city):
    a = Ad('services', city)
    a.kind = 'senior_companion'
    c = a.country
    a.title = R.choice(ELDER_TITLES)
    role = R.choice(['retired nurse', 'caregiver', 'former teacher', 'companion'])
    nm = _person(c)
    para(a, R.choice(['Kind, patient and reliable {r} offering companionship for older adults in {c}. I can help with '
                      'errands, appointments, light meal preparation and, most importantly, good company.',
                      'Is your mum or dad lonely during the week? I am {n}, a {r}, and I visit older people in {c} '
                      'for a chat, a walk or a game of cards.',
                      '{r_cap} available weekdays to keep seniors company, help with shopping and drive to '
                      'appointments around {c}.',
                      '{n} here. I have spent years caring for elderly clients and now offer friendly visits, '
                      'light housekeeping and outings in {c}.']),
         r=role, r_cap=role.capitalize(), c=city, n=nm)
    v = R.choice([20, 22, 25, 28]) if c == 'US' else R.choice([14, 15, 16, 18])
    a.set_price(price(v, v, CUR[c], 'hour'))
    para(a, R.choice(["{y} years' experience, references available. {p}.", 'Rate {p}, minimum two hours.',
                      ('DBS checked. {p}.' if c == 'UK' else 'Background checked. {p}.'), '{p}. Happy to meet the family first.']),
         y=R.randint(3, 20), p=a.price_raw)
    ph = new_phone(city)
    finish_contacts(a, _phone_items(a, ph), lead_en='Call or text {c}', lead_nolinks='Call with the button below.')
    return a


def svc_fr(city, kind, forced_phone=None, tag=None):
    a = Ad('services', city)
    name = _person('FR', male=(kind == 'massage' and R.random() < 0.3))
    if kind == 'massage':
        a.kind = 'massage_therapist'
        a.title = R.choice(['Massage bien-être à domicile – {c}', 'Masseur diplômé – massage sportif et relaxant',
                            'Massage californien et suédois – cabinet privé',
                            'Réflexologie plantaire et massage relaxant']).format(c=city)
        para(a, R.choice(['Praticien(ne) en massage bien-être diplômé(e), je vous reçois dans un cabinet calme et '
                          'lumineux à {c} ou me déplace à domicile.',
                          '{n}, praticienne certifiée depuis {yr}. Cabinet privé au centre de {c}.',
                          'Besoin de décompresser ? Je propose des massages relaxants dans mon espace zen à {c}.']),
             c=city, n=name, yr=R.randint(2008, 2021))
        para(a, ' '.join(R.sample(['Massage californien, suédois, sportif.', 'Séance de 60 ou 90 minutes.',
                                   'Huiles bio et linge propre pour chaque client.', 'Réflexologie plantaire sur demande.',
                                   'Idéal pour le stress et les tensions du dos.'], R.randint(2, 3))))
        v = R.choice([55, 60, 65, 70, 75])
        a.set_price(price(v, v, 'EUR', 'hour'))
        para(a, 'Massages de bien-être uniquement, strictement professionnels. ' +
             ' '.join(R.sample(COMMON_FR, 2)) + ' ' + a.price_raw + '.')
    elif kind == 'companion':
        a.kind = 'social_companion'
        a.title = R.choice(['Accompagnatrice pour dîners et soirées – {c}', 'Compagnie élégante pour vos événements',
                            'Guide et accompagnatrice bilingue']).format(c=city)
        para(a, R.choice(["Je m'appelle {n}, {ag} ans, cultivée et souriante.",
                          '{n}, {ag} ans, guide-conférencière passionnée d\'art et de gastronomie.',
                          'Femme élégante et bilingue ({ag} ans), {n} pour vous servir de guide à {c}.']),
             n=name, ag=R.randint(26, 45), c=city)
        para(a, R.choice(["Je vous accompagne pour vos dîners d'affaires, soirées, vernissages ou visites de {c}.",
                          'Disponible pour dîners, opéra, salons professionnels et découvertes de {c}.']) +
             ' Compagnie strictement sociale.', c=city)
        v = R.choice([150, 200, 250])
        a.set_price(price(v, v, 'EUR', 'evening'))
        para(a, ' '.join(R.sample(COMMON_FR, 2)) + ' ' + a.price_raw + '.')
    else:
        a.kind = 'senior_companion'
        a.title = R.choice(['Dame de compagnie pour personnes âgées', 'Aide et compagnie à domicile pour seniors'])
        para(a, R.choice(['Dame de compagnie expérimentée, je propose présence, conversation, lecture, promenades et '
                          'aide aux courses pour personnes âgées à {c}. Références sérieuses.',
                          'Ancienne aide-soignante, je rends visite aux seniors de {c} : discussions, jeux de société, '
                          'sorties et petites courses.',
                          'Vous habitez loin de vos parents ? Je leur tiens compagnie quelques heures par semaine à {c}, '
                          'avec compte rendu aux familles.']), c=city)
        v = R.choice([15, 16, 18, 20])
        a.set_price(price(v, v, 'EUR', 'hour'))
        para(a, 'Tarif : ' + a.price_raw + '.')
    ph = forced_phone or new_phone(city, mobile=R.random() < 0.8)
    items = _phone_items(a, ph) + (_extra_contact(a, name) if kind != 'senior' else [])
    finish_contacts(a, items, lead_fr=R.choice(['Contact : {c}', 'Tél. {c}', 'Appelez-moi au {c}', 'Joignable au {c}']),
                    lead_nolinks='Contact par le bouton ci-dessous.')
    if tag:
        a.tags.add(tag)
    return a


SAME_ADV = {}


def lotus():
    name = 'Lotus Wellness Studio'
    ph = new_us('206')
    mail = reg_email('book@lotuswellness.example')
    about = 'Lotus Wellness Studio is a team of five licensed massage therapists in Capitol Hill, Seattle.'
    specs = [('Swedish & deep tissue massage – Lotus Wellness Studio', price(95, 95, 'USD', 'hour'),
              'Our licensed therapists offer Swedish and deep tissue massage in calm, private treatment rooms.',
              [('phone', ph, 'paren'), ('email', mail)]),
             ('Prenatal massage now available at Lotus Wellness', price(110, 110, 'USD', 'hour'),
              'Gentle, certified prenatal massage with side-lying support cushions, second and third trimester.',
              [('phone', ph, 'dot'), ('tel', ph)]),
             ('Couples massage gift packages – Lotus Wellness Studio', price(210, 210, 'USD', 'session'),
              'Side-by-side couples massage, 60 minutes, with herbal tea. Gift cards available online.',
              [('mailto_inline', mail), ('phone', ph, 'dash')])]
    ads = []
    for title, pr, text, items in specs:
        a = Ad('services', 'Seattle')
        a.kind = 'massage_business'
        a.title = title
        a.set_price(pr)
        para(a, text + ' ' + about)
        para(a, 'Book online at www.lotuswellness.example or contact us. ' + R.choice(COMMON_EN))
        finish_contacts(a, items, lead_en='Contact: {c}')
        a.employer = name
        a.employer_group = 'E7'
        a.tags.add('same_employer')
        ads.append(a)
    SAME_ADV['E7'] = {'employer': name, 'ads': ads, 'shared': ['phone ' + ph.e164, 'email ' + mail,
                                                               'about-us sentence']}


def independents(n=50):
    # deliberate near-miss ads first
    out = []
    out.append(svc_lmt('Los Angeles', forced_phone=NEAR['N09_near'], tag='near_miss_phone'))
    out.append(svc_fr('Paris', 'massage', forced_phone=NEAR['N12_near'], tag='near_miss_phone'))
    h = uniq_handle('mia.travel')
    out.append(svc_companion('Boston', forced_handle=('instagram', h), tag='near_miss_handle'))
    e = reg_email('rosie.companions@post.example')
    out.append(svc_companion('London', forced_email=e, tag='near_miss_email'))
    us = [c for c in US_NAMES]
    uk = [c for c in UK_NAMES]
    fr = [c for c in FR_NAMES]
    plan = (['lmt'] * 14 + ['comp'] * 12 + ['dating'] * 6 + ['elder'] * 4 + ['fr_massage'] * 4 +
            ['fr_comp'] * 3 + ['fr_senior'] * 3)
    R.shuffle(plan)
    for k in plan[:n - len(out)]:
        if k.startswith('fr'):
            city = R.choice(fr)
            out.append(svc_fr(city, {'fr_massage': 'massage', 'fr_comp': 'companion', 'fr_senior': 'senior'}[k]))
            continue
        city = R.choice(us if R.random() < 0.65 else uk)
        out.append({'lmt': svc_lmt, 'comp': svc_companion, 'dating': svc_dating, 'elder': svc_elder}[k](city))
    return out
