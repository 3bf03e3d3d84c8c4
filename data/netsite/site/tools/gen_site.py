# -*- coding: utf-8 -*-
"""Build the CityBoard blind test site + ground truth.

Usage:  python3 tools/gen_site.py      (from anywhere; writes next to tools/)
Deterministic (seeded).  Written from general knowledge only.
"""
import os, sys, json, hashlib, shutil
from collections import defaultdict, Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from core import *
import ads as adsmod
from ads import ADS, c_phone, c_email, render_items
import jobs as jobsmod
from jobs import gen_job, employer_groups, relay_ads, EMPLOYER_GROUPS, RELAY
from jobdata import FAM, KEY_SENTENCES
import networks as netmod
from networks import NETWORKS, NEAR, reserve_specials, build_networks
import services as svcmod
from services import lotus, independents, SAME_ADV

OUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SITE_NAME = 'CityBoard'
FOOT_PHONE = '1-800-555-0199'
FOOT_MAIL = 'support@cityboard.example'
PER_PAGE = 25


def build():
    reserve_specials()
    build_networks()
    employer_groups()
    relay_ads(8)
    # near-miss job ads
    a = gen_job('Chicago', 'warehouse', items=[('phone', NEAR['N01_near'], 'paren')])
    a.tags.add('near_miss_phone')
    a = gen_job('London', 'hospitality', items=[('phone', NEAR['N06_near'], 'intl')])
    a.tags.add('near_miss_phone')
    lotus()
    independents(50)
    njobs = sum(1 for x in ADS if x.section == 'jobs')
    fams = list(FAM)
    while njobs < 200:
        r = R.random()
        city = R.choice(US_NAMES if r < 0.55 else UK_NAMES if r < 0.8 else FR_NAMES)
        # bias towards the families whose boilerplate is the classic hard negative
        fam = R.choice(fams + ['accounting', 'accounting', 'warehouse', 'office'])
        gen_job(city, fam)
        njobs += 1


def assign_ids():
    for sec in ('jobs', 'services'):
        lst = [a for a in ADS if a.section == sec]
        R.shuffle(lst)
        lst.sort(key=lambda a: a.date)
        for i, a in enumerate(lst, 1):
            a.id = i
        for a in lst:
            a.date_raw, a.date_format = fmt_date(a.date, a.country)


# ---------------------------------------------------------------- HTML
CSS = """body{font-family:Arial,Helvetica,sans-serif;margin:0;color:#222;background:#fafafa}
.wrap{max-width:980px;margin:0 auto;padding:0 12px}
.site-header{background:#2b4a6f;color:#fff;padding:10px 0}
.site-header a{color:#fff;text-decoration:none;margin-right:14px}
.logo{font-size:22px;font-weight:bold}
.tagline{font-size:12px;opacity:.8;margin-right:20px}
.safety-notice{background:#fff4d6;border-bottom:1px solid #e8d28a;padding:6px 12px;font-size:13px;text-align:center}
.adult-notice{background:#f1e6ff;border-bottom:1px solid #cbb6ea;padding:6px 12px;font-size:13px;text-align:center}
.breadcrumb{font-size:13px;margin:10px 0}
.content{display:flex;gap:24px}
.ad{flex:3;background:#fff;border:1px solid #ddd;padding:16px}
.sidebar{flex:1;font-size:13px}
.ad-title{font-size:22px;margin:0 0 8px}
.ad-meta{list-style:none;padding:0;color:#555;font-size:14px}
.ad-meta li{display:inline-block;margin-right:18px}
.ad-price{font-weight:bold;color:#1b6b2f}
.ad-body{line-height:1.5}
.ad-contact{margin-top:14px}
.contact-btn{display:inline-block;background:#2b7a3d;color:#fff;padding:6px 12px;border-radius:4px;margin-right:8px;text-decoration:none}
.ad-reply,.ad-ref{font-size:12px;color:#777}
.listing{list-style:none;padding:0}
.listing-item{padding:8px 0;border-bottom:1px solid #eee}
.listing-item span{font-size:13px;color:#666;margin-left:10px}
.pagination{margin:16px 0}
.site-footer{margin-top:30px;background:#eee;padding:14px 0;font-size:12px;color:#555}
"""


