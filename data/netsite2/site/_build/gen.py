# -*- coding: utf-8 -*-
"""Generator for the Corkline Classifieds test site (netsite2).

Run:  python3 _build/gen.py      (from /work/blind-out/netsite2)
Deterministic (fixed seed).  Writes the site, ground_truth.json and README.md counts file.
"""
import datetime as dt
import json
import os
import random
import re
import unicodedata
from collections import Counter, defaultdict

import content as C
from contacts import (Alloc, E, A, render_phone, render_email, render_handle, std_format,
                      LINK_ONLY, DISGUISED, SITE_PHONE)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
R = random.Random(20250701)
AL = Alloc(R)
REF = dt.datetime(2025, 7, 1, 12, 0, 0)
REF_D = REF.date()
SITE = 'Corkline Classifieds'

# =====================================================================  helpers


def pick(seq):
    return R.choice(seq)


def sample(seq, k):
    k = max(0, min(k, len(seq)))
    return R.sample(seq, k)


def slugify(s):
    s = unicodedata.normalize('NFKD', s).encode('ascii', 'ignore').decode()
    s = re.sub(r'[^a-zA-Z0-9]+', '-', s).strip('-').lower()
    return s[:60].strip('-')


def city_tuple(country, city=None):
    opts = C.CITIES[country]
    if city:
        opts = [c for c in opts if c[0] == city] or opts
    return pick(opts)


def lang_of(country, city):
    if country == 'FR' or (country == 'CA' and city == 'Montreal'):
        return 'fr'
    return 'en'


def area_code(ct):
    return pick(ct[3]) if len(ct) > 3 else None


def new_phone(country, ct=None, kind=None, area=None):
    if country in ('US', 'CA') and area is None:
        area = area_code(ct or city_tuple(country))
    return AL.phone(country, kind=kind, area=area)


# =====================================================================  dates
MON_S = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
MON_L = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
         'October', 'November', 'December']
MON_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre',
          'octobre', 'novembre', 'décembre']
WD = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']


def pick_date(max_days=44):
    d = int(R.triangular(0, max_days, 2))
    return REF_D - dt.timedelta(days=d)


def date_text(d, lang, country):
    days = (REF_D - d).days
    if lang == 'fr':
        styles = ['fr_rel', 'fr_rel', 'fr_long', 'fr_publie', 'dots', 'iso']
    else:
        styles = ['posted_dmy', 'posted_dmy', 'iso', 'dots', 'rel', 'rel', 'rel', 'long_us', 'slash', 'weekday']
    st = pick(styles)
    if st in ('rel', 'fr_rel') and days > 30:
        st = 'iso' if lang == 'en' else 'fr_long'
    if st == 'posted_dmy':
        t = 'Posted %d %s %d' % (d.day, MON_S[d.month - 1], d.year)
    elif st == 'iso':
        t = d.isoformat()
    elif st == 'dots':
        t = d.strftime('%d.%m.%Y')
    elif st == 'long_us':
        t = '%s %d, %d' % (MON_L[d.month - 1], d.day, d.year)
    elif st == 'slash':
        t = d.strftime('%m/%d/%Y') if country == 'US' else (d.isoformat() if country == 'CA' else d.strftime('%d/%m/%Y'))
    elif st == 'weekday':
        t = '%s %d %s' % (WD[d.weekday()], d.day, MON_L[d.month - 1])
    elif st == 'fr_long':
        t = '%d %s %d' % (d.day, MON_FR[d.month - 1], d.year)
        if d.day == 1:
            t = '1er %s %d' % (MON_FR[d.month - 1], d.year)
    elif st == 'fr_publie':
        t = 'Publiée le ' + d.strftime('%d/%m/%Y')
    elif st == 'rel':
        if days == 0:
            t = pick(['%d hours ago' % R.randint(2, 9), 'today', 'Today'])
        elif days == 1:
            t = pick(['yesterday', 'Yesterday', '1 day ago'])
        elif days in (7, 14, 21):
            t = {7: '1 week ago', 14: '2 weeks ago', 21: '3 weeks ago'}[days]
        else:
            t = '%d days ago' % days
    elif st == 'fr_rel':
        if days == 0:
            t = pick(["aujourd'hui", 'il y a %d heures' % R.randint(2, 9)])
        elif days == 1:
            t = 'hier'
        elif days in (7, 14):
            t = {7: 'il y a 1 semaine', 14: 'il y a 2 semaines'}[days]
        else:
            t = 'il y a %d jours' % days
    return t, st


# =====================================================================  money
LEVELS = {
    'hourly_low': {'UK': (11.44, 13.5, 'hour'), 'US': (15, 20, 'hour'), 'CA': (16.55, 20, 'hour'),
                   'AU': (24.5, 29, 'hour'), 'FR': (11.88, 13, 'hour')},
    'hourly_mid': {'UK': (12.5, 18, 'hour'), 'US': (19, 30, 'hour'), 'CA': (20, 32, 'hour'),
                   'AU': (28, 40, 'hour'), 'FR': (12.5, 16, 'hour')},
    'salary_mid': {'UK': (24000, 38000, 'year'), 'US': (42000, 68000, 'year'), 'CA': (45000, 68000, 'year'),
                   'AU': (60000, 85000, 'year'), 'FR': (24000, 36000, 'year')},
    'salary_high': {'UK': (40000, 75000, 'year'), 'US': (75000, 140000, 'year'), 'CA': (70000, 115000, 'year'),
                    'AU': (90000, 150000, 'year'), 'FR': (38000, 60000, 'year')},
    'day_rate': {'UK': (140, 230, 'day'), 'US': (28, 45, 'hour'), 'CA': (30, 45, 'hour'),
                 'AU': (300, 450, 'day'), 'FR': (13, 17, 'hour')},
}
PER_EN = {'hour': ['per hour', '/hr', 'an hour', 'p/h', '/hour'], 'year': ['per annum', 'a year', '/yr', 'p.a.', 'per year'],
          'day': ['per day', '/day', 'a day'], 'week': ['per week', '/week', 'a week'], 'month': ['per month', '/month']}
PER_FR = {'hour': ['brut/h', 'brut de l’heure', 'de l’heure'], 'year': ['brut annuel', 'par an', 'brut/an'],
          'day': ['par jour'], 'week': ['par semaine'], 'month': ['brut/mois', 'brut mensuel']}


def fmt_num(v, lang):
    integer = abs(v - round(v)) < 1e-9
    s = '{:,}'.format(int(round(v))) if integer else '{:,.2f}'.format(v)
    if lang == 'fr':
        s = s.replace(',', '\u202f').replace('.', ',')
    return s


def money(v, country, lang, k=False):
    if k and v >= 10000 and lang == 'en':
        num = ('%g' % (v / 1000)) + 'k'
    else:
        num = fmt_num(v, lang)
    if lang == 'fr':
        return num + (' €' if country == 'FR' else ' $')
    if country == 'UK':
        return '£' + num
    if country == 'US':
        return '$' + num
    if country == 'CA':
        return pick(['$', '$', 'C$', 'CAD ']) + num if not k else '$' + num
    if country == 'AU':
        return pick(['$', '$', 'A$', 'AUD ']) + num if not k else '$' + num
    if country == 'FR':
        return '€' + num
    raise ValueError(country)


def rnd_amount(lo, hi, per):
    v = R.uniform(lo, hi)
    if per == 'year':
        return float(int(round(v / 500.0)) * 500)
    if per in ('day', 'month', 'week'):
        return float(int(round(v / 5.0)) * 5)
    if R.random() < .15:
        return lo
    return round(v * 4) / 4.0


def make_pay(country, lang, level):
    """Return (field_text, truth_or_None)."""
    cur = C.CURRENCY[country]
    if R.random() < .1:
        t = pick(['Selon profil', 'À négocier', 'Selon expérience']) if lang == 'fr' else \
            pick(['Competitive', 'DOE', 'Negotiable', 'Excellent rates'])
        return t, None
    lo, hi, per = LEVELS[level][country]
    if country == 'FR' and per == 'hour' and R.random() < .45:
        per = 'month'
        lo, hi = lo * 151.67, hi * 151.67
    a = rnd_amount(lo, hi, per)
    kind = pick(['single', 'range', 'range', 'upto', 'from'])
    ktxt = per == 'year' and R.random() < .35
    perw = pick(PER_FR[per]) if lang == 'fr' else pick(PER_EN[per])
    if kind == 'range':
        step = {'year': pick([2000, 3000, 5000, 8000]), 'hour': pick([0.5, 1, 1.5, 2, 3]),
                'day': pick([20, 30, 50]), 'month': pick([100, 150, 200])}[per]
        b = a + step
        sep = pick([' – ', ' - ', '–', ' to ']) if lang == 'en' else pick([' – ', ' à ', ' - '])
        t = money(a, country, lang, ktxt) + sep + money(b, country, lang, ktxt) + ' ' + perw
        truth = dict(min=a, max=b, currency=cur, per=per)
    elif kind == 'upto':
        t = ('Jusqu’à ' if lang == 'fr' else 'Up to ') + money(a, country, lang, ktxt) + ' ' + perw
        truth = dict(min=None, max=a, currency=cur, per=per)
    elif kind == 'from':
        t = ('À partir de ' if lang == 'fr' else 'From ') + money(a, country, lang, ktxt) + ' ' + perw
        truth = dict(min=a, max=None, currency=cur, per=per)
    else:
        t = money(a, country, lang, ktxt) + ' ' + perw
        truth = dict(min=a, max=a, currency=cur, per=per)
    if country == 'AU' and lang == 'en' and R.random() < .5:
        t += ' + super'
    elif lang == 'en' and R.random() < .15:
        t += pick([' + tips', ' + overtime', ' (paid weekly)', ' DOE'])
    return t, truth


MASSAGE_P60 = {'UK': (45, 85), 'US': (70, 140), 'CA': (70, 130), 'AU': (70, 130), 'FR': (50, 95)}
COMP_HOUR = {'UK': (80, 180), 'US': (100, 220), 'CA': (100, 200), 'AU': (100, 220), 'FR': (90, 180)}


def r5(v):
    return float(int(round(v / 5.0)) * 5)


def make_rate(country, lang, cat):
    """Return (field_text or None, truth or None, menu_sentence or None)."""
    cur = C.CURRENCY[country]
    if cat == 'dating':
        return None, None, None
    if cat == 'massage':
        p60 = r5(R.uniform(*MASSAGE_P60[country]))
        p30, p90 = r5(p60 * .62), r5(p60 * 1.4)
        if lang == 'fr':
            menu = '30 min : %s · 60 min : %s · 90 min : %s' % (money(p30, country, lang), money(p60, country, lang),
                                                              money(p90, country, lang))
        else:
            menu = '30 min %s · 60 min %s · 90 min %s' % (money(p30, country, lang), money(p60, country, lang),
                                                        money(p90, country, lang))
        st = pick(['hour', 'hour', 'from30', 'range', 'session'])
        if st == 'hour':
            t = money(p60, country, lang) + (' de l’heure' if lang == 'fr' else pick([' per hour', ' / hour', ' /hr', ' for 60 min']))
            return t, dict(min=p60, max=p60, currency=cur, per='hour'), menu
        if st == 'from30':
            t = ('À partir de %s les 30 minutes' if lang == 'fr' else 'From %s (30 min)') % money(p30, country, lang)
            return t, dict(min=p30, max=None, currency=cur, per='30 minutes'), menu
        if st == 'range':
            hi = r5(p60 * 1.2)
            t = money(p60, country, lang) + '–' + money(hi, country, lang) + (' / heure' if lang == 'fr' else ' per hour')
            return t, dict(min=p60, max=hi, currency=cur, per='hour'), None
        t = money(p90, country, lang) + (' la séance (90 min)' if lang == 'fr' else ' per session (90 min)')
        return t, dict(min=p90, max=p90, currency=cur, per='session'), None
    # companion
    ph = r5(R.uniform(*COMP_HOUR[country]))
    st = pick(['hour', 'hour', 'evening', 'from'])
    if st == 'hour':
        t = money(ph, country, lang) + (' / heure' if lang == 'fr' else pick([' per hour', '/hr', ' an hour']))
        return t, dict(min=ph, max=ph, currency=cur, per='hour'), None
    if st == 'from':
        t = ('À partir de %s de l’heure' if lang == 'fr' else 'From %s per hour') % money(ph, country, lang)
        return t, dict(min=ph, max=None, currency=cur, per='hour'), None
    ev = r5(ph * R.choice([3, 3.5, 4]))
    t = money(ev, country, lang) + (' la soirée' if lang == 'fr' else ' per evening (up to 4 hours)')
    return t, dict(min=ev, max=ev, currency=cur, per='evening'), None


# =====================================================================  non-phone numbers


def np_add(ad, kind, text):
    ad['nonphone'].append(dict(kind=kind, text=text))
    return text


def rdig(n):
    return ''.join(str(R.randrange(10)) for _ in range(n))


def job_ref(ad):
    st = pick(['a', 'b', 'c', 'd', 'e', 'f'])
    if st == 'a':
        t = '%s-2025-%04d' % (pick(['WH', 'CR', 'HR', 'OPS', 'CS', 'KT', 'LOG']), R.randrange(10000))
    elif st == 'b':
        t = rdig(7)
    elif st == 'c':
        t = '2025%02d%02d%02d' % (ad['date'].month, ad['date'].day, R.randrange(100))  # 10 digits
    elif st == 'd':
        t = 'REQ%06d' % R.randrange(10 ** 6)
    elif st == 'e':
        t = '%s/%d/%03d' % (pick(['JB', 'V', 'REF']), R.randrange(10, 99), R.randrange(1000))
    else:
        t = 'CDI-%s-%02d%02d' % (slugify(ad['city'])[:3].upper(), ad['date'].month, R.randrange(100)) \
            if ad['lang'] == 'fr' else '%d-%d' % (R.randrange(1000, 9999), R.randrange(100, 999))
    return np_add(ad, 'job_reference', t)


