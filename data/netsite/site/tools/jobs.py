# -*- coding: utf-8 -*-
"""Ordinary job ads, same-employer groups and relay-address ads."""
import unicodedata
from ads import *
from jobdata import *

USED_EMP = set()


def slugify(name):
    s = unicodedata.normalize('NFKD', name).encode('ascii', 'ignore').decode()
    return re.sub(r'[^a-z0-9]+', '', s.lower())


def make_employer(fam, country):
    for _ in range(500):
        if country == 'FR':
            name = '%s %s' % (R.choice(FR_A[fam]), R.choice(FR_SURN))
        else:
            name = '%s %s' % (R.choice(EMP_A), R.choice(EMP_B[fam]))
            if country == 'UK':
                suf = R.choice(UK_SUFFIX)
                if suf and not name.endswith('.'):
                    name = name + ' ' + suf
        if name not in USED_EMP:
            USED_EMP.add(name)
            return name
    raise RuntimeError('no employer name')


def pay_spec(fam, country, fr_fam=None):
    F = FAM[fam]
    opts = F['fr']['pay'] if country == 'FR' else F['pay_us' if country == 'US' else 'pay_uk']
    per, lo, hi = R.choice(opts)
    cur = CUR[country]
    if per == 'hour':
        step = 0.5 if R.random() < 0.5 else 1
        a = round(R.uniform(lo, max(lo, hi - 2)) / step) * step
        if a < lo:
            a = lo
        b = a + R.choice([0, 0, 1, 2, 3, 4])
        b = min(b, hi + 2)
    elif per == 'year':
        a = round(R.uniform(lo, hi - 4000) / 1000) * 1000
        b = a + R.choice([0, 2000, 4000, 5000, 8000, 10000])
    elif per == 'month':
        a = round(R.uniform(lo, hi - 200) / 50) * 50
        b = a + R.choice([0, 0, 100, 200, 300])
    else:  # week
        a = round(R.uniform(lo, hi - 200) / 50) * 50
        b = a + R.choice([0, 100, 200])
    a = float(a) if a != int(a) else int(a)
    b = float(b) if b != int(b) else int(b)
    r = R.random()
    if r < 0.06:
        return price(None, b, cur, per)
    if r < 0.11:
        return price(a, None, cur, per)
    return price(a, b, cur, per)


def phone_like(ad):
    c = ad.country
    d = lambda n: ''.join(R.choice('0123456789') for _ in range(n))
    if c == 'US':
        t = R.choice(['Job reference: %s%s' % (ad.date.strftime('%Y%m%d'), d(2)),
                      'Req ID %s' % d(7), 'Contractor License #%s' % d(7),
                      'Position #%s-%s' % (d(3), d(4))])
    elif c == 'UK':
        t = R.choice(['Company registration number %s.' % ('0' + d(7)),
                      'VAT reg. no. GB %s %s %s' % (d(3), d(4), d(2)),
                      'Ref: %s' % ('0' + d(9)), 'Vacancy ref %s %s %s' % (d(4), d(3), d(4))])
    else:
        t = R.choice(['SIRET : %s %s %s %s' % (d(3), d(3), d(3), d(5)), 'SIREN %s %s %s' % (d(3), d(3), d(3)),
                      'Réf. offre : 0%s %s %s %s' % (d(1), d(2), d(2), d(4))])
    ad.tags.add('phone_like_number')
    return t


def address(city):
    c = country_of(city)
    if c == 'US':
        return '%d %s' % (R.randint(100, 9800), R.choice(US_STREETS))
    if c == 'UK':
        return '%s, %s %s' % (R.choice(UK_ADDR), city, UK_PC[city])
    return '%d %s, %s %s' % (R.randint(1, 140), R.choice(FR_ADDR), FR_CP[city], city)


