# -*- coding: utf-8 -*-
"""Ad model and contact renderers."""
from core import *

ADS = []
USED_EMAILS = set()
USED_HANDLES = set()


class Ad:
    def __init__(self, section, city):
        self.section = section
        self.city = city
        self.country = country_of(city)
        self.lang = 'fr' if self.country == 'FR' else 'en'
        self.title = ''
        self.paras = []          # list of Raw html blocks (each becomes a <p> unless it starts with '<')
        self.links = []          # Raw anchors rendered in .ad-contact
        self.price = None
        self.price_raw = None
        self.date = pick_date()
        self.date_raw = None
        self.date_format = None
        self.phones, self.emails, self.handles, self.contacts = [], [], [], []
        self.network = None
        self.employer = None
        self.tags = set()
        self.template = None
        self.kind = None         # short description of the ad type
        self.id = None
        ADS.append(self)

    def rec(self, typ, value, form, raw, visible=True):
        self.contacts.append({'type': typ, 'value': value, 'form': form, 'raw': raw,
                              'number_visible_in_text': visible})
        if typ == 'phone' and value not in self.phones:
            self.phones.append(value)
        elif typ == 'email' and value not in self.emails:
            self.emails.append(value)
        elif typ == 'handle':
            if value not in self.handles:
                self.handles.append(value)

    def set_price(self, spec, bare=False, raw=None):
        self.price = spec
        self.price_raw = raw or fmt_price(spec, bare=bare)

    @property
    def path(self):
        return '%s/%d.html' % (self.section, self.id)


def reg_email(e):
    USED_EMAILS.add(e.lower())
    return e


def uniq_email(local, domain):
    e = '%s@%s' % (local, domain)
    i = 2
    while e.lower() in USED_EMAILS:
        e = '%s%d@%s' % (local, i, domain)
        i += 1
    return reg_email(e)


def uniq_handle(h):
    base = h
    i = 1
    while h.lower() in USED_HANDLES:
        i += 1
        h = '%s%d' % (base, i)
    USED_HANDLES.add(h.lower())
    return h


# ---------------------------------------------------------------- renderers
def c_phone(ad, ph, style=None, disguise=None):
    s, st = fmt_phone(ph, style)
    if disguise:
        s = DISG[disguise](s, ph)
        form = 'disguised:' + disguise
    else:
        form = 'text:%s_%s' % (ph.country.lower(), st)
    ad.rec('phone', ph.e164, form, s)
    return Raw(esc(s))


TEL_LABELS_EN = ['Call', 'Tap to call', 'Call now', '\U0001F4DE Call', 'Call me', 'Click to call']
TEL_LABELS_FR = ['Appeler', 'Appelez-moi', '\U0001F4DE Appeler', 'Afficher le numéro']
SMS_LABELS_EN = ['Text me', 'Send a text', 'SMS', 'Text']
SMS_LABELS_FR = ['Envoyer un SMS', 'SMS']
WA_LABELS_EN = ['WhatsApp', 'Chat on WhatsApp', 'Message me on WhatsApp']
WA_LABELS_FR = ['WhatsApp', 'Écrivez-moi sur WhatsApp']


def _href_num(ph, hstyle=None):
    if hstyle is None:
        hstyle = R.choice(['e164', 'e164', 'nat', 'fmt'])
    if hstyle == 'e164':
        return ph.e164
    if hstyle == 'nat':
        return ph.nat
    s, _ = fmt_phone(ph, 'dash' if ph.country != 'FR' else 'dot')
    return s


def c_tel(ad, ph, label=None, hstyle=None):
    href = 'tel:' + _href_num(ph, hstyle)
    label = label or R.choice(TEL_LABELS_FR if ad.lang == 'fr' else TEL_LABELS_EN)
    ad.rec('phone', ph.e164, 'tel_link', href, visible=False)
    return Raw('<a class="contact-btn" href="%s">%s</a>' % (escq(href), esc(label)))


def c_sms(ad, ph, label=None, hstyle=None):
    href = 'sms:' + _href_num(ph, hstyle)
    label = label or R.choice(SMS_LABELS_FR if ad.lang == 'fr' else SMS_LABELS_EN)
    ad.rec('phone', ph.e164, 'sms_link', href, visible=False)
    return Raw('<a class="contact-btn" href="%s">%s</a>' % (escq(href), esc(label)))


