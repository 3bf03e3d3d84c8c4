# -*- coding: utf-8 -*-
"""Phone / e-mail / handle allocation and rendering (all fictional)."""
import html

E = lambda s: html.escape(s, quote=False)
A = lambda s: html.escape(s, quote=True)

SITE_PHONE = '+442079460000'


class Alloc:
    def __init__(self, rnd):
        self.R = rnd
        self.used_phones = {SITE_PHONE}
        self.used_emails = set()
        self.used_handles = set()

    # ------------------------------------------------------------ phones
    def phone(self, country, kind=None, area=None):
        R = self.R
        for _ in range(10000):
            if country == 'UK':
                k = kind or R.choice(['mob', 'mob', 'mob', 'lon'])
                if k == 'mob':
                    e = '+447700900%03d' % R.randrange(1000)
                else:
                    e = '+442079460%03d' % R.randrange(1000)
            elif country == 'FR':
                k = kind or R.choice(['mob', 'mob', 'mob', 'fixe'])
                if k == 'mob':
                    e = '+3363998%04d' % R.randrange(10000)
                else:
                    e = '+3319900%04d' % R.randrange(10000)
            elif country == 'AU':
                k = 'mob'
                e = '+61491570%03d' % R.randrange(1000)
            elif country in ('US', 'CA'):
                k = 'nanp'
                e = '+1%s55501%02d' % (area, R.randrange(100))
            else:
                raise ValueError(country)
            if e not in self.used_phones:
                self.used_phones.add(e)
                return dict(e164=e, country=country, kind=k)
        raise RuntimeError('phone pool exhausted')

    def email(self, local, domain):
        addr = '%s@%s' % (local.lower(), domain.lower())
        n = 2
        base_local = local.lower()
        while addr in self.used_emails:
            addr = '%s%d@%s' % (base_local, n, domain.lower())
            n += 1
        self.used_emails.add(addr)
        return addr

    def handle(self, platform, h):
        key = (platform, h.lower())
        n = 2
        base = h
        while key in self.used_handles:
            h = '%s%d' % (base, n)
            key = (platform, h.lower())
            n += 1
        self.used_handles.add(key)
        return h.lower()


def national(p):
    e = p['e164']
    if e.startswith('+1'):
        return e[2:]
    return '0' + e[3:]