def contact_sentence(ad, items, person=None, kind=None):
    """Turn contact items into an 'apply' sentence plus buttons."""
    inline, links = render_items(ad, items)
    ad.links.extend(links)
    lang, c = ad.lang, ad.country
    has_phone = any(i[0] in ('phone', 'phoned') for i in items)
    has_mail = any(i[0] in ('email', 'mailto_inline') for i in items)
    person = person or R.choice(FIRST_EN_M + FIRST_EN_F if lang == 'en' else FIRST_FR_M + FIRST_FR_F)
    if not inline:
        if lang == 'fr':
            return P(R.choice(['Pour postuler, utilisez le bouton ci-dessous.', 'Contact via le bouton ci-dessous.']))
        return P(R.choice(['Use the button below to apply.', 'Tap the button below to contact us.',
                           'Contact us using the button below.']))
    if has_phone and has_mail and len(inline) >= 2:
        p = [x for x, i in zip(inline, [i for i in items if i[0] in ('phone', 'phoned', 'email', 'mailto_inline')])
             if i[0] in ('phone', 'phoned')]
        e = [x for x, i in zip(inline, [i for i in items if i[0] in ('phone', 'phoned', 'email', 'mailto_inline')])
             if i[0] in ('email', 'mailto_inline')]
        if lang == 'fr':
            t = R.choice(['CV à {e} ou par téléphone au {p}.', 'Candidature : {e} / Tél. {p}'])
        elif c == 'UK':
            t = R.choice(['Email your CV to {e} or ring {p}.', 'CVs to {e} or call {p}.'])
        else:
            t = R.choice(['Send your resume to {e} or call {p}.', 'Email {e} or call {p} with questions.'])
        return P(t, e=join_or(e, lang), p=join_or(p, lang))
    cc = join_or(inline, lang)
    if has_phone and not has_mail:
        if lang == 'fr':
            t = R.choice(['Contactez {n} au {c}.', 'Renseignements au {c}.',
                          'Appelez le {c} (du lundi au vendredi, 9h-17h).', 'Tél : {c}'])
        elif c == 'UK':
            t = R.choice(['Call {n} on {c} for an informal chat.', 'Ring {c} to arrange a trial shift.',
                          'For more details phone {c}.', 'Call or text {n} on {c}.'])
        else:
            t = R.choice(['Call {n} at {c} to schedule an interview.', 'Call or text {c}.',
                          'Questions? Call {c} between 9am and 4pm.', 'Call {c} and ask for {n}.'])
        return P(t, n=person, c=cc)
    if lang == 'fr':
        t = R.choice(['Envoyez CV et lettre de motivation à {c}.', 'Candidatures par mail : {c}',
                      "Merci d'adresser votre candidature à {c}."])
    elif c == 'UK':
        t = R.choice(['Please send your CV to {c}.', 'To apply, email your CV and a short covering note to {c}.',
                      'Send CVs to {c}.'])
    else:
        t = R.choice(['Send your resume to {c}.', 'Email your resume and cover letter to {c}.',
                      'Interested candidates should email {c}.', 'To apply, email {c} with your availability.'])
    return P(t, c=cc)


def default_job_contacts(ad, emp, slug):
    """Returns (items, no_contact_sentence or None)."""
    r = R.random()
    lang, c = ad.lang, ad.country
    if r < 0.08:
        if lang == 'fr':
            return [], P('Postulez sur www.{s}.example/recrutement.', s=slug)
        return [], P('Apply online at www.{s}.example/careers.', s=slug)
    if r < 0.14:
        a = address(ad.city)
        if lang == 'fr':
            return [], P('Présentez-vous avec votre CV au {a}.', a=a)
        if c == 'UK':
            return [], P('Drop your CV in at {a}.', a=a)
        return [], P('Apply in person at {a}, Monday–Friday 9am–4pm.', a=a)
    items = []
    want_mail = r < 0.68
    want_phone = r >= 0.52
    if want_mail:
        if R.random() < 0.7:
            local = R.choice(['jobs', 'careers', 'hr', 'hiring', 'recruiting'] if lang == 'en' and c == 'US' else
                             ['jobs', 'recruitment', 'careers', 'hr', 'office'] if c == 'UK' else
                             ['recrutement', 'rh', 'contact', 'emploi'])
            e = uniq_email(local, slug + '.example')
        else:
            fn = R.choice(FIRST_EN_M + FIRST_EN_F if lang == 'en' else FIRST_FR_M + FIRST_FR_F)
            fn = unicodedata.normalize('NFKD', fn).encode('ascii', 'ignore').decode().lower()
            e = uniq_email(fn + R.choice(['.', '_', '']) + slug[:R.randint(4, 9)],
                           R.choice(['mailbox.example', 'post.test', 'webmail.example', slug + '.example']))
        rr = R.random()
        if rr < 0.62:
            items.append(('email', e))
        elif rr < 0.78:
            items.append(('mailto_inline', e))
        elif rr < 0.9:
            items.append(('email', e, R.choice(OBF_KINDS if lang == 'en' else ['fr', 'parens', 'brackets'])))
        else:
            items.append(('mailto', e))
    if want_phone:
        ph = new_phone(ad.city)
        items.extend(default_phone_items(ad, ph))
    return items, None