def company_footer(ad, emp):
    c = ad['country']
    if c == 'UK':
        no = '%08d' % R.randrange(10 ** 6, 15 * 10 ** 6)
        np_add(ad, 'company_registration', no)
        s = '%s is registered in England and Wales, company no. %s.' % (emp, no)
        if R.random() < .6:
            vat = 'GB %s %s %s' % (rdig(3), rdig(4), rdig(2))
            np_add(ad, 'vat_number', vat)
            s += ' VAT reg. %s.' % vat
        return s
    if c == 'FR':
        siren = '%s %s %s' % (rdig(3), rdig(3), rdig(3))
        siret = siren + ' ' + rdig(5)
        np_add(ad, 'siret', siret)
        s = '%s – SIRET %s' % (emp, siret)
        if R.random() < .5:
            tva = 'FR %s %s' % (rdig(2), siren.replace(' ', ''))
            np_add(ad, 'vat_number', tva)
            s += ' – TVA intracommunautaire %s' % tva
        return s + '.'
    if c == 'AU':
        abn = '%s %s %s %s' % (rdig(2), rdig(3), rdig(3), rdig(3))
        np_add(ad, 'abn', abn)
        return '%s · ABN %s' % (emp, abn)
    if c == 'CA':
        bn = '%s RT0001' % rdig(9)
        np_add(ad, 'business_number', bn)
        return '%s · Business Number %s' % (emp, bn)
    # US
    lic = rdig(7)
    np_add(ad, 'everify_company_id', lic)
    return '%s is an Equal Opportunity Employer and participates in E-Verify (Company ID %s).' % (emp, lic)


def street_address(ad):
    c, city, pc = ad['country'], ad['city'], ad['postcode']
    if c == 'UK':
        t = 'Unit %d, %s, %s %s' % (R.randint(1, 40), pick(['Meadow Lane Industrial Estate', 'Canal Wharf', 'Station Road',
                                                             'Victoria Business Park', 'High Street']), city, pc)
    elif c == 'US':
        t = '%d %s, %s, %s' % (R.randint(100, 9800), pick(['Commerce St', 'Industrial Blvd', 'Main St', 'Market Ave',
                                                           'Elm St', 'Harbor Dr']), city, pc)
    elif c == 'CA':
        t = '%d %s, %s %s' % (R.randint(10, 2200), pick(['King St W', 'Rue Saint-Denis', 'Main St', 'Bank St', '17 Ave SW']),
                              city, pc)
    elif c == 'AU':
        t = 'Unit %d/%d %s, %s %s' % (R.randint(1, 12), R.randint(2, 300), pick(['Smith St', 'George St', 'Brunswick St',
                                                                                 'Hay St']), ad['area'], pc)
    else:
        t = '%d %s, %s %s' % (R.randint(1, 120), pick(['rue des Lilas', 'avenue Jean-Jaurès', 'boulevard Voltaire',
                                                       'rue de la République', 'quai des Chartrons']), pc, city)
    np_add(ad, 'address', t)
    return t


def hours_text(ad):
    if ad['lang'] == 'fr':
        t = pick(['35 h par semaine', 'Du lundi au vendredi, 7h30-15h', '24 h hebdomadaires', 'Horaires : 6h-13h / 13h-20h'])
    else:
        t = pick(['37.5 hours per week', 'Shifts 06:00–14:00 and 14:00–22:00', 'Mon–Fri 8:30am–5pm',
                  '40 hours a week', '4 x 12-hour shifts', '20–25 hours per week', '7am–3:30pm'])
    np_add(ad, 'hours', t)
    return t


def date_note(ad):
    d = ad['date'] + dt.timedelta(days=R.randint(10, 45))
    if ad['lang'] == 'fr':
        t = pick(['Prise de poste le %s.' % d.strftime('%d/%m/%Y'), 'Démarrage : %d %s.' % (d.day, MON_FR[d.month - 1])])
    elif ad['country'] == 'US':
        t = pick(['Start date: %s.' % d.strftime('%m/%d/%Y'), 'Applications close %s %d.' % (MON_L[d.month - 1], d.day)])
    else:
        t = pick(['Start date: %s.' % d.strftime('%d/%m/%Y'), 'Closing date: %d %s %d.' % (d.day, MON_L[d.month - 1], d.year)])
    np_add(ad, 'date', t)
    return t


# =====================================================================  ad skeleton & contacts
ADS = []


def new_ad(section, country, city=None, lang=None, date=None):
    ct = city_tuple(country, city)
    lang = lang or lang_of(country, ct[0])
    d = date or pick_date()
    ad = dict(section=section, country=country, city=ct[0], area=ct[1], postcode=ct[2], ct=ct, lang=lang,
              date=d, title='', employer_field=None, employer_text=None, contract=None, jobref=None,
              price_text=None, price=None, body=[], contact=[], phones=[], emails=[], handles=[], forms=[],
              nonphone=[], network=None, advertiser=None, advertiser_type=None, tags=[], category=None,
              langs=None, template=None, boiler=False)
    ad['date_text'], ad['date_style'] = date_text(d, lang, country)
    return ad


def rec_phone(ad, p, style):
    if p['e164'] not in ad['phones']:
        ad['phones'].append(p['e164'])
    ad['forms'].append(dict(type='phone', style=style, value=p['e164']))


def rec_email(ad, addr, style):
    if addr not in ad['emails']:
        ad['emails'].append(addr)
    ad['forms'].append(dict(type='email', style=style, value=addr))


def rec_handle(ad, platform, h, style):
    if dict(platform=platform, handle=h) not in ad['handles']:
        ad['handles'].append(dict(platform=platform, handle=h))
    ad['forms'].append(dict(type='handle', platform=platform, style=style, value=h))


def phone_frag(ad, p, style):
    rec_phone(ad, p, style)
    return render_phone(p, style, ad['lang'], R)


def email_frag(ad, addr, style):
    rec_email(ad, addr, style)
    return render_email(addr, style, ad['lang'], R)


def handle_frag(ad, platform, h, style):
    rec_handle(ad, platform, h, style)
    return render_handle(platform, h, style, ad['lang'], R)


PH_LINES = {
    ('jobs', 'en'): ['Call {who} on {x}.', 'Tel: {x}', 'For more information ring {x}.',
                     'Phone {x} (Mon–Fri, 9am–5pm).', 'Questions? Call {x}.', 'Contact {who}: {x}'],
    ('jobs', 'fr'): ['Contactez {who} au {x}.', 'Tél. : {x}', 'Renseignements au {x}.', 'Appelez le {x}.'],
    ('services', 'en'): ['Call or text {x}', '📱 {x}', 'Bookings: {x}', 'Text me on {x}', 'Phone: {x}', 'Call {x}'],
    ('services', 'fr'): ['Appel ou SMS au {x}', 'Tél : {x}', 'Rendez-vous au {x}', 'Joignable au {x}'],
}
EM_LINES = {
    ('jobs', 'en'): ['Send your CV to {x}.', 'Email your CV and a short covering note to {x}.', 'Applications: {x}',
                     'Email: {x}'],
    ('jobs', 'fr'): ['Envoyez votre CV à {x}.', 'Candidatures : {x}', 'CV + lettre de motivation à {x}.'],
    ('services', 'en'): ['Email: {x}', 'Or write to me at {x}', 'E-mail {x}', 'Contact: {x}'],
    ('services', 'fr'): ['E-mail : {x}', 'Écrivez-moi : {x}', 'Mail : {x}'],
}
WHO_EN = ['Karen', 'Dave', 'the duty manager', 'our recruitment team', 'Sam in HR', 'Mike', 'Joanne', 'Priya', 'the office']
WHO_FR = ['Sandrine', 'M. Petit', 'notre service RH', 'Nathalie', 'le responsable', 'Mme Garnier']


def phone_line(ad, p, style, who=None):
    x = phone_frag(ad, p, style)
    if style in LINK_ONLY:
        if ad['lang'] == 'fr':
            lead = pick(['', '', 'Intéressé(e) ? '])
        elif ad['section'] == 'jobs':
            lead = pick(['', '', 'Interested? ', 'Apply today: '])
        else:
            lead = pick(['', '', 'Bookings: ', 'To book: '])
        return lead + x
    if style == 'wa_text':
        return x + (pick(['', ' (messages only)', ' – text only']) if ad['lang'] == 'en' else pick(['', ' (messages uniquement)']))
    who = who or (pick(WHO_FR) if ad['lang'] == 'fr' else pick(WHO_EN))
    line = pick(PH_LINES[(ad['section'], ad['lang'])]).format(x=x, who=E(who))
    if style in ('words', 'words_oh', 'words_fr', 'letters', 'spaced') and R.random() < .4:
        line += ' (en toutes lettres, anti-robots)' if ad['lang'] == 'fr' else pick([' (written out because of spam bots)',
                                                                                      ' – no bots please', ''])
    return line


def email_line(ad, addr, style):
    x = email_frag(ad, addr, style)
    if style == 'mailto_label':
        return x
    return pick(EM_LINES[(ad['section'], ad['lang'])]).format(x=x)


def handle_line(ad, platform, h, style):
    x = handle_frag(ad, platform, h, style)
    if style == 'link':
        return x
    if ad['lang'] == 'fr':
        return pick(['{x}', 'Aussi sur {x}', 'Réponse rapide : {x}']).format(x=x)
    return pick(['{x}', 'Also on {x}', 'Fastest reply: {x}', 'Find me: {x}']).format(x=x)


def form_line(ad):
    return '<a class="btn reply" href="../../reply.html">%s</a>' % (
        'Répondre via Corkline' if ad['lang'] == 'fr' else pick(['Reply to this ad', 'Apply via Corkline', 'Send a message']))


def web_line(ad, emp):
    dom = slugify(emp).replace('-', '') + pick(['.example', '.test'])
    url = 'https://%s/%s' % (dom, pick(['careers', 'jobs', 'recrutement' if ad['lang'] == 'fr' else 'work-with-us']))
    t = 'Postulez en ligne : {x}' if ad['lang'] == 'fr' else pick(['Apply online at {x}', 'Full details and online application: {x}'])
    return t.format(x='<a href="%s">%s</a>' % (A(url), E(url.replace('https://', ''))))


STD_PHONE_STYLES = ['nat', 'nat', 'nat', 'nat_alt', 'nat_dash', 'intl', 'intl', 'intl_paren', 'nat_compact', 'tel_visible',
                    'nat_paren', 'nat_dots']
SERV_PHONE_STYLES = STD_PHONE_STYLES + ['tel_only', 'sms_only', 'wa_link', 'wa_text', 'words', 'letters', 'spaced',
                                        'split_lines', 'mixed', 'stars', 'intl_00', 'intl_compact', 'split_text']


def serv_style(lang, country):
    st = pick(SERV_PHONE_STYLES)
    if st == 'words' and (lang == 'fr'):
        st = 'words_fr'
    if st == 'words' and country == 'UK' and R.random() < .5:
        st = 'words_oh'
    return st


# =====================================================================  employer names
USED_EMP = set()


def employer_name(country, ind, lang):
    for _ in range(500):
        if lang == 'fr':
            frind = {'logistics': 'logistique', 'care': 'sante', 'hospitality': 'restauration', 'office': 'compta',
                     'retail': 'commerce', 'tech': 'informatique', 'cleaning': 'proprete'}.get(ind, ind)
            pat = pick(C.FR_EMP.get(frind, C.FR_EMP['commerce']))
            n = pat.format(x=pick(C.FR_EMP_X))
            suf = pick(C.CORP_SUFFIX['FR']) if country == 'FR' else pick(['Inc.', ''])
        else:
            pre, suf_l = C.EMP_PARTS[ind]
            n = pick(pre) + ' ' + pick(suf_l)
            suf = pick(C.CORP_SUFFIX[country])
        full = (n + ' ' + suf).strip()
        if full not in USED_EMP and n not in USED_EMP:
            USED_EMP.add(full)
            USED_EMP.add(n)
            return full
    raise RuntimeError('names')


def email_local_for_emp():
    return pick(['careers', 'jobs', 'recruitment', 'hr', 'hello', 'apply', 'office', 'hiring', 'people'])


def emp_domain(emp):
    base = slugify(re.sub(r'\b(Ltd|Inc|LLC|Pty|SARL|SAS)\b\.?', '', emp)).replace('-', '')
    return base[:24] + pick(['.example', '.example', '.test'])


# =====================================================================  job generator


def jt_title(jt, country):
    t = jt['titles']
    if isinstance(t, dict):
        t = t.get(country) or t['UK']
    return pick(t)


KEEP_CASE = {'Python', 'React', 'PHP', 'Symfony', 'HGV', 'CDL-A', 'CDL-B', 'RN', 'KP', 'MOT', 'SEN', 'AZ', 'DZ', 'HR', 'MC',
             'C+E', 'I', 'Swedish', 'Thai', 'Indian', 'Hawaiian', 'Microsoft', 'Office', 'Excel', 'Git', 'SQL', 'CI/CD',
             'CRM', 'VAT', 'UK', 'US', 'Level', 'II', 'CSCS', 'PPE', 'English'}


def lower_first(s):
    out = []
    for w in s.split(' '):
        core = w.strip('()–-,.;:')
        if core in KEEP_CASE or sum(ch.isupper() for ch in core) > 1 or (out and core[:1].isupper() and core in ('Dallas',)):
            out.append(w)
        else:
            out.append(w[:1].lower() + w[1:])
    return ' '.join(out)


