# -*- coding: utf-8 -*-
"""Writes README.md from ground_truth.json (so every count in the README is computed, not typed)."""
import json
import os
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
t = json.load(open(os.path.join(ROOT, 'ground_truth.json'), encoding='utf-8'))
ads = t['ads']
nets = t['networks']
advs = t['advertisers']

sec = Counter(a['section'] for a in ads.values())
ctry = Counter(a['country'] for a in ads.values())
lang = Counter(a['language'] for a in ads.values())
net_ads = [a for a in ads.values() if a['network']]
adv_ads = [a for a in ads.values() if a['advertiser']]
single = [a for a in ads.values() if not a['network'] and not a['advertiser']]

phone_st, email_st, handle_st = Counter(), Counter(), Counter()
for a in ads.values():
    for f in a['contact_forms']:
        if f['type'] == 'phone':
            phone_st[f['style']] += 1
        elif f['type'] == 'email':
            email_st[f['style']] += 1
        else:
            handle_st['%s / %s' % (f['platform'], f['style'])] += 1
np_kind = Counter(n['kind'] for a in ads.values() for n in a['non_phone_numbers'])
date_st = Counter(a['posted_style'] for a in ads.values())
tags = Counter(tg for a in ads.values() for tg in a['hard_negative_tags'])
link = Counter(n['link'] for n in nets.values())
phones_all = {p for a in ads.values() for p in a['phones']}
emails_all = {e for a in ads.values() for e in a['emails']}
handles_all = {(h['platform'], h['handle']) for a in ads.values() for h in a['handles']}
country_of = lambda p: ('US/CA' if p.startswith('+1') else 'UK' if p.startswith('+44') else 'FR' if p.startswith('+33')
                        else 'AU' if p.startswith('+61') else '?')
ph_c = Counter(country_of(p) for p in phones_all)

PH_DESC = {
    'nat': 'national, usual grouping (07700 900123 / (212) 555-0134 / 06 39 98 12 34 / 0491 570 123)',
    'nat_alt': 'national, alternative grouping (07700 900 123, 0207 946 0123, 212 555 0134, 04 9157 0123)',
    'nat_dash': 'national with dashes', 'nat_dots': 'national with dots (06.39.98.12.34, 212.555.0134)',
    'nat_paren': 'national with (020) area code', 'nat_compact': 'national, no separators',
    'nat_1': 'US 1-212-555-0134', 'intl': 'international +CC with spaces', 'intl_paren': 'international with (0): +44 (0)7700 …',
    'intl_00': 'international with 00 prefix (0044 …, 0033 …, 001 …)', 'intl_compact': 'E.164 as written (+447700900123)',
    'intl_dash': 'international with dashes', 'tel_visible': 'tel: link whose text is the number',
    'tel_only': 'number ONLY inside a tel: link (“Call now”)', 'sms_only': 'number ONLY inside an sms: link (“Text me”)',
    'wa_link': 'number ONLY inside a wa.me link', 'wa_api': 'number ONLY inside an api.whatsapp.com/send?phone= link',
    'wa_text': '“WhatsApp +44 7700 900123” written out', 'words': 'digits as English words',
    'words_oh': 'English words with “oh” and “double”', 'words_fr': 'French words (pairs: “trente-neuf”, or single digits)',
    'letters': 'letters for digits (O for 0, l/I/i for 1, sometimes B for 8)', 'spaced': 'every digit separated by spaces',
    'split_lines': 'number split over two lines (<br>)', 'split_text': 'number split in a sentence (“starts 07700 9 and ends 00123”)',
    'mixed': 'one group of digits written as words', 'stars': 'groups joined by * # or ~',
}
EM_DESC = {'plain': 'plain address in text', 'mailto_visible': 'mailto: link showing the address',
           'mailto_label': 'address ONLY in a mailto: link (“Email us”)', 'at_paren': 'name (at) domain (dot) tld',
           'at_bracket': 'name [at] domain [dot] tld', 'at_words': 'name at domain dot tld', 'at_caps': 'name AT domain DOT tld',
           'spaced': 'name @ domain . tld', 'fullwidth': 'full-width ＠', 'entity': 'every character as an HTML numeric entity',
           'at_fr': 'French “arobase … point …”'}


def tbl(rows, head):
    out = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    out += ['| ' + ' | '.join(str(c) for c in r) + ' |' for r in rows]
    return '\n'.join(out)


