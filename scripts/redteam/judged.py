"""Count the wrong *allowed* verdicts in run.py's results: an allowed case labelled bad, with the labels' rules
applied (a deleted word that grants nothing is harmless; a root licence the policy allows with a condition is policy;
a folder licence is wrong only when the condition its class asks is missing).

Usage: python3 scripts/redteam/judged.py results.jsonl
"""
import sys
import json
from collections import Counter, defaultdict
R = [json.loads(l) for l in open(sys.argv[1] if len(sys.argv) > 1 else 'redteam-results.jsonl')]
OPER = set('''Permission granted hereby use copy modify merge publish distribute sublicense sell and_or free charge without restriction any person persons permit deal rights
Redistribution permitted reproduce prepare Derivative display perform perpetual worldwide irrevocable royalty-free no-charge non-exclusive adapt exploit commercially non-commercially transmit purpose fee Works publicly'''.split())
def judged(r):
    op, i, lab = r['op'], r['id'], r['label']
    if r['verdict'] != 'allowed': return None
    if lab == 'ok': return None
    if lab == 'border': return 'border'
    if op.startswith('g_del_'):
        if op == 'g_del_list': return 'bad'
        w = i.split('_', 1)[1]
        if 'APACHE_s4' in op and w not in ('Redistribution','reproduce','distribute','copies','may'): return 'harmless?'
        return 'bad' if w in OPER else 'harmless?'
    if op.startswith('l_'):
        if i in ('LICENSE-DATA', 'append', 'COPYING', 'LICENSE.assets.md'): return 'policy'
        return 'bad' if any(x in op for x in ('NC', 'ND', 'SA', 'MS-RL', 'NPL', 'Sleepycat', 'PolyForm')) else 'policy'
    if op.startswith('c_folder'):
        # A folder under another licence is allowed with conditions when the policy allows that licence: wrong only
        # when the condition its class asks is missing from the verdict.
        kinds = {c.split(':', 1)[0] for c in r.get('conditions') or []}
        need = ('non-commercial' if 'NC' in op or 'Noncommercial' in op else
                'no-changes-to-tree' if 'ND' in op else
                'share-alike' if any(x in op for x in ('GPL', 'SA', 'EUPL', 'MPL')) else None)
        if need is None:
            return 'minor'
        return 'policy' if need in kinds else 'bad'
    if op.startswith('m_') and i in ('SEE_LICENSE_IN_LICENSE',): return 'legit'
    if op.startswith('p_licence') and i == 'ph03': return 'border'
    return 'bad'
out = defaultdict(Counter)
for r in R:
    j = judged(r)
    if j: out[r['op'].split('_')[0] + '_'][j] += 1
tot = Counter()
for k in sorted(out): print(k, dict(out[k])); tot.update(out[k])
print('TOTAL', dict(tot))