def head(title, depth, body_class, lang='en'):
    up = '../' * depth
    return ('<!DOCTYPE html>\n<html lang="%s">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<title>%s</title>\n<link rel="stylesheet" href="%sstatic/site.css">\n</head>\n'
            '<body class="%s">\n'
            '<header class="site-header"><div class="wrap">\n'
            '<a class="logo" href="%sindex.html">CityBoard</a> <span class="tagline">Free local classifieds '
            '&middot; US &middot; UK &middot; France</span>\n'
            '<nav class="site-nav"><a href="%sindex.html">Home</a> <a href="%sjobs/index.html">Jobs</a> '
            '<a href="%sservices/index.html">Personal services</a> <a href="%spost.html">Post an ad</a> '
            '<a href="%ssafety.html">Safety</a></nav>\n'
            '</div></header>\n'
            '<div class="safety-notice"><strong>Stay safe:</strong> never send money, gift cards or crypto to '
            'someone you have not met, and never pay a fee to get a job. Meet in public places. '
            '<a href="%ssafety.html#report">Report suspicious ads</a>.</div>\n'
            % (lang, esc(title), up, body_class, up, up, up, up, up, up, up))


def adult_notice():
    return ('<div class="adult-notice">Personal services: all advertisers confirm they are adults aged 21 or over '
            'and independent. Ads for illegal or sexual services are not allowed and are removed.</div>\n')


def foot(depth):
    up = '../' * depth
    return ('<footer class="site-footer"><div class="wrap">\n'
            '<p>&copy; 2009&ndash;2025 CityBoard Classifieds Ltd. &middot; <a href="%sindex.html">Home</a> &middot; '
            '<a href="%ssafety.html">Safety tips</a> &middot; <a href="%spost.html">Terms of use</a> &middot; '
            '<a href="%spost.html">Privacy</a></p>\n'
            '<p>Customer support: <a href="mailto:%s">%s</a> &middot; %s (Mon&ndash;Fri 9am&ndash;5pm ET). '
            'CityBoard does not screen advertisers; every ad is the responsibility of its poster.</p>\n'
            '</div></footer>\n</body>\n</html>\n' % (up, up, up, up, FOOT_MAIL, FOOT_MAIL, FOOT_PHONE))


SEC_NAME = {'jobs': 'Jobs', 'services': 'Personal services'}


def reply_addr(a):
    h = hashlib.sha1(('%s-%d' % (a.section, a.id)).encode()).hexdigest()[:10]
    return '%s-%s@reply.cityboard.example' % ('job' if a.section == 'jobs' else 'svc', h)


def ad_page(a, recent):
    t = '%s - %s - %s' % (a.title, CITY[a.city]['display'], SITE_NAME)
    h = [head(t, 1, 'page-ad section-%s' % a.section)]
    if a.section == 'services':
        h.append(adult_notice())
    h.append('<div class="wrap">\n<nav class="breadcrumb"><a href="../index.html">Home</a> &rsaquo; '
             '<a href="index.html">%s</a> &rsaquo; %s</nav>\n' % (SEC_NAME[a.section],
                                                                  esc(CITY[a.city]['display'])))
    h.append('<main class="content">\n<article class="ad" id="ad-%d" lang="%s">\n' % (a.id, a.lang))
    h.append('<h1 class="ad-title">%s</h1>\n' % esc(a.title))
    h.append('<ul class="ad-meta">\n<li>Posted: <span class="ad-date">%s</span></li>\n'
             '<li>Location: <span class="ad-city">%s</span></li>\n' % (esc(a.date_raw), esc(CITY[a.city]['display'])))
    if a.price_raw:
        h.append('<li>%s: <span class="ad-price">%s</span></li>\n' % ('Pay' if a.section == 'jobs' else 'Rate',
                                                                     esc(a.price_raw)))
    h.append('</ul>\n<div class="ad-body">\n')
    for p in a.paras:
        if not p:
            continue
        h.append(p + '\n' if p.startswith('<') else '<p>%s</p>\n' % p)
    h.append('</div>\n')
    if a.links:
        h.append('<div class="ad-contact"><span class="contact-label">Contact:</span> %s</div>\n' % ' '.join(a.links))
    ra = reply_addr(a)
    h.append('<div class="ad-reply">Reply anonymously through CityBoard: <a href="mailto:%s">%s</a></div>\n'
             % (ra, ra))
    h.append('<p class="ad-ref">Ad ID: %d &middot; <a href="../safety.html#report">Report this ad</a></p>\n'
             '</article>\n' % a.id)
    h.append('<aside class="sidebar">\n<h2>Recent in %s</h2>\n<ul class="recent">\n' % SEC_NAME[a.section])
    for r in recent:
        h.append('<li><a href="%d.html">%s</a></li>\n' % (r.id, esc(r.title)))
    h.append('</ul>\n<div class="sidebar-promo">Hiring or advertising? Featured listings from $9.99 &ndash; '
             '<a href="../post.html">post an ad</a>.</div>\n</aside>\n</main>\n</div>\n')
    h.append(foot(1))
    return ''.join(h)


