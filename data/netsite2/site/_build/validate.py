# -*- coding: utf-8 -*-
"""Sanity checks on the generated site + ground truth."""
import json, os, re, sys, html
from collections import defaultdict, Counter
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
t = json.load(open(os.path.join(ROOT, 'ground_truth.json'), encoding='utf-8'))
ads = t['ads']
err = []
FICT = [r'^\+1\d{3}55501\d\d$', r'^\+447700900\d{3}$', r'^\+442079460\d{3}$', r'^\+3363998\d{4}$', r'^\+3319900\d{4}$',
        r'^\+61491570\d{3}$']
for u, a in ads.items():
    if not os.path.exists(os.path.join(ROOT, u)):
        err.append('missing page ' + u)
    for p in a['phones']:
        if not any(re.match(f, p) for f in FICT):
            err.append('non-fictional phone %s in %s' % (p, u))
        if p == '+442079460000':
            err.append('site phone in ad truth ' + u)
    for e in a['emails']:
        if not (e.endswith('.example') or e.endswith('.test')):
            err.append('bad email domain ' + e)
    if a['network'] and a['advertiser']:
        err.append('both network and advertiser ' + u)
# uniqueness: identifiers shared across ads must be within one network or one advertiser group
owner = defaultdict(set)
for u, a in ads.items():
    grp = a['network'] or ('ADV:' + a['advertiser'] if a['advertiser'] else 'SINGLE:' + u)
    for p in a['phones']:
        owner[('phone', p)].add(grp)
    for e in a['emails']:
        owner[('email', e)].add(grp)
    for h in a['handles']:
        owner[('handle', h['platform'], h['handle'])].add(grp)
for k, v in owner.items():
    if len(v) > 1:
        err.append('identifier shared across groups %s %s' % (k, v))
# email domains shared across different groups (not freemail)
dom = defaultdict(set)
FREE = {'mailhub.example', 'quickpost.test', 'letterbox.example', 'postbox.test', 'netmail.example', 'inbox.test',
        'courriel.test', 'boitemail.example', 'laposte-demo.test'}
for u, a in ads.items():
    grp = a['network'] or ('ADV:' + a['advertiser'] if a['advertiser'] else 'SINGLE:' + u)
    for e in a['emails']:
        d = e.split('@')[1]
        if d not in FREE:
            dom[d].add(grp)
for d, v in dom.items():
    if len(v) > 1:
        err.append('company domain shared across groups %s %s' % (d, v))
# every network has >=3 ads and the listed shared identifiers really occur in >=2 ads
for nid, n in t['networks'].items():
    if not 3 <= n['size'] <= 15:
        err.append('network size ' + nid)
    for p in n['shared_phones']:
        c = sum(p in ads[u]['phones'] for u in n['ads'])
        if c < 2:
            err.append('%s phone only in %d ads' % (nid, c))
# pages: links from listing pages reach all ads; next chain
seen = set()
for sec in ('jobs', 'companions'):
    page = 'index.html'
    while page:
        s = open(os.path.join(ROOT, sec, page), encoding='utf-8').read()
        for h in re.findall(r'class="ad-link" href="([^"]+)"', s):
            seen.add(sec + '/' + h)
        m = re.search(r'class="next" rel="next" href="([^"]+)"', s)
        page = m.group(1) if m else None
if seen != set(ads):
    err.append('listing reachability mismatch %d vs %d' % (len(seen), len(ads)))
# explicit-word screen
BAD = re.compile(r'\b(sex|sexy|nude|naked|erotic|escort|happy ending|fetish|xxx|porn|18 ?yo|teen|schoolgirl|GFE|PSE)\b', re.I)
for u in ads:
    s = open(os.path.join(ROOT, u), encoding='utf-8').read()
    txt = re.sub(r'<[^>]+>', ' ', s)
    for m in BAD.finditer(txt):
        ctx = txt[max(0, m.start() - 40): m.end() + 40]
        if 'non érotiques' in ctx:
            continue
        err.append('word %r in %s: %s' % (m.group(0), u, ctx.replace('\n', ' ')))
    for m in re.finditer(r'(?<!depuis )\b(\d\d) ?(?:yo|y/o|years old|ans)\b', txt):
        if int(m.group(1)) < 21:
            err.append('young age %s in %s' % (m.group(0), u))
# no real-looking mobile/landline outside fictional ranges in raw text (rough)
print('ads', len(ads), 'errors', len(err))
for e in err[:50]:
    print(' ', e)
sys.exit(1 if err else 0)