def build_job(ad, jkey, emp_display=None, emp_in_text=None, emp_mode=None, anon=False, about=None,
              boiler=True, pay=True, footer_emp=None, fill=None, title=None, intro_override=None):
    """Fill ad with a generic job ad body.  emp_display: name for the employer field (or None).
    emp_in_text: name mentioned in the text (or None)."""
    fr = ad['lang'] == 'fr'
    jt = (C.JOBS_FR if fr else C.JOBS_EN)[jkey]
    ad['jobtype'] = jkey
    title = title or jt_title(jt, ad['country'])
    ad['title'] = title
    if R.random() < .35:
        ad['title'] = title + pick([' – ', ' | ', ' - ']) + ad['city']
    ad['employer_field'] = emp_display
    ad['employer_text'] = emp_in_text
    ad['contract'] = pick(jt['contract'])
    if R.random() < .5:
        ad['jobref'] = job_ref(ad)
    tl = lower_first(title) if not fr else title
    ind = jt['ind']
    if emp_in_text and not anon:
        intro = pick(C.INTRO_FR if fr else C.INTRO_EN).format(emp=E(emp_in_text), tl=E(tl), city=E(ad['city']),
                                                              area=E(ad['area']), cp=E(ad['postcode']))
    else:
        if fr:
            intro = pick(C.INTRO_ANON_FR).format(tl=E(tl), city=E(ad['city']), area=E(ad['area']))
        else:
            intro = pick(C.INTRO_ANON_EN).format(tl=E(tl), city=E(ad['city']), area=E(ad['area']),
                                                 inddesc=C.IND_DESC.get(ind, 'company'))
    if intro_override:
        intro = intro_override
    if not fr:
        intro = re.sub(r'\b([Aa]) (?=[aeiouAEIOU]|HGV|MOT|RN\b)', r'\1n ', intro)
    if about:
        intro += ' ' + about
    duties = [d.format(city=ad['city']) for d in sample(jt['duties'], R.randint(3, min(5, len(jt['duties']))))]
    reqs = [d.format(city=ad['city']) for d in sample(jt['reqs'], R.randint(2, min(4, len(jt['reqs']))))]
    if pay:
        ad['price_text'], ad['price'] = make_pay(ad['country'], ad['lang'], jt['level'])
    offer = []
    if ad['price_text'] and R.random() < .6:
        offer.append(('Rémunération : %s.' if fr else 'Pay: %s.') % E(ad['price_text']))
    if boiler:
        pool = C.BOILER_FR if fr else C.BOILER_EN + C.BOILER_COUNTRY.get(ad['country'], [])
        bl = sample(pool, R.randint(1, 4))
        offer += [E(b) for b in bl]
        ad['boiler'] = True
        ad['boiler_sentences'] = bl
    if R.random() < .4:
        offer.append(E(hours_text(ad)) + '.')
    if R.random() < .3:
        offer.append(E(date_note(ad)))
    if fill:
        offer += fill
    structured = R.random() < .65
    body = []
    if structured:
        body.append('<p>%s</p>' % intro)
        body.append('<h3>%s</h3>' % ('Vos missions' if fr else pick(["What you'll do", 'The role', 'Duties include'])))
        body.append('<ul>' + ''.join('<li>%s</li>' % E(d) for d in duties) + '</ul>')
        body.append('<h3>%s</h3>' % ('Votre profil' if fr else pick(["What we're looking for", 'About you', 'Requirements'])))
        body.append('<ul>' + ''.join('<li>%s</li>' % E(d) for d in reqs) + '</ul>')
        if offer:
            body.append('<h3>%s</h3>' % ('Nous offrons' if fr else pick(['What we offer', 'Benefits', 'Why join us?'])))
            body.append('<p>%s</p>' % ' '.join(offer))
    else:
        if fr:
            s = 'Missions : %s. Profil : %s.' % ('; '.join(lower_first(d) for d in duties), '; '.join(lower_first(r) for r in reqs))
        else:
            s = 'The role involves %s. You will need: %s.' % (', '.join(lower_first(d) for d in duties[:-1]) +
                                                               ' and ' + lower_first(duties[-1]),
                                                               '; '.join(lower_first(r) for r in reqs))
        body.append('<p>%s %s</p>' % (intro, E(s)))
        if offer:
            body.append('<p>%s</p>' % ' '.join(offer))
    if R.random() < .3:
        addr = street_address(ad)
        body.append('<p>%s %s</p>' % ('Lieu de travail :' if fr else pick(['Location:', 'Site address:', 'Based at']), E(addr)))
    if footer_emp and R.random() < .45:
        body.append('<p class="small">%s</p>' % E(company_footer(ad, footer_emp)))
    ad['body'] = body
    return ad


def std_job_contacts(ad, emp, phone=None, email=None, allow_web=True):
    """Legit job contact block: realistic mix of email / phone / web / site form."""
    lines = []
    r = R.random()
    if email and (r < .75 or not phone):
        lines.append(email_line(ad, email, pick(['plain', 'plain', 'mailto_visible', 'mailto_label'])))
    if phone and (r > .4 or not email):
        lines.append(phone_line(ad, phone, pick(STD_PHONE_STYLES)))
    if allow_web and emp and R.random() < .2:
        lines.append(web_line(ad, emp))
    if not lines or R.random() < .25:
        lines.append(form_line(ad))
    if ad.get('jobref') and R.random() < .5:
        lines.append(('Merci de rappeler la référence %s.' if ad['lang'] == 'fr' else 'Please quote reference %s.') % E(ad['jobref']))
    ad['contact'] += lines
    return ad


# =====================================================================  services generator
def service_name(lang, cat):
    if lang == 'fr':
        return pick(C.F_FR + C.F_INTL)
    return pick(C.F_EN + C.F_INTL + (C.M_EN if cat == 'massage' and R.random() < .15 else []))


def build_service(ad, cat, name=None, rate=True, extra_policy=True):
    fr = ad['lang'] == 'fr'
    ad['category'] = cat
    name = name or service_name(ad['lang'], cat)
    ad['persona'] = name
    city, area = ad['city'], ad['area']
    body = []
    if cat == 'massage':
        types = sample(C.MASSAGE_TYPES_FR if fr else C.MASSAGE_TYPES_EN, R.randint(2, 4))
        if fr:
            ad['title'] = pick(['Massage relaxant à {city} – {name}', 'Massage bien-être à domicile – {city}',
                                'Praticienne en massage – {area}', '{t} – cabinet {area}', '{name}, masseuse diplômée ({city})']
                               ).format(city=city, name=name, area=area, t=types[0][0])
            intro = pick(C.MASSAGE_INTRO_FR).format(name=name, years=R.randint(3, 15), city=city, area=area)
            setting = sample(C.MASSAGE_SETTING_FR, R.randint(1, 2))
            pol = sample(C.MASSAGE_POLICY_FR, R.randint(1, 3))
        else:
            ad['title'] = pick(['{t} in {area} – qualified therapist', 'Relaxing massage by {name}, {city}',
                                'Professional massage therapist – home & hotel visits', '{name} – {t} & more',
                                'Mobile massage {city} – evenings & weekends', 'Sports massage & stretching – {area}',
                                'Massage therapy in {city} – {name}']).format(t=types[0][0], area=area, name=name, city=city)
            intro = pick(C.MASSAGE_INTRO_EN).format(name=name, years=R.randint(3, 15), city=city, area=area,
                                                   origin=pick(C.ORIGINS))
            setting = [s.format(radius=R.choice([3, 5, 8, 10]), city=city) for s in sample(C.MASSAGE_SETTING_EN, R.randint(1, 2))]
            pol = sample(C.MASSAGE_POLICY_EN, R.randint(1, 3))
        body.append('<p>%s</p>' % E(intro))
        body.append('<ul class="menu">' + ''.join('<li><strong>%s</strong> – %s</li>' % (E(a), E(b)) for a, b in types) + '</ul>')
        body.append('<p>%s</p>' % E(' '.join(setting)))
        ad['langs'] = None
    elif cat == 'companion':
        age = R.randint(26, 52)
        job = pick(C.JOBS_PEOPLE_FR if fr else C.JOBS_PEOPLE)
        l2 = pick(C.LANGS2)
        if fr:
            ad['title'] = pick(['Accompagnatrice pour dîners et soirées – {city}', 'Dame de compagnie, sorties culturelles {city}',
                                '{name} – compagnie élégante à {city}', 'Cavalière pour mariage, gala, dîner d’affaires']
                               ).format(city=city, name=name)
            intro = pick(C.COMPANION_INTRO_FR).format(city=city, name=name, age=age, job=job)
            mid = [m.format(lang2=l2) for m in sample(C.COMPANION_MID_FR, R.randint(1, 2))]
            pol = sample(['Compagnie strictement sociale.', 'Réservation minimum deux heures.', 'Discrétion assurée.',
                          'Merci de ne pas appeler en numéro masqué.', 'Messieurs respectueux uniquement.'], R.randint(1, 3))
        else:
            ad['title'] = pick(['Elegant dinner companion – {city}', 'Plus-one for weddings & events', 'Social companion & city guide – {name}',
                                'Charming company for dinner and theatre', 'Your friendly tour guide in {city}',
                                '{name} – sophisticated social companion', 'Dinner date & conversation – {area}']
                               ).format(city=city, name=name, area=area)
            intro = pick(C.COMPANION_INTRO_EN).format(city=city, name=name, age=age, job=job)
            mid = [m.format(lang2=l2) for m in sample(C.COMPANION_MID_EN, R.randint(1, 3))]
            pol = sample(C.COMPANION_POLICY_EN, R.randint(1, 3))
        if '{age}' in intro or str(age) in intro:
            np_add(ad, 'age', str(age))
        body.append('<p>%s</p>' % E(intro))
        body.append('<p>%s</p>' % E(' '.join(mid)))
        ad['langs'] = ('Français, anglais, ' if fr else 'English, ') + (l2.lower() if fr else l2)
    else:  # dating
        age = R.randint(27, 58)
        a1, a2 = max(25, age - R.randint(3, 8)), age + R.randint(2, 9)
        np_add(ad, 'age', str(age))
        if fr:
            head, mids, ends = pick(C.DATING_FR)
            s = head.format(Gender_fr=pick(['Femme', 'Homme']), age=age, job=pick(C.JOBS_PEOPLE_FR), target_fr=pick(['homme', 'femme', 'personne']),
                            a1=a1, a2=a2, city=city)
            ad['title'] = pick(['{g} {age} ans cherche relation sérieuse – {city}', 'Rencontre sincère sur {city}',
                                'Envie de partager un café ? ({city})']).format(g=pick(['Femme', 'Homme']), age=age, city=city)
        else:
            head, mids, ends = pick(C.DATING_EN)
            g = pick(['woman', 'man', 'lady', 'guy'])
            tgt = pick(['man', 'woman', 'gentleman', 'lady', 'partner'])
            s = head.format(gender=g, Gender=g.capitalize(), age=age, job=pick(C.JOBS_PEOPLE), area=area, target=tgt, a1=a1, a2=a2,
                            city=city)
            ad['title'] = pick(['{G}, {age}, seeking {t} – {city}', 'Genuine {g} looking for love in {city}', 'Coffee date anyone? {city}',
                                'Friendship first – {area}']).format(G=g.capitalize(), g=g, age=age, t=tgt, city=city, area=area)
        if '{a1}' in head:
            np_add(ad, 'age_range', '%d–%d' % (a1, a2))
        body.append('<p>%s %s</p>' % (E(s), E(' '.join(sample(mids, R.randint(1, 3))))))
        pol = [e.format(city=city) for e in sample(ends, R.randint(1, 2))]
        ad['langs'] = None
    # rates
    if rate:
        ad['price_text'], ad['price'], menu = make_rate(ad['country'], ad['lang'], cat)
        if ad['price_text']:
            if menu and R.random() < .6:
                body.append('<p>%s</p>' % E(('Tarifs : ' if fr else pick(['Prices: ', 'Rates: ', ''])) + menu))
                for m in menu.split('·'):
                    np_add(ad, 'price', m.split(':')[-1].strip().split(' ', 2)[-1] if ':' not in m else m.split(':')[-1].strip())
            elif R.random() < .4:
                body.append('<p>%s %s.</p>' % ('Tarif :' if fr else pick(['Rate:', 'Price:', 'Investment:']), E(ad['price_text'])))
    # availability & non-phone extras
    if cat != 'dating' and R.random() < .55:
        if fr:
            h = pick(['Du lundi au samedi, 10h-20h', 'Tous les jours de 11h à 21h', 'Soirées et week-ends'])
        else:
            h = pick(['Open Mon–Sat 10am–8pm', 'Available 7 days, 11am–9pm', 'Evenings and weekends', 'Weekdays 9:30–18:30',
                      'Daily 10:00–22:00'])
        np_add(ad, 'hours', h)
        body.append('<p>%s</p>' % E(h + '.'))
    if cat == 'massage' and R.random() < .45:
        c = ad['country']
        lic = {'UK': 'Fully insured – policy no. %s' % ('PL' + rdig(7)),
               'US': 'Licensed Massage Therapist, license #%s' % ('MA' + rdig(6) if R.random() < .5 else rdig(6)),
               'CA': 'Registered Massage Therapist, registration #%s' % rdig(5),
               'AU': 'Association member no. %s – health fund rebates available' % rdig(5),
               'FR': 'Praticienne certifiée – SIRET %s %s %s %s' % (rdig(3), rdig(3), rdig(3), rdig(5))}[c]
        np_add(ad, 'licence', lic.split(' no. ')[-1].split('#')[-1].split('SIRET ')[-1])
        body.append('<p class="small">%s</p>' % E(lic + '.'))
    if cat != 'dating' and R.random() < .25:
        if ad['country'] == 'FR':
            t = '%s, %s' % (pick(['Métro Oberkampf', 'Proche gare', 'Centre-ville']), ad['postcode'])
        else:
            t = '%s, %s' % (pick(['Studio %d' % R.randint(1, 9), 'Suite %d' % R.randint(101, 420), 'Near the station',
                                  'Top floor, flat %d' % R.randint(2, 30)]), ad['postcode'])
        np_add(ad, 'address_or_postcode', t)
        body.append('<p>%s</p>' % E(t))
    if extra_policy:
        body.append('<p class="policy">%s</p>' % E(' '.join(pol)))
        ad['policy_sentences'] = pol
    ad['body'] = body
    return ad


def std_service_contacts(ad, phone=None, email=None, handle=None, nphone_lines=1):
    lines = []
    if phone:
        for _ in range(nphone_lines):
            lines.append(phone_line(ad, phone, serv_style(ad['lang'], ad['country'])))
    if email:
        lines.append(email_line(ad, email, pick(['plain', 'mailto_visible', 'mailto_label', 'at_paren', 'at_bracket', 'at_words',
                                                 'spaced'])))
    if handle:
        lines.append(handle_line(ad, handle[0], handle[1], pick(['text', 'link', 'url_text'])))
    if not lines:
        lines.append(form_line(ad))
    ad['contact'] += lines
    return ad


