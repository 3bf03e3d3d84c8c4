# -*- coding: utf-8 -*-
"""The 15 planted hidden networks."""
import datetime
from ads import *
from jobs import contact_sentence, slugify
from jobdata import FIRST_EN_F, FIRST_EN_M

NETWORKS = {}


def net(nid, desc, link_kinds, shared):
    NETWORKS[nid] = {'id': nid, 'description': desc, 'link_kinds': link_kinds, 'shared_identifiers': shared,
                     'ads': []}


def nad(nid, section, city, template=True):
    a = Ad(section, city)
    a.network = nid
    a.kind = 'network'
    if template:
        a.template = nid + '-T'
    NETWORKS[nid]['ads'].append(a)
    return a


def para(ad, tpl, **kw):
    ad.paras.append(P(tpl, **kw))


def finish_contacts(ad, items, lead_en='Contact: {c}', lead_fr='Contact : {c}', lead_nolinks=None):
    inline, links = render_items(ad, items)
    ad.links.extend(links)
    if inline:
        lead = lead_fr if ad.lang == 'fr' else lead_en
        ad.paras.append(P(lead, c=join_or(inline, ad.lang)))
    elif lead_nolinks:
        ad.paras.append(P(lead_nolinks))


def date_span(d):
    a = d + datetime.timedelta(days=1)
    b = d + datetime.timedelta(days=R.randint(3, 5))
    if a.month == b.month:
        return '%s %d–%d' % (MON_EN[a.month], a.day, b.day)
    return '%s %d – %s %d' % (MON_EN[a.month], a.day, MON_EN[b.month], b.day)


NEAR = {}


def reserve_specials():
    """Numbers used by networks and the deliberate near-miss numbers (reserved first)."""
    NEAR['N01'] = take_phone('US', '3125550147')
    NEAR['N01_near'] = take_phone('US', '7735550147')       # same local number, other area code
    NEAR['N09'] = take_phone('US', '2135550162')
    NEAR['N09_near'] = take_phone('US', '2135550126')       # transposed last two digits
    NEAR['N12'] = take_phone('FR', '0639981257')
    NEAR['N12_near'] = take_phone('FR', '0639981275')       # transposed last two digits
    NEAR['N06'] = take_phone('FR', '0639984410')
    NEAR['N06_near'] = take_phone('UK', '07700900441')      # unrelated, similar digit run
    take_phone('US', '8005550199')                          # site footer number