def gen_job(city, fam=None, emp=None, about=None, items=None, slug=None, title=None, short=None,
            no_contact_sentence=None, extra_paras=None, pay=True, person=None):
    ad = Ad('jobs', city)
    ad.kind = 'job'
    fam = fam or R.choice(list(FAM))
    F = FAM[fam]
    c, lang = ad.country, ad.lang
    emp_given = emp is not None
    emp = emp or make_employer(fam, c)
    slug = slug or slugify(emp)
    ad.advertiser_label = emp
    if c == 'FR':
        titles, duties, reqs, bens = F['fr']['t'], F['fr']['duties'], F['fr']['reqs'], BEN_FR
        ind = F['fr']['ind']
    else:
        titles = F['t_us'] if c == 'US' else F['t_uk']
        duties = F['duties']
        reqs = F['r_us'] if c == 'US' else F['r_uk']
        bens = BEN_US if c == 'US' else BEN_UK
        ind = F['ind']
    t = title or R.choice(titles)
    disp = CITY[city]['display']
    if lang == 'fr':
        ad.title = R.choice(['{t}', '{t} – {c}', '{t} - CDI', 'Recrute : {t}', '{t} ({e})']).format(t=t, c=city, e=emp)
    else:
        ad.title = R.choice(['{t}', '{t} – {c}', '{t} ({e})', 'Now Hiring: {t}', '{t} - Immediate Start',
                             '{t} | Full-Time', '{t} needed']).format(t=t, c=city, e=emp)
    if pay and R.random() < 0.82:
        ad.set_price(pay_spec(fam, c))
    if short is None:
        short = R.random() < 0.3
    d = R.sample(duties, min(len(duties), R.randint(3, 5)))
    # dedupe (some pools repeat sentences to raise their frequency)
    d = list(dict.fromkeys(d))
    rq = list(dict.fromkeys(R.sample(reqs, min(len(reqs), R.randint(2, 3)))))
    bn = list(dict.fromkeys(R.sample(bens, min(len(bens), R.randint(2, 4)))))
    if items is None and no_contact_sentence is None:
        items, no_contact_sentence = default_job_contacts(ad, emp, slug)
    apply = no_contact_sentence if not items else contact_sentence(ad, items, person=person)
    if lang == 'fr':
        intro = R.choice(['{e} recrute un(e) {t} pour son site de {c}.',
                          'Dans le cadre de son développement, {e} recherche un(e) {t}.',
                          'Nous recrutons ! {e} ({c}) cherche son/sa futur(e) {t}.',
                          '{e}, {i} basé(e) à {c}, recherche un(e) {t}.'])
    elif emp_given:
        intro = R.choice(['{e} is hiring {aa} {t} to join our team in {c}.',
                          'Join {e}! We have an immediate opening for {aa} {t} in {c}.',
                          '{e} ({c}) – {t} wanted.'])
    else:
        intro = R.choice(['{e} is hiring {aa} {t} to join our team in {c}.',
                          'We are looking for a reliable {t} for our {c} location.',
                          '{e}, a growing {i} company, is seeking an experienced {t}.',
                          'Join {e}! We have an immediate opening for {aa} {t}.',
                          'Busy {i} business in {c} needs {aa} {t}.',
                          '{e} ({c}) – {t} wanted.'])
    intro_t = P(intro, e=emp, t=t, c=city, i=ind, aa='an' if t[0] in 'AEIOU' else 'a')
    ptxt = None
    if ad.price and R.random() < 0.4:
        ptxt = P(('Salaire : {p}.' if lang == 'fr' else 'Pay: {p}.'), p=ad.price_raw)
    if short:
        parts = [intro_t]
        if about:
            parts.append(P(about))
        parts += [P(x) for x in d[:2]] + [P(rq[0])] + [P(x) for x in bn[:2]]
        if ptxt:
            parts.append(ptxt)
        parts.append(apply)
        ad.paras.append(Raw(' '.join(parts)))
    else:
        ad.paras.append(Raw(intro_t + (' ' + P(about) if about else '')))
        if lang == 'fr':
            h1, h2, h3 = R.choice(['Missions :', 'Vos missions :']), R.choice(['Profil :', 'Profil recherché :']), \
                R.choice(['Nous offrons :', 'Avantages :', 'Conditions :'])
        else:
            h1 = R.choice(['Responsibilities:', 'What you will do:', 'Duties include:', 'Key responsibilities:'])
            h2 = R.choice(['Requirements:', 'What we are looking for:', 'About you:', 'Qualifications:'])
            h3 = R.choice(['What we offer:', 'Benefits:', 'Perks:'])
        ul = lambda xs: Raw('<ul>' + ''.join('<li>%s</li>' % esc(x) for x in xs) + '</ul>')
        ad.paras.append(Raw('<p><strong>%s</strong></p>' % esc(h1)))
        ad.paras.append(ul(d))
        ad.paras.append(Raw('<p><strong>%s</strong></p>' % esc(h2)))
        ad.paras.append(ul(rq))
        if R.random() < 0.5:
            ad.paras.append(Raw('<p><strong>%s</strong></p>' % esc(h3)))
            ad.paras.append(ul(bn))
        else:
            ad.paras.append(Raw(' '.join(P(x) for x in bn)))
        if ptxt:
            ad.paras.append(ptxt)
        ad.paras.append(apply)
    for x in (extra_paras or []):
        ad.paras.append(x)
    if R.random() < 0.12:
        ad.paras.append(P(phone_like(ad)))
    return ad