FREEMAIL = ['mailhub.example', 'quickpost.test', 'letterbox.example', 'postbox.test', 'netmail.example', 'inbox.test']
FREEMAIL_FR = ['courriel.test', 'boitemail.example', 'laposte-demo.test']


def personal_email(name, fr=False):
    local = slugify(name).replace('-', '') + pick(['', '.', '_']) + pick(['massage', 'therapy', 'london', 'paris', 'rdv',
                                                                          'date', 'company', 'relax', str(R.randint(7, 99))])
    local = local.strip('._')
    return AL.email(local, pick(FREEMAIL_FR if fr else FREEMAIL))


def personal_handle(name, platform):
    h = slugify(name).replace('-', '') + pick(['_', '.', '']) + pick(['x', 'official', 'vip', 'uk', 'real', str(R.randint(10, 99)),
                                                                      'company', 'relax'])
    return AL.handle(platform, h.strip('._'))


# =====================================================================  networks
NETWORKS = {}


def reg_net(nid, **kw):
    kw.setdefault('ads', [])
    NETWORKS[nid] = kw
    return kw


def add_net_ad(nid, ad):
    ad['network'] = nid
    NETWORKS[nid]['ads'].append(ad)
    ADS.append(ad)
    return ad


def cycle_styles(styles, n):
    out = list(styles)
    R.shuffle(out)
    while len(out) < n:
        extra = list(styles)
        R.shuffle(extra)
        out += extra
    return out[:n]


# ---- N01: contact-only, UK jobs, 5 fake employers, one phone in many spellings
def net01():
    nid = 'N01'
    p = new_phone('UK', kind='mob')
    emps = ['Elmstone Admin Services', 'Bluepeak Recruitment Partners', 'Crestline Home Office Solutions Ltd',
            'Nova Data Services Ltd', 'Westmoor Customer Care']
    for e in emps:
        USED_EMP.add(e)
    reg_net(nid, link='contact', description='Work-from-home style job fronts posting generic ads under five different '
            'employer names; linked only by one UK mobile written differently in each ad.', employers=emps,
            shared_phones=[p['e164']], shared_emails=[], shared_handles=[])
    styles = cycle_styles(['nat', 'nat_alt', 'intl', 'words_oh', 'spaced', 'tel_only', 'wa_text', 'mixed'], 8)
    cities = ['London', 'Manchester', 'Birmingham', 'Leeds', 'Glasgow', 'Bristol', 'Liverpool', 'Nottingham']
    for i in range(8):
        ad = new_ad('jobs', 'UK', city=cities[i])
        emp = emps[i % 5]
        jk = pick(['admin', 'callcentre', 'reception', 'admin', 'retail', 'callcentre', 'warehouse', 'cleaner'])
        mode = pick(['field', 'text', 'both'])
        build_job(ad, jk, emp_display=emp if mode in ('field', 'both') else None,
                  emp_in_text=emp if mode in ('text', 'both') else None,
                  fill=[E(pick(['Work from home options available after a short induction.', 'Flexible hours to suit you.',
                                'Start earning this week.']))])
        ad['contact'].append(phone_line(ad, p, styles[i]))
        if R.random() < .3:
            ad['contact'].append(form_line(ad))
        add_net_ad(nid, ad)


# ---- N02: template + contact, US jobs, reshipping
def net02():
    nid = 'N02'
    p = new_phone('US', area='832')
    em = AL.email('hiring.desk', 'parcelroute.example')
    emps = ['ParcelRoute Logistics LLC', 'Stateline Forwarding Inc.', 'Blue Harbor Shipping Co.', 'TrueNorth Parcel Services']
    reg_net(nid, link='contact+template', description='“Package handler / reshipping” work-from-home template with '
            'varying company, city and pay; same Houston number and e-mail throughout.', employers=emps,
            shared_phones=[p['e164']], shared_emails=[em], shared_handles=[])
    titles = ['Package Handling Assistant – Work From Home', 'Home-based Shipping Coordinator', 'Parcel Inspector (Remote)',
              'Logistics Assistant – Remote, Weekly Pay', 'Merchandise Inspector – Home Based', 'Shipping Clerk – Remote']
    roles = ['package handling assistants', 'shipping coordinators', 'parcel inspectors', 'logistics assistants',
             'merchandise inspectors', 'shipping clerks']
    cities = ['Houston', 'Phoenix', 'Atlanta', 'Miami', 'Denver', 'Philadelphia']
    pst = cycle_styles(['nat', 'sms_only', 'intl', 'words', 'nat_dots', 'letters'], 6)
    est = cycle_styles(['plain', 'at_paren', 'mailto_visible', 'at_caps', 'plain', 'entity'], 6)
    for i in range(6):
        ad = new_ad('jobs', 'US', city=cities[i])
        emp = emps[i % 4]
        weekly = R.choice([2100, 2250, 2400, 2600, 2800])
        bonus = R.choice([15, 20, 25, 30])
        ad['title'] = titles[i]
        ad['template'] = 'T-N02'
        show = i % 2 == 0
        ad['employer_field'] = emp if show else None
        ad['employer_text'] = emp
        ad['contract'] = pick(['Part-time, remote', 'Remote', 'Work from home'])
        ad['price'] = dict(min=float(weekly), max=float(weekly), currency='USD', per='week')
        ad['price_text'] = '$%s per week + bonus' % '{:,}'.format(weekly)
        ph = phone_frag(ad, p, pst[i])
        ema = email_frag(ad, em, est[i])
        ad['body'] = [
            '<p>%s is expanding its %s operations and is looking for reliable, organized people to work from home as %s. '
            'You will receive parcels at your residence, inspect the contents, take photos and re-label them for onward '
            'shipment using prepaid labels we provide.</p>' % (E(emp), E(ad['city']), E(roles[i])),
            '<p>No experience is necessary – full online training is given. Pay: $%s per week plus $%d bonus per package '
            'processed. Only 2–3 hours a day required. Must be 21+ and have a valid U.S. address.</p>' % ('{:,}'.format(weekly), bonus),
        ]
        np_add(ad, 'price', '$%d' % bonus)
        ad['body'].append('<p>To apply, text your full name and city to %s or email %s.</p>' % (ph, ema))
        if R.random() < .5:
            ad['contact'].append(form_line(ad))
        add_net_ad(nid, ad)


# ---- N03: contact-only, services UK + FR, shared UK mobile + telegram
def net03():
    nid = 'N03'
    p = new_phone('UK', kind='mob')
    tg = AL.handle('telegram', 'velvet_evenings_bookings')
    reg_net(nid, link='contact', description='Agency presenting ten different “independent” companions/therapists in UK '
            'and French cities; varied text, one UK mobile (national, international, in words, link-only) and a Telegram '
            'handle in about half the ads.', employers=[], shared_phones=[p['e164']], shared_emails=[], shared_handles=[
            dict(platform='telegram', handle=tg)])
    plan = [('UK', 'London', 'companion'), ('UK', 'London', 'massage'), ('UK', 'Manchester', 'companion'),
            ('UK', 'Birmingham', 'massage'), ('UK', 'Edinburgh', 'companion'), ('UK', 'Leeds', 'companion'),
            ('FR', 'Paris', 'companion'), ('FR', 'Paris', 'massage'), ('FR', 'Nice', 'companion'), ('UK', 'Bristol', 'massage')]
    uk_st = cycle_styles(['nat', 'intl', 'words_oh', 'tel_only', 'letters', 'split_lines', 'nat_compact'], 7)
    fr_st = ['intl', 'intl_00', 'words_fr']
    ui = fi = 0
    for i, (c, city, cat) in enumerate(plan):
        ad = new_ad('services', c, city=city)
        build_service(ad, cat)
        if c == 'FR':
            st = fr_st[fi]; fi += 1
        else:
            st = uk_st[ui]; ui += 1
        ad['contact'].append(phone_line(ad, p, st))
        if i % 2 == 0:
            ad['contact'].append(handle_line(ad, 'telegram', tg, pick(['text', 'link', 'url_text'])))
        add_net_ad(nid, ad)


# ---- N04: template-only, UK massage, unique phone per ad
def net04():
    nid = 'N04'
    reg_net(nid, link='template', description='“NEW IN {CITY}” masseuse template; names, origin, landmark, hours and price '
            'vary; every ad has its own different UK mobile, so only the template links them.', employers=[],
            shared_phones=[], shared_emails=[], shared_handles=[])
    cities = [('London', 'Oxford Circus'), ('Manchester', 'Piccadilly Gardens'), ('Leeds', 'the Corn Exchange'),
              ('Bristol', 'Cabot Circus'), ('Glasgow', 'Buchanan Street'), ('Cardiff', 'the Millennium Stadium'),
              ('Nottingham', 'the Victoria Centre')]
    for i, (city, lm) in enumerate(cities):
        ad = new_ad('services', 'UK', city=city)
        name = pick(C.F_INTL)
        origin = pick(C.ORIGINS)
        price = pick([50, 55, 60, 65, 70])
        hours = pick(['10am till 10pm', '11am–9pm', '9am to 9pm', '12 noon – 11pm'])
        np_add(ad, 'hours', hours)
        ad['template'] = 'T-N04'
        ad['category'] = 'massage'
        ad['title'] = pick(['NEW IN {C}! Relaxing massage by {n}', 'New in {c} – {n}, qualified masseuse',
                            'NEW IN TOWN – {n} – {c}']).format(C=city.upper(), c=city, n=name)
        ad['price'] = dict(min=float(price), max=float(price), currency='GBP', per='hour')
        ad['price_text'] = '£%d / 1 hour' % price if R.random() < .7 else None
        p = new_phone('UK', kind='mob')
        st = pick(['nat', 'nat_alt', 'nat_compact', 'intl', 'letters', 'spaced'])
        ph = phone_frag(ad, p, st)
        ad['body'] = [
            '<p>NEW IN %s! Hello, my name is %s, I am a qualified %s massage therapist.</p>' % (E(city.upper()), E(name), E(origin)),
            '<p>I offer relaxing full body Swedish, deep tissue and hot stone massage in my clean private apartment near %s. '
            'Open every day %s. Price: £%d for 1 hour.</p>' % (E(lm), E(hours), price),
            '<p>Please call or text me on %s. Thank you, %s.</p>' % (ph, E(name)),
        ]
        ad['persona'] = name
        add_net_ad(nid, ad)


# ---- N05: template-only, US/CA cleaners
def net05():
    nid = 'N05'
    reg_net(nid, link='template', description='“CLEANERS NEEDED – cash weekly” template in US and Canadian cities with a '
            'different contact name and number in every ad.', employers=[], shared_phones=[], shared_emails=[], shared_handles=[])
    plan = [('US', 'Chicago'), ('US', 'Boston'), ('US', 'Seattle'), ('CA', 'Toronto'), ('CA', 'Vancouver'), ('US', 'San Diego')]
    for c, city in plan:
        ad = new_ad('jobs', c, city=city)
        first = pick(C.F_EN + C.F_INTL + C.M_EN)
        rate = pick([18, 19, 20, 21, 22, 23])
        n = pick(['3', '4', '5', 'several', 'two'])
        typ = pick(['residential', 'commercial', 'office', 'post-construction', 'Airbnb turnover'])
        shift = pick(['morning', 'evening', 'weekend', 'day'])
        bonus = pick([50, 75, 100])
        cur = 'USD' if c == 'US' else 'CAD'
        ad['template'] = 'T-N05'
        ad['title'] = 'CLEANERS NEEDED – %s – START THIS WEEK' % city.upper() if R.random() < .6 else \
            'Cleaners needed in %s, cash weekly' % city
        ad['contract'] = 'Part-time / Full-time'
        ad['price'] = dict(min=float(rate), max=float(rate), currency=cur, per='hour')
        ad['price_text'] = '$%d/hour' % rate if R.random() < .6 else None
        p = new_phone(c, ct=ad['ct'])
        ph = phone_frag(ad, p, pick(['nat', 'nat_dash', 'nat_dots', 'nat_compact', 'tel_visible']))
        np_add(ad, 'price', '$%d referral bonus' % bonus)
        ad['body'] = [
            '<p>We are a busy %s cleaning team looking for %s hard-working cleaners for %s shifts in %s. $%d/hour paid '
            'weekly, cash or e-transfer. No experience needed, we train you.</p>' % (E(typ), E(n), E(shift), E(ad['area']), rate),
            '<p>Must have own phone, be reliable and speak basic English. Bring a friend and get $%d referral bonus!</p>' % bonus,
            '<p>Call or text %s at %s – leave a message if no answer.</p>' % (E(first), ph),
        ]
        add_net_ad(nid, ad)


# ---- N06: cross-section (jobs + services), shared WhatsApp + email
def net06():
    nid = 'N06'
    p = new_phone('UK', kind='mob')
    em = AL.email('bookings.aurora', 'inbox.test')
    reg_net(nid, link='contact+template', description='Cross-section: “hostess/receptionist for private lounge” job template (4 ads) '
            'plus five companionship ads (free text, no template), all tied by one UK WhatsApp number and one e-mail.', employers=['Aurora Private Lounge'],
            shared_phones=[p['e164']], shared_emails=[em], shared_handles=[], cross_section=True)
    jplan = [('UK', 'London'), ('UK', 'Manchester'), ('FR', 'Paris'), ('FR', 'Nice')]
    sty = cycle_styles(['wa_link', 'wa_api', 'wa_text', 'intl', 'words'], 9)
    for i, (c, city) in enumerate(jplan):
        ad = new_ad('jobs', c, city=city, lang='en')
        cur = 'GBP' if c == 'UK' else 'EUR'
        amt = pick([150, 180, 200, 250])
        sym = '£' if c == 'UK' else '€'
        perk = pick(['free transport home after shifts', 'accommodation if needed', 'a generous clothing allowance'])
        ad['template'] = 'T-N06-jobs'
        ad['title'] = pick(['Hostesses / Receptionists wanted – %s', 'Lounge hostess – evening work – %s',
                            'Receptionist for exclusive members’ lounge, %s']) % city
        ad['contract'] = 'Evenings, flexible'
        ad['price'] = dict(min=float(amt), max=None, currency=cur, per='evening')
        ad['price_text'] = 'From %s%d per evening' % (sym, amt)
        ad['employer_text'] = 'Aurora Private Lounge' if i % 2 == 0 else None
        who = 'Aurora Private Lounge is recruiting' if i % 2 == 0 else 'We are recruiting'
        wa = phone_frag(ad, p, sty[i])
        ema = email_frag(ad, em, pick(['plain', 'at_paren', 'mailto_visible']))
        ad['body'] = [
            '<p>%s hostesses / receptionists for an exclusive private members’ lounge in %s. No experience necessary: '
            'we provide training, an elegant uniform and %s.</p>' % (who, E(city), E(perk)),
            '<p>Earnings from %s%d per evening. Flexible evening shifts, ideal for students. All staff must be 21 or over.</p>' % (sym, amt),
            '<p>Contact us on WhatsApp only: %s – or email %s with a short introduction.</p>' % (wa, ema),
        ]
        np_add(ad, 'age', '21')
        add_net_ad(nid, ad)
    splan = [('UK', 'London'), ('UK', 'Birmingham'), ('FR', 'Paris'), ('FR', 'Nice'), ('UK', 'Edinburgh')]
    for j, (c, city) in enumerate(splan):
        ad = new_ad('services', c, city=city)
        build_service(ad, 'companion')
        ad['contact'].append(phone_line(ad, p, sty[4 + j]))
        if j % 2 == 1:
            ad['contact'].append(email_line(ad, em, pick(['plain', 'at_bracket', 'spaced'])))
        add_net_ad(nid, ad)