def listing_pages(sec, lst):
    lst = sorted(lst, key=lambda a: -a.id)
    pages = [lst[i:i + PER_PAGE] for i in range(0, len(lst), PER_PAGE)]
    n = len(pages)
    out = {}
    for pi, items in enumerate(pages, 1):
        if pi == 1:
            rel, depth, pre = '%s/index.html' % sec, 1, ''
        else:
            rel, depth, pre = '%s/page/%d.html' % (sec, pi), 2, '../'
        h = [head('%s - page %d - %s' % (SEC_NAME[sec], pi, SITE_NAME), depth, 'page-listing section-%s' % sec)]
        if sec == 'services':
            h.append(adult_notice())
        h.append('<div class="wrap">\n<nav class="breadcrumb"><a href="%sindex.html">Home</a> &rsaquo; %s</nav>\n'
                 % ('../' * depth, SEC_NAME[sec]))
        h.append('<main class="listing-page">\n<h1 class="listing-heading">%s</h1>\n'
                 '<p class="listing-count">Showing %d&ndash;%d of %d ads</p>\n<ul class="listing">\n'
                 % (SEC_NAME[sec], (pi - 1) * PER_PAGE + 1, (pi - 1) * PER_PAGE + len(items), len(lst)))
        for a in items:
            h.append('<li class="listing-item"><a class="listing-link" href="%s%d.html">%s</a>'
                     '<span class="listing-city">%s</span><span class="listing-date">%s</span>%s</li>\n'
                     % (pre, a.id, esc(a.title), esc(CITY[a.city]['display']), esc(a.date_raw),
                        ('<span class="listing-price">%s</span>' % esc(a.price_raw)) if a.price_raw else ''))
        h.append('</ul>\n<nav class="pagination">')
        if pi > 1:
            prev = ('%sindex.html' % pre) if pi == 2 else ('%d.html' % (pi - 1) if pi > 2 else '')
            if pi == 2:
                prev = '../index.html'
            h.append('<a class="prev" rel="prev" href="%s">&laquo; Previous</a> ' % prev)
        h.append('<span class="current">Page %d of %d</span>' % (pi, n))
        if pi < n:
            nxt = 'page/2.html' if pi == 1 else '%d.html' % (pi + 1)
            h.append(' <a class="next" rel="next" href="%s">Next &raquo;</a>' % nxt)
        h.append('</nav>\n</main>\n</div>\n')
        h.append(foot(depth))
        out[rel] = ''.join(h)
    return out


def static_pages(counts):
    out = {}
    h = [head('CityBoard - free local classifieds', 0, 'page-home')]
    h.append('<div class="wrap">\n<main class="home">\n<h1>CityBoard classifieds</h1>\n'
             '<p>Local ads from the United States, the United Kingdom and France.</p>\n<ul class="sections">\n'
             '<li><a class="section-link" href="jobs/index.html">Jobs</a> (%d ads)</li>\n'
             '<li><a class="section-link" href="services/index.html">Personal services</a> (%d ads, 21+)</li>\n'
             '</ul>\n<p>Cities: New York, Los Angeles, Chicago, San Francisco, Boston, Seattle, Miami, Austin, '
             'Las Vegas, Atlanta, Houston, Denver, Phoenix, London, Manchester, Birmingham, Leeds, Glasgow, Bristol, '
             'Edinburgh, Liverpool, Paris, Lyon, Marseille, Nice, Bordeaux, Toulouse, Lille, Nantes.</p>\n'
             '</main>\n</div>\n' % (counts['jobs'], counts['services']))
    h.append(foot(0))
    out['index.html'] = ''.join(h)
    h = [head('Post an ad - CityBoard', 0, 'page-static')]
    h.append('<div class="wrap"><main><h1>Post an ad</h1><p>Posting is temporarily closed for maintenance. '
             'By posting you agree to our terms of use: no scams, no upfront fees for jobs, no illegal or sexual '
             'services, advertisers in Personal services must be 21 or over.</p></main></div>\n')
    h.append(foot(0))
    out['post.html'] = ''.join(h)
    h = [head('Safety tips - CityBoard', 0, 'page-static')]
    h.append('<div class="wrap"><main><h1>Safety tips</h1><ul><li>Never pay to get a job, for "training kits" or '
             'for visa paperwork.</li><li>Never deposit a cheque/check from someone you do not know and send money '
             'back.</li><li>Never reship packages for strangers.</li><li>Meet in a public place and tell a friend '
             'where you are going.</li></ul><h2 id="report">Report an ad</h2><p>E-mail %s with the Ad ID.</p>'
             '</main></div>\n' % FOOT_MAIL)
    h.append(foot(0))
    out['safety.html'] = ''.join(h)
    return out


