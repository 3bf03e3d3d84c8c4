# -*- coding: utf-8 -*-
"""Core helpers for the CityBoard blind test-site generator.

Written from general knowledge only.  All phone numbers are in fictional /
drama ranges (US 555-01xx, UK 07700 900xxx and Ofcom 0xx 496 0xxx / 020 7946 0xxx,
FR 06 39 98 xx xx / 01 99 00 xx xx ...), all e-mail domains end in .example or .test.
"""
import random, html, re, datetime

R = random.Random(20250701)
REF = datetime.datetime(2025, 7, 1, 12, 0, 0)   # reference time (UTC / site-local)
REF_D = REF.date()


def esc(s):
    return html.escape(s, quote=False)


def escq(s):
    return html.escape(s, quote=True)


class Raw(str):
    """Already-escaped HTML fragment."""
    pass


def P(tpl, **kw):
    """Escape a plain-text template and fill slots (Raw slots are inserted as HTML)."""
    vals = {k: (v if isinstance(v, Raw) else esc(str(v))) for k, v in kw.items()}
    return Raw(esc(tpl).format(**vals))


# ---------------------------------------------------------------- cities
US_CITIES = [
    ('New York', 'New York, NY', ['212', '646', '718']),
    ('Los Angeles', 'Los Angeles, CA', ['213', '310']),
    ('Chicago', 'Chicago, IL', ['312', '773']),
    ('San Francisco', 'San Francisco, CA', ['415']),
    ('Boston', 'Boston, MA', ['617']),
    ('Seattle', 'Seattle, WA', ['206']),
    ('Miami', 'Miami, FL', ['305']),
    ('Austin', 'Austin, TX', ['512']),
    ('Las Vegas', 'Las Vegas, NV', ['702']),
    ('Atlanta', 'Atlanta, GA', ['404']),
    ('Houston', 'Houston, TX', ['713']),
    ('Denver', 'Denver, CO', ['303']),
    ('Phoenix', 'Phoenix, AZ', ['602']),
]
UK_CITIES = [
    ('London', 'London', '020'),
    ('Manchester', 'Manchester', '0161'),
    ('Birmingham', 'Birmingham', '0121'),
    ('Leeds', 'Leeds', '0113'),
    ('Glasgow', 'Glasgow', '0141'),
    ('Bristol', 'Bristol', '0117'),
    ('Edinburgh', 'Edinburgh', '0131'),
    ('Liverpool', 'Liverpool', '0151'),
]
FR_CITIES = [
    ('Paris', 'Paris', '019900'),
    ('Lyon', 'Lyon', '046571'),
    ('Marseille', 'Marseille', '046571'),
    ('Nice', 'Nice', '046571'),
    ('Bordeaux', 'Bordeaux', '053649'),
    ('Toulouse', 'Toulouse', '053649'),
    ('Lille', 'Lille', '035301'),
    ('Nantes', 'Nantes', '026191'),
]
CITY = {}
for n, d, acs in US_CITIES:
    CITY[n] = {'country': 'US', 'display': d, 'acs': acs}
for n, d, p in UK_CITIES:
    CITY[n] = {'country': 'UK', 'display': d, 'prefix': p}
for n, d, p in FR_CITIES:
    CITY[n] = {'country': 'FR', 'display': d, 'prefix': p}
US_NAMES = [c[0] for c in US_CITIES]
UK_NAMES = [c[0] for c in UK_CITIES]
FR_NAMES = [c[0] for c in FR_CITIES]


def country_of(city):
    return CITY[city]['country']


# ---------------------------------------------------------------- phones
USED_PHONES = set()


class Phone:
    def __init__(self, country, nat):
        self.country, self.nat = country, nat

    @property
    def e164(self):
        if self.country == 'US':
            return '+1' + self.nat
        return ('+44' if self.country == 'UK' else '+33') + self.nat[1:]

    @property
    def intl_digits(self):
        return self.e164[1:]

    def __repr__(self):
        return self.e164


def take_phone(country, nat):
    assert nat not in USED_PHONES, nat
    USED_PHONES.add(nat)
    return Phone(country, nat)