# ---- N07: template + contact (email+telegram), multi-country visa scam, 3 company names
def net07():
    nid = 'N07'
    em = AL.email('visa.desk', 'globalworkforce.test')
    tg = AL.handle('telegram', 'gw_recruit_agent')
    emps = ['Global Workforce Placement', 'EuroCan Manpower Services', 'Southern Star Overseas Recruitment']
    reg_net(nid, link='contact+template', description='“URGENT HIRING FOR {destination}” visa-sponsorship template posted in UK, '
            'French, Australian and Canadian cities under three agency names; shared e-mail (obfuscated in several ways) and '
            'Telegram handle.', employers=emps, shared_phones=[], shared_emails=[em],
            shared_handles=[dict(platform='telegram', handle=tg)])
    plan = [('UK', 'London'), ('UK', 'Birmingham'), ('FR', 'Paris'), ('FR', 'Lyon'), ('AU', 'Sydney'), ('CA', 'Toronto'),
            ('UK', 'Manchester')]
    dests = [('Canada', 'CAD', 'fruit pickers, packers and farm hands', 'agriculture'),
             ('Poland', 'EUR', 'factory workers and machine operators', 'manufacturing'),
             ('New Zealand', 'NZD', 'orchard workers and packhouse staff', 'horticulture'),
             ('Canada', 'CAD', 'hotel housekeepers and kitchen staff', 'hospitality'),
             ('Australia', 'AUD', 'farm hands and tractor drivers', 'agriculture')]
    est = cycle_styles(['plain', 'mailto_visible', 'at_bracket', 'at_caps', 'spaced', 'entity', 'at_paren'], 7)
    for i, (c, city) in enumerate(plan):
        ad = new_ad('jobs', c, city=city, lang='en')
        dest, cur, pos, sector = pick(dests)
        emp = emps[i % 3]
        sal = pick([2200, 2500, 2800, 3000, 3200])
        n = pick([40, 50, 75, 100, 120])
        yrs = pick([2, 3])
        ad['template'] = 'T-N07'
        ad['title'] = 'URGENT HIRING FOR %s – %s' % (dest.upper(), pos.split(',')[0].title()) if R.random() < .6 else \
            'Work in %s – visa sponsorship – %s' % (dest, pos)
        ad['employer_field'] = emp if i % 2 else None
        ad['employer_text'] = emp
        ad['contract'] = '%d-year contract' % yrs
        ad['price'] = dict(min=float(sal), max=float(sal), currency=cur, per='month')
        ad['price_text'] = '%s %s per month' % (cur, '{:,}'.format(sal))
        ema = email_frag(ad, em, est[i])
        tgl = handle_frag(ad, 'telegram', tg, pick(['text', 'url_text', 'link']))
        ad['body'] = [
            '<p><strong>URGENT HIRING FOR %s:</strong> %s.</p>' % (E(dest.upper()), E(pos)),
            '<p>%s is recruiting %d workers for %s in %s with full visa sponsorship. Salary %s %s per month, free '
            'accommodation, free meals and return flight tickets. Contract %d years, renewable.</p>' % (
                E(emp), n, E(sector), E(dest), cur, '{:,}'.format(sal), yrs),
            '<p>Age 21–45, basic English. Processing fee refundable after arrival.</p>',
            '<p>Send your CV and passport copy to %s or message our agent on Telegram: %s. Interviews this week in %s.</p>' % (
                ema, tgl, E(city)),
        ]
        np_add(ad, 'count', str(n))
        add_net_ad(nid, ad)


# ---- N08: handle-only, dating-style services, shared telegram + snapchat
def net08():
    nid = 'N08'
    tg = AL.handle('telegram', 'sweet_connections_club')
    sc = AL.handle('snapchat', 'sweetconnx')
    reg_net(nid, link='handle', description='Five dating-style ads with different personas and cities; no phone numbers, '
            'only one Telegram handle (and a Snapchat handle in two ads).', employers=[], shared_phones=[], shared_emails=[],
            shared_handles=[dict(platform='telegram', handle=tg), dict(platform='snapchat', handle=sc)])
    plan = [('UK', 'London'), ('US', 'New York'), ('US', 'Miami'), ('AU', 'Melbourne'), ('CA', 'Toronto')]
    tst = cycle_styles(['text', 'link', 'url_text', 'text', 'link'], 5)
    for i, (c, city) in enumerate(plan):
        ad = new_ad('services', c, city=city)
        build_service(ad, pick(['dating', 'dating', 'companion']), rate=False)
        ad['contact'].append(handle_line(ad, 'telegram', tg, tst[i]))
        if i in (1, 3):
            ad['contact'].append(handle_line(ad, 'snapchat', sc, pick(['text', 'link'])))
        ad['contact'].append(pick(['No calls – message first.', 'I only reply on Telegram.', 'Message me, I reply quickly.']))
        add_net_ad(nid, ad)


# ---- N09: contact-only via shared e-mail, US/CA jobs, fake employers
def net09():
    nid = 'N09'
    em = AL.email('staffing.review', 'quickpost.test')
    emps = ['Pinecrest Retail Evaluations', 'ShopRight Insights', 'Northbay Customer Experience', 'Lumen Retail Audit Group',
            'Clearview Service Monitors']
    for e in emps:
        USED_EMP.add(e)
    reg_net(nid, link='contact', description='Five generic retail/customer-service job ads under five employer names; '
            'linked only by one e-mail address written in different obfuscated forms.', employers=emps,
            shared_phones=[], shared_emails=[em], shared_handles=[])
    plan = [('US', 'Chicago'), ('US', 'Dallas'), ('CA', 'Calgary'), ('US', 'Seattle'), ('CA', 'Ottawa')]
    est = cycle_styles(['at_paren', 'at_words', 'entity', 'fullwidth', 'spaced'], 5)
    for i, (c, city) in enumerate(plan):
        ad = new_ad('jobs', c, city=city)
        emp = emps[i]
        mode = pick(['field', 'text', 'both'])
        build_job(ad, pick(['retail', 'callcentre', 'admin']), emp_display=emp if mode != 'text' else None,
                  emp_in_text=emp if mode != 'field' else None)
        ad['contact'].append(email_line(ad, em, est[i]))
        add_net_ad(nid, ad)


# ---- N10: contact-only, French massage, shared FR mobile
def net10():
    nid = 'N10'
    p = new_phone('FR', kind='mob')
    reg_net(nid, link='contact', description='Six French massage ads (Paris, Lyon, Marseille, Nice, Bordeaux, Toulouse) with '
            'different names and texts; one French mobile in national, dotted, international, French words, link-only '
            'and letter-for-digit forms.', employers=[], shared_phones=[p['e164']], shared_emails=[], shared_handles=[])
    cities = ['Paris', 'Lyon', 'Marseille', 'Nice', 'Bordeaux', 'Toulouse']
    sts = cycle_styles(['nat', 'nat_dots', 'intl_paren', 'words_fr', 'tel_only', 'letters'], 6)
    for i, city in enumerate(cities):
        ad = new_ad('services', 'FR', city=city)
        build_service(ad, 'massage')
        ad['contact'].append(phone_line(ad, p, sts[i]))
        add_net_ad(nid, ad)


# ---- N11: template + contact, UK construction gang, 3 company names
def net11():
    nid = 'N11'
    p = new_phone('UK', kind='mob')
    emps = ['Castlegate Construction Services', 'RJM Groundworks', 'Midland Site Solutions']
    reg_net(nid, link='contact+template', description='Construction labour template (“… needed ASAP – {city} & surrounding '
            'areas”) under three company names, one UK mobile in five spellings.', employers=emps,
            shared_phones=[p['e164']], shared_emails=[], shared_handles=[])
    cities = ['Birmingham', 'Leicester', 'Nottingham', 'Sheffield', 'Leeds']
    roles = [('General Labourers', 'general labourers'), ('Groundworkers', 'groundworkers'), ('Dryliners', 'dryliners'),
             ('Scaffold Labourers', 'scaffold labourers'), ('Site Cleaners', 'site cleaners')]
    sts = cycle_styles(['nat', 'intl', 'nat_compact', 'split_text', 'words_oh'], 5)
    names = ['Rob', 'Gaz', 'Mick', 'Lee', 'Tony']
    for i, city in enumerate(cities):
        ad = new_ad('jobs', 'UK', city=city)
        emp = emps[i % 3]
        role, rl = roles[i]
        n = pick([3, 4, 6, 8, 10])
        project = pick(['new-build housing', 'commercial fit-out', 'school refurbishment', 'warehouse extension'])
        start = pick(['Monday', 'next week', '14th July', 'ASAP'])
        day = pick([110, 120, 130, 140, 150, 160])
        ad['template'] = 'T-N11'
        ad['title'] = '%s needed ASAP – %s' % (role, city)
        ad['employer_field'] = emp if i % 2 == 0 else None
        ad['employer_text'] = emp
        ad['contract'] = 'Self-employed / CIS'
        ad['price'] = dict(min=float(day), max=float(day), currency='GBP', per='day')
        ad['price_text'] = '£%d per day' % day
        hrs = pick(['7.30am–5pm Mon–Fri, Saturdays optional', '8am–4.30pm, 5 days', '7am–3.30pm Mon–Fri'])
        np_add(ad, 'hours', hrs)
        ph = phone_frag(ad, p, sts[i])
        ad['body'] = [
            '<p><strong>%s needed ASAP – %s &amp; surrounding areas.</strong></p>' % (E(role), E(city)),
            '<p>%s require %d %s for a %s project starting %s. £%d per day, paid weekly, CSCS card essential (we can help '
            'you get one). Own PPE preferred. %s.</p>' % (E(emp), n, E(rl), E(project), E(start), day, E(hrs)),
            '<p>Long-term work for the right people. Ring or text %s on %s.</p>' % (E(names[i]), ph),
        ]
        add_net_ad(nid, ad)


# ---- N12: contact-only, Australian companionship, AU mobile disguised
def net12():
    nid = 'N12'
    p = new_phone('AU')
    reg_net(nid, link='contact', description='Four Australian companionship ads with different personas; one Australian '
            'mobile written with letters for digits, split over two lines, international and link-only.', employers=[],
            shared_phones=[p['e164']], shared_emails=[], shared_handles=[])
    cities = ['Sydney', 'Melbourne', 'Brisbane', 'Perth']
    sts = cycle_styles(['letters', 'split_lines', 'intl', 'sms_only'], 4)
    for i, city in enumerate(cities):
        ad = new_ad('services', 'AU', city=city)
        build_service(ad, 'companion')
        ad['contact'].append(phone_line(ad, p, sts[i]))
        add_net_ad(nid, ad)


# ---- N13: template-only, nanny scam, unique e-mails
def net13():
    nid = 'N13'
    reg_net(nid, link='template', description='“Looking for a caring nanny while we relocate” template posted in four '
            'countries, each ad with its own e-mail address and parent name.', employers=[], shared_phones=[],
            shared_emails=[], shared_handles=[])
    plan = [('UK', 'London', 'GBP', '£'), ('US', 'Boston', 'USD', '$'), ('CA', 'Vancouver', 'CAD', '$'), ('AU', 'Perth', 'AUD', '$')]
    for c, city, cur, sym in plan:
        ad = new_ad('jobs', c, city=city, lang='en')
        pfirst, plast = pick(C.F_EN + C.M_EN), pick(C.SURNAMES)
        parent = pick(['Dr. ', 'Mrs. ', 'Mr. ', '']) + pfirst + ' ' + plast
        kids = pick(['two lovely kids (a boy and a girl)', 'my young daughter', 'three children', 'twin boys'])
        pay = pick([600, 700, 750, 850, 900])
        ad['template'] = 'T-N13'
        ad['title'] = pick(['Nanny needed – %s', 'Live-in nanny / housekeeper wanted (%s)', 'Caring nanny wanted for relocating family – %s']) % city
        ad['contract'] = 'Live-in, full-time'
        ad['price'] = dict(min=float(pay), max=float(pay), currency=cur, per='week')
        ad['price_text'] = '%s%d per week' % (sym, pay) if R.random() < .5 else None
        addr = AL.email(slugify(pfirst) + '.' + slugify(plast).replace('-', '') + str(R.randint(10, 99)), pick(FREEMAIL))
        ema = email_frag(ad, addr, pick(['plain', 'plain', 'at_paren', 'mailto_visible']))
        ad['body'] = [
            '<p>Hello, my name is %s and I am looking for a caring, responsible nanny for %s while we relocate to %s for work.</p>' % (
                E(parent), E(kids), E(city)),
            '<p>Duties include school runs, light housekeeping, preparing meals and helping with homework. We offer %s%d per '
            'week, a private room and all travel costs covered.</p>' % (sym, pay),
            '<p>Please email me your CV and references at %s. God bless.</p>' % ema,
        ]
        add_net_ad(nid, ad)