def std_format(p, style):
    n = national(p)
    e = p['e164']
    c = p['country']
    if c in ('US', 'CA'):
        a, b, d = n[:3], n[3:6], n[6:]
        m = {'nat': '(%s) %s-%s' % (a, b, d), 'nat_dash': '%s-%s-%s' % (a, b, d),
             'nat_dots': '%s.%s.%s' % (a, b, d), 'nat_alt': '%s %s %s' % (a, b, d),
             'nat_compact': n, 'nat_1': '1-%s-%s-%s' % (a, b, d),
             'intl': '+1 %s %s %s' % (a, b, d), 'intl_paren': '+1 (%s) %s-%s' % (a, b, d),
             'intl_dash': '+1-%s-%s-%s' % (a, b, d), 'intl_compact': e,
             'intl_00': '001 %s %s %s' % (a, b, d)}
    elif c == 'UK' and p['kind'] == 'mob':
        m = {'nat': n[:5] + ' ' + n[5:], 'nat_alt': n[:5] + ' ' + n[5:8] + ' ' + n[8:],
             'nat_dash': n[:5] + '-' + n[5:8] + '-' + n[8:], 'nat_dots': n[:5] + '.' + n[5:8] + '.' + n[8:],
             'nat_compact': n, 'intl': '+44 ' + n[1:5] + ' ' + n[5:],
             'intl_paren': '+44 (0)' + n[1:5] + ' ' + n[5:],
             'intl_00': '0044 ' + n[1:5] + ' ' + n[5:8] + ' ' + n[8:], 'intl_compact': e,
             'intl_dash': '+44-' + n[1:5] + '-' + n[5:]}
    elif c == 'UK':
        m = {'nat': '020 %s %s' % (n[3:7], n[7:]), 'nat_alt': '0207 %s %s' % (n[4:7], n[7:]),
             'nat_paren': '(020) %s %s' % (n[3:7], n[7:]), 'nat_dash': '020-%s-%s' % (n[3:7], n[7:]),
             'nat_compact': n, 'intl': '+44 20 %s %s' % (n[3:7], n[7:]),
             'intl_paren': '+44 (0)20 %s %s' % (n[3:7], n[7:]),
             'intl_00': '0044 20 %s %s' % (n[3:7], n[7:]), 'intl_compact': e,
             'intl_dash': '+44-20-%s-%s' % (n[3:7], n[7:])}
    elif c == 'FR':
        pr = [n[i:i + 2] for i in range(0, 10, 2)]
        m = {'nat': ' '.join(pr), 'nat_dots': '.'.join(pr), 'nat_dash': '-'.join(pr), 'nat_compact': n,
             'nat_alt': n[:2] + ' ' + n[2:6] + ' ' + n[6:],
             'intl': '+33 ' + n[1] + ' ' + ' '.join(pr[1:]),
             'intl_paren': '+33 (0)' + n[1] + ' ' + ' '.join(pr[1:]),
             'intl_00': '0033 ' + n[1] + ' ' + ' '.join(pr[1:]), 'intl_compact': e,
             'intl_dash': '+33-' + n[1] + '-' + '-'.join(pr[1:])}
    elif c == 'AU':
        m = {'nat': n[:4] + ' ' + n[4:7] + ' ' + n[7:], 'nat_alt': n[:2] + ' ' + n[2:6] + ' ' + n[6:],
             'nat_dash': n[:4] + '-' + n[4:7] + '-' + n[7:], 'nat_dots': n[:4] + '.' + n[4:7] + '.' + n[7:],
             'nat_compact': n, 'intl': '+61 ' + n[1:4] + ' ' + n[4:7] + ' ' + n[7:],
             'intl_paren': '+61 (0)' + n[1:4] + ' ' + n[4:7] + ' ' + n[7:], 'intl_compact': e,
             'intl_00': '0061 ' + n[1:4] + ' ' + n[4:7] + ' ' + n[7:],
             'intl_dash': '+61-' + n[1:4] + '-' + n[4:7] + '-' + n[7:]}
    else:
        raise ValueError(c)
    return m.get(style) or m['nat']


EN_D = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']
FR_D = ['zéro', 'un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf']
FR_U = FR_D + ['dix', 'onze', 'douze', 'treize', 'quatorze', 'quinze', 'seize', 'dix-sept', 'dix-huit',
               'dix-neuf']
FR_T = {20: 'vingt', 30: 'trente', 40: 'quarante', 50: 'cinquante', 60: 'soixante'}


def fr_num(n):
    if n < 20:
        return FR_U[n]
    if n < 70:
        t, u = n // 10 * 10, n % 10
        if u == 0:
            return FR_T[t]
        if u == 1:
            return FR_T[t] + ' et un'
        return FR_T[t] + '-' + FR_U[u]
    if n < 80:
        if n == 71:
            return 'soixante et onze'
        return 'soixante-' + FR_U[n - 60]
    if n == 80:
        return 'quatre-vingts'
    return 'quatre-vingt-' + FR_U[n - 80]