def build_networks():
    # ------------------------------------------------------------ N01 reshipping scam
    net('N01', 'Work-from-home "package handling / reshipping" job scam posted under changing company names '
               'across US cities; same template, same phone (written many ways) and same e-mail.',
        ['phone', 'email', 'template'],
        {'phones': ['+13125550147'], 'emails': ['hr.coordinator@parcelrelay.example']})
    P1 = NEAR['N01']
    E = reg_email('hr.coordinator@parcelrelay.example')
    cities = ['Chicago', 'Houston', 'Atlanta', 'Phoenix', 'Denver', 'Seattle', 'Boston', 'Miami']
    cos = ['Swift Parcel Solutions', 'GlobeRelay Logistics', 'PrimeShip Partners', 'Northstar Freight Services',
           'Apex Home Logistics', 'BlueLine Parcel Group', 'Unity Cargo Network', 'Keystone Relay Inc.']
    roles = ['Package Handling Assistant', 'Remote Shipping Coordinator', 'Parcel Quality Inspector',
             'Home Logistics Assistant']
    hr = ['Linda', 'Karen', 'Michael', 'Susan', 'Robert', 'Linda', 'Patricia', 'James']
    plans = [[('phone', P1, 'paren'), ('email', E)],
             [('phoned', P1, 'words')],
             [('email', E, 'at_dot'), ('tel', P1)],
             [('phone', P1, 'dot'), ('sms', P1)],
             [('phoned', P1, 'letters'), ('mailto', E)],
             [('email', E, 'brackets')],
             [('phone', P1, 'intl_dash')],
             [('tel', P1), ('sms', P1), ('mailto_inline', E)]]
    for i, city in enumerate(cities):
        a = nad('N01', 'jobs', city)
        role = R.choice(roles)
        pay = R.choice([650, 700, 750, 800, 850, 900])
        a.set_price(price(pay, pay, 'USD', 'week'), raw=R.choice(['$%d/week', '$%d per week', '$%d weekly']) % pay)
        a.title = R.choice(['{r} - Work From Home', '{r} (Remote) – ${p}/week', 'Work from home: {r}',
                            '{r} needed in {c} area']).format(r=role, p=pay, c=city)
        para(a, '{co} is expanding in the {c} area! We are hiring a {r} to receive, inspect and {rs} packages '
                'from home. No experience {nx} — all prepaid labels are provided by our logistics team.',
             co=cos[i], c=city, r=role, rs=R.choice(['re-ship', 'reship', 'forward']),
             nx=R.choice(['needed', 'required']))
        para(a, 'Earn ${p} per week plus a ${b} bonus for every 10 parcels processed. Only 2–3 hours a day, '
                'flexible schedule.', p=pay, b=R.choice([50, 75, 100]))
        para(a, 'Requirements: a valid ID, a home address in the {c} area and a phone that can receive text '
                'messages. Must be 21 or older.', c=city)
        finish_contacts(a, plans[i], lead_en='To start this week, contact our HR coordinator %s: {c}' % hr[i],
                        lead_nolinks='To start this week, contact our HR coordinator %s using the buttons below.'
                                     % hr[i])

    # ------------------------------------------------------------ N02 mystery shopper (template only)
    net('N02', 'Fake "mystery shopper" cheque-overpayment scam; same template, different company names, '
               'different e-mail/phone in every ad (template-only link).', ['template'], {})
    cities = ['New York', 'Los Angeles', 'Manchester', 'Glasgow', 'Denver', 'Liverpool']
    cos = ['ShopScore Evaluations', 'Quality Insight Group', 'Customer Pulse Research', 'SecretEye Services',
           'Retail Audit Partners', 'ServiceCheck International']
    locs = ['apply.shopscore', 'insightgroup.hr', 'pulse.recruit', 'secreteye.jobs', 'retailaudit.team',
            'servicecheck.intl']
    doms = ['mailbox.example', 'post.test', 'webmail.example', 'mailbox.example', 'inbox.test', 'post.test']
    for i, city in enumerate(cities):
        a = nad('N02', 'jobs', city)
        uk = a.country == 'UK'
        pay = R.choice([250, 300, 350]) if uk else R.choice([300, 350, 400, 450])
        cur = 'GBP' if uk else 'USD'
        a.set_price(price(pay, pay, cur, 'assignment'))
        sym = '£' if uk else '$'
        a.title = R.choice(['Mystery Shopper Needed – {c}', 'Become a Mystery Shopper in {c}',
                            'Secret Shopper – {s}{p} per assignment']).format(c=city, s=sym, p=pay)
        para(a, 'Become a Mystery Shopper in {c}! {co} is looking for honest, detail-oriented people to evaluate '
                'local shops, restaurants and banks.', c=city, co=cos[i])
        para(a, 'Get paid {s}{p} per assignment and keep the products you buy! Flexible hours, work when you want.',
             s=sym, p=pay)
        para(a, 'We will send you a {ins} in advance to cover all purchases — simply deposit it and follow the '
                'instructions in your assignment letter.', ins='cheque' if uk else 'check')
        e = uniq_email(locs[i], doms[i])
        items = [('email', e)] if i % 2 == 0 else [('email', e, R.choice(['at_dot', 'brackets']))]
        if i in (1, 4):
            items.append(('phone', new_phone(city)))
        finish_contacts(a, items, lead_en='To apply, reply with your full name, address and mobile number to {c}.')

    # ------------------------------------------------------------ N03 housing/transport labour recruiter (phone chain)
    net('N03', 'Hotel-housekeeping labour recruiter offering housing and transport in several US cities; texts '
               'differ, linked by phone A (ads 1-4) and phone B (ads 4-7), ad 4 carries both (chain).',
        ['phone'], {})
    PA = new_us('713')
    PB = new_us('305')
    NETWORKS['N03']['shared_identifiers'] = {'phones': [PA.e164, PB.e164]}
    specs = [
        ('Houston', 'HOTEL HOUSEKEEPERS NEEDED – START TODAY', price(15, 15, 'USD', 'hour'),
         ['Hiring housekeepers and laundry attendants for hotels in Houston. No experience necessary, we train.',
          'Free housing provided and daily transportation to work. {pr}, paid weekly in cash or card. '
          'Se habla español.'],
         [('phone', PA, 'paren'), ('wa', PA)], 'Call or WhatsApp {c}'),
        ('Atlanta', 'Housekeeping staff – housing included', price(14, 16, 'USD', 'hour'),
         ['Looking for hard-working men and women for hotel housekeeping in Atlanta.',
          'Shared apartment provided close to work, transport every day. No papers no problem, we help with '
          'everything. Pay {pr}.'],
         [('phoned', PA, 'words')], 'Text {c}'),
        ('Miami', 'Camareras de hotel / Hotel room attendants', price(15, 15, 'USD', 'hour'),
         ['Trabajo inmediato en hoteles de Miami. Vivienda incluida y transporte.',
          'Hotel room attendants needed now, housing and ride to work included. {pr}.'],
         [('phone', PA, 'dash'), ('tel', PA)], 'Llama al {c}'),
        ('Las Vegas', 'Casino hotel cleaning crew – relocate, housing provided', price(16, 16, 'USD', 'hour'),
         ['We relocate workers to Las Vegas for casino hotel cleaning. Bus ticket and first month of housing paid.',
          'Work 6 days a week, {pr}.'],
         [('phone', PA, 'dot'), ('phone', PB, 'paren')], 'Call {c}'),
        ('Phoenix', 'Resort housekeepers wanted – room and board', price(14.5, 14.5, 'USD', 'hour'),
         ['Resort in the Phoenix area needs housekeepers and kitchen helpers. Room and board provided, '
          'transport daily.', '{pr}. No experience.'],
         [('phoned', PB, 'letters')], 'Contact Maria {c} (text only)'),
        ('Denver', 'Hotel cleaners needed – free housing', price(600, None, 'USD', 'week'),
         ['Hotel cleaners needed for Denver hotels. Free housing and transport. Start tomorrow.',
          'Weekly pay {pr}.'],
         [('phone', PB, 'intl_space'), ('wa', PB)], 'WhatsApp: {c}'),
        ('Austin', 'Housekeepers / laundry – start now', price(15, 15, 'USD', 'hour'),
         ['Laundry and housekeeping jobs in Austin hotels, housing available for those relocating.', '{pr}.'],
         [('phoned', PB, 'spaced'), ('sms', PB)], 'Text {c}'),
    ]
    for city, title, pr, texts, items, lead in specs:
        a = nad('N03', 'jobs', city, template=False)
        a.title = title
        raw = {'Denver': '$600+ weekly'}.get(city)
        a.set_price(pr, raw=raw)
        for t in texts:
            para(a, t, pr=a.price_raw)
        finish_contacts(a, items, lead_en=lead + '.' if not lead.endswith(')') else lead)

    # ------------------------------------------------------------ N04 hostess recruitment + companions (cross-section)
    H = 'velvetlounge_mgmt'
    USED_HANDLES.add(H)
    PW = new_us('702')
    net('N04', 'Nightlife "hostess / brand ambassador" recruitment (jobs) and touring dinner-companion ads '
               '(services) run by one manager; linked by Telegram handle and WhatsApp number, spans both sections.',
        ['handle', 'phone', 'template'], {'handles': [{'platform': 'telegram', 'handle': H}], 'phones': [PW.e164]})
    jobs = [('Las Vegas', 'Hostesses wanted – upscale lounge – $2,000+ weekly', price(2000, None, 'USD', 'week'),
             '$2,000+ weekly', [('htext', 'telegram', H, 'Telegram: @{h}'), ('wa', PW)]),
            ('Miami', 'Brand ambassadors / VIP hostesses – travel paid', price(1500, 3000, 'USD', 'week'),
             None, [('tg', H), ('phone', PW, 'intl_dash')]),
            ('New York', 'Nightlife hostess – earn big, no experience', price(2000, None, 'USD', 'week'), None,
             [('htext', 'telegram', 'VelvetLounge_Mgmt', 'TG: @{h}')]),
            ('Los Angeles', 'Bottle service hostess – apartment provided', price(1800, 2500, 'USD', 'week'), None,
             [('phoned', PW, 'emoji'), ('tg', H, 'Telegram')])]
    for city, title, pr, raw, items in jobs:
        a = nad('N04', 'jobs', city)
        a.template = 'N04-TJ'
        a.title = title
        a.set_price(pr, raw=raw)
        para(a, 'Upscale lounge group hiring hostesses and brand ambassadors for {c} and travel events. '
                'Earn {p}. Flights and apartment provided, no experience needed. Must be 21+.',
             c=city, p=a.price_raw)
        finish_contacts(a, items, lead_en='Send 2 photos and your city to our manager: {c}',
                        lead_nolinks='Send 2 photos and your city to our manager using the buttons below.')
    svc = [('Las Vegas', 'Jade', [('tg', H)]),
           ('Miami', 'Valentina', [('htext', 'telegram', H, 't.me/{h}')]),
           ('New York', 'Sienna', [('wa', PW)]),
           ('Atlanta', 'Camila', [('htext', 'telegram', 'VELVETLOUNGE_MGMT', 'telegram @{h}')]),
           ('Houston', 'Aria', [('phone', PW, 'dot'), ('tg', H)]),
           ('Los Angeles', 'Nadia', [('tg', H, '@' + H)])]
    for city, name, items in svc:
        a = nad('N04', 'services', city)
        a.template = 'N04-TS'
        a.title = R.choice(['{n} – elegant dinner companion, new in {c}', 'Sophisticated company for evenings out – {n}',
                            '{n} ✨ new in {c} for a few weeks']).format(n=name, c=city)
        v = R.choice([300, 350, 400])
        a.set_price(price(v, v, 'USD', 'evening'))
        para(a, "Hi, I'm {n}, just arrived in {c} for a few weeks. Elegant, well-travelled and great company for "
                'dinners, shows and social events. Discreet and friendly.', n=name, c=city)
        para(a, 'Evening rate {p}.', p=a.price_raw)
        finish_contacts(a, items, lead_en='Bookings are handled by my manager: {c}',
                        lead_nolinks='Bookings are handled by my manager — message via the button below.')

    # ------------------------------------------------------------ N05 UK promo models + companions (email)
    E5 = reg_email('bookings.aurora@mailbox.test')
    S5 = 'aurora.bookings'
    USED_HANDLES.add(S5)
    net('N05', '"Aurora" agency: UK promotional-model/hostess recruitment (jobs) and companion ads (services); '
               'linked by one e-mail written in many obfuscations and a Snapchat handle; spans both sections.',
        ['email', 'handle', 'template'], {'emails': [E5], 'handles': [{'platform': 'snapchat', 'handle': S5}]})
    jobs = [('London', 'Promotional models wanted – £150–£300 per day', [('email', E5)]),
            ('Manchester', 'Event hostesses & promo staff – no experience', [('email', E5, 'at_dot')]),
            ('Birmingham', 'Brand ambassadors for VIP events', [('mailto', E5), ('htext', 'snapchat', S5)])]
    for city, title, items in jobs:
        a = nad('N05', 'jobs', city)
        a.template = 'N05-TJ'
        a.title = title
        a.set_price(price(150, 300, 'GBP', 'day'), raw='£150–£300 per day')
        para(a, 'Aurora Talent is recruiting promotional models and event hostesses for corporate events, launches '
                'and private parties in {c}. £150–£300 per day, travel and hotel covered for out-of-town events. '
                'No experience needed — we train.', c=city)
        finish_contacts(a, items, lead_en='Send two recent photos and your availability to {c}',
                        lead_nolinks='Send two recent photos and your availability using the button below.')
    svc = [('London', 'Isabelle', [('email', E5, 'brackets'), ('htext', 'snapchat', S5)]),
           ('Leeds', 'Freya', [('email', E5, 'caps')]),
           ('Edinburgh', 'Ella', [('email', E5, 'parens'), ('htext', 'snapchat', S5)]),
           ('Manchester', 'Poppy', [('mailto_inline', E5)]),
           ('Bristol', 'Daisy', [('email', E5, 'spaced')])]
    for city, name, items in svc:
        a = nad('N05', 'services', city)
        a.template = 'N05-TS'
        a.title = R.choice(['Aurora – {n}, elegant companion in {c}', '{n} | Aurora companions | {c}',
                            'Refined dinner companion – {n} ({c})']).format(n=name, c=city)
        v = R.choice([150, 180, 200])
        a.set_price(price(v, v, 'GBP', 'hour'))
        para(a, 'Aurora – elegant companions for social evenings. {n} is available for dinner dates, theatre and '
                'business functions in {c}. Refined, articulate and discreet.', n=name, c=city)
        para(a, 'Rate: {p}.', p=a.price_raw)
        finish_contacts(a, items, lead_en='Enquiries: {c}')

    # ------------------------------------------------------------ N06 construction day labour FR + UK (phone)
    P6 = NEAR['N06']
    net('N06', 'Construction day-labour recruiter (cash daily, accommodation) posting in France (in French) and the '
               'UK (in English); linked only by one French mobile number in different formats and WhatsApp links.',
        ['phone'], {'phones': [P6.e164]})
    fr = [('Paris', 'Manœuvres / ouvriers du bâtiment – paiement à la journée', [('phone', P6, 'space')]),
          ('Lyon', 'Recherche ouvriers BTP, logement fourni', [('phoned', P6, 'fr_words'), ('wa', P6)]),
          ('Marseille', 'Maçons et aides-maçons, départ immédiat', [('phone', P6, 'dot'), ('tel', P6)])]
    for city, title, items in fr:
        a = nad('N06', 'jobs', city, template=False)
        a.title = title
        v = R.choice([90, 100, 110])
        a.set_price(price(v, v, 'EUR', 'day'))
        para(a, R.choice(['Entreprise recherche manœuvres et ouvriers polyvalents pour chantiers à {c}.',
                          'Urgent : chantiers sur {c} et région, nous cherchons des ouvriers motivés.']), c=city)
        para(a, 'Paiement à la journée, {p}. Logement fourni, transport assuré jusqu’au chantier. '
                'Pas besoin d’expérience.', p=a.price_raw)
        finish_contacts(a, items, lead_fr=R.choice(['Appelez ou WhatsApp : {c}', 'Tél. {c}']))
    uk = [('London', 'Construction labourers needed – daily pay', [('phone', P6, 'intl'), ('wa', P6)]),
          ('Birmingham', 'Groundworkers & labourers – accommodation provided', [('wa', P6)]),
          ('Manchester', 'General labourers – start Monday, paid daily', [('phone', P6, 'zz')])]
    for city, title, items in uk:
        a = nad('N06', 'jobs', city, template=False)
        a.title = title
        v = R.choice([110, 120, 140])
        a.set_price(price(v, v, 'GBP', 'day'))
        para(a, R.choice(['Labourers needed for building sites in {c}.', 'Busy sites across {c} need reliable '
                                                                              'labourers now.']), c=city)
        para(a, '{p} paid daily. Accommodation provided and transport to site. No CSCS card required, we sort '
                'everything.', p=a.price_raw)
        finish_contacts(a, items, lead_en='WhatsApp only: {c}',
                        lead_nolinks='Message us on WhatsApp (button below).')

    # ------------------------------------------------------------ N07 data entry (template only)
    net('N07', '"Earn $500/day data entry" advance-fee scam; same template with different first names and a '
               'different phone number in every ad (template-only link).', ['template'], {})
    cities = ['New York', 'Atlanta', 'Houston', 'Los Angeles', 'Chicago']
    names = ['Brenda', 'Marcus', 'Tina', 'Derek', 'Alicia']
    for i, city in enumerate(cities):
        a = nad('N07', 'jobs', city)
        v = R.choice([400, 500, 500])
        a.set_price(price(None, v, 'USD', 'day'), raw='Up to $%d/day' % v)
        a.title = R.choice(['Data Entry Clerk – Earn ${v}/day From Home!', 'Online Data Entry – ${v} per day – '
                                                                           'No Experience',
                            'Work From Home Data Entry – Paid Daily']).format(v=v)
        para(a, 'Earn up to ${v} a day typing simple forms from home! No experience, no interview. All you need is a '
                'laptop or smartphone and internet.', v=v)
        para(a, 'Flexible hours — work when you want. Limited positions in {c}.', c=city)
        ph = new_phone(city)
        finish_contacts(a, [('phone', ph)], lead_en='Text %s at {c} now to get started.' % names[i])

    # ------------------------------------------------------------ N08 staffing, number only in tel:/sms: links
    P8 = new_us('646')
    net('N08', 'Day-labour staffing operator whose number appears only inside tel:/sms: links (never in visible '
               'text); texts differ.', ['phone'], {'phones': [P8.e164]})
    specs = [('New York', 'Warehouse workers needed TONIGHT – same day pay', price(18, 18, 'USD', 'hour'),
              'Immediate openings for warehouse workers tonight and this weekend. Same-day pay, {p}. Bring ID and '
              'safety shoes. Tap the button below to call our dispatcher.',
              [('tel', P8, 'Tap to call'), ('sms', P8)]),
             ('Chicago', 'General labor – daily pay, start tomorrow', price(17, 19, 'USD', 'hour'),
              'General labor crews needed: loading, cleanup, moving furniture. Paid daily, {p}. No experience '
              "required. Call now for tomorrow's shift.", [('tel', P8, 'Call now')]),
             ('Boston', 'Movers & helpers – weekend work', price(20, 20, 'USD', 'hour'),
              'Moving company needs movers and helpers this weekend. {p} cash. Must be on time. Text us your name '
              'and zip code.', [('sms', P8), ('tel', P8, 'Call')]),
             ('Denver', 'Forklift & loaders – apply by phone', price(19, 19, 'USD', 'hour'),
              'Forklift drivers and loaders needed for a distribution center. {p}, overtime available. We only take '
              'applications by phone.', [('tel', P8, '\U0001F4DE Call')])]
    for city, title, pr, text, items in specs:
        a = nad('N08', 'jobs', city, template=False)
        a.title = title
        a.set_price(pr)
        para(a, text, p=a.price_raw)
        finish_contacts(a, items)

    # ------------------------------------------------------------ N09 massage spa chain (phone, disguised)
    P9 = NEAR['N09']
    net('N09', 'Touring "grand opening" massage-spa operation: same template, spa name changes per city, one '
               'phone number written in many disguised forms.', ['phone', 'template'], {'phones': [P9.e164]})
    spas = ['Jade Garden Spa', 'Golden Lotus Spa', 'Bamboo Wellness', 'Orchid Relax Spa', 'Lucky Star Massage',
            'Harmony Foot Spa', 'Blue Lotus Spa', 'Sunrise Spa', 'Pearl Spa']
    cities = ['Los Angeles', 'Houston', 'Atlanta', 'Denver', 'Phoenix', 'Austin', 'Las Vegas', 'Seattle', 'Miami']
    plans = [[('phone', P9, 'paren')], [('phoned', P9, 'words')], [('phoned', P9, 'letters')],
             [('phoned', P9, 'spaced')], [('phoned', P9, 'emoji')], [('tel', P9, 'Call')],
             [('phoned', P9, 'allwords')], [('phoned', P9, 'split')], [('phoned', P9, 'mixed'), ('sms', P9)]]
    for i, city in enumerate(cities):
        a = nad('N09', 'services', city)
        v = R.choice([50, 60, 60, 70])
        a.set_price(price(v, v, 'USD', 'hour'), raw=R.choice(['$%d/hr', '$%d per hour', '%d/hr', '$%d/60min']) % v)
        a.title = R.choice(['Grand Opening – {s} – Relaxing Massage', '{s} · NEW · Professional Massage',
                            'Grand opening! {s} in {c}']).format(s=spas[i], c=city)
        para(a, 'Grand Opening! {s} now open in {c}. Relaxing Swedish, deep tissue and hot stone massage by '
                'professional therapists.', s=spas[i], c=city)
        para(a, 'Clean, quiet private rooms, hot towels and free parking. Walk-ins welcome, open 9:30am–10pm, '
                '7 days. Special {p}.', p=a.price_raw)
        finish_contacts(a, plans[i], lead_en='Call {c}', lead_nolinks='Tap to call for an appointment.')

    # ------------------------------------------------------------ N10 touring companion (handle → phone chain)
    H10 = 'mia_travels'
    USED_HANDLES.add(H10)
    P10 = new_us('305')
    net('N10', 'Touring companion "Mia" moving between US cities; ads 1-4 give a Telegram handle, ads 4-7 a phone '
               'number, ad 4 gives both (chain); loose template.', ['handle', 'phone', 'template'],
        {'handles': [{'platform': 'telegram', 'handle': H10}], 'phones': [P10.e164]})
    cities = ['New York', 'Boston', 'Chicago', 'Miami', 'Seattle', 'San Francisco', 'Las Vegas']
    names = ['Mia', 'Mia', 'Mya', 'Mia', 'Amelia', 'Mia', 'Mya']
    plans = [[('tg', H10)], [('htext', 'telegram', H10, 'Telegram: @{h}')], [('htext', 'telegram', 'Mia_Travels',
                                                                              't.me/{h}')],
             [('tg', H10, '@' + H10), ('phone', P10, 'dot')], [('phone', P10, 'paren'), ('sms', P10)],
             [('phoned', P10, 'words')], [('tel', P10, 'Call me'), ('sms', P10)]]
    for i, city in enumerate(cities):
        a = nad('N10', 'services', city)
        ds = date_span(a.date)
        v = R.choice([200, 250, 300])
        a.set_price(price(v, v, 'USD', 'hour'))
        a.title = R.choice(['{n} – visiting {c} {d} only', 'In {c} this week only – {n}',
                            'Travel companion {n} – {c} {d}']).format(n=names[i], c=city, d=ds)
        para(a, "Hello {c}! I'm {n}, a warm and elegant companion visiting {d} only. I love cocktail bars, live "
                'music and long dinners with interesting people.', c=city, n=names[i], d=ds)
        para(a, 'Available for dinner dates and social events. Upscale clientele, discreet and friendly. {p}.',
             p=a.price_raw)
        finish_contacts(a, plans[i], lead_en=R.choice(['Contact: {c}', 'Book me: {c}', 'Call or text {c}']),
                        lead_nolinks='Contact me with the buttons below.')

    # ------------------------------------------------------------ N11 companion template only
    net('N11', 'Companion-agency template reused with different names, nationalities, cities and a different '
               'contact in every ad (template-only link).', ['template'], {})
    specs = [('London', 'Sofia', 'Italian', 'elegant'), ('Miami', 'Bianca', 'Brazilian', 'sweet and genuine'),
             ('Chicago', 'Katya', 'Eastern European', 'sophisticated'), ('Manchester', 'Elin', 'Scandinavian',
                                                                        'bubbly'),
             ('Atlanta', 'Luna', 'Latina', 'charming')]
    for city, name, nat, adj in specs:
        a = nad('N11', 'services', city)
        cur = CUR[a.country]
        v = R.choice([150, 200, 250])
        a.set_price(price(v, v, cur, 'hour'))
        a.title = R.choice(['{a} {nt} companion – {c}', '{n}, {nt} companion now in {c}',
                            'Genuine {nt} lady for dinner dates – {c}']).format(a=adj.capitalize(), nt=nat, c=city,
                                                                              n=name)
        para(a, "Hi gentlemen, I'm {n}, a {a} {nt} companion now based in {c}. I enjoy fine dining, art galleries "
                'and good conversation.', n=name, a=adj, nt=nat, c=city)
        para(a, 'Available for dinner dates and social events. Serious enquiries only — {p}.', p=a.price_raw)
        ph = new_phone(city, mobile=True)
        items = [('phone', ph)]
        if R.random() < 0.5:
            items.append(('htext', 'instagram', uniq_handle(name.lower() + R.choice(['.vip', '_official', 'x']))))
        finish_contacts(a, items, lead_en=R.choice(['Call or text {c}', 'Contact: {c}']))

    # ------------------------------------------------------------ N12 French home massage (phone, FR words)
    P12 = NEAR['N12']
    net('N12', 'French "massage bien-être à domicile" ads in six cities, same template, one mobile number in '
               'spaced, dotted, international, French-words, emoji and link forms.', ['phone', 'template'],
        {'phones': [P12.e164]})
    specs = [('Paris', 'Léa', [('phone', P12, 'space')]), ('Lyon', 'Sofia', [('phoned', P12, 'fr_words')]),
             ('Marseille', 'Inès', [('phone', P12, 'intl')]), ('Nice', 'Chloé', [('phoned', P12, 'emoji', 'space')]),
             ('Bordeaux', 'Yasmine', [('phone', P12, 'dot'), ('tel', P12)]),
             ('Toulouse', 'Elena', [('phoned', P12, 'spaced', 'compact'), ('sms', P12)])]
    for city, name, items in specs:
        a = nad('N12', 'services', city)
        v = R.choice([70, 80, 90])
        a.set_price(price(v, v, 'EUR', 'hour'))
        a.title = R.choice(['Massage relaxant à domicile – {c}', 'Masseuse diplômée se déplace – {c} et alentours',
                            '{n}, massage bien-être à domicile ({c})']).format(c=city, n=name)
        para(a, "Bonjour, je m'appelle {n}, masseuse diplômée. Je me déplace à domicile et à l'hôtel sur {c} et "
                'alentours.', n=name, c=city)
        para(a, 'Massage relaxant californien, suédois ou aux pierres chaudes. Ambiance zen, discrétion assurée. '
                '{p}.', p=a.price_raw)
        finish_contacts(a, items, lead_fr=R.choice(['Appelez-moi au {c}', 'Tél : {c}', 'Rendez-vous au {c}']))

    # ------------------------------------------------------------ N13 UK companion, e-mail + snapchat, varied texts
    E13 = reg_email('rosie.companion@post.example')
    S13 = 'rosie_evenings'
    USED_HANDLES.add(S13)
    net('N13', 'One UK dinner companion posting under slightly different names in five cities; texts are written '
               'fresh each time; linked by one e-mail (always obfuscated differently) and a Snapchat handle.',
        ['email', 'handle'], {'emails': [E13], 'handles': [{'platform': 'snapchat', 'handle': S13}]})
    specs = [
        ('London', 'Dinner companion in Mayfair – Rosie', price(120, 120, 'GBP', 'hour'),
         ["Rosie here — London born, theatre obsessed and always up for a long dinner somewhere lovely.",
          'I make a relaxed, chatty plus-one for work dinners and events.'],
         [('email', E13), ('htext', 'snapchat', S13)]),
        ('Bristol', 'Charming plus-one for weddings and work dos', price(250, 250, 'GBP', 'evening'),
         ['Dreading going to that wedding on your own? I am a friendly, well-spoken companion who gets on with '
          'everyone from the bride to your boss.', 'Evening rate {pr}, travel extra.'],
         [('email', E13, 'at_dot')]),
        ('Manchester', 'Theatre & fine dining companion', price(110, 110, 'GBP', 'hour'),
         ['Rose, 29. Lover of musicals, tasting menus and good gossip.',
          'Available most evenings in Manchester city centre. {pr}.'],
         [('mailto', E13)]),
        ('Edinburgh', 'Festival companion – August dates open', price(130, 130, 'GBP', 'hour'),
         ['Visiting Edinburgh for the Festival and want someone fun to share the shows with?',
          'Rosie (Rose to friends), 29, happy to be your guide and company. {pr}.'],
         [('email', E13, 'caps'), ('htext', 'snapchat', S13, 'snapchat \u2192 {h}')]),
        ('Glasgow', 'Weekend company for city breaks', price(400, 400, 'GBP', 'day'),
         ['Warm, witty and well-travelled companion for city breaks and weekends away.',
          'Day rate {pr}. References from previous bookings available.'],
         [('email', E13, 'parens')]),
    ]
    for city, title, pr, texts, items in specs:
        a = nad('N13', 'services', city, template=False)
        a.title = title
        a.set_price(pr)
        for t in texts:
            para(a, t, pr=a.price_raw)
        finish_contacts(a, items, lead_en=R.choice(['Email me: {c}', 'Get in touch: {c}', 'Contact {c}']),
                        lead_nolinks='Email me via the button below.')

    # ------------------------------------------------------------ N14 spa receptionist jobs + spa services (phone)
    P14 = new_us('713')
    net('N14', 'Massage-spa operator: "receptionist, cash daily, housing available" jobs and relaxation-spa '
               'service ads; linked by one phone; spans both sections.', ['phone'], {'phones': [P14.e164]})
    jobs = [('Houston', 'Receptionist needed for busy massage spa – cash daily', price(150, 150, 'USD', 'day'),
             'Busy massage spa looking for a front desk receptionist. Answer phones, greet customers, keep rooms '
             'clean. Cash paid daily, {pr}. Housing available. No English required.', [('phone', P14, 'dash')]),
            ('Austin', 'Spa front desk / cleaner – live-in possible', price(900, 900, 'USD', 'week'),
             'Spa in Austin needs front desk and cleaning helper. {pr}, room available on site. Start immediately.',
             [('phoned', P14, 'spaced'), ('tel', P14)])]
    for city, title, pr, text, items in jobs:
        a = nad('N14', 'jobs', city, template=False)
        a.title = title
        a.set_price(pr)
        para(a, text, pr=a.price_raw)
        finish_contacts(a, items, lead_en='Call {c}', lead_nolinks='Call us (button below).')
    svc = [('Houston', 'Ocean Blue Spa', [('phone', P14, 'paren')]),
           ('Houston', 'Lucky Lotus Spa', [('phoned', P14, 'letters')]),
           ('Austin', 'Happy Feet Reflexology', [('phone', P14, 'compact'), ('sms', P14)]),
           ('Phoenix', 'Golden Bamboo Spa', [('tel', P14, 'Call now')])]
    for city, spa, items in svc:
        a = nad('N14', 'services', city, template=False)
        v = R.choice([60, 70])
        a.set_price(price(v, v, 'USD', 'hour'))
        a.title = '{s} – relaxation spa – new staff'.format(s=spa) if R.random() < 0.5 else \
            '{s} · {c} · open late'.format(s=spa, c=city)
        para(a, 'Welcome to {s}! Relaxing body massage and foot reflexology by new staff. Private clean rooms, '
                'shower available. Open late. {pr}.', s=spa, pr=a.price_raw)
        finish_contacts(a, items, lead_en='Call {c}', lead_nolinks='Call now with the button below.')

    # ------------------------------------------------------------ N15 UK care visa-sponsorship (template only)
    net('N15', 'Care-worker "visa sponsorship" fee scam; same template, different agent names and WhatsApp/phone '
               'numbers in each ad (template-only link).', ['template'], {})
    specs = [('Birmingham', 'Grace'), ('Leeds', 'Daniel'), ('Liverpool', 'Joy'), ('Glasgow', 'Samuel')]
    for city, agent in specs:
        a = nad('N15', 'jobs', city)
        lo = R.choice([23200, 24000, 25000])
        a.set_price(price(lo, lo + R.choice([1500, 2000, 2500]), 'GBP', 'year'))
        a.title = R.choice(['Care Assistants – UK Visa Sponsorship Available',
                            'Healthcare Assistants Needed – Sponsorship + Accommodation',
                            'Senior Carers – Certificate of Sponsorship – {c}']).format(c=city)
        para(a, 'Care Assistants needed in {c} — UK visa sponsorship available! Salary {p}, accommodation arranged '
                'for the first 3 months. Applicants from overseas welcome.', c=city, p=a.price_raw)
        para(a, 'A one-time processing fee applies for the Certificate of Sponsorship.')
        ph = new_uk_mobile()
        items = [('phone', ph, R.choice(['intl', 'intl0', 'nat'])), ('wa', ph)]
        finish_contacts(a, items, lead_en='Contact our agent %s on WhatsApp {c}' % agent)

    for nid, n in NETWORKS.items():
        n['ads_objs'] = n.pop('ads')