# ---- N14: cross-section, massage jobs + massage services, shared London landline + email
def net14():
    nid = 'N14'
    p = new_phone('UK', kind='lon')
    em = AL.email('reception', 'lotuswellnessrooms.example')
    reg_net(nid, link='contact', description='Cross-section: three “massage therapist wanted” job ads (employer name only '
            'in some texts) and four massage service ads under different therapist names; one London landline and one '
            'e-mail.', employers=['Lotus Wellness Rooms'], shared_phones=[p['e164']], shared_emails=[em], shared_handles=[],
            cross_section=True)
    psts = cycle_styles(['nat', 'nat_alt', 'intl_paren', 'tel_visible', 'nat_paren', 'words', 'intl'], 7)
    jc = ['London', 'London', 'Manchester']
    for i, city in enumerate(jc):
        ad = new_ad('jobs', 'UK', city=city)
        emp = 'Lotus Wellness Rooms'
        build_job(ad, 'massage_job', emp_display=None, emp_in_text=emp if i != 1 else None, anon=(i == 1))
        ad['contact'].append(phone_line(ad, p, psts[i]))
        ad['contact'].append(email_line(ad, em, pick(['plain', 'at_bracket', 'mailto_label'])))
        add_net_ad(nid, ad)
    sc = ['London', 'London', 'Manchester', 'London']
    for j, city in enumerate(sc):
        ad = new_ad('services', 'UK', city=city)
        build_service(ad, 'massage')
        ad['contact'].append(phone_line(ad, p, psts[3 + j]))
        if j % 2 == 0:
            ad['contact'].append(email_line(ad, em, pick(['plain', 'mailto_visible', 'at_words'])))
        add_net_ad(nid, ad)


# ---- N15: template + contact, US warehouse, 15 ads, 5 company names
def net15():
    nid = 'N15'
    p = new_phone('US', area='469')
    emps = ['Primeway Staffing', 'QuickPick Logistics', 'Lone Star Labor Partners', 'RapidHire Warehouse Solutions',
            'Frontline Distribution Staffing']
    reg_net(nid, link='contact+template', description='Big US warehouse-hiring template (“{company} is now hiring {role} in the '
            '{city} area!”) across eight cities under five company names; one Dallas number, often twice per ad in '
            'different formats.', employers=emps, shared_phones=[p['e164']], shared_emails=[], shared_handles=[])
    cities = ['Dallas', 'Houston', 'Phoenix', 'Atlanta', 'Chicago', 'Denver', 'Miami', 'Philadelphia', 'Dallas', 'Houston',
              'Phoenix', 'Atlanta', 'San Diego', 'Seattle', 'Boston']
    roles = ['Warehouse Associates', 'Forklift Operators', 'Pickers/Packers', 'Loaders/Unloaders', 'Shipping & Receiving Clerks']
    shifts = ['1st shift 6am–2:30pm', '2nd shift 3pm–11:30pm', '3rd shift 10pm–6:30am', 'weekend shift Fri–Sun 12 hrs']
    kws = ['WAREHOUSE', 'JOBS', 'HIRE', 'WORK', 'APPLY']
    a_st = cycle_styles(['nat', 'nat_dash', 'nat_dots', 'intl', 'sms_only', 'nat_1', 'letters', 'spaced', 'intl_paren',
                         'nat_compact', 'words', 'split_lines', 'tel_visible', 'nat_alt', 'intl_dash'], 15)
    b_st = cycle_styles(['nat', 'nat_dash', 'tel_only', 'intl', 'nat_dots'], 15)
    for i, city in enumerate(cities):
        ad = new_ad('jobs', 'US', city=city)
        emp = emps[i % 5]
        role = pick(roles)
        lo = pick([16, 17, 17.5, 18, 18.5, 19])
        hi = lo + pick([2, 3, 4])
        ad['template'] = 'T-N15'
        ad['title'] = pick(['Now hiring %s – %s', '%s needed – %s – weekly pay', 'Immediate openings: %s (%s)']) % (role, city)
        ad['employer_field'] = emp if i % 3 else None
        ad['employer_text'] = emp
        ad['contract'] = 'Full-time, temp-to-hire'
        ad['price'] = dict(min=float(lo), max=float(hi), currency='USD', per='hour')
        ad['price_text'] = '$%g–$%g/hr' % (lo, hi)
        shift = pick(shifts)
        np_add(ad, 'hours', shift)
        kw = pick(kws)
        a = phone_frag(ad, p, a_st[i])
        two = i % 3 != 2
        lines = ['<p>%s is now hiring %s in the %s area! Pay: $%g–$%g/hr. Shifts: %s.</p>' % (E(emp), E(role), E(city), lo, hi, E(shift)),
                 '<p>Weekly pay, same-day interviews, no experience needed. Benefits after 30 days. Requirements: able to lift '
                 '50 lbs, steel toe boots, pass a background check.</p>']
        np_add(ad, 'weight', '50 lbs')
        if two:
            b = phone_frag(ad, p, b_st[i])
            lines.append('<p>To apply text &quot;%s&quot; to %s or call %s Mon–Fri 8am–5pm.</p>' % (kw, a, b))
        else:
            lines.append('<p>To apply text &quot;%s&quot; to %s.</p>' % (kw, a))
        ad['body'] = lines
        add_net_ad(nid, ad)


# ---- N16: contact-only via shared email, services; two ads also carry their own unique phone
def net16():
    nid = 'N16'
    em = AL.email('serene.hands', 'letterbox.example')
    reg_net(nid, link='contact', description='Three massage/companion ads linked only by one e-mail (plain, obfuscated, '
            'mailto); two of them also show their own, different phone numbers.', employers=[], shared_phones=[],
            shared_emails=[em], shared_handles=[])
    plan = [('UK', 'Liverpool', 'massage'), ('US', 'Boston', 'massage'), ('CA', 'Ottawa', 'companion')]
    est = ['at_paren', 'mailto_label', 'plain']
    for i, (c, city, cat) in enumerate(plan):
        ad = new_ad('services', c, city=city)
        build_service(ad, cat)
        if i < 2:
            ad['contact'].append(phone_line(ad, new_phone(c, ct=ad['ct']), pick(['nat', 'intl', 'words'])))
        ad['contact'].append(email_line(ad, em, est[i]))
        add_net_ad(nid, ad)


# ---- N17: template + contact, Canadian touring companion
def net17():
    nid = 'N17'
    p = new_phone('CA', area='647')
    reg_net(nid, link='contact+template', description='Canadian “visiting {city} this week only” companion template; one '
            'Toronto number only inside sms:/wa.me links in some ads and written out in others.', employers=[],
            shared_phones=[p['e164']], shared_emails=[], shared_handles=[])
    cities = ['Toronto', 'Montreal', 'Vancouver', 'Calgary']
    sts = cycle_styles(['sms_only', 'wa_link', 'nat', 'intl'], 4)
    for i, city in enumerate(cities):
        ad = new_ad('services', 'CA', city=city, lang='en')
        name = pick(C.F_INTL + C.F_EN)
        rate = pick([180, 200, 220, 250])
        eve = rate * pick([3, 4])
        lang2 = pick(['English and French', 'English and Spanish', 'English, Russian and a little French'])
        ad['template'] = 'T-N17'
        ad['category'] = 'companion'
        ad['persona'] = name
        ad['title'] = '%s – visiting %s this week only' % (name, city)
        ad['price'] = dict(min=float(rate), max=float(rate), currency='CAD', per='hour')
        ad['price_text'] = '$%d/hr' % rate
        np_add(ad, 'price', '$%d' % eve)
        ad['langs'] = lang2
        ph = phone_frag(ad, p, sts[i])
        ad['body'] = [
            '<p>✨ %s ✨ visiting %s this week only! Sweet, classy and easy-going companion for dinner dates, drinks and great '
            'conversation. I speak %s.</p>' % (E(name), E(city), E(lang2)),
            '<p>Rate: $%d/hr, $%d for the evening. Advance booking preferred – send a text with your name, date and time. '
            'No private numbers, no emails.</p>' % (rate, eve),
            '<p>%s</p>' % ph,
        ]
        add_net_ad(nid, ad)


# ---- N18: handle-only jobs (driver), shared telegram
def net18():
    nid = 'N18'
    tg = AL.handle('telegram', 'fastlane_dispatch_hr')
    emps = ['Fastlane Courier Network', 'MetroDrop Delivery', 'Roadrunner Last Mile', 'Swiftbox Couriers', 'Urban Dash Logistics']
    for e in emps:
        USED_EMP.add(e)
    reg_net(nid, link='handle', description='Five delivery-driver ads (US, Canada, Australia) under different company names; '
            'only a Telegram handle is shared. Two ads also give their own, different phone numbers.', employers=emps,
            shared_phones=[], shared_emails=[], shared_handles=[dict(platform='telegram', handle=tg)])
    plan = [('US', 'Atlanta'), ('US', 'Denver'), ('CA', 'Toronto'), ('AU', 'Brisbane'), ('AU', 'Adelaide')]
    tst = cycle_styles(['text', 'link', 'url_text', 'text', 'link'], 5)
    for i, (c, city) in enumerate(plan):
        ad = new_ad('jobs', c, city=city, lang='en')
        emp = emps[i]
        build_job(ad, 'driver', emp_display=emp if i % 2 else None, emp_in_text=emp,
                  fill=[E('Earn up to $%s per week with your own car – same-week start.' % pick(['1,800', '2,000', '2,200']))])
        ad['contact'].append(handle_line(ad, 'telegram', tg, tst[i]))
        if i in (0, 3):
            ad['contact'].append(phone_line(ad, new_phone(c, ct=ad['ct']), pick(['nat', 'intl'])))
        add_net_ad(nid, ad)


# =====================================================================  same-advertiser groups
ADVERTISERS = {}


def reg_adv(name, typ, section, **kw):
    kw.update(type=typ, section=section, ads=[])
    ADVERTISERS[name] = kw
    USED_EMP.add(name)
    return kw


def add_adv_ad(name, ad, tags):
    ad['advertiser'] = name
    ad['advertiser_type'] = ADVERTISERS[name]['type']
    ad['tags'] += tags
    ADVERTISERS[name]['ads'].append(ad)
    ADS.append(ad)


def employer_group(name, country, plan, phone_kind=None, area=None, email_local='careers', domain=None, phone_in=1.0,
                   email_in=1.0, field_ratio=.5, phone_styles=None):
    phone = new_phone(country, kind=phone_kind, area=area) if phone_in > 0 else None
    dom = domain or emp_domain(name)
    email = AL.email(email_local, dom) if email_in > 0 else None
    reg_adv(name, 'employer', 'jobs', phones=[phone['e164']] if phone else [], emails=[email] if email else [],
            description='Legitimate employer posting several vacancies with the same HR contact.')
    for i, (city, jk) in enumerate(plan):
        ad = new_ad('jobs', country, city=city)
        in_field = (i / max(1, len(plan) - 1)) < field_ratio if len(plan) > 1 else True
        if R.random() < .2:
            in_field = not in_field
        build_job(ad, jk, emp_display=name if in_field else None, emp_in_text=name, footer_emp=name)
        ph = phone if (phone and R.random() < phone_in) else None
        em = email if (email and (R.random() < email_in or not ph)) else None
        if not ph and not em:
            em = email or None
            ph = phone if not em else None
        if ph:
            ad['contact'].append(phone_line(ad, ph, pick(phone_styles or STD_PHONE_STYLES)))
        if em:
            ad['contact'].append(email_line(ad, em, pick(['plain', 'mailto_visible', 'mailto_label', 'plain'])))
        if R.random() < .3:
            ad['contact'].append(form_line(ad))
        add_adv_ad(name, ad, ['same_advertiser'])


def groups():
    employer_group('Maple Leaf Home Care', 'CA', [('Toronto', 'care'), ('Toronto', 'care'), ('Ottawa', 'care'),
                                                  ('Calgary', 'nurse'), ('Toronto', 'admin')], area='416',
                   domain='mapleleafcare.example', phone_in=.8)
    employer_group('Bramwell & Hart Hospitality Group', 'UK', [('London', 'chef'), ('London', 'barista'), ('Manchester', 'bar'),
                                                               ('Edinburgh', 'kp'), ('London', 'reception'),
                                                               ('Manchester', 'chef'), ('Edinburgh', 'bar')],
                   phone_kind='lon', email_local='jobs', domain='bramwellhart.example', phone_in=.7, email_in=.85, field_ratio=.55)
    employer_group('Groupe Lumière Services', 'FR', [('Paris', 'entretien'), ('Lyon', 'entretien'), ('Lille', 'entretien'),
                                                     ('Paris', 'cariste'), ('Lyon', 'reception_fr')],
                   phone_kind='fixe', email_local='recrutement', domain='groupe-lumiere.test', phone_in=.8)
    employer_group('Coastline Freight Inc.', 'US', [('Houston', 'truck'), ('Dallas', 'truck'), ('Phoenix', 'truck'),
                                                    ('Houston', 'forklift'), ('Atlanta', 'warehouse'), ('Houston', 'admin')],
                   area='713', email_local='hr', domain='coastlinefreight.example', phone_in=.85)
    employer_group('Southern Cross Aged Care', 'AU', [('Sydney', 'care'), ('Melbourne', 'care'), ('Brisbane', 'care'),
                                                      ('Sydney', 'nurse')], domain='southerncross-care.test', phone_in=.75)
    employer_group('Pinewood Dental Practices', 'UK', [('Bristol', 'dental'), ('Cardiff', 'dental'), ('Leicester', 'reception')],
                   email_local='practice.manager', domain='pinewooddental.example', phone_in=0, field_ratio=.3)
    # ---- agencies posting for client companies with the agency's own contact
    agency('Talentbridge Recruitment', 'UK', [
        ('Sheffield', 'warehouse', 'Hallam Foods'), ('Leeds', 'electrician', 'Kestrel Engineering'),
        ('London', 'reception', 'Brindley Legal LLP'), ('Glasgow', 'callcentre', 'Corvid Insurance'),
        ('Edinburgh', 'chef', 'Ashcombe Hotels'), ('Nottingham', 'retail', 'Monarch Home & Garden'),
        ('Manchester', 'accounts', 'Fenwick & Lowe'), ('Bristol', 'decorator', 'Larchmont Homes')],
        domain='talentbridge.example', phone_kind='mob')
    agency('Horizon Staffing Solutions', 'US', [
        ('Chicago', 'forklift', 'Bayline Packaging'), ('Denver', 'admin', 'Westfield Dental Group'),
        ('Chicago', 'warehouse', 'Ridgeway Foods'), ('Atlanta', 'callcentre', 'Pinnacle Mutual'),
        ('Boston', 'driver', 'Crosstown Furniture'), ('Chicago', 'cleaner', 'Lakeshore Medical Plaza')],
        domain='horizonstaffing.example', area='312')
    # ---- services: legit clinic and a dating/introduction agency
    clinic()
    intro_agency()