def _free(cands):
    free = [c for c in cands if c not in USED_PHONES]
    assert free
    return R.choice(free)


def new_us(ac):
    return take_phone('US', _free(['%s55501%02d' % (ac, i) for i in range(100)]))


def new_uk_mobile():
    return take_phone('UK', _free(['07700900%03d' % i for i in range(1000)]))


def new_uk_geo(city):
    p = CITY[city]['prefix']
    if p == '020':
        return take_phone('UK', _free(['02079460%03d' % i for i in range(1000)]))
    return take_phone('UK', _free(['%s4960%03d' % (p, i) for i in range(1000)]))


def new_fr_mobile():
    return take_phone('FR', _free(['063998%04d' % i for i in range(10000)]))


def new_fr_geo(city):
    p = CITY[city]['prefix']
    return take_phone('FR', _free(['%s%04d' % (p, i) for i in range(10000)]))


def new_phone(city, mobile=None):
    c = CITY[city]
    if c['country'] == 'US':
        return new_us(R.choice(c['acs']))
    if mobile is None:
        mobile = R.random() < 0.6
    if c['country'] == 'UK':
        return new_uk_mobile() if mobile else new_uk_geo(city)
    return new_fr_mobile() if mobile else new_fr_geo(city)


US_STYLES = ['paren', 'dash', 'dot', 'space', 'intl_dash', 'intl_paren', 'one_dash', 'compact', 'intl_space', 'e164']
US_W = [6, 5, 3, 2, 2, 1, 1, 1, 1, 1]
UK_STYLES = ['nat', 'compact', 'nat3', 'intl', 'intl0', 'zz', 'e164', 'dash', 'paren', 'old']
FR_STYLES = ['space', 'dot', 'dash', 'compact', 'intl', 'intl0', 'zz', 'e164']
FR_W = [7, 3, 1, 1, 2, 1, 1, 1]


def fmt_phone(ph, style=None):
    n = ph.nat
    if ph.country == 'US':
        a, b, c = n[:3], n[3:6], n[6:]
        st = {
            'paren': '(%s) %s-%s' % (a, b, c), 'dash': '%s-%s-%s' % (a, b, c),
            'dot': '%s.%s.%s' % (a, b, c), 'space': '%s %s %s' % (a, b, c),
            'intl_dash': '+1 %s-%s-%s' % (a, b, c), 'intl_paren': '+1 (%s) %s-%s' % (a, b, c),
            'one_dash': '1-%s-%s-%s' % (a, b, c), 'compact': n, 'intl_space': '+1 %s %s %s' % (a, b, c),
            'e164': '+1' + n}
        if style is None:
            style = R.choices(US_STYLES, US_W)[0]
        return st[style], style
    if ph.country == 'UK':
        core = n[1:]
        if n.startswith('07'):
            a, b = n[:5], n[5:]
            st = {'nat': '%s %s' % (a, b), 'compact': n, 'nat3': '%s %s %s' % (a, b[:3], b[3:]),
                  'intl': '+44 %s %s' % (a[1:], b), 'intl0': '+44 (0)%s %s' % (a[1:], b),
                  'zz': '0044 %s %s' % (a[1:], b), 'e164': '+44' + core,
                  'dash': '%s-%s-%s' % (a, b[:3], b[3:]), 'paren': '(%s) %s' % (a, b),
                  'old': '%s %s' % (n[:4], n[4:])}
        else:
            if n.startswith('020'):
                x, y, z = n[:3], n[3:7], n[7:]
                old = '%s %s %s' % (n[:4], n[4:7], n[7:])
            else:
                x, y, z = n[:4], n[4:7], n[7:]
                old = '%s %s' % (n[:4], n[4:])
            st = {'nat': '%s %s %s' % (x, y, z), 'compact': n, 'nat3': '%s %s%s' % (x, y, z),
                  'intl': '+44 %s %s %s' % (x[1:], y, z), 'intl0': '+44 (0)%s %s %s' % (x[1:], y, z),
                  'zz': '0044 %s %s %s' % (x[1:], y, z), 'e164': '+44' + core,
                  'dash': '%s-%s-%s' % (x, y, z), 'paren': '(%s) %s %s' % (x, y, z), 'old': old}
        if style is None:
            style = R.choices(UK_STYLES, [7, 2, 1, 3, 3, 2, 1, 1, 1, 1])[0]
        return st[style], style
    # FR
    pairs = [n[i:i + 2] for i in range(0, 10, 2)]
    core = n[1:]
    ip = [core[0]] + [core[i:i + 2] for i in range(1, 9, 2)]
    st = {'space': ' '.join(pairs), 'dot': '.'.join(pairs), 'dash': '-'.join(pairs), 'compact': n,
          'intl': '+33 ' + ' '.join(ip), 'intl0': '+33 (0)' + ' '.join(ip), 'zz': '0033 ' + ' '.join(ip),
          'e164': '+33' + core}
    if style is None:
        style = R.choices(FR_STYLES, FR_W)[0]
    return st[style], style


