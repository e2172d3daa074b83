"""Run keepopen on every case gen.py built; one JSON line per case.

Usage: KO_BIN=target/release/keepopen python3 scripts/redteam/run.py OUT_DIR results.jsonl (resumes where it stopped)
"""
import os, sys, json, subprocess, glob
from collections import Counter, defaultdict
ROOT = sys.argv[1] if len(sys.argv) > 1 else 'redteam-gen'
OUT = sys.argv[2] if len(sys.argv) > 2 else 'redteam-results.jsonl'
done = set()
if os.path.exists(OUT):
    for l in open(OUT): r = json.loads(l); done.add(r['op'])
with open(OUT, 'a') as out:
    for op in sorted(os.listdir(ROOT)):
        if op in done or op.startswith('.'): continue
        d = os.path.join(ROOT, op)
        p = subprocess.run([os.environ.get('KO_BIN', 'target/release/keepopen'), 'check', '--json', '--default-policy', '--licence-only', '--depth', '1', '-j', '2', d],
                           capture_output=True, text=True)
        try: arr = json.loads(p.stdout)
        except Exception:
            print('FAIL', op, p.stderr[-500:], file=sys.stderr); continue
        byname = {}
        for r in arr:
            nm = os.path.basename(r.get('repo', '').rstrip('/'))
            byname[nm] = r
        for meta in glob.glob(d + '/*.meta.json'):
            m = json.load(open(meta)); r = byname.get(m['id'])
            rec = dict(op=op, id=m['id'], label=m['label'], note=m['note'],
                       verdict=(r or {}).get('verdict', 'MISSING'),
                       licenses=(r or {}).get('licenses'), conditions=[c.get('kind') + ':' + ','.join(map(str, c.get('detail') or [])) for c in (r or {}).get('conditions', [])], reasons=[(x if isinstance(x, str) else json.dumps(x))[:300] for x in (r or {}).get('reasons', [])][:6])
            out.write(json.dumps(rec) + '\n')
        out.flush()
        print(op, Counter(json.loads(l)['verdict'] for l in []), file=sys.stderr)