net_rows = []
for nid, n in sorted(nets.items()):
    net_rows.append((nid, n['size'], n['link'], ', '.join(n['link_types']), '+'.join(n['sections']), ', '.join(n['countries']),
                     len(n['employer_names']) if len(n['employer_names']) > 1 else (n['employer_names'][0] if n['employer_names'] else '–'),
                     n['description']))
adv_rows = [(name, g['type'], g['section'], g['size'], len(g['phones']), len(g['emails']),
             len(g['clients']) if g.get('clients') else '–') for name, g in advs.items()]
emp_field = sum(1 for a in ads.values() if a['section'] == 'jobs' and a['employer_field'])
emp_text_only = sum(1 for a in ads.values() if a['section'] == 'jobs' and not a['employer_field'] and a['employer_in_text'])
emp_none = sum(1 for a in ads.values() if a['section'] == 'jobs' and not a['employer_field'] and not a['employer_in_text'])
no_contact = sum(1 for a in ads.values() if not (a['phones'] or a['emails'] or a['handles']))
priced = sum(1 for a in ads.values() if a['price'])
link_only = sum(phone_st[s] for s in ('tel_only', 'sms_only', 'wa_link', 'wa_api'))
disg = sum(phone_st[s] for s in ('words', 'words_oh', 'words_fr', 'letters', 'spaced', 'split_lines', 'split_text', 'mixed', 'stars'))
em_obf = sum(email_st[s] for s in ('at_paren', 'at_bracket', 'at_words', 'at_caps', 'spaced', 'fullwidth', 'entity', 'at_fr'))
multi_emp = [k for k, n in nets.items() if len(n['employer_names']) > 1]
cross = [k for k, n in nets.items() if len(n['sections']) > 1]
multi_c = [k for k, n in nets.items() if len(n['countries']) > 1]
tmpl_only = [k for k, n in nets.items() if n['link_types'] == ['template']]
contact_only = [k for k, n in nets.items() if 'template' not in n['link_types']]
both = [k for k, n in nets.items() if 'template' in n['link_types'] and len(n['link_types']) > 1]