# ---------------------------------------------------------------- disguises
EN_W = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']
FR_U = ['zéro', 'un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix', 'onze',
        'douze', 'treize', 'quatorze', 'quinze', 'seize', 'dix-sept', 'dix-huit', 'dix-neuf']
FR_T = {2: 'vingt', 3: 'trente', 4: 'quarante', 5: 'cinquante', 6: 'soixante'}


def fr_num(v):
    if v < 20:
        return FR_U[v]
    t, u = divmod(v, 10)
    if t in FR_T:
        if u == 0:
            return FR_T[t]
        if u == 1:
            return FR_T[t] + '-et-un'
        return FR_T[t] + '-' + FR_U[u]
    if t == 7:
        return 'soixante-et-onze' if u == 1 else 'soixante-' + FR_U[10 + u]
    if t == 8:
        return 'quatre-vingts' if u == 0 else 'quatre-vingt-' + FR_U[u]
    return 'quatre-vingt-' + FR_U[10 + u]


def _clean(t):
    t = re.sub(r'\s+', ' ', t).strip()
    t = re.sub(r'\(\s+', '(', t)
    t = re.sub(r'\s+\)', ')', t)
    return t


def d_words(s, ph):
    digs = [i for i, c in enumerate(s) if c.isdigit()]
    k = max(3, int(len(digs) * R.uniform(0.35, 0.75)))
    pick = set(R.sample(digs, min(k, len(digs))))
    out = [(' %s ' % EN_W[int(c)]) if i in pick else c for i, c in enumerate(s)]
    return _clean(''.join(out))


def d_allwords(s, ph):
    out = []
    for c in s:
        out.append(' %s ' % EN_W[int(c)] if c.isdigit() else c)
    return _clean(''.join(out))


def d_letters(s, ph):
    out, ch = [], False
    for c in s:
        if c == '0' and R.random() < 0.7:
            out.append(R.choice('OOo')); ch = True
        elif c == '1' and R.random() < 0.6:
            out.append(R.choice('lI')); ch = True
        else:
            out.append(c)
    t = ''.join(out)
    if not ch:
        t = t.replace('0', 'O', 1)
    return t


def d_spaced(s, ph):
    digs = [c for c in s if c.isdigit() or c == '+']
    sep = R.choice([' ', ' ', '.', ' . '])
    return sep.join(digs)


KEYCAP = '\ufe0f\u20e3'


def d_emoji(s, ph):
    return ''.join((c + KEYCAP) if c.isdigit() else c for c in s)


def d_fullwidth(s, ph):
    return ''.join(chr(0xFF10 + int(c)) if c.isdigit() else c for c in s)


def d_split(s, ph):
    n = ph.nat
    if ph.country == 'US':
        return R.choice(['area code %s then %s %s' % (n[:3], n[3:6], n[6:]),
                         '%s ... %s ... %s' % (n[:3], n[3:6], n[6:]),
                         '%s (then) %s-%s' % (n[:3], n[3:6], n[6:])])
    if ph.country == 'UK':
        return R.choice(['%s then %s' % (n[:5], n[5:]), '%s ... %s' % (n[:5], n[5:])])
    return '%s %s puis %s %s %s' % (n[0:2], n[2:4], n[4:6], n[6:8], n[8:10])