# ---------------------------------------------------------------- validation
FICTIONAL = [r'^\+1\d{3}55501\d\d$', r'^\+18005550199$', r'^\+447700900\d{3}$', r'^\+4420 ?7946 ?0\d{3}$',
             r'^\+44(113|114|115|116|117|118|121|131|141|151|161)4960\d{3}$', r'^\+3319900\d{4}$',
             r'^\+33(261 ?91|353 ?01|465 ?71|536 ?49|639 ?98)\d{4}$']


def is_fictional(e):
    e2 = e.replace(' ', '')
    return any(re.match(p.replace(' ?', ''), e2) for p in FICTIONAL)


def validate(gt):
    errs = []
    ads = gt['ads']
    owners = defaultdict(set)
    for path, a in ads.items():
        for p in a['phones']:
            owners[('phone', p)].add(path)
            if not is_fictional(p):
                errs.append('non-fictional phone %s in %s' % (p, path))
        for e in a['emails']:
            owners[('email', e)].add(path)
            if not (e.endswith('.example') or e.endswith('.test')):
                errs.append('bad email domain %s' % e)
        for h in a['handles']:
            owners[('handle', h['platform'] + ':' + h['handle'])].add(path)
    shared = {}
    for k, paths in owners.items():
        if len(paths) < 2:
            continue
        nets = {ads[p]['network_id'] for p in paths}
        emps = {ads[p]['employer'] for p in paths}
        if k == ('email', RELAY):
            shared[k] = 'relay'
            continue
        if len(nets) == 1 and None not in nets:
            shared[k] = 'network'
        elif len(emps) == 1 and None not in emps and nets == {None}:
            shared[k] = 'employer'
        else:
            errs.append('unexpected shared contact %s across %s' % (k, sorted(paths)))
    # template-only networks must not share contacts
    for nid, n in gt['networks'].items():
        if n['link_kinds'] == ['template']:
            seen = Counter()
            for p in n['ads']:
                a = ads[p]
                for x in a['phones'] + a['emails'] + [h['platform'] + ':' + h['handle'] for h in a['handles']]:
                    seen[x] += 1
            if any(v > 1 for v in seen.values()):
                errs.append('template-only network %s shares a contact' % nid)
        # network connectivity through identifiers (except template-only)
        if n['link_kinds'] != ['template']:
            paths = n['ads']
            ids = {p: set(ads[p]['phones']) | set(ads[p]['emails']) |
                   {h['platform'] + ':' + h['handle'] for h in ads[p]['handles']} for p in paths}
            comp = {paths[0]}
            changed = True
            while changed:
                changed = False
                for p in paths:
                    if p not in comp and any(ids[p] & ids[q] for q in comp):
                        comp.add(p)
                        changed = True
            if len(comp) != len(paths):
                errs.append('network %s not connected by identifiers' % nid)
    return errs, shared