AGENCY_INTRO = [
    '{ag} is delighted to be recruiting on behalf of our client, {cl}, for a {tl} in {city}.',
    'Our client, {cl}, is looking for a {tl} to join their team in {city}. {ag} is handling this vacancy exclusively.',
    '{ag} are working with a well-known local business – {cl} – to find an experienced {tl}.',
    'We ({ag}) have an exciting opportunity for a {tl} with our client {cl} in {area}, {city}.',
]


def agency(name, country, plan, domain, phone_kind=None, area=None):
    phone = new_phone(country, kind=phone_kind, area=area)
    consultants = [pick(C.F_EN + C.M_EN) for _ in range(3)]
    emails = [AL.email(slugify(c).replace('-', '') + '.' + pick(['s', 'm', 'k', 'r']), domain) for c in consultants]
    gen = AL.email('jobs', domain)
    reg_adv(name, 'agency', 'jobs', phones=[phone['e164']], emails=[gen] + emails,
            clients=[p[2] for p in plan],
            description='Recruitment agency advertising for several client companies with its own phone and e-mails.')
    for i, (city, jk, client) in enumerate(plan):
        ad = new_ad('jobs', country, city=city)
        jt = C.JOBS_EN[jk]
        title = jt_title(jt, country)
        mode = pick(['client_field', 'agency_field', 'none'])
        build_job(ad, jk, emp_display={'client_field': client, 'agency_field': name, 'none': None}[mode],
                  emp_in_text=None, anon=True, title=title,
                  intro_override=E(pick(AGENCY_INTRO).format(ag=name, cl=client, tl=lower_first(title), city=ad['city'],
                                                             area=ad['area'])),
                  footer_emp=name)
        ad['employer_text'] = client
        ad['agency'] = name
        ad['client'] = client
        ci = i % 3
        ad['contact'].append(phone_line(ad, phone, pick(STD_PHONE_STYLES), who=consultants[ci]))
        ad['contact'].append(email_line(ad, pick([gen, emails[ci]]), pick(['plain', 'mailto_visible'])))
        if country == 'UK':
            rec = 'REC member no. %s' % rdig(5)
            np_add(ad, 'membership_number', rec)
            ad['contact'].append(E('%s acts as an employment agency for this vacancy. %s.' % (name, rec)))
        else:
            ad['contact'].append(E('%s is an equal opportunity staffing firm.' % name))
        add_adv_ad(name, ad, ['same_advertiser', 'agency'])


def clinic():
    name = 'Serenity Wellness Clinic'
    phone = new_phone('UK', kind='lon')
    em = AL.email('bookings', 'serenity-clinic.example')
    reg_adv(name, 'clinic', 'services', phones=[phone['e164']], emails=[em],
            description='Legitimate massage clinic advertising several therapists with the clinic reception contact.')
    for city in ['London', 'London', 'London', 'London']:
        ad = new_ad('services', 'UK', city=city)
        build_service(ad, 'massage')
        ad['body'].insert(1, '<p>%s</p>' % E('Book with %s at %s, %s – %s.' % (ad['persona'], name, ad['area'],
                                                                              pick(['two minutes from the station',
                                                                                    'above the pharmacy', 'ground floor, step-free access']))))
        ad['employer_text'] = name
        ad['contact'].append(phone_line(ad, phone, pick(['nat', 'intl', 'tel_visible', 'nat_paren'])))
        ad['contact'].append(email_line(ad, em, pick(['plain', 'mailto_visible'])))
        add_adv_ad(name, ad, ['same_advertiser'])


def intro_agency():
    name = 'Cœur & Dîner'
    phone = new_phone('FR', kind='fixe')
    em = AL.email('contact', 'coeuretdiner.test')
    reg_adv(name, 'introduction_agency', 'services', phones=[phone['e164']], emails=[em],
            description='Dating/introduction agency presenting several members; agency contact on every ad.')
    for city in ['Paris', 'Lyon', 'Bordeaux']:
        ad = new_ad('services', 'FR', city=city)
        build_service(ad, 'dating', rate=False)
        ad['body'].insert(0, '<p>%s</p>' % E('L’agence %s vous présente un(e) de ses membres :' % name))
        ad['employer_text'] = name
        ad['contact'].append(phone_line(ad, phone, pick(['nat', 'nat_dots', 'intl'])))
        ad['contact'].append(email_line(ad, em, pick(['plain', 'mailto_visible'])))
        add_adv_ad(name, ad, ['same_advertiser'])


# =====================================================================  independents


def indep_jobs(n_by_country):
    for country, n in n_by_country.items():
        for _ in range(n):
            ct = city_tuple(country)
            lang = lang_of(country, ct[0])
            ad = new_ad('jobs', country, city=ct[0], lang=lang)
            jk = pick(list(C.JOBS_FR)) if lang == 'fr' else pick(list(C.JOBS_EN))
            ind = (C.JOBS_FR if lang == 'fr' else C.JOBS_EN)[jk]['ind']
            emp_ind = ind if lang == 'en' else {'restauration': 'hospitality', 'proprete': 'cleaning', 'logistique': 'logistics',
                                               'sante': 'care', 'commerce': 'retail', 'informatique': 'tech', 'compta': 'office',
                                               'hotel': 'hospitality'}[ind]
            emp = employer_name(country, emp_ind, lang)
            r = R.random()
            if r < .12:
                mode = 'anon'
            elif r < .32:
                mode = 'field'
            elif r < .65:
                mode = 'both'
            else:
                mode = 'text'
            build_job(ad, jk, emp_display=emp if mode in ('field', 'both') else None,
                      emp_in_text=emp if mode in ('text', 'both') else None, anon=(mode in ('anon', 'field')),
                      footer_emp=emp if mode != 'anon' else None)
            ad['employer_name_truth'] = emp if mode != 'anon' else None
            area = area_code(ad['ct']) if country in ('US', 'CA') else None
            ph = new_phone(country, area=area) if R.random() < .6 else None
            em = AL.email(email_local_for_emp(), emp_domain(emp)) if (mode != 'anon' and R.random() < .7) else \
                (personal_email(pick(C.F_EN + C.M_EN), lang == 'fr') if R.random() < .5 else None)
            std_job_contacts(ad, emp if mode != 'anon' else None, phone=ph, email=em)
            if R.random() < .06:   # second phone (mobile) in a few legit ads
                ad['contact'].append(phone_line(ad, new_phone(country, area=area), pick(['nat', 'intl'])))
            if ad['boiler']:
                ad['tags'].append('shared_boilerplate')
            ADS.append(ad)


def indep_services(n_by_country):
    for country, n in n_by_country.items():
        for _ in range(n):
            ct = city_tuple(country)
            lang = lang_of(country, ct[0])
            ad = new_ad('services', country, city=ct[0], lang=lang)
            cat = pick(['massage'] * 5 + ['companion'] * 3 + ['dating'] * 2)
            build_service(ad, cat, rate=(cat != 'dating'))
            area = area_code(ad['ct']) if country in ('US', 'CA') else None
            ph = new_phone(country, area=area, kind='mob' if R.random() < .9 else None) \
                if (cat != 'dating' or R.random() < .3) else None
            em = personal_email(ad['persona'], lang == 'fr') if (R.random() < .3 or not ph) else None
            hd = None
            if R.random() < .15:
                plat = pick(['telegram', 'instagram', 'snapchat'])
                hd = (plat, personal_handle(ad['persona'], plat))
            std_service_contacts(ad, phone=ph, email=em, handle=hd, nphone_lines=2 if (ph and R.random() < .15) else 1)
            if ad.get('policy_sentences'):
                ad['tags'].append('common_phrasing')
            ADS.append(ad)


# =====================================================================  rendering
CSS = """
:root{--ink:#2a2320;--cork:#c9a27a;--paper:#fffdf7;--pin:#b3261e;--muted:#6d625a}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 Georgia,'Times New Roman',serif;color:var(--ink);background:var(--cork) repeating-linear-gradient(45deg,#c9a27a 0 6px,#c39b72 6px 12px)}
.site-header{background:#3b2f2a;color:#f6ead8;padding:.6rem 1.2rem;display:flex;justify-content:space-between;align-items:baseline;flex-wrap:wrap}
.site-header a{color:#ffd9a0}
.brand a{font:700 1.6rem/1 'Courier New',monospace;text-decoration:none;letter-spacing:.05em}
.tagline{font-size:.8rem;color:#d8c7b0;margin-left:.5rem}
.site-nav a{margin:0 .4rem}
.crumbs{font-size:.8rem;padding:.3rem 1.2rem;background:#efe2cf}
main{max-width:860px;margin:1.2rem auto;background:var(--paper);padding:1.2rem 1.6rem;box-shadow:3px 4px 0 rgba(0,0,0,.25);position:relative}
main:before{content:'';position:absolute;top:-9px;left:50%;width:18px;height:18px;border-radius:50%;background:var(--pin)}
.ad-title{font:700 1.45rem/1.2 'Courier New',monospace;margin:.2rem 0 .8rem}
table.ad-meta{border-collapse:collapse;margin-bottom:1rem;font-size:.92rem}
table.ad-meta th{text-align:right;padding:.15rem .7rem .15rem 0;color:var(--muted);font-weight:normal;vertical-align:top}
table.ad-meta td{padding:.15rem 0}
dl.ad-meta{display:grid;grid-template-columns:9rem 1fr;gap:.1rem .8rem;font-size:.92rem}
dl.ad-meta dt{color:var(--muted)} dl.ad-meta dd{margin:0}
.ad-text h3{font-size:1rem;margin:1rem 0 .2rem;text-transform:uppercase;letter-spacing:.04em}
.ad-contact{border-top:2px dashed #d9cbb8;margin-top:1rem;padding-top:.6rem}
.ad-contact p{margin:.3rem 0}
.btn{display:inline-block;padding:.2rem .7rem;border:1px solid #3b2f2a;border-radius:3px;background:#ffe9c2;color:#3b2f2a;text-decoration:none}
.small{font-size:.8rem;color:var(--muted)}
.ad-report{font-size:.8rem;text-align:right}
.safety{max-width:860px;margin:0 auto 1rem;background:#fff3c4;border-left:6px solid #e0a800;padding:.6rem 1rem;font-size:.85rem}
.site-footer{background:#3b2f2a;color:#d8c7b0;font-size:.8rem;padding:1rem 1.2rem}
.site-footer a{color:#ffd9a0}
table.listing{width:100%;border-collapse:collapse}
table.listing td,table.listing th{border-bottom:1px solid #eadfcc;padding:.35rem .4rem;text-align:left;vertical-align:top}
.pager{margin-top:1rem;display:flex;gap:1rem;justify-content:space-between}
"""


def header(depth, section=None):
    up = '../' * depth
    return ('<header class="site-header">\n<div class="brand"><a href="{u}index.html">CORKLINE</a>'
            '<span class="tagline">the community noticeboard · since 2009</span></div>\n'
            '<nav class="site-nav"><a href="{u}jobs/index.html">Jobs</a> · <a href="{u}companions/index.html">'
            'Services &amp; Companions</a> · <a href="{u}help.html">Help &amp; safety</a> · <a href="{u}post.html">Post an ad</a></nav>\n'
            '</header>\n').format(u=up)


def footer(depth):
    up = '../' * depth
    return ('<footer class="site-footer">\n<p>© 2025 Corkline Classifieds Ltd · Registered in England &amp; Wales No. 07123456 · '
            'VAT GB 294 7711 06 · 1 Example Yard, London EC1A 1AA</p>\n'
            '<p>Helpdesk: <span class="site-phone">020 7946 0000</span> (Mon–Fri 9:00–17:30) · '
            '<a href="mailto:help@corkline.example">help@corkline.example</a> · '
            '<a href="{u}help.html">Terms</a> · <a href="{u}help.html#privacy">Privacy</a></p>\n'
            '<p class="small">Corkline does not vet advertisers. Ads are the responsibility of the people who post them.</p>\n'
            '</footer>\n').format(u=up)


SAFETY = ('<aside class="safety"><strong>Stay safe.</strong> Never pay an upfront fee to get a job, never send copies of your '
          'passport or bank details to someone you have not met, and meet in public places. Suspicious ad? Contact our '
          'Trust &amp; Safety team at <a href="mailto:safety@corkline.example">safety@corkline.example</a> or on '
          '+44 20 7946 0000.</aside>\n')


def page(title, body, depth, lang='en', cls=''):
    return ('<!DOCTYPE html>\n<html lang="%s">\n<head>\n<meta charset="utf-8">\n<title>%s</title>\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<link rel="stylesheet" href="%sassets/site.css">\n</head>\n<body class="%s">\n%s%s%s</body>\n</html>\n') % (
        lang, E(title), '../' * depth, cls, header(depth), body, footer(depth))