# ---------------------------------------------------------------- same-employer groups
EMPLOYER_GROUPS = {}


def employer_groups():
    # E1 Northgate Logistics
    name = 'Northgate Logistics'
    about = ('Northgate Logistics operates 14 distribution centers across the Midwest and South '
             'and has been moving freight since 1987.')
    mail = reg_email('careers@northgatelogistics.example')
    chi = new_us('312')
    plan = [('Chicago', 'warehouse', [('email', mail), ('phone', chi)]),
            ('Chicago', 'driving', [('mailto_inline', mail)]),
            ('Atlanta', 'warehouse', [('email', mail), ('phone', new_us('404'))]),
            ('Houston', 'warehouse', [('email', mail, 'at_dot')]),
            ('Phoenix', 'driving', [('mailto', mail), ('tel', new_us('602'))]),
            ('Chicago', 'warehouse', [('phone', chi, 'dot'), ('email', mail)])]
    ads = []
    for city, fam, items in plan:
        a = gen_job(city, fam, emp=name, about=about, items=items, slug='northgatelogistics')
        ads.append(a)
    EMPLOYER_GROUPS['E1'] = {'employer': name, 'ads': ads,
                             'shared': ['email careers@northgatelogistics.example', 'phone ' + chi.e164 + ' (2 ads)',
                                        'about-us sentence']}
    # E2 Bayview Medical Group
    name = 'Bayview Medical Group'
    about = 'Bayview Medical Group is a multi-specialty practice serving San Francisco families for over 30 years.'
    ph = new_us('415')
    mail = reg_email('hr@bayviewmedical.example')
    plan = [[('phone', ph, 'paren')], [('phone', ph, 'dash'), ('email', mail)], [('tel', ph), ('mailto', mail)],
            [('phone', ph, 'intl_paren')]]
    ads = [gen_job('San Francisco', R.choice(['healthcare', 'healthcare', 'office']), emp=name, about=about,
                   items=it, slug='bayviewmedical') for it in plan]
    EMPLOYER_GROUPS['E2'] = {'employer': name, 'ads': ads, 'shared': ['phone ' + ph.e164, 'email ' + mail]}
    # E3 Harrow & Pike
    name = 'Harrow & Pike Chartered Accountants'
    about = 'Harrow & Pike is an independent firm of chartered accountants with offices in London and Manchester.'
    mail = reg_email('recruitment@harrowpike.example')
    lon = new_uk_geo('London')
    man = new_uk_geo('Manchester')
    plan = [('London', [('email', mail), ('phone', lon, 'nat')]), ('London', [('email', mail)]),
            ('Manchester', [('email', mail), ('phone', man, 'intl0')]), ('Manchester', [('mailto_inline', mail)])]
    ads = [gen_job(city, R.choice(['accounting', 'accounting', 'office']), emp=name, about=about, items=it,
                   slug='harrowpike') for city, it in plan]
    EMPLOYER_GROUPS['E3'] = {'employer': name, 'ads': ads, 'shared': ['email ' + mail]}
    # E4 Maison Lefèvre (Lyon)
    name = 'Maison Lefèvre'
    about = 'Maison Lefèvre, boulangerie-pâtisserie artisanale depuis 1962, compte quatre boutiques à Lyon.'
    ph = take_phone('FR', '0465710412')
    mail = reg_email('recrutement@maison-lefevre.example')
    titles = ['Boulanger (H/F)', 'Vendeur / Vendeuse en boulangerie', 'Pâtissier (H/F)']
    plan = [[('phone', ph, 'space'), ('email', mail)], [('email', mail)], [('phone', ph, 'dot')]]
    ads = []
    for t, it in zip(titles, plan):
        a = gen_job('Lyon', 'retail', emp=name, about=about, items=it, slug='maison-lefevre', title=t)
        ads.append(a)
    EMPLOYER_GROUPS['E4'] = {'employer': name, 'ads': ads, 'shared': ['phone ' + ph.e164, 'email ' + mail]}
    # E5 Riverside Hotels
    name = 'Riverside Hotels'
    about = 'Riverside Hotels is a family of independent boutique hotels in the US and the UK.'
    mail = reg_email('jobs@riversidehotels.example')
    plan = [('New York', [('mailto_inline', mail)]), ('Boston', [('email', mail)]), ('London', [('mailto', mail)]),
            ('Edinburgh', [('email', mail)]), ('Miami', [('email', mail, 'brackets')])]
    ads = [gen_job(city, 'hospitality', emp=name, about=about, items=it, slug='riversidehotels')
           for city, it in plan]
    EMPLOYER_GROUPS['E5'] = {'employer': name, 'ads': ads, 'shared': ['email ' + mail, 'about-us sentence']}
    # E6 Cedar Home Care
    name = 'Cedar Home Care'
    about = ('Cedar Home Care is a CQC-registered domiciliary care provider supporting people across '
             'Birmingham and Solihull.')
    ph = new_uk_geo('Birmingham')
    plan = [[('phone', ph, 'nat')], [('phone', ph, 'intl')], [('phone', ph, 'compact'), ('tel', ph)]]
    ads = [gen_job('Birmingham', 'healthcare', emp=name, about=about, items=it, slug='cedarhomecare')
           for it in plan]
    EMPLOYER_GROUPS['E6'] = {'employer': name, 'ads': ads, 'shared': ['phone ' + ph.e164]}
    for gid, g in EMPLOYER_GROUPS.items():
        for a in g['ads']:
            a.employer = g['employer']
            a.employer_group = gid
            a.tags.add('same_employer')


RELAY = 'apply@jobrelay.example'


def relay_ads(n=8):
    reg_email(RELAY)
    cities = ['New York', 'Chicago', 'Denver', 'London', 'Leeds', 'Austin', 'Bristol', 'Seattle']
    out = []
    for city in cities[:n]:
        ref = 'JR-%05d' % R.randint(10000, 99999)
        c = country_of(city)
        s = R.choice(['Apply through JobRelay: send your {cv} to {e} quoting reference {r}.',
                      'Applications are handled by JobRelay. Email {e} (ref. {r}).'])
        ad = gen_job(city, emp=None, items=[], no_contact_sentence=Raw(''))
        ad.paras[-1:] = ad.paras[-1:] if ad.paras[-1] else []
        # replace empty apply sentence
        ad.paras = [p for p in ad.paras if p != '']
        e = c_email(ad, RELAY) if R.random() < 0.6 else c_mailto_inline(ad, RELAY)
        ad.paras.append(P(s, cv='CV' if c == 'UK' else 'resume', e=e, r=ref))
        ad.tags.add('relay_email')
        out.append(ad)
    return out