def d_fr_words(s, ph):
    n = ph.nat
    pairs = [int(n[i:i + 2]) for i in range(0, 10, 2)]
    first = 'zéro ' + FR_U[int(n[1])]
    rest = [fr_num(p) for p in pairs[1:]]
    return R.choice([', ', ' ', ' - ']).join([first] + rest)


def d_stars(s, ph):
    return re.sub(r'[\s.\-]+', R.choice([' * ', '..', ' / ', '_']), s)


def d_mixed(s, ph):
    return d_words(d_letters(s, ph), ph) if False else d_letters(d_words(s, ph), ph)


DISG = {'words': d_words, 'allwords': d_allwords, 'letters': d_letters, 'spaced': d_spaced,
        'emoji': d_emoji, 'fullwidth': d_fullwidth, 'split': d_split, 'fr_words': d_fr_words,
        'stars': d_stars, 'mixed': d_mixed}


# ---------------------------------------------------------------- e-mail obfuscation
def obf_email(e, kind):
    local, dom = e.split('@')
    dparts = dom.split('.')
    if kind == 'at_dot':
        return '%s at %s' % (local, ' dot '.join(dparts))
    if kind == 'brackets':
        return '%s [at] %s' % (local, ' [dot] '.join(dparts))
    if kind == 'parens':
        return '%s(at)%s' % (local, '(dot)'.join(dparts))
    if kind == 'spaced':
        return '%s @ %s' % (local, ' . '.join(dparts))
    if kind == 'caps':
        return '%s AT %s' % (local, ' DOT '.join(dparts))
    if kind == 'fr':
        return '%s arobase %s' % (local, ' point '.join(dparts))
    if kind == 'braces':
        return '%s{at}%s' % (local, dom)
    if kind == 'nodot':
        return '%s @ %s (%s)' % (local, dparts[0], '.'.join(dparts[1:]))
    raise ValueError(kind)


OBF_KINDS = ['at_dot', 'brackets', 'parens', 'spaced', 'caps', 'braces']

# ---------------------------------------------------------------- dates
MON_EN = [None, 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
          'September', 'October', 'November', 'December']
MON_FR = [None, 'janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août',
          'septembre', 'octobre', 'novembre', 'décembre']