LBL = {
    'en': dict(listing='Listing no.', posted='Posted', loc='Location', emp='Employer', pay='Pay', type='Job type', ref='Reference',
               contact='How to respond', cat='Category', rate='Rate', langs='Languages', report='Report this ad', home='Home',
               jobs='Jobs', serv='Services & Companions'),
    'fr': dict(listing='Annonce n°', posted='Publiée', loc='Lieu', emp='Employeur', pay='Salaire', type='Contrat', ref='Référence',
               contact='Pour répondre', cat='Catégorie', rate='Tarif', langs='Langues', report='Signaler cette annonce', home='Accueil',
               jobs='Emploi', serv='Services & compagnie'),
}
CAT_LBL = {'en': {'massage': 'Massage & wellbeing', 'companion': 'Companionship', 'dating': 'Dating & friendship'},
           'fr': {'massage': 'Massage & bien-être', 'companion': 'Compagnie', 'dating': 'Rencontres'}}


def render_ad(ad):
    L = LBL[ad['lang']]
    loc = '<span class="ad-city">%s</span>, <span class="ad-area">%s</span>' % (E(ad['city']), E(ad['area']))
    if ad['section'] == 'jobs':
        rows = [('m-id', L['listing'], '<td class="ad-id">%s</td>' % ad['id']),
                ('m-posted', L['posted'], '<td class="ad-posted">%s</td>' % E(ad['date_text'])),
                ('m-location', L['loc'], '<td>%s</td>' % loc)]
        if ad['employer_field']:
            rows.append(('m-employer', L['emp'], '<td class="ad-employer">%s</td>' % E(ad['employer_field'])))
        if ad['price_text']:
            rows.append(('m-pay', L['pay'], '<td class="ad-price">%s</td>' % E(ad['price_text'])))
        if ad['contract']:
            rows.append(('m-type', L['type'], '<td class="ad-contract">%s</td>' % E(ad['contract'])))
        if ad['jobref']:
            rows.append(('m-ref', L['ref'], '<td class="ad-jobref">%s</td>' % E(ad['jobref'])))
        meta = '<table class="ad-meta">\n' + ''.join('<tr class="%s"><th>%s</th>%s</tr>\n' % (c, E(l), v) for c, l, v in rows) + '</table>\n'
    else:
        items = [(L['listing'], '<dd class="ad-id">%s</dd>' % ad['id']),
                 (L['posted'], '<dd class="ad-posted">%s</dd>' % E(ad['date_text'])),
                 (L['loc'], '<dd>%s</dd>' % loc),
                 (L['cat'], '<dd class="ad-category">%s</dd>' % E(CAT_LBL[ad['lang']][ad['category']]))]
        if ad['price_text']:
            items.append((L['rate'], '<dd class="ad-price">%s</dd>' % E(ad['price_text'])))
        if ad.get('langs'):
            items.append((L['langs'], '<dd class="ad-langs">%s</dd>' % E(ad['langs'])))
        meta = '<dl class="ad-meta">\n' + ''.join('<dt>%s</dt>%s\n' % (E(l), v) for l, v in items) + '</dl>\n'
    # contact lines: most in the contact block, some moved into the text
    contact = list(ad['contact'])
    body = list(ad['body'])
    if contact and R.random() < .25:
        body.append('<p>%s</p>' % contact.pop(0))
    cblock = ''
    if contact:
        cblock = '<div class="ad-contact">\n<h2>%s</h2>\n%s</div>\n' % (
            E(L['contact']), ''.join('<p class="contact-line">%s</p>\n' % c for c in contact))
    sec_dir = 'jobs' if ad['section'] == 'jobs' else 'companions'
    crumbs = '<div class="crumbs"><a href="../../index.html">%s</a> › <a href="../index.html">%s</a> › %s</div>\n' % (
        E(L['home']), E(L['jobs'] if ad['section'] == 'jobs' else L['serv']), E(ad['city']))
    main = ('<main class="ad ad-%s" id="ad-%s" data-ad-id="%s">\n<h1 class="ad-title">%s</h1>\n%s'
            '<div class="ad-text">\n%s\n</div>\n%s'
            '<p class="ad-report"><a href="mailto:abuse@corkline.example?subject=Report%%20ad%%20%s">%s</a> · '
            '<a href="../index.html">← %s</a></p>\n</main>\n') % (
        ad['section'], ad['id'], ad['id'], E(ad['title']), meta, '\n'.join(body), cblock, ad['id'], E(L['report']),
        E(L['jobs'] if ad['section'] == 'jobs' else L['serv']))
    title = '%s – %s | %s' % (ad['title'], ad['city'], SITE)
    return page(title, crumbs + main + SAFETY, 2, ad['lang'], 'page-ad section-%s' % sec_dir)


def render_listing(section, ads, per=25):
    sec_dir = 'jobs' if section == 'jobs' else 'companions'
    label = 'Jobs' if section == 'jobs' else 'Services & Companions'
    pages = [ads[i:i + per] for i in range(0, len(ads), per)]
    names = ['index.html'] + ['p%d.html' % (i + 1) for i in range(1, len(pages))]
    out = {}
    for i, chunk in enumerate(pages):
        rows = []
        for ad in chunk:
            rows.append('<tr class="listing-row"><td class="l-date">%s</td><td class="l-title"><a class="ad-link" href="ad/%s">%s</a></td>'
                        '<td class="l-city">%s</td><td class="l-price">%s</td></tr>' % (
                            E(ad['date_text']), ad['file'], E(ad['title']), E(ad['city']), E(ad['price_text'] or '')))
        nav = []
        if i > 0:
            nav.append('<a class="prev" rel="prev" href="%s">« Previous</a>' % names[i - 1])
        else:
            nav.append('<span></span>')
        nav.append('<span class="page-no">Page %d of %d</span>' % (i + 1, len(pages)))
        if i < len(pages) - 1:
            nav.append('<a class="next" rel="next" href="%s">Next page »</a>' % names[i + 1])
        else:
            nav.append('<span></span>')
        body = ('<div class="crumbs"><a href="../index.html">Home</a> › %s</div>\n<main class="listing-page">\n<h1>%s</h1>\n'
                '<p class="small">Newest first. %d ads in this section.</p>\n<table class="listing">\n<thead><tr><th>Posted</th>'
                '<th>Ad</th><th>Where</th><th>Pay / rate</th></tr></thead>\n<tbody>\n%s\n</tbody>\n</table>\n'
                '<nav class="pager">%s</nav>\n</main>\n') % (E(label), E(label), len(ads), '\n'.join(rows), ' '.join(nav))
        out['%s/%s' % (sec_dir, names[i])] = page('%s – page %d | %s' % (label, i + 1, SITE), body, 1, 'en', 'page-listing')
    return out


# =====================================================================  main


def main():
    net01(); net02(); net03(); net04(); net05(); net06(); net07(); net08(); net09()
    net10(); net11(); net12(); net13(); net14(); net15(); net16(); net17(); net18()
    groups()
    n_jobs = sum(1 for a in ADS if a['section'] == 'jobs')
    n_serv = sum(1 for a in ADS if a['section'] == 'services')
    ij = 260 - n_jobs
    isv = 140 - n_serv
    # split independents across countries
    jw = {'UK': .30, 'US': .27, 'FR': .17, 'CA': .14, 'AU': .12}
    sw = {'UK': .35, 'US': .21, 'FR': .20, 'CA': .12, 'AU': .12}

    def split(total, w):
        d = {k: int(total * v) for k, v in w.items()}
        d['UK'] += total - sum(d.values())
        return d
    indep_jobs(split(ij, jw))
    indep_services(split(isv, sw))

    # ids, files
    used_ids = set()
    for ad in ADS:
        while True:
            n = R.randint(10000, 99999)
            aid = ('J' if ad['section'] == 'jobs' else 'C') + str(n)
            if aid not in used_ids:
                used_ids.add(aid)
                break
        ad['id'] = aid
        ad['file'] = '%s-%s.html' % (aid, slugify(ad['title'] + ' ' + ad['city']) if ad['city'].lower() not in ad['title'].lower()
                                     else slugify(ad['title']))
        ad['url'] = '%s/ad/%s' % ('jobs' if ad['section'] == 'jobs' else 'companions', ad['file'])
        np_add(ad, 'listing_number', aid)

    # write pages
    files = {}
    for ad in ADS:
        files[ad['url']] = render_ad(ad)
    for section in ('jobs', 'services'):
        lst = [a for a in ADS if a['section'] == section]
        R.shuffle(lst)
        lst.sort(key=lambda a: a['date'], reverse=True)
        files.update(render_listing(section, lst))
    files['index.html'] = page('Corkline Classifieds – jobs, services & companions', (
        '<main class="home">\n<h1>Corkline – the community noticeboard</h1>\n'
        '<p>Local ads from the UK, France, the US, Canada and Australia. Free to browse, free to post.</p>\n'
        '<ul class="sections">\n<li><a class="section-link" href="jobs/index.html">Jobs</a> – %d ads</li>\n'
        '<li><a class="section-link" href="companions/index.html">Services &amp; Companions</a> – %d ads (massage, '
        'companionship, dating &amp; friendship; adults only, no explicit content)</li>\n</ul>\n'
        '<p class="small">Need help? Read our <a href="help.html">safety advice</a> or call the helpdesk on 020 7946 0000.</p>\n'
        '</main>\n' % (sum(1 for a in ADS if a['section'] == 'jobs'), sum(1 for a in ADS if a['section'] == 'services'))) + SAFETY, 0, 'en', 'page-home')
    files['help.html'] = page('Help & safety | Corkline', (
        '<main class="help">\n<h1>Help &amp; safety</h1>\n<p>Corkline is a free noticeboard. We never ask you to pay by gift card '
        'or crypto. Genuine employers do not charge fees for interviews, visas or training.</p>\n<h2 id="report">Reporting ads</h2>\n'
        '<p>Use the “Report this ad” link on any ad, or write to <a href="mailto:abuse@corkline.example">abuse@corkline.example</a>. '
        'Urgent safety concerns: +44 20 7946 0000 (Trust &amp; Safety, 24/7).</p>\n<h2 id="privacy">Privacy</h2>\n'
        '<p>Corkline Classifieds Ltd, company no. 07123456, is the data controller. Data Protection registration ZA123456.</p>\n'
        '</main>\n'), 0, 'en', 'page-help')
    files['post.html'] = page('Post an ad | Corkline', '<main><h1>Post an ad</h1><p>Posting is closed for maintenance. '
                                                        'Please try again later or email help@corkline.example.</p></main>\n', 0)
    files['reply.html'] = page('Reply to an ad | Corkline', '<main><h1>Reply to an ad</h1><p>Messaging is available to signed-in '
                                                            'members only.</p></main>\n', 0)
    files['assets/site.css'] = CSS.lstrip()

    for rel, txt in files.items():
        path = os.path.join(ROOT, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as f:
            f.write(txt)

    write_truth()


def write_truth():
    ads_out = {}
    for ad in sorted(ADS, key=lambda a: a['url']):
        adv = ad['advertiser']
        ads_out[ad['url']] = dict(
            id=ad['id'], section=ad['section'], title=ad['title'], country=ad['country'], language=ad['lang'],
            city=ad['city'], phones=sorted(ad['phones']), emails=sorted(ad['emails']),
            handles=sorted(ad['handles'], key=lambda h: (h['platform'], h['handle'])),
            network=ad['network'], advertiser=adv, advertiser_type=ad['advertiser_type'],
            posted_date=ad['date'].isoformat(), posted_text=ad['date_text'], posted_style=ad['date_style'],
            price=ad['price'], price_text_in_field=ad['price_text'],
            employer_field=ad['employer_field'], employer_in_text=ad['employer_text'],
            template=ad['template'], category=ad['category'],
            contact_forms=ad['forms'], non_phone_numbers=ad['nonphone'],
            hard_negative_tags=sorted(set(ad['tags'] + (['shared_boilerplate'] if ad['boiler'] and not ad['network'] else []))),
        )
    nets = {}
    for nid, n in NETWORKS.items():
        nets[nid] = dict(link=n['link'], description=n['description'], size=len(n['ads']),
                         sections=sorted({a['section'] for a in n['ads']}), countries=sorted({a['country'] for a in n['ads']}),
                         cities=sorted({a['city'] for a in n['ads']}), employer_names=n.get('employers', []),
                         shared_phones=n['shared_phones'], shared_emails=n['shared_emails'], shared_handles=n['shared_handles'],
                         templates=sorted({a['template'] for a in n['ads'] if a['template']}),
                         link_types=sorted(({'phone'} if n['shared_phones'] else set()) | ({'email'} if n['shared_emails'] else set())
                                           | ({'handle'} if n['shared_handles'] else set())
                                           | ({'template'} if any(a['template'] for a in n['ads']) else set())),
                         ads=sorted(a['url'] for a in n['ads']))
    advs = {}
    for name, g in ADVERTISERS.items():
        advs[name] = dict(type=g['type'], section=g['section'], description=g['description'], phones=g['phones'],
                          emails=g['emails'], clients=g.get('clients'), size=len(g['ads']),
                          ads=sorted(a['url'] for a in g['ads']))
    truth = dict(
        site='Corkline Classifieds (netsite2)', reference_time=REF.isoformat() + 'Z',
        notes=dict(
            relative_dates='Relative dates ("5 days ago", "il y a 3 jours", "yesterday", "3 hours ago") are relative to reference_time; '
                           'posted_date is the intended calendar date.',
            phones='E.164; wa.me / api.whatsapp.com numbers are counted as phones. Site-wide helpdesk number +442079460000 '
                   'and site e-mails (@corkline.example) are boilerplate and never part of an ad\'s truth.',
            price='Headline price/pay of the ad (the value in the .ad-price field when present, else the amount stated in the text); '
                  'min/max null when open-ended ("Up to", "From"); per in {hour, day, week, month, year, session, evening, 30 minutes}.',
            advertiser='Set only for same-advertiser groups (employers, agencies, a clinic, an introduction agency). '
                       'These are NOT hidden networks. Independent single ads have advertiser null.',
        ),
        site_boilerplate=dict(phones=[SITE_PHONE], emails=['help@corkline.example', 'safety@corkline.example', 'abuse@corkline.example'],
                              numbers=['07123456', 'GB 294 7711 06', 'EC1A 1AA', 'ZA123456']),
        ads=ads_out, networks=nets, advertisers=advs)
    with open(os.path.join(ROOT, 'ground_truth.json'), 'w', encoding='utf-8') as f:
        json.dump(truth, f, ensure_ascii=False, indent=1)


if __name__ == '__main__':
    main()