def main():
    build()
    assign_ids()
    jobs = [a for a in ADS if a.section == 'jobs']
    svcs = [a for a in ADS if a.section == 'services']
    assert len(jobs) == 200, len(jobs)
    assert len(svcs) == 100, len(svcs)
    # hard-negative tagging: shared standard sentences in unrelated ads
    for a in ADS:
        txt = ' '.join(a.paras)
        if a.section == 'jobs' and a.network is None and a.employer is None:
            if any(esc(k) in txt for k in KEY_SENTENCES):
                a.tags.add('shared_boilerplate')
        if a.section == 'services' and a.network is None and a.employer is None:
            low = txt.lower()
            if any(k in low for k in ['discreet and friendly', 'upscale clientele', 'call or text',
                                      'discrète et sympathique', 'appel ou sms', 'clientèle haut de gamme']):
                a.tags.add('shared_phrasing')
    # write site
    for d in ('jobs', 'jobs/page', 'services', 'services/page', 'static'):
        p = os.path.join(OUT, d)
        if os.path.isdir(p):
            for f in os.listdir(p):
                fp = os.path.join(p, f)
                if os.path.isfile(fp):
                    os.remove(fp)
        os.makedirs(p, exist_ok=True)
    files = {'static/site.css': CSS}
    for sec, lst in (('jobs', jobs), ('services', svcs)):
        recent = sorted(lst, key=lambda a: -a.id)[:5]
        for a in lst:
            files[a.path] = ad_page(a, recent)
        files.update(listing_pages(sec, lst))
    files.update(static_pages({'jobs': len(jobs), 'services': len(svcs)}))
    for rel, txt in files.items():
        with open(os.path.join(OUT, rel), 'w', encoding='utf-8') as f:
            f.write(txt)
    # ground truth
    gt_ads = {}
    for a in sorted(ADS, key=lambda a: (a.section, a.id)):
        gt_ads[a.path] = {
            'url': '/' + a.path,
            'section': a.section,
            'title': a.title,
            'city': a.city,
            'city_display': CITY[a.city]['display'],
            'country': a.country,
            'language': a.lang,
            'posted_date': a.date.isoformat(),
            'posted_raw': a.date_raw,
            'posted_format': a.date_format,
            'price': a.price,
            'price_raw': a.price_raw,
            'phones': a.phones,
            'emails': a.emails,
            'handles': a.handles,
            'network_id': a.network,
            'employer': a.employer,
            'employer_group': getattr(a, 'employer_group', None),
            'template_id': a.template,
            'ad_kind': a.kind,
            'hard_negative_tags': sorted(a.tags - {'same_employer'}),
            'contacts': a.contacts,
            'site_reply_email': reply_addr(a),
        }
    nets = {}
    for nid, n in sorted(NETWORKS.items()):
        objs = sorted(n['ads_objs'], key=lambda a: (a.section, a.id))
        nets[nid] = {'description': n['description'], 'link_kinds': n['link_kinds'],
                     'link_type': ('template_only' if n['link_kinds'] == ['template'] else
                                   'contact' + ('+template' if 'template' in n['link_kinds'] else '')),
                     'shared_identifiers': n['shared_identifiers'],
                     'sections': sorted({a.section for a in objs}),
                     'cities': sorted({a.city for a in objs}),
                     'countries': sorted({a.country for a in objs}),
                     'size': len(objs),
                     'ads': [a.path for a in objs]}
    groups = {}
    for gid, g in sorted(list(EMPLOYER_GROUPS.items()) + list(SAME_ADV.items())):
        objs = sorted(g['ads'], key=lambda a: (a.section, a.id))
        groups[gid] = {'employer': g['employer'], 'relation': 'same_advertiser (named, legitimate; NOT a hidden '
                                                             'network)',
                       'shared': g['shared'], 'sections': sorted({a.section for a in objs}),
                       'cities': sorted({a.city for a in objs}), 'ads': [a.path for a in objs]}
    gt = {
        'site': 'CityBoard (blind test classifieds site)',
        'reference_time': REF.isoformat() + 'Z',
        'relative_date_rule': 'relative dates ("3 hours ago", "yesterday", "4 days ago", "hier", "il y a 3 jours") '
                              'are relative to reference_time; "N hours ago" with N<12 and "today" mean the '
                              'reference date itself.',
        'site_boilerplate_contacts': {'phones': ['+18005550199'], 'emails': [FOOT_MAIL],
                                      'note': 'footer/safety-notice contacts on every page; also every ad page has '
                                              'a unique per-ad anonymous reply address *@reply.cityboard.example '
                                              '(given as site_reply_email). None of these are ad contacts.'},
        'relay_contacts': {'emails': [RELAY], 'note': 'job-board relay address used by several unrelated '
                                                      'employers; listed in those ads\' emails but it is NOT a '
                                                      'network link.'},
        'price_schema': '{min, max, currency (ISO 4217), per}; per in hour|day|week|month|year|assignment|session|'
                        'evening; single value => min==max; "Up to X" => min null; "From X"/"X+" => max null; '
                        'a bare number ("150/hr") takes the currency of the ad\'s country.',
        'phone_schema': 'E.164 of every number the ad gives, including numbers that only appear inside tel:/sms: '
                        'hrefs and WhatsApp wa.me / api.whatsapp.com links. WhatsApp numbers are listed as phones, '
                        'not as handles.',
        'handle_schema': '{platform, handle} with handle lower-cased and without "@"; platforms: telegram, '
                         'instagram, snapchat.',
        'networks': nets,
        'same_employer_groups': groups,
        'ads': gt_ads,
    }
    errs, shared = validate(gt)
    if errs:
        print('\n'.join(errs))
        raise SystemExit('VALIDATION FAILED')
    gt['shared_identifier_summary'] = {'%s:%s' % k: v for k, v in sorted(shared.items())}
    with open(os.path.join(OUT, 'ground_truth.json'), 'w', encoding='utf-8') as f:
        json.dump(gt, f, ensure_ascii=False, indent=1)
    # stats for README
    st = stats(gt)
    with open(os.path.join(OUT, 'tools', 'stats.json'), 'w', encoding='utf-8') as f:
        json.dump(st, f, ensure_ascii=False, indent=1)
    print(json.dumps(st, ensure_ascii=False, indent=1))