def words_groups(groups, mode):
    out = []
    for g in groups:
        if mode == 'oh':
            ws = []
            i = 0
            while i < len(g):
                ch = g[i]
                w = 'oh' if ch == '0' else EN_D[int(ch)]
                if i + 1 < len(g) and g[i + 1] == ch:
                    ws.append('double ' + w)
                    i += 2
                else:
                    ws.append(w)
                    i += 1
            out.append(' '.join(ws))
        elif mode == 'fr_pairs':
            ws = []
            for j in range(0, len(g), 2):
                pair = g[j:j + 2]
                if len(pair) == 2 and pair[0] != '0':
                    ws.append(fr_num(int(pair)))
                else:
                    ws.extend(FR_D[int(ch)] for ch in pair)
            out.append(' '.join(ws))
        elif mode == 'fr':
            out.append(' '.join(FR_D[int(ch)] for ch in g))
        else:
            out.append(' '.join(EN_D[int(ch)] for ch in g))
    return out


def groups_of(s):
    return [g for g in s.replace('(', ' ').replace(')', ' ').replace('-', ' ').replace('.', ' ').split() if g]


LINK_ONLY = {'tel_only', 'sms_only', 'wa_link', 'wa_api'}
DISGUISED = {'words', 'words_oh', 'words_fr', 'letters', 'spaced', 'split_lines', 'split_text', 'mixed', 'stars'}


