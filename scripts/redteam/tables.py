"""The red team's table per family of operators: repositories, verdicts, and wrong allowed ones.

Usage: python3 scripts/redteam/tables.py results.jsonl
"""
import sys
import json, re
from collections import Counter, defaultdict, OrderedDict
R = [json.loads(l) for l in open(sys.argv[1] if len(sys.argv) > 1 else 'redteam-results.jsonl')]
fam_desc = OrderedDict([
 ('p_', 'placement × phrasing: 46 places a restriction can be written (README forms, NOTICE/COPYRIGHT/LEGAL/TERMS/DISCLAIMER, docs pages, source/CSS/JS headers, data files, manifests\' free text, HTML, notebook, SVG metadata, LICENSE append/prepend/section, other branch, deleted-in-history, commit and tag messages) × 32 restriction sentences'),
 ('r_head', 'README heading × phrasing: 15 headings (Licence, Copyright, Terms of use, Legal, Data, …) × 32 sentences alone, + × 8 after a grant paragraph'),
 ('t_', 'text obfuscation × place × phrasing: 19 text operators (homoglyph, ZWSP, soft hyphen, RLO, full-width, entities, NBSP, one word per line, mid-sentence wrap, hyphen split, emphasis, empty tags, combining marks, upper case, tabs, link title, backslash) × 4 places × 8 sentences'),
 ('b_', 'byte encodings × place (CRLF, CR, BOMs, UTF-16/32 with and without BOM, NUL bytes, Latin-1, FF/VT/NEL/LSEP) + gzip + padding past 256 KiB / 1 MiB'),
 ('n_', 'file names × terms text: 76 names (LICENSE variants, case, trailing/leading space, Cyrillic/full-width/ZWSP/soft-hyphen lookalikes, EULA/TERMS/RIGHTS/…, nested, vendored, REUSE) × 3 texts (proprietary, EULA, data terms) + 5 structural'),
 ('g_mit', 'licence-text edits: MIT substitutions (23), dropped grant verbs (8), one word inserted after each word of the grant paragraph × 5 words (not/only/internally/never/no)'),
 ('g_apache', 'Apache/BSD/OGL substitutions'), ('g_bsd', None), ('g_ogl', None),
 ('g_del', 'one word deleted, for every word of the grant sentences of MIT, ISC, 0BSD, BSD-2, Apache §2 and §4, OGL; three whole-list deletions'),
 ('k_', 'a copyright line carrying a withholding (10 sentences) × 7 places'),
 ('m_', 'manifest licence fields: 22 values × 15 manifest kinds (+ sub-package), 14 other shapes'),
 ('s_', 'SPDX headers (1, 2, 5 of 5 files), REUSE.toml, .reuse/dep5, debian/copyright × 8 non-free ids'),
 ('l_', 'another licence text (20 SPDX ids: NC, ND, SSPL, BUSL, JSON, Hippocratic, …) × 7 placements, Commons Clause'),
 ('c_folder', 'a folder licence (12 ids) × 6 folders: are its conditions carried?'),
 ('a_', 'assets: restrictive fonts × 12 names/extensions + CSS data URI/zip/gzip/JS; JPEG rights in 8 EXIF/XMP/IPTC fields × 5 names; PNG'),
 ('x_git', 'git structure: branches, tags to blobs/trees, nested tags, same-name tag, replace refs, grafts, history, orphan pages, notes, LFS, submodule, symlinks, attributes'),
 ('q_', 'hidden text in licence files, scope-narrowing sentences, bundled-file head limits'),
 ('h_', 'harmless controls (encodings of a plain MIT, common harmless files)'),
])
def fam(op):
    for k in fam_desc:
        if op.startswith(k): return k
    return '?'
F=defaultdict(Counter)
for r in R:
    f=fam(r['op']); F[f]['n']+=1; F[f][r['verdict']]+=1
    if r['verdict']=='allowed' and r['label'] in ('bad','bad?','cond'): F[f]['badA']+=1
    if r['verdict']=='allowed' and r['label']=='border': F[f]['borderA']+=1
    if r['verdict']!='allowed' and r['label']=='ok': F[f]['needless']+=1
print('| family | what | repos | allowed | needs review | forbidden | allowed among those labelled not-allowable (borderline) |')
print('|---|---|---|---|---|---|---|')
tot=Counter()
for k,d in fam_desc.items():
    c=F[k]; tot.update(c)
    print('| `%s*` | %s | %d | %d | %d | %d | %d (%d) |' % (k, d or '(see above)', c['n'], c['allowed'], c['needs-review'], c['forbidden'], c['badA'], c['borderA']))
print('| **all** | | **%d** | **%d** | **%d** | **%d** | **%d (%d)** |' % (tot['n'], tot['allowed'], tot['needs-review'], tot['forbidden'], tot['badA'], tot['borderA']))
print()
print('Per operator (A allowed / R needs review / F forbidden):')
print()
print('| operator | n | A | R | F |'); print('|---|---|---|---|---|')
by=defaultdict(Counter)
for r in R: by[r['op']][r['verdict']]+=1
for op in sorted(by):
    c=by[op]; print('| %s | %d | %d | %d | %d |' % (op, sum(c.values()), c['allowed'], c['needs-review'], c['forbidden']))