readme = f"""# Corkline Classifieds — network-linking test site (netsite2)

A small, static, fictional classifieds website ("Corkline – the community noticeboard") for measuring a tool that
links online classified ads into the networks behind them. Plain HTML + one CSS file, no JavaScript.
Start crawling at `index.html`.

* **Reference time:** `{t['reference_time']}` (2025-07-01 12:00 UTC). All relative dates (“5 days ago”, “yesterday”,
  “3 hours ago”, “il y a 3 jours”, “hier”, “aujourd'hui”, “il y a 2 semaines”) are relative to this instant;
  `posted_date` in the ground truth is the intended calendar date. Dates written without a year (“Monday 23 June”) are 2025.
* **How it was written:** independently, from general knowledge of how real job boards and personal-services
  classifieds look. No code search, repository, web or other projects' files were consulted. The site is produced by a
  deterministic Python generator (`_build/gen.py`, `content.py`, `contacts.py`; fixed seed 20250701). `_build/validate.py`
  re-checks the output; `_build/make_readme.py` writes this file's numbers from `ground_truth.json`.
  Nothing under `_build/` is linked from the site.
* **All data is fictional.** Phone numbers only from the reserved or fictional ranges: US/Canada `NPA-555-01xx`, UK
  `07700 900xxx` and `020 7946 0xxx`, France `06 39 98 xx xx` and `01 99 00 xx xx`, Australia `0491 570 xxx`. E-mail
  domains end in `.example` or `.test`. The personal-services section is strictly non-explicit (massage therapy,
  social companionship, dating/friendship). Only adults appear; no stated age is under 21 (ads say “21+”, ages 25–58).

## Layout and CSS selectors

| what | where / selector |
|---|---|
| home | `index.html` (links to both sections), plus `help.html`, `post.html`, `reply.html` |
| listing pages | `jobs/index.html`, `jobs/p2.html` … ; `companions/index.html`, `companions/p2.html` … (25 ads a page, newest first) |
| listing rows | `tr.listing-row`; link `a.ad-link`; `td.l-date`, `td.l-city`, `td.l-price` |
| pagination | `a.next[rel=next]`, `a.prev[rel=prev]`, `span.page-no` |
| ad pages | `jobs/ad/J12345-slug.html`, `companions/ad/C12345-slug.html`; `main.ad[data-ad-id]` |
| title | `h1.ad-title` |
| fields (jobs) | **table** `table.ad-meta`: `td.ad-id`, `td.ad-posted`, `span.ad-city`, `span.ad-area`, `td.ad-employer` (only on some ads), `td.ad-price`, `td.ad-contract`, `td.ad-jobref` |
| fields (services) | **definition list** `dl.ad-meta`: `dd.ad-id`, `dd.ad-posted`, `span.ad-city`, `span.ad-area`, `dd.ad-category`, `dd.ad-price`, `dd.ad-langs` |
| ad text | `div.ad-text` (contacts are sometimes inside the text) |
| contact block | `div.ad-contact p.contact-line` (buttons: `a.btn-call`, `a.btn-sms`, `a.btn-wa`, `a.btn-tg`, `a.btn-mail`, `a.reply`) |
| boilerplate | `header.site-header`, `aside.safety`, `footer.site-footer` (`span.site-phone`), `p.ad-report` (“Report this ad” → mailto abuse@corkline.example) |

French-language ads (France and Montreal) use French labels (Publiée, Lieu, Salaire, Contrat, Tarif …) with the same classes.

## Ground truth (`ground_truth.json`)

* `reference_time`, `notes`, `site_boilerplate` (site phone `+442079460000`, site e-mails, site company numbers — never part of an ad).
* `ads`: keyed by relative URL path (`jobs/ad/….html`). Per ad: `section` (`jobs`|`services`), `title`, `country`,
  `language`, `city`, `phones` (E.164), `emails`, `handles` (`{{platform, handle}}`), `network` (id or null),
  `advertiser` (name for same-advertiser ads, else null) and `advertiser_type`, `posted_date` (ISO), `posted_text`,
  `posted_style`, `price` (`{{min, max, currency, per}}` or null; min/max null when open-ended), `price_text_in_field`,
  `employer_field` (name shown in the Employer field, or null), `employer_in_text`, `template` (template id or null),
  `category` (services), `contact_forms` (every appearance of a contact with its written style),
  `non_phone_numbers` (kind + text), `hard_negative_tags`.
* `networks`: per id — `link` (contact / template / contact+template / handle), `link_types`, `description`, `size`,
  `sections`, `countries`, `cities`, `employer_names` (fake employer names used), `shared_phones`, `shared_emails`,
  `shared_handles`, `templates`, `ads`.
* `advertisers`: same-advertiser groups (NOT hidden networks) — `type`, `section`, `phones`, `emails`, `clients` (agencies), `ads`.
* wa.me / api.whatsapp.com numbers are counted as phones (they are not repeated under handles). Handles are lower-case without “@”.

## Counts

**Ads:** {len(ads)} — jobs {sec['jobs']}, services/companionship {sec['services']}.
By country: {', '.join(f'{k} {v}' for k, v in ctry.most_common())}. Languages: English {lang['en']}, French {lang['fr']}.
In a hidden network: {len(net_ads)}; in a same-advertiser group: {len(adv_ads)}; single independent ads: {len(single)}.
Ads with a price/pay in the truth: {priced}. Ads with no contact at all (site reply button only): {no_contact}.
Job ads with the employer in the Employer field: {emp_field}; employer named only in the text: {emp_text_only};
no employer name anywhere (anonymous / “our client”): {emp_none}.

Distinct identifiers in the truth: {len(phones_all)} phones ({', '.join(f'{k} {v}' for k, v in sorted(ph_c.items()))}),
{len(emails_all)} e-mails, {len(handles_all)} handles.

### Hidden networks: {len(nets)} networks, {len(net_ads)} ads (sizes 3–15)

By `link`: {', '.join(f'{k} {v}' for k, v in sorted(link.items()))}.
* linked only by contact (phone / e-mail / handle, no template): {len(contact_only)} — {', '.join(contact_only)}
  (of which handle-only: {', '.join(k for k, n in nets.items() if n['link_types'] == ['handle'])};
  e-mail-only: {', '.join(k for k, n in nets.items() if n['link_types'] == ['email'])})
* linked only by a reused text template (every ad has its own contact): {len(tmpl_only)} — {', '.join(tmpl_only)}
* linked by template and contact: {len(both)} — {', '.join(both)} (N06: the template covers only its 4 job ads)
* spanning both sections: {', '.join(cross)}
* spanning several countries: {', '.join(multi_c)}
* posting under several different (fake) employer names: {', '.join(multi_emp)}
* N16 and N18 ads also carry their own, different phone numbers (extra numbers do NOT link them).

{tbl(net_rows, ['id', 'ads', 'link', 'link types', 'sections', 'countries', 'employer names', 'description'])}

### Same-advertiser groups (hard negatives — not hidden networks): {len(advs)} groups, {len(adv_ads)} ads

{tbl(adv_rows, ['advertiser', 'type', 'section', 'ads', 'phones', 'e-mails', 'clients'])}

Employers share one HR phone and/or e-mail across their ads; in some of their ads the employer is named only in the
text (no Employer field). The two agencies (Talentbridge Recruitment, Horizon Staffing Solutions) post for several
client companies (the client is named in the text and sometimes in the Employer field) with the agency's own phone and
consultant e-mails on a shared agency domain; their `advertiser` is the agency.

### Other hard negatives

* `shared_boilerplate`: {tags['shared_boilerplate']} non-network job ads from different employers reuse standard duty,
  requirement and benefit sentences (“Full training will be provided.”, “We offer a competitive salary, paid holidays
  and a company pension scheme.”, “Must have the right to work in the UK.”, “Mutuelle d’entreprise et tickets restaurant.” …).
  Duties/requirements per job type come from the same pools for every employer, network or not.
* `common_phrasing`: {tags['common_phrasing']} independent services ads share stock phrases (“Discreet and
  professional.”, “No withheld numbers, please.”, “Genuine enquiries only.”, “Strictly social companionship – no
  exceptions.”, “Sur rendez-vous uniquement.”) and the same sentence pools, but have no link.
* Site boilerplate on every page: header, footer with the site's own helpdesk number (020 7946 0000 / +44 20 7946 0000),
  company no. 07123456, VAT GB 294 7711 06, postcode EC1A 1AA, e-mails help@ / safety@ / abuse@corkline.example,
  a safety notice and a “Report this ad” mailto link.
* Independent ads that disguise their numbers the same way networks do (disguise alone is not a link); unrelated employers
  whose names are built from the same word pools (e.g. two different “… Logistics” firms); ads of one group in the same city.

### Contact forms (every appearance counted; {sum(phone_st.values())} phone, {sum(email_st.values())} e-mail, {sum(handle_st.values())} handle appearances)

Phones — written normally: {sum(phone_st.values()) - link_only - disg - phone_st['wa_text']}; disguised: {disg};
number only inside a tel:/sms:/WhatsApp link: {link_only}; “WhatsApp +number” text: {phone_st['wa_text']}.

{tbl([(k, v, PH_DESC.get(k, '')) for k, v in phone_st.most_common()], ['phone style', 'count', 'meaning'])}

E-mails — obfuscated: {em_obf}; mailto-only: {email_st['mailto_label']}.

{tbl([(k, v, EM_DESC.get(k, '')) for k, v in email_st.most_common()], ['e-mail style', 'count', 'meaning'])}

Handles: {', '.join(f'{k} {v}' for k, v in handle_st.most_common())} (Telegram `t.me/…` links and text, Instagram, Snapchat).

### Posted-date formats

{tbl([(k, v) for k, v in date_st.most_common()], ['posted_style', 'ads'])}

`posted_dmy` = “Posted 26 Jun 2025”; `iso` = 2025-06-26; `dots` = 26.06.2025; `rel` = “5 days ago / yesterday / today /
3 hours ago / 1 week ago”; `long_us` = “June 26, 2025”; `slash` = 26/06/2025 (UK, AU), 06/26/2025 (US), ISO for Canada;
`weekday` = “Thursday 26 June” (no year); `fr_rel` = “il y a 3 jours / hier / aujourd'hui / il y a 1 semaine”;
`fr_long` = “26 juin 2025”; `fr_publie` = “Publiée le 26/06/2025”.

### Numbers that are NOT phones ({sum(np_kind.values())} recorded in `non_phone_numbers`)

{tbl([(k, v) for k, v in np_kind.most_common()], ['kind', 'count'])}

Includes 7–10-digit job references (some built from the date, e.g. `2025062417`), UK company numbers (8 digits), VAT
numbers (`GB 123 4567 89`, `FR 12 345678901`), SIRET (14 digits in groups), Australian ABNs (`51 824 753 556`), Canadian
business numbers, E-Verify IDs, massage licence / insurance numbers, postcodes and street addresses, start/closing
dates, shift hours, prices and menus, ages and age ranges, and the site listing numbers (J12345 / C12345).
Prices also appear as pay ranges (“£28,000 – £32,000 per annum”, “Up to £37.5k a year”, “12,50 € brut/h”,
“AUD 31.25 an hour + super”).
"""
open(os.path.join(ROOT, 'README.md'), 'w', encoding='utf-8').write(readme)
print('README written', len(readme))