def render_phone(p, style, lang, R):
    """Return html fragment for the phone in the given style."""
    e = p['e164']
    if style in ('words', 'words_oh', 'words_fr'):
        base = std_format(p, R.choice(['nat', 'nat_alt']) if p['country'] != 'FR' else 'nat')
        gs = groups_of(base)
        if style == 'words_fr':
            mode = 'fr_pairs' if p['country'] == 'FR' else 'fr'
        elif style == 'words_oh':
            mode = 'oh'
        else:
            mode = 'en'
        sep = R.choice([' - ', ', ', ' / ', ' … '])
        return E(sep.join(words_groups(gs, mode)))
    if style == 'mixed':
        base = std_format(p, 'nat_alt' if p['country'] not in ('FR',) else 'nat')
        gs = groups_of(base)
        i = R.randrange(1, len(gs))
        mode = 'fr' if lang == 'fr' else 'en'
        gs[i] = words_groups([gs[i]], mode)[0].upper() if R.random() < .5 else words_groups([gs[i]], mode)[0]
        return E(' '.join(gs))
    if style == 'letters':
        base = std_format(p, R.choice(['nat', 'nat_alt', 'intl']))
        one = R.choice(['l', 'I', 'i'])
        s = base.replace('0', 'O').replace('1', one)
        if R.random() < .3:
            s = s.replace('8', 'B')
        return E(s)
    if style == 'spaced':
        base = std_format(p, R.choice(['nat_compact', 'nat_compact', 'intl_compact']))
        return E(' '.join(base))
    if style == 'stars':
        base = std_format(p, 'nat_alt' if p['country'] != 'FR' else 'nat')
        return E(R.choice(['*', '#', '~']).join(groups_of(base)))
    if style == 'split_lines':
        base = std_format(p, R.choice(['nat', 'nat_alt', 'intl']))
        gs = base.split(' ')
        if len(gs) < 2:
            gs = [base[:len(base) // 2], base[len(base) // 2:]]
        i = R.randrange(1, len(gs))
        return E(' '.join(gs[:i])) + '<br>\n' + E(' '.join(gs[i:]))
    if style == 'split_text':
        base = std_format(p, 'nat_compact')
        i = R.randrange(4, len(base) - 3)
        a, b = base[:i], base[i:]
        if lang == 'fr':
            t = R.choice(['commence par {a}, et ensuite {b}', '{a} (puis) {b}', 'début : {a} – fin : {b}'])
        else:
            t = R.choice(['starts {a} and ends {b}', 'first part {a}, second part {b}', '{a} … then {b}'])
        return E(t.format(a=a, b=b))
    if style == 'tel_visible':
        return '<a class="tel" href="tel:%s">%s</a>' % (A(e), E(std_format(p, R.choice(['nat', 'intl']))))
    if style in ('tel_only', 'sms_only'):
        href = R.choice([e, e, std_format(p, 'nat_compact'), std_format(p, 'intl_dash')])
        if style == 'tel_only':
            label = R.choice(['Appeler', 'Appelez-moi', 'Appel direct']) if lang == 'fr' else \
                R.choice(['Call now', 'Tap to call', 'Call me', 'Phone us'])
            return '<a class="btn btn-call" href="tel:%s">%s</a>' % (A(href), E(label))
        label = R.choice(['Envoyer un SMS', 'SMS']) if lang == 'fr' else \
            R.choice(['Text me', 'Send a text', 'SMS', 'Text now'])
        return '<a class="btn btn-sms" href="sms:%s">%s</a>' % (A(href), E(label))
    if style == 'wa_link':
        label = R.choice(['WhatsApp', 'Message on WhatsApp', 'Chat on WhatsApp'])
        return '<a class="btn btn-wa" href="https://wa.me/%s">%s</a>' % (e[1:], E(label))
    if style == 'wa_api':
        return '<a class="btn btn-wa" href="https://api.whatsapp.com/send?phone=%s">%s</a>' % (
            e[1:], E('WhatsApp' if lang != 'fr' else 'Écrire sur WhatsApp'))
    if style == 'wa_text':
        return E('WhatsApp ' + std_format(p, R.choice(['intl', 'intl_compact', 'nat'])))
    return E(std_format(p, style))


def render_email(addr, style, lang, R):
    local, dom = addr.split('@')
    d1, tld = dom.rsplit('.', 1)
    if style == 'plain':
        return E(addr)
    if style == 'mailto_visible':
        return '<a href="mailto:%s">%s</a>' % (A(addr), E(addr))
    if style == 'mailto_label':
        label = R.choice(['Écrivez-nous', 'Envoyer un e-mail', 'Postuler par e-mail']) if lang == 'fr' else \
            R.choice(['Email us', 'Send your CV', 'Email me', 'Apply by email', 'Send an email'])
        return '<a class="btn btn-mail" href="mailto:%s?subject=%s">%s</a>' % (A(addr), 'Corkline%20ad', E(label))
    if style == 'at_paren':
        return E('%s (at) %s (dot) %s' % (local, d1, tld))
    if style == 'at_bracket':
        return E('%s [at] %s [dot] %s' % (local, d1, tld))
    if style == 'at_words':
        return E('%s at %s dot %s' % (local, d1, tld))
    if style == 'at_caps':
        return E('%s AT %s DOT %s' % (local, d1, tld))
    if style == 'at_fr':
        return E('%s arobase %s point %s' % (local, d1, tld))
    if style == 'spaced':
        return E('%s @ %s . %s' % (local, d1, tld))
    if style == 'fullwidth':
        return E('%s＠%s.%s' % (local, d1, tld))
    if style == 'entity':
        return ''.join('&#%d;' % ord(ch) for ch in addr)
    raise ValueError(style)


def render_handle(platform, h, style, lang, R):
    if platform == 'telegram':
        if style == 'link':
            return '<a class="btn btn-tg" href="https://t.me/%s">%s</a>' % (h, E(R.choice(['Telegram', 'Message me on Telegram'])))
        if style == 'url_text':
            return E('t.me/' + h)
        return E(R.choice(['Telegram: @', 'TG @', 'Telegram @']) + h)
    if platform == 'instagram':
        if style == 'link':
            return '<a href="https://instagram.com/%s">%s</a>' % (h, 'Instagram')
        if style == 'url_text':
            return E('instagram.com/' + h)
        return E(R.choice(['IG: @', 'Insta @', 'Instagram: @']) + h)
    if platform == 'snapchat':
        if style == 'link':
            return '<a href="https://snapchat.com/add/%s">%s</a>' % (h, 'Add me on Snapchat')
        if style == 'url_text':
            return E('snapchat.com/add/' + h)
        return E(R.choice(['Snap: ', 'Snapchat: ', 'sc: ']) + h)
    raise ValueError(platform)