def c_wa(ad, ph, label=None, api=None):
    if api is None:
        api = R.random() < 0.25
    href = ('https://api.whatsapp.com/send?phone=' if api else 'https://wa.me/') + ph.intl_digits
    label = label or R.choice(WA_LABELS_FR if ad.lang == 'fr' else WA_LABELS_EN)
    ad.rec('phone', ph.e164, 'whatsapp_link', href, visible=False)
    return Raw('<a class="contact-btn" href="%s">%s</a>' % (escq(href), esc(label)))


def c_email(ad, e, obf=None):
    if obf:
        s = obf_email(e, obf)
        form = 'email_obfuscated:' + obf
    else:
        s = e
        form = 'email_text'
    ad.rec('email', e.lower(), form, s)
    return Raw(esc(s))


def c_mailto(ad, e, label=None):
    lab = label or R.choice(['Email', 'Send email', 'Email us', 'Reply by email'] if ad.lang == 'en'
                            else ['Envoyer un e-mail', 'Écrire'])
    ad.rec('email', e.lower(), 'mailto_link' + ('_visible' if label == e else ''), 'mailto:' + e,
           visible=(label == e))
    return Raw('<a class="contact-btn" href="mailto:%s">%s</a>' % (escq(e), esc(lab)))


def c_mailto_inline(ad, e):
    ad.rec('email', e.lower(), 'mailto_link_visible', 'mailto:' + e)
    return Raw('<a href="mailto:%s">%s</a>' % (escq(e), esc(e)))


def c_tg_link(ad, h, label=None):
    href = 'https://t.me/' + h
    lab = label or R.choice(['Telegram', 'Message on Telegram', '@' + h])
    ad.rec('handle', {'platform': 'telegram', 'handle': h.lower()}, 'telegram_link', href,
           visible=lab.startswith('@'))
    return Raw('<a class="contact-btn" href="%s">%s</a>' % (escq(href), esc(lab)))


def c_handle_text(ad, platform, h, style=None):
    opts = {
        'telegram': ['Telegram: @{h}', 'TG: @{h}', 'telegram @{h}', 't.me/{h}', 'Telegram \u27a1 {h}'],
        'instagram': ['IG: @{h}', 'Instagram @{h}', 'insta: {h}'],
        'snapchat': ['Snap: {h}', 'SC: {h}', 'snapchat \u2192 {h}', '\U0001F47B {h}'],
        'signal': ['Signal: @{h}'],
    }[platform]
    t = (style or R.choice(opts)).format(h=h)
    ad.rec('handle', {'platform': platform, 'handle': h.lower()}, platform + '_text', t)
    return Raw(esc(t))


def render_items(ad, items):
    """items: list of tuples. Returns (inline_list, link_list)."""
    inline, links = [], []
    for it in items:
        k = it[0]
        if k == 'phone':
            inline.append(c_phone(ad, it[1], style=it[2] if len(it) > 2 else None))
        elif k == 'phoned':
            inline.append(c_phone(ad, it[1], style=it[3] if len(it) > 3 else None, disguise=it[2]))
        elif k == 'tel':
            links.append(c_tel(ad, it[1], label=it[2] if len(it) > 2 else None))
        elif k == 'sms':
            links.append(c_sms(ad, it[1]))
        elif k == 'wa':
            links.append(c_wa(ad, it[1]))
        elif k == 'email':
            inline.append(c_email(ad, it[1], obf=it[2] if len(it) > 2 else None))
        elif k == 'mailto':
            links.append(c_mailto(ad, it[1]))
        elif k == 'mailto_inline':
            inline.append(c_mailto_inline(ad, it[1]))
        elif k == 'tg':
            links.append(c_tg_link(ad, it[1], label=it[2] if len(it) > 2 else None))
        elif k == 'htext':
            inline.append(c_handle_text(ad, it[1], it[2], style=it[3] if len(it) > 3 else None))
        else:
            raise ValueError(k)
    return inline, links


def join_or(parts, lang='en'):
    if not parts:
        return Raw('')
    if len(parts) == 1:
        return parts[0]
    sep = R.choice([' or ', ' / ', ' | ']) if lang == 'en' else R.choice([' ou ', ' / '])
    return Raw(sep.join(parts))


def default_phone_items(ad, ph, mix=None):
    """A plausible set of items for a single number."""
    r = R.random()
    if r < 0.55:
        return [('phone', ph)]
    if r < 0.70:
        return [('phone', ph), ('tel', ph)]
    if r < 0.80:
        return [('tel', ph)]
    if r < 0.86:
        return [('phone', ph), ('sms', ph)]
    if r < 0.95:
        return [('phoned', ph, R.choice(['words', 'letters', 'spaced', 'emoji', 'stars', 'fullwidth', 'words']))]
    return [('phone', ph), ('wa', ph)]