def stats(gt):
    ads = gt['ads']
    st = {}
    st['ads_total'] = len(ads)
    st['ads_by_section'] = dict(Counter(a['section'] for a in ads.values()))
    st['ads_by_country'] = dict(Counter(a['country'] for a in ads.values()))
    st['networks'] = len(gt['networks'])
    st['network_ads'] = sum(n['size'] for n in gt['networks'].values())
    st['network_ads_by_section'] = dict(Counter(ads[p]['section'] for n in gt['networks'].values() for p in n['ads']))
    st['networks_by_link_type'] = dict(Counter(n['link_type'] for n in gt['networks'].values()))
    st['networks_by_link_kind'] = dict(Counter(k for n in gt['networks'].values() for k in n['link_kinds']))
    st['networks_cross_section'] = [k for k, n in gt['networks'].items() if len(n['sections']) > 1]
    st['networks_multi_city'] = sum(1 for n in gt['networks'].values() if len(n['cities']) > 1)
    st['networks_multi_country'] = [k for k, n in gt['networks'].items() if len(n['countries']) > 1]
    st['network_sizes'] = {k: n['size'] for k, n in gt['networks'].items()}
    st['same_employer_groups'] = {k: len(g['ads']) for k, g in gt['same_employer_groups'].items()}
    st['same_employer_ads'] = sum(len(g['ads']) for g in gt['same_employer_groups'].values())
    st['singleton_ads'] = sum(1 for a in ads.values() if a['network_id'] is None and a['employer'] is None)
    st['hard_negative_tags'] = dict(Counter(t for a in ads.values() for t in a['hard_negative_tags']))
    forms = Counter()
    for a in ads.values():
        for c in a['contacts']:
            f = c['form']
            if f.startswith('text:'):
                f = 'phone_text'
            forms[f] += 1
    st['contact_occurrences_by_form'] = dict(sorted(forms.items()))
    st['ads_with_no_contact'] = sum(1 for a in ads.values() if not a['contacts'])
    st['ads_with_phone'] = sum(1 for a in ads.values() if a['phones'])
    st['ads_with_email'] = sum(1 for a in ads.values() if a['emails'])
    st['ads_with_handle'] = sum(1 for a in ads.values() if a['handles'])
    st['ads_phone_only_in_links'] = sum(1 for a in ads.values() if a['phones'] and all(
        not c['number_visible_in_text'] for c in a['contacts'] if c['type'] == 'phone'))
    st['ads_with_price'] = sum(1 for a in ads.values() if a['price'])
    st['date_formats'] = dict(Counter(a['posted_format'] for a in ads.values()))
    st['distinct_phones'] = len({p for a in ads.values() for p in a['phones']})
    st['distinct_emails'] = len({p for a in ads.values() for p in a['emails']})
    st['listing_pages'] = {'jobs': -(-st['ads_by_section']['jobs'] // PER_PAGE),
                           'services': -(-st['ads_by_section']['services'] // PER_PAGE)}
    return st


if __name__ == '__main__':
    main()