def ordinal(d):
    if 11 <= d <= 13:
        return '%dth' % d
    return '%d%s' % (d, {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th'))


def pick_date():
    if R.random() < 0.16:
        days = R.choice([0, 0, 0, 1, 1, 2, 3, 4, 5, 6])
    else:
        days = R.randint(0, 72)
    return REF_D - datetime.timedelta(days=days)


def fmt_date(d, country):
    days = (REF_D - d).days
    if days <= 6 and R.random() < 0.85:
        if country == 'FR':
            if days == 0:
                h = R.randint(1, 11)
                return R.choice(['il y a %d heure%s' % (h, 's' if h > 1 else ''), "aujourd'hui"]), 'relative'
            if days == 1:
                return 'hier', 'relative'
            return 'il y a %d jours' % days, 'relative'
        if days == 0:
            h = R.randint(2, 11)
            return R.choice(['%d hours ago' % h, '%d hours ago' % h, 'today', '%dh ago' % h]), 'relative'
        if days == 1:
            return R.choice(['yesterday', 'Yesterday']), 'relative'
        return '%d days ago' % days, 'relative'
    y, m, dd = d.year, d.month, d.day
    if country == 'US':
        k = R.choices(['long', 'abbr', 'mdy', 'mdy_short', 'iso'], [5, 3, 2, 2, 1])[0]
        s = {'long': '%s %d, %d' % (MON_EN[m], dd, y), 'abbr': '%s %d, %d' % (MON_EN[m][:3], dd, y),
             'mdy': '%02d/%02d/%d' % (m, dd, y), 'mdy_short': '%d/%d/%d' % (m, dd, y),
             'iso': d.isoformat()}[k]
        return s, k
    if country == 'UK':
        k = R.choices(['dmy', 'long', 'ordinal', 'abbr', 'iso'], [5, 3, 2, 2, 1])[0]
        s = {'dmy': '%02d/%02d/%d' % (dd, m, y), 'long': '%d %s %d' % (dd, MON_EN[m], y),
             'ordinal': '%s %s %d' % (ordinal(dd), MON_EN[m], y), 'abbr': '%d %s %d' % (dd, MON_EN[m][:3], y),
             'iso': d.isoformat()}[k]
        return s, k
    k = R.choices(['fr_long', 'dmy', 'dmy_dot'], [6, 3, 1])[0]
    s = {'fr_long': '%s %s %d' % ('1er' if dd == 1 else str(dd), MON_FR[m], y),
         'dmy': '%02d/%02d/%d' % (dd, m, y), 'dmy_dot': '%02d.%02d.%d' % (dd, m, y)}[k]
    return s, k


# ---------------------------------------------------------------- prices
SYM = {'USD': '$', 'GBP': '£'}


def _n(v, cur, sep=','):
    if cur == 'EUR':
        if v == int(v):
            s = '{:,}'.format(int(v)).replace(',', ' ')
        else:
            s = ('%.2f' % v).replace('.', ',')
        return s
    if v == int(v):
        return '{:,}'.format(int(v))
    return '%.2f' % v


def _k(v):
    return ('%g' % (v / 1000.0))


def fmt_price(spec, bare=False):
    mn, mx, cur, per = spec['min'], spec['max'], spec['currency'], spec['per']
    if cur in SYM:
        s = '' if bare else SYM[cur]
        a = s + _n(mn, cur) if mn is not None else None
        b = s + _n(mx, cur) if mx is not None else None
        if cur == 'USD':
            per_opts = {'hour': ['/hr', ' per hour', '/hour', ' an hour'], 'year': [' a year', ' per year', '/yr'],
                        'week': ['/week', ' per week', ' weekly'], 'day': ['/day', ' per day'],
                        'month': ['/month', ' per month'], 'assignment': [' per assignment'],
                        'session': [' per session', '/session'], 'evening': [' per evening']}[per]
        else:
            per_opts = {'hour': [' per hour', ' ph', '/hr', ' an hour'], 'year': [' per annum', ' p.a.', ' a year'],
                        'week': [' per week', ' p/w', ' a week'], 'day': [' per day', '/day'],
                        'month': [' per month', ' pcm'], 'assignment': [' per assignment'],
                        'session': [' per session'], 'evening': [' per evening', ' an evening']}[per]
        pe = R.choice(per_opts)
        if mn is not None and mx is not None and mn != mx:
            if per == 'year' and R.random() < 0.4 and mn % 1000 == 0 and mx % 1000 == 0:
                kk = 'K' if cur == 'USD' else 'k'
                return '%s%s%s–%s%s%s%s' % (s, _k(mn), kk, s, _k(mx), kk, '/yr' if cur == 'USD' else '')
            j = R.choice([' to ', ' - ', '–', ' – '])
            return a + j + b + pe
        if mn is not None and mx is not None:
            return a + pe
        if mn is None:
            return 'Up to ' + b + pe
        return R.choice(['From ' + a + pe, a + '+' + pe])
    # EUR
    per_opts = {'hour': [' € / heure', '€/h', " € de l'heure", ' € brut/h', ' €/heure'],
                'month': [' € brut / mois', ' € brut mensuel', '€ brut/mois'],
                'year': [' € brut annuel', ' € brut/an', ' € par an'],
                'week': [' € / semaine'], 'day': [' € / jour', ' € par jour'],
                'session': [' € la séance'], 'evening': [' € la soirée'], 'assignment': [' € par mission']}[per]
    pe = R.choice(per_opts)
    a = _n(mn, cur) if mn is not None else None
    b = _n(mx, cur) if mx is not None else None
    if mn is not None and mx is not None and mn != mx:
        if per == 'year' and R.random() < 0.3:
            return '%s-%s k€/an' % (_k(mn), _k(mx))
        return a + R.choice([' – ', ' à ', '-']) + b + pe
    if mn is not None and mx is not None:
        return a + pe
    if mn is None:
        return "Jusqu'à " + b + pe
    return 'À partir de ' + a + pe


def price(mn, mx, cur, per):
    return {'min': mn, 'max': mx, 'currency': cur, 'per': per}


CUR = {'US': 'USD', 'UK': 'GBP', 'FR': 'EUR'}
