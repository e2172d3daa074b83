"""The red team's generator (session 15): hostile and harmless repositories for the licence gate.

Usage: python3 scripts/redteam/gen.py OUT_DIR [op1,op2,...]

Builds about 5,000 small git repositories under OUT_DIR/<operator>/<case>, each from a clean allowed baseline (an MIT
LICENSE of Acme Digital Ltd, a README, one source file) mutated by one operator: a restriction written in one of 46
places × 32 phrasings, README headings, text obfuscations, byte encodings, licence-text edits and single-word
deletions, copyright lines that withhold, manifest fields, SPDX and REUSE claims, other licence texts, folder
licences, fonts and photographs in wrappers, git structure, file names. Each case carries a label set before any
run (<case>.meta.json): bad (a careful reviewer would not allow it), ok, border, cond, or bad? (a deleted word,
judged afterwards by judged.py). Needs git, exiftool and Python's fontTools. Not part of CI (a few minutes, ~750 MB).
"""
import os, sys, json, subprocess, shutil, gzip, base64, itertools, random
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE); sys.path.insert(0, os.path.join(HERE, 'res'))
from texts import *
import mkfont
random.seed(15)
ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else 'redteam-gen')
RES = os.path.join(ROOT, '.res')
os.makedirs(RES, exist_ok=True)
ONLY = sys.argv[2].split(',') if len(sys.argv) > 2 else None
ENV = dict(os.environ, GIT_AUTHOR_NAME='a', GIT_AUTHOR_EMAIL='a@b', GIT_COMMITTER_NAME='a', GIT_COMMITTER_EMAIL='a@b',
           GIT_AUTHOR_DATE='2023-01-01T00:00:00Z', GIT_COMMITTER_DATE='2023-01-01T00:00:00Z')
CASES = []  # (op, id, files, extra_shell, label, note)
def case(op, cid, files, extra=None, label='bad', note=''):
    CASES.append(dict(op=op, id=cid, files=files, extra=extra or '', label=label, note=note))

def base(**over):
    f = {'LICENSE': MIT, 'README.md': README, 'src/app.py': APP}
    for k, v in over.items(): f[k] = v
    return f

def write(d, files):
    for p, v in files.items():
        fp = os.path.join(d, p)
        os.makedirs(os.path.dirname(fp), exist_ok=True)
        if isinstance(v, tuple) and v[0] == 'symlink':
            os.symlink(v[1], fp); continue
        if isinstance(v, str): v = v.encode('utf-8')
        open(fp, 'wb').write(v)

def build(c):
    d = os.path.join(ROOT, c['op'], c['id'])
    if os.path.exists(os.path.join(ROOT, c['op'], c['id'] + '.meta.json')): return
    if os.path.exists(d): shutil.rmtree(d)
    os.makedirs(d)
    subprocess.run(['git', 'init', '--template=', '-q', '-b', 'main', d], check=True, env=ENV)
    write(d, c['files'])
    subprocess.run('git add -A -f . && git commit -qm init', shell=True, cwd=d, check=True, env=ENV)
    if c['extra']:
        r = subprocess.run(c['extra'], shell=True, cwd=d, env=ENV, executable='/bin/bash', capture_output=True, text=True)
        if r.returncode: print('EXTRA FAIL', c['op'], c['id'], r.stderr[-300:], file=sys.stderr)
    json.dump({k: c[k] for k in ('op', 'id', 'label', 'note', 'extra')}, open(os.path.join(ROOT, c['op'], c['id'] + '.meta.json'), 'w'))

# ---------------- OP1: placement x phrasing ----------------
def readme_with(s): return README + "\n" + s + "\n"
PLACE = {
 'readme_append': lambda s: base(**{'README.md': readme_with(s)}),
 'readme_licence_sec': lambda s: base(**{'README.md': README + "\n## Licence\n\nThis project is licensed under the MIT licence. " + s + "\n"}),
 'readme_licence_sec_next': lambda s: base(**{'README.md': README + "\n## Licence\n\nMIT\n\n" + s + "\n"}),
 'readme_usage_sec': lambda s: base(**{'README.md': README + "\n## Usage\n\n" + s + "\n"}),
 'readme_html_comment': lambda s: base(**{'README.md': README + "\n<!-- " + s + " -->\n"}),
 'readme_details': lambda s: base(**{'README.md': README + "\n<details><summary>Legal</summary>\n\n" + s + "\n\n</details>\n"}),
 'readme_linkref': lambda s: base(**{'README.md': README + "\n[//]: # (" + s + ")\n"}),
 'readme_footnote': lambda s: base(**{'README.md': README + "\nSee the terms.[^1]\n\n[^1]: " + s + "\n"}),
 'readme_table': lambda s: base(**{'README.md': README + "\n| Part | Terms |\n|---|---|\n| everything | " + s + " |\n"}),
 'readme_heading': lambda s: base(**{'README.md': "# widget\n\n> **" + s + "**\n\nA small tool.\n"}),
 'readme_rst': lambda s: base(**{'README.rst': "widget\n======\n\nA small tool.\n\n.. note:: " + s + "\n", 'README.md': None}),
 'notice': lambda s: base(NOTICE=s + "\n"),
 'notice_md': lambda s: base(**{'NOTICE.md': "# Notice\n\n" + s + "\n"}),
 'copyright_file': lambda s: base(COPYRIGHT=s + "\n"),
 'terms_md': lambda s: base(**{'TERMS.md': "# Terms of use\n\n" + s + "\n"}),
 'legal_md': lambda s: base(**{'LEGAL.md': s + "\n"}),
 'disclaimer': lambda s: base(**{'DISCLAIMER.md': "# Disclaimer\n\n" + s + "\n"}),
 'docs_licence': lambda s: base(**{'docs/licence.md': "# Licence\n\n" + s + "\n"}),
 'docs_index': lambda s: base(**{'docs/index.md': "# Widget documentation\n\nWelcome.\n\n" + s + "\n"}),
 'docs_legal_ip': lambda s: base(**{'docs/legal/intellectual-property.md': "# Intellectual property\n\n" + s + "\n"}),
 'contributing': lambda s: base(**{'CONTRIBUTING.md': "# Contributing\n\nPull requests welcome.\n\n" + s + "\n"}),
 'src_header': lambda s: base(**{'src/app.py': "# " + s + "\n" + APP}),
 'src_header_all': lambda s: base(**{'src/app.py': "# Copyright 2023 Acme Digital Ltd\n# " + s + "\n" + APP,
     'src/util.py': "# Copyright 2023 Acme Digital Ltd\n# " + s + "\ndef f():\n    return 1\n",
     'src/cli.py': "# Copyright 2023 Acme Digital Ltd\n# " + s + "\ndef g():\n    return 2\n"}),
 'src_docstring': lambda s: base(**{'src/app.py': '"""Widget.\n\n' + s + '\n"""\n' + APP}),
 'data_readme': lambda s: base(**{'data/README.md': "# Data\n\n" + s + "\n", 'data/cities.csv': "name,pop\nLeeds,800000\n"}),
 'data_csv_header': lambda s: base(**{'data/cities.csv': "# " + s + "\nname,pop\nLeeds,800000\n"}),
 'data_json_field': lambda s: base(**{'data/cities.json': json.dumps({"licence": s, "rows": [["Leeds", 800000]]}, indent=1)}),
 'pkg_description': lambda s: base(**{'package.json': json.dumps({"name": "widget", "version": "1.0.0", "license": "MIT", "description": s}, indent=2)}),
 'pyproject_description': lambda s: base(**{'pyproject.toml': '[project]\nname = "widget"\nversion = "1.0"\nlicense = {text = "MIT"}\ndescription = "' + s.replace('"', "'") + '"\n'}),
 'citation_cff': lambda s: base(**{'CITATION.cff': 'cff-version: 1.2.0\nmessage: "' + s.replace('"', "'") + '"\ntitle: widget\nlicense: MIT\nauthors:\n  - name: Acme\n'}),
 'html_footer': lambda s: base(**{'public/index.html': "<!doctype html><html><body><p>Widget</p><footer>" + s + "</footer></body></html>\n"}),
 'ipynb_md': lambda s: base(**{'notebooks/analysis.ipynb': json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Analysis\n", "\n", s]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})}),
 'licence_append': lambda s: base(LICENSE=MIT + "\n" + s + "\n"),
 'licence_prepend': lambda s: base(LICENSE=s + "\n\n" + MIT),
 'licence_md_section': lambda s: base(**{'LICENSE': None, 'LICENSE.md': "# MIT License\n\n" + MIT.split('\n', 2)[2] + "\n## Additional terms\n\n" + s + "\n"}),
 'svg_metadata': lambda s: base(**{'assets/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" width="10" height="10"><metadata><rdf:RDF><rdf:Description><dc:rights>' + s + '</dc:rights></rdf:Description></rdf:RDF></metadata><rect width="10" height="10"/></svg>\n'}),
 'html_saved_page': lambda s: base(**{'docs/reference/guidance.html': "<!doctype html><html><head><title>Guidance</title></head><body><p>Copied from vendor.example</p><p>" + s + "</p></body></html>\n"}),
 'js_bundle_header': lambda s: base(**{'static/js/chart.min.js': "/*! Chart Pro v2 | " + s + " */\n!function(){var a=1;}();\n"}),
 'css_header': lambda s: base(**{'static/css/theme.css': "/* Theme Pro. " + s + " */\nbody{margin:0}\n"}),
 'other_branch_readme': lambda s: base(),
 'history_notice_deleted': lambda s: base(),
 'annot_tag_msg': lambda s: base(),
 'commit_msg': lambda s: base(),
 'manpage': lambda s: base(**{'man/widget.1': '.TH WIDGET 1\n.SH NAME\nwidget\n.SH COPYRIGHT\n' + s + '\n'}),
 'adoc': lambda s: base(**{'docs/terms.adoc': "= Terms\n\n" + s + "\n"}),
 'yaml_config': lambda s: base(**{'config/app.yaml': "name: widget\n# " + s + "\nport: 8080\n"}),
}
EXTRA = {
 'other_branch_readme': lambda s: "git checkout -q -b release && printf '%s\\n' " + sh(README + "\n" + s) + " > README.md && git commit -qam rel && git checkout -q main",
 'history_notice_deleted': lambda s: "printf '%s\\n' " + sh(s) + " > NOTICE && git add NOTICE && git commit -qm n && git rm -q NOTICE && git commit -qm rm",
 'annot_tag_msg': lambda s: "git tag -a v1.0 -m " + sh(s),
 'commit_msg': lambda s: "echo x >> src/app.py && git commit -qam " + sh(s),
}
def sh(s): return "'" + s.replace("'", "'\\''") + "'"

def op1():
    for pname, fn in PLACE.items():
        for i, s in enumerate(PHRASES):
            files = {k: v for k, v in fn(s).items() if v is not None}
            extra = EXTRA[pname](s) if pname in EXTRA else ''
            lab = 'bad'
            if pname in ('commit_msg', 'annot_tag_msg'): lab = 'border'
            if pname in ('readme_html_comment', 'readme_linkref'): lab = 'border'
            case('p_' + pname, 'ph%02d' % i, files, extra, lab, s)

# ---------------- OP2: encodings / hostile text ----------------
ZW = '\u200b'
def homo(s):  # Cyrillic o/a/e/p/c in all words
    return s.translate(str.maketrans({'o': '\u043e', 'a': '\u0430', 'e': '\u0435', 'p': '\u0440', 'c': '\u0441'}))
def zwsp(s): return ZW.join(s)
def shy(s): return ' '.join(w[:len(w)//2] + '\u00ad' + w[len(w)//2:] if len(w) > 3 else w for w in s.split(' '))
def rlo(s): return '\u202e' + s[::-1] + '\u202c'
def fullw(s): return ''.join(chr(ord(ch) + 0xFEE0) if '!' <= ch <= '~' else ch for ch in s)
def ents(s): return ''.join('&#%d;' % ord(ch) if ch.isalpha() else ch for ch in s)
def ents_named(s): return s.replace(' ', '&nbsp;')
def wrap_words(s): return '\n'.join(s.split(' '))
def wrap_mid(s):
    w = s.split(' '); h = len(w) // 2
    return ' '.join(w[:h]) + '\n' + ' '.join(w[h:])
def hyph(s):
    w = s.split(' '); i = max(range(len(w)), key=lambda k: len(w[k])); x = w[i]
    w[i] = x[:len(x)//2] + '-\n' + x[len(x)//2:]; return ' '.join(w)
def emph(s): return ' '.join('**' + w + '**' if i % 2 == 0 else '_' + w + '_' for i, w in enumerate(s.split(' ')))
def tags_in(s): return ' '.join(w[:2] + '<b></b>' + w[2:] if len(w) > 3 else w for w in s.split(' '))
def combining(s): return ''.join(ch + '\u0301' if ch == 'o' else ch for ch in s)
def nbsp(s): return s.replace(' ', '\u00a0')
def upper(s): return s.upper()
def tabs(s): return s.replace(' ', '\t')
def mdlink(s): return '[MIT](LICENSE "' + s + '")'
def backslash_nl(s): return s.replace(' ', ' \\\n', 1)
TXT_OPS = dict(plain=lambda s: s, homoglyph=homo, zwsp=zwsp, softhyphen=shy, rlo=rlo, fullwidth=fullw,
               html_ents=ents, nbsp_ents=ents_named, one_word_per_line=wrap_words, wrap_mid=wrap_mid, hyphen_split=hyph,
               emphasis=emph, empty_tags=tags_in, combining=combining, nbsp=nbsp, upper=upper, tabs=tabs,
               link_title=mdlink, backslash=backslash_nl)
BYTE_OPS = {
 'utf8': lambda b: b, 'crlf': lambda b: b.replace(b'\n', b'\r\n'), 'cr_only': lambda b: b.replace(b'\n', b'\r'),
 'bom8': lambda b: b'\xef\xbb\xbf' + b,
 'utf16le_bom': lambda b: b'\xff\xfe' + b.decode().encode('utf-16-le'),
 'utf16be_bom': lambda b: b'\xfe\xff' + b.decode().encode('utf-16-be'),
 'utf16le_nobom': lambda b: b.decode().encode('utf-16-le'),
 'utf32_bom': lambda b: b.decode().encode('utf-32'),
 'nul_before': lambda b: b'\x00' + b,
 'nul_between': lambda b: b.replace(b'\n\n', b'\n\x00\n'),
 'latin1': lambda b: b.decode().encode('latin-1', 'replace'),
 'formfeed': lambda b: b.replace(b'\n\n', b'\n\x0c\n'),
 'vt': lambda b: b.replace(b'\n', b'\x0b'),
 'nel': lambda b: b.decode().replace('\n', '\u0085').encode(),
 'lsep': lambda b: b.decode().replace('\n', '\u2028').encode(),
}
ENC_PLACES = {
 'licence_append': lambda t: ('LICENSE', MIT + "\n" + t + "\n"),
 'notice': lambda t: ('NOTICE', t + "\n"),
 'readme_sec': lambda t: ('README.md', README + "\n## Licence\n\nMIT. " + t + "\n"),
 'docs_terms': lambda t: ('docs/terms.md', "# Terms\n\n" + t + "\n"),
}
ENC_PHRASES = [PHRASES[i] for i in (0, 1, 4, 7, 8, 13, 21, 29)]
def op2():
    for pl, fn in ENC_PLACES.items():
        for tname, tf in TXT_OPS.items():
            for i, s in enumerate(ENC_PHRASES):
                path, txt = fn(tf(s))
                case('t_' + pl + '__' + tname, 'ph%d' % i, base(**{path: txt}), '', 'bad', s)
        for bname, bf in BYTE_OPS.items():
            if bname == 'utf8': continue
            for i, s in enumerate(ENC_PHRASES[:4]):
                path, txt = fn(s)
                case('b_' + pl + '__' + bname, 'ph%d' % i, base(**{path: bf(txt.encode())}), '', 'bad', s)
    # whole licence file encodings where the LICENSE is proprietary only, plus MIT? -> proprietary LICENSE encoded: expect forbidden/review
    for bname, bf in BYTE_OPS.items():
        case('b_proprietary_licence_only', bname, {'LICENSE': bf(PROPRIETARY.encode()), 'README.md': README, 'src/app.py': APP}, '', 'bad')
        # MIT LICENSE encoded weirdly + restriction appended (the whole file encoded)
        case('b_mit_plus_restriction_encoded', bname, base(LICENSE=bf((MIT + "\nNot for redistribution.\n").encode())), '', 'bad')
        # harmless control: plain MIT encoded
        case('h_mit_encoded', bname, base(LICENSE=bf(MIT.encode())), '', 'ok')
    # gzip and compressed
    case('b_gzip', 'notice_gz', base(**{'NOTICE.gz': gzip.compress(b"Not for redistribution.\n")}), '', 'bad')
    case('b_gzip', 'license_gz_proprietary', base(**{'LICENSE.gz': gzip.compress(PROPRIETARY.encode())}), '', 'bad')
    case('b_gzip', 'terms_txt_gz', base(**{'TERMS.txt.gz': gzip.compress(PROPRIETARY.encode())}), '', 'bad')
    case('b_gzip', 'only_gz_licence', {'LICENSE.gz': gzip.compress(MIT.encode()), 'src/app.py': APP}, '', 'border', 'MIT only as gzip: not readable by a person on GitHub')
    # huge: restriction after padding in various files
    pad = ("lorem ipsum dolor sit amet " * 40 + "\n") * 1200  # ~1.3MB
    for nm in ('NOTICE', 'README.md', 'docs/licence.md', 'COPYRIGHT'):
        case('b_huge_padding', nm.replace('/', '_'), base(**{nm: pad + "\nNot for redistribution. All rights reserved.\n"}), '', 'bad')
    pad300 = ("lorem ipsum dolor sit amet " * 40 + "\n") * 300  # ~320KB
    for nm in ('NOTICE', 'README.md', 'docs/licence.md', 'LICENSE-DATA'):
        case('b_mid_padding', nm.replace('/', '_'), base(**{nm: pad300 + "\nNot for redistribution. All rights reserved.\n"}), '', 'bad')
    # LICENSE: MIT then 1MB of whitespace then restriction
    case('b_huge_padding', 'licence_ws', base(LICENSE=MIT + "\n" * 1100000 + "Not for redistribution.\n"), '', 'bad')
    case('b_huge_padding', 'licence_spaces_line', base(LICENSE=MIT + " " * 300000 + "Not for redistribution.\n"), '', 'bad')
    case('b_huge_padding', 'licence_long_line', base(LICENSE=MIT.rstrip('\n') + " " * 5000 + "Except that redistribution is prohibited.\n"), '', 'bad')

# ---------------- OP3: file names for a proprietary text beside MIT ----------------
NAMES = ['LICENSE-PROPRIETARY', 'LICENSE.proprietary', 'LICENSE.txt', 'license', 'Licence', 'LICENCE.md', 'COPYING',
 'COPYING.txt', 'LICENSE ', ' LICENSE', 'LICENSE.', 'LICENSE~', 'LICENSE.bak', 'LICENSE.old', 'LICENSE.orig',
 'LICENSE.html', 'LICENSE.rtf', 'LICENSE.pdf', 'LICENSE.json', 'LICENSE.yaml', 'L\u0406CENSE', '\uff2c\uff29\uff23\uff25\uff2e\uff33\uff25',
 'LICENSE\u200b', 'LIC\u00adENSE', 'EULA', 'EULA.md', 'TERMS', 'TERMS_OF_USE.md', 'PROPRIETARY', 'CONFIDENTIAL',
 'RIGHTS', 'rights.txt', 'legal/LICENSE', 'legal/terms.txt', 'docs/LICENSE', '.github/LICENSE', '.LICENSE',
 'LICENSES/LicenseRef-Acme.txt', 'LICENSES/Proprietary.txt', 'licence/terms.txt', 'LICENSE.d/extra', 'AUTHORS',
 'PATENTS', 'Licence_agreement.txt', 'license-data.txt', 'LICENSE-ASSETS.md', 'ASSETS-LICENCE.md', 'data/LICENSE',
 'assets/LICENSE', 'fonts/LICENSE.txt', 'vendor/acme/LICENSE', 'node_modules/acme/LICENSE', 'third_party/acme/LICENSE',
 'dist/LICENSE', 'src/LICENSE', 'src/lib/LICENSE', 'LICENSE.md.txt', 'MIT-LICENSE', 'LICENSE-MIT', 'UNLICENSE',
 'COPYRIGHT.txt', 'NOTICE.txt', 'ThirdPartyNotices.txt', 'THIRD-PARTY-NOTICES', 'legal.txt', 'TERMS.rst', 'LICENSE.adoc',
 'README-LICENSE', 'docs/legal/terms-of-use.md', 'LICENSE.docx', 'Licence.odt', 'copyright', 'IMPORTANT.txt',
 'READ_ME_FIRST.txt', 'usage-restrictions.md']
PTEXTS = {'proprietary': PROPRIETARY, 'eula': EULA, 'data_terms': DATA_TERMS}
def op3():
    for n in NAMES:
        for tn, t in PTEXTS.items():
            f = base(**{n: t})
            if n.startswith('src/'): f['src/app.py'] = APP  # src is all the code
            case('n_' + tn, n.replace('/', '_').encode('unicode_escape').decode().replace('\\', 'U'), f, '', 'bad')
    # licence in a folder that is the whole code: MIT at root but app/LICENSE proprietary and app holds all code
    case('n_special', 'whole_code_folder', {'LICENSE': MIT, 'README.md': README, 'app/LICENSE': PROPRIETARY, 'app/main.py': APP, 'app/util.py': 'x=1\n'}, '', 'bad')
    case('n_special', 'license_dir', {'README.md': README, 'src/app.py': APP, 'LICENSE/MIT.txt': MIT, 'LICENSE/proprietary.txt': PROPRIETARY}, '', 'bad')
    case('n_special', 'license_and_licence', base(LICENCE=PROPRIETARY), '', 'bad')
    case('n_special', 'two_case_variants', base(license=PROPRIETARY), '', 'bad')
    case('n_special', 'mit_in_readme_only_src_prop', {'README.md': README + "\n## Licence\n\nMIT\n", 'src/app.py': APP, 'src/LICENSE': PROPRIETARY}, '', 'bad')

# ---------------- OP4: grant mutations ----------------
def op4():
    subs = [
     ('any person obtaining', 'any employee of Acme Digital Ltd obtaining'), ('any person obtaining', 'any UK public body obtaining'),
     ('free of charge', 'for a fee'), ('free of charge', 'upon payment of the licence fee'),
     ('without restriction', 'with restriction'), ('without restriction', 'for internal purposes'),
     ('Permission is hereby granted', 'Permission is hereby refused'), ('Permission is hereby granted', 'Permission may be granted on request'),
     ('Permission is hereby granted', 'Permission is not hereby granted'), ('Permission is hereby granted', 'Permission is hereby withheld'),
     ('and to permit persons', 'and not to permit persons'), ('to deal\nin the Software', 'to view\nthe Software'),
     ('copies of the Software, and', 'copies of the Software within Acme, and'),
     ('subject to the following conditions:', 'subject to the following conditions:\n\nThe Software shall not be redistributed.'),
     ('The above copyright notice', 'The Software may be used only on acme.gov.uk. The above copyright notice'),
     ('copies or substantial portions of the Software.', 'copies or substantial portions of the Software.\n\nThe Software may not be used for commercial purposes.'),
     ('use, copy, modify', 'use, view'), ('THE SOFTWARE IS PROVIDED', 'THIS LICENCE IS VOID. THE SOFTWARE IS PROVIDED'),
     ('Permission is hereby granted', 'Permission is hereby granted until 31 December 2023'),
     ('to any person', 'to the Department only'), ('sublicense, and/or sell', 'sublicense'),
     ('Permission', 'No permission'), ('granted, free', 'granted to Acme staff, free'),
    ]
    for i, (a, b) in enumerate(subs):
        assert a in MIT, a
        case('g_mit_sub', 's%02d' % i, base(LICENSE=MIT.replace(a, b, 1)), '', 'bad', b)
    verbs = ['use', 'copy', 'modify', 'merge', 'publish', 'distribute', 'sublicense', 'sell']
    for v in verbs:
        t = MIT.replace(v + ',', '', 1) if v + ',' in MIT else MIT.replace(v + ', ', '', 1)
        if v == 'sell': t = MIT.replace('and/or sell', '', 1)
        if v == 'sublicense': t = MIT.replace('sublicense, and/or ', '', 1)
        case('g_mit_drop_verb', v, base(LICENSE=t), '', 'bad', 'drop ' + v)
    # insertion of a word after each word of the permission paragraph
    para_start = MIT.index('Permission'); para_end = MIT.index('THE SOFTWARE IS')
    words = [(m) for m in range(para_start, para_end) if MIT[m] in ' \n' and MIT[m-1] not in ' \n']
    ins = ['not', 'only', 'internally', 'never', 'no']
    for k, pos in enumerate(words):
        for w in ins:
            t = MIT[:pos] + ' ' + w + MIT[pos:]
            case('g_mit_insert_' + w, 'w%03d' % k, base(LICENSE=t), '', 'bad', MIT[max(para_start, pos-30):pos] + ' ^' + w)
    # Apache
    asubs = [('perpetual, worldwide, non-exclusive, no-charge, royalty-free, irrevocable', 'revocable, UK-only, non-exclusive, no-charge, royalty-free'),
             ('reproduce, prepare Derivative Works of,', 'reproduce,'), ('sublicense, and distribute', 'sublicense'),
             ('hereby grants to You', 'hereby grants to Acme staff'), ('hereby grants to You', 'hereby refuses to You'),
             ('You may reproduce and distribute', 'You may not reproduce and distribute'),
             ('END OF TERMS AND CONDITIONS', '10. Additional Restriction. You may not distribute the Work outside Acme.\n\nEND OF TERMS AND CONDITIONS')]
    for i, (a, b) in enumerate(asubs):
        assert a in APACHE, a
        case('g_apache_sub', 's%02d' % i, base(LICENSE=APACHE.replace(a, b, 1)), '', 'bad', b)
    bsubs = [('are permitted provided', 'are not permitted provided'), ('are permitted provided', 'are permitted within Acme provided'),
             ('without specific prior written permission.', 'without specific prior written permission.\n\n4. Redistribution in any form outside Acme is not permitted.'),
             ('Redistribution and use', 'Use')]
    for i, (a, b) in enumerate(bsubs):
        assert a in BSD3, a
        case('g_bsd3_sub', 's%02d' % i, base(LICENSE=BSD3.replace(a, b, 1)), '', 'bad', b)
    osubs = [('copy, publish, distribute and transmit the Information', 'copy the Information'),
             ('exploit the Information commercially and non-commercially', 'exploit the Information non-commercially'),
             ('worldwide, royalty-free, perpetual, non-exclusive licence', 'UK-only, royalty-free, revocable, non-exclusive licence')]
    for i, (a, b) in enumerate(osubs):
        if a in OGL:
            case('g_ogl_sub', 's%02d' % i, base(LICENSE=OGL.replace(a, b, 1)), '', 'bad', b)
        else:
            print('OGL miss', a, file=sys.stderr)

# ---------------- OP5: git structure ----------------
def op5():
    P = sh(PROPRIETARY)
    G = [
     ('branch_proprietary_licence', "git checkout -q -b legacy && printf '%s' " + P + " > LICENSE && git commit -qam p && git checkout -q main", 'bad'),
     ('branch_notice', "git checkout -q -b legacy && echo 'Not for redistribution.' > NOTICE && git add NOTICE && git commit -qm n && git checkout -q main", 'bad'),
     ('tag_to_blob', "b=$(printf '%s' " + P + " | git hash-object -w --stdin) && git tag terms $b", 'bad'),
     ('annot_tag_to_blob', "b=$(printf '%s' " + P + " | git hash-object -w --stdin) && git tag -a -m terms terms $b", 'bad'),
     ('tag_to_tree', "b=$(printf '%s' " + P + " | git hash-object -w --stdin) && t=$(printf '100644 blob %s\\tLICENSE\\n' $b | git mktree) && git tag tree1 $t", 'bad'),
     ('tag_nested', "git checkout -q -b tmp && printf '%s' " + P + " > LICENSE && git commit -qam p && git tag -a -m inner inner && git tag -a -m outer outer inner && git checkout -q main && git branch -D -q tmp && git tag -d inner >/dev/null", 'bad'),
     ('tag_same_name_as_branch', "git checkout -q -b tmp && printf '%s' " + P + " > LICENSE && git commit -qam p && git tag main && git checkout -q main && git branch -D -q tmp", 'bad'),
     ('branch_named_like_tag', "git checkout -q -b tmp && printf '%s' " + P + " > LICENSE && git commit -qam p && git checkout -q main && git branch -m tmp refs/tags/v1 2>/dev/null || git update-ref refs/heads/tags/v1 tmp && git branch -D -q tmp", 'bad'),
     ('history_relicensed', "", 'border'),
     ('history_deleted_data', "mkdir -p data && printf '%s' " + sh(DATA_TERMS) + " > data/TERMS.txt && echo 'a,b' > data/os.csv && git add data && git commit -qm d && git rm -rq data && git commit -qm rm", 'bad'),
     ('history_deleted_font', "mkdir -p fonts && cp ' + os.path.join(HERE, 'res', 't.ttf') + ' fonts/frutiger.ttf && git add fonts && git commit -qm f && git rm -rq fonts && git commit -qm rm", 'bad'),
     ('orphan_pages_rights', "git checkout -q --orphan gh-pages && git rm -rfq . && echo '<footer>Copyright Acme. All rights reserved. Not for reuse.</footer>' > index.html && git add index.html && git commit -qm pages && git checkout -q main", 'bad'),
     ('notes_ref', "git notes add -m 'Not for redistribution.' HEAD", 'ok'),
     ('replace_commit', "", 'bad'),
     ('replace_blob', "", 'bad'),
     ('symlink_licence_outside', "", 'bad'),
     ('symlink_license_to_prop', "", 'bad'),
     ('lfs_licence_pointer', "", 'bad'),
     ('lfs_notice_pointer', "", 'bad'),
     ('submodule_vendor', "git update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,vendor/secret && printf '[submodule \"vendor/secret\"]\\n\\tpath = vendor/secret\\n\\turl = https://example.com/acme/secret.git\\n' > .gitmodules && git add .gitmodules && git commit -qm sub", 'border'),
     ('detached_head_prop', "git checkout -q -b tmp && printf '%s' " + P + " > LICENSE && git commit -qam p && git checkout -q --detach && git branch -D -q tmp 2>/dev/null; git branch -q proprietary HEAD", 'bad'),
     ('head_points_other', "git checkout -q -b dev && printf '%s' " + P + " > LICENSE && git commit -qam p", 'bad'),
     ('remote_ref_pushed?', "git update-ref refs/remotes/origin/secret $(git hash-object -w --stdin < /dev/null >/dev/null; git rev-parse HEAD)", 'ok'),
     ('export_ignore_licence', "printf 'LICENSE export-ignore\\n' > .gitattributes && git add .gitattributes && git commit -qm a", 'ok'),
     ('attr_binary_notice', "printf 'NOTICE binary\\n' > .gitattributes && echo 'Not for redistribution.' > NOTICE && git add -A && git commit -qm a", 'bad'),
     ('attr_linguist_vendored', "printf 'src/** linguist-vendored\\n' > .gitattributes && printf '%s' " + P + " > src/LICENSE && git add -A && git commit -qm a", 'bad'),
     ('grafts', "", 'bad'),
     ('many_branches_last_prop', "for i in $(seq 1 30); do git branch b$i; done; git checkout -q -b zz && printf '%s' " + P + " > LICENSE && git commit -qam p && git checkout -q main", 'bad'),
     ('empty_commit_tip_prop_history', "printf '%s' " + P + " > LICENSE && git commit -qam p && printf '%s' " + sh(MIT) + " > LICENSE && git commit -qam back", 'border'),
    ]
    for name, extra, lab in G:
        files = base()
        if name == 'history_relicensed':
            files = base(LICENSE=PROPRIETARY)
            extra = "printf '%s' " + sh(MIT) + " > LICENSE && git commit -qam relicense"
        if name == 'replace_commit':
            # main: proprietary; replacement commit shows MIT
            files = base(LICENSE=PROPRIETARY)
            extra = ("git checkout -q -b mit && printf '%s' " + sh(MIT) + " > LICENSE && git commit -q --amend -am mit && m=$(git rev-parse HEAD) && "
                     "git checkout -q main && git replace main $m && git branch -D -q mit")
        if name == 'replace_blob':
            files = base(LICENSE=PROPRIETARY)
            extra = "m=$(printf '%s' " + sh(MIT) + " | git hash-object -w --stdin) && git replace $(git rev-parse HEAD:LICENSE) $m"
        if name == 'grafts':
            files = base(LICENSE=PROPRIETARY)
            extra = ("git checkout -q -b mit && printf '%s' " + sh(MIT) + " > LICENSE && git commit -q --amend -am mit && m=$(git rev-parse HEAD) && "
                     "git checkout -q main && git branch -D -q mit && git update-ref refs/heads/mitcopy $m && git replace --graft main && true")
        if name == 'symlink_licence_outside':
            files = base(); files['LICENSE'] = ('symlink', os.path.join(HERE, 'res', 'MIT-acme.txt'))
        if name == 'symlink_license_to_prop':
            files = base(); files['LICENSE'] = ('symlink', 'docs/terms.txt'); files['docs/terms.txt'] = PROPRIETARY; files['LICENSE.md'] = MIT
        if name == 'lfs_licence_pointer':
            ptr = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n"
            files = base(); files['.gitattributes'] = "NOTICE filter=lfs diff=lfs merge=lfs -text\n"; files['NOTICE'] = ptr
        if name == 'lfs_notice_pointer':
            ptr = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n"
            files = base(); files['.gitattributes'] = "LICENSE.txt filter=lfs diff=lfs merge=lfs -text\n"; files['LICENSE.txt'] = ptr
        case('x_git', name.replace('?', ''), files, extra, lab)

# ---------------- OP6: assets ----------------
def font_bytes(cp, lic, flavor=None):
    p = os.path.join(RES, '_f.' + (flavor or 'ttf'))
    mkfont.make(p, cp, lic, flavor)
    return open(p, 'rb').read()
def jpeg_with(tag, val):
    p = os.path.join(RES, '_j.jpg'); shutil.copy(os.path.join(HERE, 'res', 'base.jpg'), p)
    subprocess.run(['exiftool', '-q', '-overwrite_original', '-' + tag + '=' + val, p], check=True)
    return open(p, 'rb').read()
def png_with(tag, val):
    p = os.path.join(RES, '_p.png'); shutil.copy(os.path.join(HERE, 'res', 'base.png'), p)
    subprocess.run(['exiftool', '-q', '-overwrite_original', '-' + tag + '=' + val, p], check=True)
    return open(p, 'rb').read()
def op6():
    fonts = {
      'restrictive': ('Copyright 2019 Monotype Imaging Inc. All rights reserved.', 'You may not copy or distribute this font software. Licensed for use on nhs.uk only.'),
      'govuk_exclusive': ('Copyright Crown 2012', 'New Transport is for exclusive use on GOV.UK and may not be used elsewhere.'),
      'cr_only': ('Copyright 2020 Fontfoundry Ltd. All rights reserved.', ''),
    }
    places = ['fonts/a.ttf', 'fonts/a.woff', 'fonts/a.woff2', 'fonts/a.otf', 'static/a.bin', 'static/fontdata', 'assets/a.dat',
              'assets/a.txt', 'assets/a.png', 'vendor/fonts/a.ttf', 'node_modules/f/a.woff2', 'docs/a.eot']
    for fn, (cp, lic) in fonts.items():
        for pl in places:
            flav = 'woff' if pl.endswith('.woff') else 'woff2' if pl.endswith('.woff2') else None
            fb = font_bytes(cp, lic, flav)
            case('a_font_' + fn, pl.replace('/', '_'), base(**{pl: fb}), '', 'bad')
        fb = font_bytes(cp, lic)
        b64 = base64.b64encode(fb).decode()
        case('a_font_' + fn, 'css_data_uri', base(**{'static/fonts.css': "@font-face{font-family:A;src:url(data:font/ttf;base64," + b64 + ")}\n"}), '', 'bad')
        import zipfile, io, tarfile
        bio = io.BytesIO(); z = zipfile.ZipFile(bio, 'w'); z.writestr('a.ttf', fb); z.close()
        case('a_font_' + fn, 'in_zip', base(**{'fonts/fonts.zip': bio.getvalue()}), '', 'bad')
        case('a_font_' + fn, 'gzipped', base(**{'fonts/a.ttf.gz': gzip.compress(fb)}), '', 'bad')
        case('a_font_' + fn, 'js_array', base(**{'static/font.js': "export const F='" + b64 + "';\n"}), '', 'bad')
    rights = {
      'spl': 'Science Photo Library. Rights managed. Not for redistribution.',
      'getty': 'Getty Images. All rights reserved.',
      'alamy': 'Alamy Stock Photo',
    }
    jtags = ['Copyright', 'XMP-dc:Rights', 'IPTC:CopyrightNotice', 'XMP-xmpRights:UsageTerms', 'Artist', 'XMP-photoshop:Credit', 'ImageDescription', 'Comment']
    for rn, val in rights.items():
        for tg in jtags:
            try: jb = jpeg_with(tg, val)
            except Exception as e: print('jpeg fail', tg, e, file=sys.stderr); continue
            for pl in ('images/photo.jpg', 'images/photo.jpeg', 'images/photo.JPG', 'images/photo.bin', 'images/photo'):
                case('a_jpeg_' + rn, tg.replace(':', '-') + '__' + pl.replace('/', '_').replace('.', '-'), base(**{pl: jb}), '', 'border' if rn == 'alamy' and tg in ('Artist', 'XMP-photoshop:Credit', 'ImageDescription', 'Comment') else 'bad')
        for tg in ('Copyright', 'XMP-dc:Rights', 'XMP-xmpRights:UsageTerms'):
            try: pb = png_with(tg, val)
            except Exception as e: print('png fail', tg, e, file=sys.stderr); continue
            case('a_png_' + rn, tg.replace(':', '-'), base(**{'images/photo.png': pb}), '', 'bad')
        jb = jpeg_with('Copyright', val)
        case('a_jpeg_' + rn, 'data_uri_html', base(**{'public/index.html': '<img src="data:image/jpeg;base64,' + base64.b64encode(jb).decode() + '">\n'}), '', 'border')
        case('a_jpeg_' + rn, 'in_pdf_name', base(**{'docs/photo.pdf': b'%PDF-1.4\n% ' + val.encode() + b'\n'}), '', 'bad')

# ---------------- OP7: manifests ----------------
def op7():
    lic_vals = ['UNLICENSED', 'SEE LICENSE IN EULA.txt', 'SEE LICENSE IN LICENSE', 'proprietary', 'Proprietary', 'Commercial',
                'LicenseRef-Acme', 'MIT AND LicenseRef-Proprietary', '(MIT AND CC-BY-NC-4.0)', 'CC-BY-NC-4.0', 'SSPL-1.0',
                'BUSL-1.1', 'Elastic-2.0', 'All rights reserved', 'Crown Copyright', 'NONE', 'NOASSERTION', 'Other', 'private',
                'MIT WITH Commons-Clause', 'Internal use only', 'OGL-UK-3.0 AND LicenseRef-PSGA']
    for v in lic_vals:
        extra_files = {'EULA.txt': EULA} if 'EULA' in v else {}
        for where in ('', 'packages/core/'):
            f = base(**{where + 'package.json': json.dumps({"name": "widget", "version": "1.0.0", "license": v}, indent=2), **extra_files})
            if where: f['packages/core/index.js'] = 'module.exports=1\n'
            case('m_npm' + ('_sub' if where else ''), v.replace(' ', '_').replace('/', '_'), f, '', 'bad')
        case('m_pyproject', v.replace(' ', '_'), base(**{'pyproject.toml': '[project]\nname = "widget"\nversion = "1.0"\nlicense = {text = "' + v + '"}\n', **extra_files}), '', 'bad')
        case('m_pyproject_pep639', v.replace(' ', '_'), base(**{'pyproject.toml': '[project]\nname = "widget"\nversion = "1.0"\nlicense = "' + v + '"\n', **extra_files}), '', 'bad')
        case('m_cargo', v.replace(' ', '_'), base(**{'Cargo.toml': '[package]\nname = "widget"\nversion = "0.1.0"\nlicense = "' + v + '"\n', **extra_files}), '', 'bad')
        case('m_composer', v.replace(' ', '_'), base(**{'composer.json': json.dumps({"name": "acme/widget", "license": v}), **extra_files}), '', 'bad')
        case('m_pom', v.replace(' ', '_'), base(**{'pom.xml': '<project><licenses><license><name>' + v + '</name></license></licenses></project>\n', **extra_files}), '', 'bad')
        case('m_setup_py', v.replace(' ', '_'), base(**{'setup.py': 'from setuptools import setup\nsetup(name="widget", license="' + v + '")\n', **extra_files}), '', 'bad')
        case('m_description_r', v.replace(' ', '_'), base(**{'DESCRIPTION': 'Package: widget\nVersion: 1.0\nLicense: ' + v + '\n', **extra_files}), '', 'bad')
        case('m_gemspec', v.replace(' ', '_'), base(**{'widget.gemspec': 'Gem::Specification.new do |s|\n  s.name = "widget"\n  s.license = "' + v + '"\nend\n', **extra_files}), '', 'bad')
        case('m_csproj', v.replace(' ', '_'), base(**{'Widget.csproj': '<Project><PropertyGroup><PackageLicenseExpression>' + v + '</PackageLicenseExpression></PropertyGroup></Project>\n', **extra_files}), '', 'bad')
        case('m_citation', v.replace(' ', '_'), base(**{'CITATION.cff': 'cff-version: 1.2.0\ntitle: widget\nlicense: ' + v + '\n', **extra_files}), '', 'bad')
        case('m_publiccode', v.replace(' ', '_'), base(**{'publiccode.yml': 'publiccodeYmlVersion: "0.2"\nname: widget\nlegal:\n  license: ' + v + '\n', **extra_files}), '', 'bad')
        case('m_datapackage', v.replace(' ', '_'), base(**{'data/datapackage.json': json.dumps({"name": "d", "licenses": [{"name": v}]}), 'data/d.csv': 'a\n1\n', **extra_files}), '', 'bad')
        case('m_setup_cfg', v.replace(' ', '_'), base(**{'setup.cfg': '[metadata]\nname = widget\nlicense = ' + v + '\n', **extra_files}), '', 'bad')
    # classifiers and other shapes
    case('m_other', 'classifier_proprietary', base(**{'setup.py': 'from setuptools import setup\nsetup(name="widget", classifiers=["License :: Other/Proprietary License"])\n'}), '', 'bad')
    case('m_other', 'npm_private_true', base(**{'package.json': json.dumps({"name": "widget", "private": True})}), '', 'border')
    case('m_other', 'npm_licenses_array', base(**{'package.json': json.dumps({"name": "widget", "licenses": [{"type": "Proprietary"}]})}), '', 'bad')
    case('m_other', 'npm_license_object', base(**{'package.json': json.dumps({"name": "widget", "license": {"type": "Proprietary", "url": "https://acme.example/eula"}})}), '', 'bad')
    case('m_other', 'cargo_license_file', base(**{'Cargo.toml': '[package]\nname = "widget"\nversion = "0.1.0"\nlicense-file = "EULA.txt"\n', 'EULA.txt': EULA}), '', 'bad')
    case('m_other', 'poetry_proprietary', base(**{'pyproject.toml': '[tool.poetry]\nname = "widget"\nversion = "1.0"\nlicense = "Proprietary"\n'}), '', 'bad')
    case('m_other', 'pyproject_license_files', base(**{'pyproject.toml': '[project]\nname = "widget"\nversion = "1.0"\nlicense-files = ["EULA.txt"]\n', 'EULA.txt': EULA}), '', 'bad')
    case('m_other', 'pubspec', base(**{'pubspec.yaml': 'name: widget\npublish_to: none\n# Proprietary - all rights reserved\n'}), '', 'bad')
    case('m_other', 'nuspec', base(**{'Widget.nuspec': '<package><metadata><license type="file">EULA.txt</license></metadata></package>\n', 'EULA.txt': EULA}), '', 'bad')
    case('m_other', 'bower', base(**{'bower.json': json.dumps({"name": "widget", "license": "Proprietary"})}), '', 'bad')
    case('m_other', 'chart_yaml', base(**{'chart/Chart.yaml': 'apiVersion: v2\nname: widget\nannotations:\n  licenses: Proprietary\n'}), '', 'bad')
    case('m_other', 'dockerfile_label', base(**{'Dockerfile': 'FROM scratch\nLABEL org.opencontainers.image.licenses="LicenseRef-Proprietary"\n'}), '', 'bad')
    case('m_other', 'codemeta', base(**{'codemeta.json': json.dumps({"@type": "SoftwareSourceCode", "license": "https://acme.example/proprietary"})}), '', 'bad')
    case('m_other', 'zenodo', base(**{'.zenodo.json': json.dumps({"license": "other-closed"})}), '', 'bad')

# ---------------- OP8: SPDX headers ----------------
def op8():
    ids = ['LicenseRef-Proprietary', 'Proprietary', 'CC-BY-NC-4.0', 'NONE', 'NOASSERTION', 'BUSL-1.1', 'LicenseRef-Acme-Internal', 'UNLICENSED']
    for v in ids:
        for n in (1, 2, 5):
            f = base()
            for k in range(5):
                hdr = '# SPDX-License-Identifier: ' + v + '\n' if k < n else ''
                f['src/m%d.py' % k] = hdr + 'x = %d\n' % k
            case('s_spdx_' + str(n) + 'of5', v, f, '', 'bad')
        f = base(); f['src/app.py'] = '# SPDX-FileCopyrightText: 2023 Vendor Corp\n# SPDX-License-Identifier: ' + v + '\n' + APP
        case('s_spdx_reuse_pair', v, f, '', 'bad')
        f = base(); f['REUSE.toml'] = 'version = 1\n[[annotations]]\npath = "src/**"\nSPDX-FileCopyrightText = "2023 Vendor Corp"\nSPDX-License-Identifier = "' + v + '"\n'
        case('s_reuse_toml', v, f, '', 'bad')
        f = base(); f['.reuse/dep5'] = 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: src/*\nCopyright: 2023 Vendor Corp\nLicense: ' + v + '\n'
        case('s_dep5', v, f, '', 'bad')
        f = base(); f['debian/copyright'] = 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: src/*\nCopyright: 2023 Vendor Corp\nLicense: ' + v + '\n'
        case('s_debian_copyright', v, f, '', 'bad')

# ---------------- OP9: other licence texts as extra files ----------------
def op9():
    ids = ['CC-BY-NC-4.0', 'CC-BY-ND-4.0', 'CC-BY-NC-SA-4.0', 'BUSL-1.1', 'SSPL-1.0', 'Elastic-2.0', 'JSON', 'Hippocratic-2.1',
           'BSD-3-Clause-No-Military-License', 'PolyForm-Noncommercial-1.0.0', 'CC-BY-NC-ND-4.0', 'MIT-advertising', 'Commons-Clause',
           'BSD-3-Clause-No-Nuclear-License', 'NPL-1.1', 'Watcom-1.0', 'OPL-UK-3.0', 'CC-BY-NC-2.5', 'MS-RL', 'Sleepycat']
    texts = {}
    for i in ids:
        p = '/work/main/licenses/text/' + i + '.txt'
        if os.path.exists(p): texts[i] = open(p).read()
        else: print('no text', i, file=sys.stderr)
    for i, t in texts.items():
        for pl in ('LICENSE-DATA', 'data/LICENSE', 'docs/LICENSE', 'LICENSE.assets.md', 'append', 'COPYING', 'images/LICENSE.txt'):
            if pl == 'append': f = base(LICENSE=MIT + "\n\n" + t)
            else:
                f = base(**{pl: t})
                if pl.startswith('data/'): f['data/x.csv'] = 'a\n1\n'
                if pl.startswith('images/'): f['images/x.svg'] = '<svg xmlns="http://www.w3.org/2000/svg"/>\n'
            case('l_' + i, pl.replace('/', '_'), f, '', 'bad')
        # commons clause appended style
    cc = ('"Commons Clause" License Condition v1.0\n\nThe Software is provided to you by the Licensor under the License, as defined below, subject to the following condition.\n\n'
          'Without limiting other conditions in the License, the grant of rights under the License will not include, and the License does not grant to you, the right to Sell the Software.\n')
    case('l_commons_clause_text', 'append_mit', base(LICENSE=MIT + "\n\n" + cc), '', 'bad')
    case('l_commons_clause_text', 'append_apache', base(LICENSE=APACHE + "\n\n" + cc), '', 'bad')
    case('l_commons_clause_text', 'separate_file', base(**{'COMMONS-CLAUSE': cc}), '', 'bad')
    case('l_commons_clause_text', 'prepend_apache', base(LICENSE=cc + "\n\n" + APACHE), '', 'bad')

# ---------------- OP10: harmless controls ----------------
def op10():
    H = {
     'plain': base(),
     'licence_md': {**{k: v for k, v in base().items() if k != 'LICENSE'}, 'LICENSE.md': '# MIT License\n\n' + MIT.split('\n', 2)[2]},
     'readme_licence_sec': base(**{'README.md': README + "\n## Licence\n\nThis project is licensed under the MIT licence. See [LICENSE](LICENSE).\n"}),
     'readme_licence_crown': base(**{'README.md': README + "\n## Licence\n\nUnless stated otherwise, the codebase is released under the MIT License. This covers both the codebase and any sample code in the documentation.\n\nThe documentation is © Crown copyright and available under the terms of the Open Government 3.0 licence.\n"}),
     'contributing': base(**{'CONTRIBUTING.md': '# Contributing\n\nPlease open a pull request.\n'}),
     'pkg_json_mit': base(**{'package.json': json.dumps({"name": "widget", "license": "MIT"})}),
     'pkg_json_isc': base(**{'package.json': json.dumps({"name": "widget", "license": "ISC"})}),
     'spdx_headers_mit': base(**{'src/app.py': '# SPDX-License-Identifier: MIT\n' + APP}),
     'notice_attrib': base(NOTICE='This product includes software developed at Acme Digital Ltd.\n'),
     'holder_crown': base(LICENSE=MIT.replace('Acme Digital Ltd', 'Crown Copyright (Government Digital Service)')),
     'holder_contributors': base(LICENSE=MIT.replace('Acme Digital Ltd', 'Acme Digital Ltd and contributors')),
     'year_range': base(LICENSE=MIT.replace('2023', '2019-2023')),
     'trailing_ws': base(LICENSE=MIT.replace('\n', '  \n')),
     'rewrapped': base(LICENSE=' '.join(MIT.split('\n')).replace('  ', '\n\n')),
     'vendor_mit': base(**{'vendor/lib/LICENSE': MIT.replace('Acme Digital Ltd', 'Lib Authors'), 'vendor/lib/x.js': 'x\n'}),
     'docs_ogl': base(**{'docs/index.md': '# Docs\n\nSome docs.\n'}),
     'apache': base(LICENSE=APACHE),
     'bsd3': base(LICENSE=BSD3),
     'jpeg_no_rights': base(**{'images/a.jpg': open(os.path.join(HERE, 'res', 'base.jpg'), 'rb').read()}),
     'font_ofl': base(**{'fonts/a.ttf': font_bytes('Copyright 2020 The Open Sans Authors', 'This Font Software is licensed under the SIL Open Font License, Version 1.1.')}),
     'branch_same': base(),
     'tag_release': base(),
     'crlf_licence': base(LICENSE=MIT.replace('\n', '\r\n')),
     'bom_licence': base(LICENSE='\ufeff' + MIT),
     'symlink_in_tree': {**base(), 'src/LICENSE': ('symlink', '../LICENSE')},
     'changelog': base(**{'CHANGELOG.md': '# Changelog\n\n## 1.0\n\n- first release\n'}),
     'readme_long': base(**{'README.md': README + "\n## Development\n\nRun the tests with `pytest`. Please do not commit secrets.\n\n## Support\n\nEmail us.\n"}),
     'readme_no_warranty': base(**{'README.md': README + "\n## Disclaimer\n\nThis software is provided as is, without warranty of any kind.\n"}),
     'code_of_conduct': base(**{'CODE_OF_CONDUCT.md': '# Code of conduct\n\nBe kind.\n'}),
     'security_md': base(**{'SECURITY.md': '# Security\n\nPlease do not report security issues in public issues; email security@acme.example.\n'}),
     'gitignore': base(**{'.gitignore': 'node_modules\n'}),
    }
    extras = {'branch_same': 'git branch dev', 'tag_release': 'git tag -a v1 -m release'}
    for k, f in H.items():
        case('h_control', k, f, extras.get(k, ''), 'ok')


# ---------------- OP11: single-word deletions in grant sentences ----------------
ISC = open('/work/main/licenses/text/ISC.txt').read().replace('<year>','2023').replace('<owner>','Acme Digital Ltd')
BSD2 = open('/work/main/licenses/text/BSD-2-Clause.txt').read().replace('<year>','2023').replace('<owner>','Acme Digital Ltd')
OBSD = open('/work/main/licenses/text/0BSD.txt').read().replace('<year>','2023').replace('<owner>','Acme Digital Ltd')
def op11():
    import re
    targets = {
      'MIT': (MIT, MIT.index('Permission'), MIT.index('THE SOFTWARE IS')),
      'ISC': (ISC, ISC.index('Permission'), ISC.index('THE SOFTWARE IS')),
      'BSD2': (BSD2, BSD2.index('Redistribution'), BSD2.index('THIS SOFTWARE IS') if 'THIS SOFTWARE IS' in BSD2 else BSD2.index('THIS SOFTWARE')),
      'APACHE_s2': (APACHE, APACHE.index('2. Grant of Copyright License'), APACHE.index('3. Grant of Patent License')),
      'APACHE_s4': (APACHE, APACHE.index('4. Redistribution'), APACHE.index('(a) You must give')),
      '0BSD': (OBSD, OBSD.index('Permission'), OBSD.index('THE SOFTWARE IS')),
    }
    if 'You are free to' in OGL:
        a = OGL.index('You are free to'); targets['OGL'] = (OGL, a, OGL.index('You must', a) if 'You must' in OGL[a:] else a + 600)
    for name, (t, a, b) in targets.items():
        for k, m in enumerate(re.finditer(r"[A-Za-z][A-Za-z/'-]*", t[a:b])):
            s0, e0 = a + m.start(), a + m.end()
            mut = t[:s0] + t[e0:]
            case('g_del_' + name, 'w%03d_%s' % (k, m.group(0).replace('/', '_')), base(LICENSE=mut), '', 'bad?', m.group(0))
    # whole-list deletions
    case('g_del_list', 'mit_only_use', base(LICENSE=MIT.replace('use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software', 'use\nthe Software')), '', 'bad')
    case('g_del_list', 'mit_no_publish_distribute', base(LICENSE=MIT.replace(' publish, distribute,', '')), '', 'bad')
    case('g_del_list', 'isc_use_only', base(LICENSE=ISC.replace('use, copy, modify, and/or distribute', 'use')), '', 'bad')

# ---------------- OP12: README headings x phrases ----------------
def op12():
    heads = ['Licence', 'License', 'Licensing', 'Copyright', 'Copyright and licence', 'Terms of use', 'Legal', 'Usage rights',
             'Important', 'Restrictions', 'Disclaimer', 'Data', 'Contributing', 'Acknowledgements', 'Third-party assets']
    for h in heads:
        for i, s in enumerate(PHRASES):
            case('r_head_' + h.replace(' ', '_'), 'ph%02d' % i, base(**{'README.md': README + "\n## " + h + "\n\n" + s + "\n"}), '', 'bad', s)
        # the restriction as the second paragraph under the heading after a grant
        for i, s in enumerate(PHRASES[:8]):
            case('r_head2_' + h.replace(' ', '_'), 'ph%02d' % i, base(**{'README.md': README + "\n## " + h + "\n\nThe code is released under the MIT licence.\n\n" + s + "\n"}), '', 'bad', s)

# ---------------- OP13: folder licences and their conditions ----------------
def op13():
    ids = ['CC-BY-NC-4.0', 'CC-BY-NC-ND-4.0', 'CC-BY-SA-4.0', 'GPL-3.0-only', 'AGPL-3.0-only', 'CC-BY-ND-4.0', 'PolyForm-Noncommercial-1.0.0', 'LGPL-3.0-only', 'MPL-2.0', 'CC-BY-4.0', 'OGL-UK-3.0', 'EUPL-1.2']
    for i in ids:
        p = '/work/main/licenses/text/' + i + '.txt'
        if not os.path.exists(p): print('no text', i, file=sys.stderr); continue
        t = open(p).read()
        for fold, extra in (('data', {'data/x.csv': 'a\n1\n'}), ('docs', {'docs/index.md': '# Docs\n'}), ('images', {'images/x.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>\n'}),
                            ('src/lib', {'src/lib/x.py': 'x=1\n'}), ('vendor/x', {'vendor/x/x.js': 'x\n'}), ('app', {'app/main.py': APP})):
            f = base(**{fold + '/LICENSE': t, **extra})
            case('c_folder_' + i, fold.replace('/', '_'), f, '', 'cond')

# ---------------- OP14: copyright line + withholding (the "conventional" exemption) ----------------
def op14():
    sents = ['Copyright 2023 Acme Digital Ltd. Reproduction prohibited.', '(c) Acme Digital Ltd 2023. Redistribution prohibited.',
             'Copyright Acme Digital Ltd. Confidential.', 'Copyright 2023 Acme Digital Ltd. For internal use only.',
             '\u00a9 Crown copyright 2023. Use restricted to the Department.', 'Copyright 2023 Acme Digital Ltd. Redistribution forbidden.',
             'Copyright 2023 Acme Digital Ltd. Unauthorised copying prohibited.', 'Copyright 2023 Acme Digital Ltd. Proprietary and confidential.',
             'Copyright 2023 Acme Digital Ltd - licensed to the Department only', 'Copyright (C) 2023 Vendor Print Ltd. Licensed to Acme for use on acme.gov.uk.']
    for i, s in enumerate(sents):
        for pl, fn in (('NOTICE', lambda s: {'NOTICE': s + '\n'}), ('COPYRIGHT', lambda s: {'COPYRIGHT': s + '\n'}),
                       ('docs_licence', lambda s: {'docs/licence.md': '# Licence\n\n' + s + '\n'}),
                       ('src_header', lambda s: {'src/app.py': '# ' + s + '\n' + APP}),
                       ('licence_append', lambda s: {'LICENSE': MIT + '\n' + s + '\n'}),
                       ('licence_holder', lambda s: {'LICENSE': MIT.replace('Copyright (c) 2023 Acme Digital Ltd', s)}),
                       ('readme_licence', lambda s: {'README.md': README + '\n## Licence\n\nMIT. ' + s + '\n'})):
            case('k_' + pl, 's%02d' % i, base(**fn(s)), '', 'bad', s)

def op15():
    body = MIT.split('\n', 2)[2]
    S = 'Not for redistribution outside Acme.'
    L = {
     'md_html_comment': '# MIT License\n\n<!-- ' + S + ' -->\n\n' + body,
     'md_linkref': '# MIT License\n\n[note]: # "' + S + '"\n\n' + body,
     'md_img_alt': '# MIT License\n\n![' + S + '](badge.svg)\n\n' + body,
     'md_details': '# MIT License\n\n' + body + '\n<details><summary>Notes</summary>\n\n' + S + '\n\n</details>\n',
     'md_footnote': '# MIT License[^1]\n\n' + body + '\n[^1]: ' + S + '\n',
     'german': 'MIT License\n\n' + body + '\nNicht zur Weiterverbreitung bestimmt.\n',
     'welsh': 'MIT License\n\n' + body + '\nNid yw ar gyfer ei ailddosbarthu.\n',
     'md_table': '# MIT License\n\n| Part | Terms |\n|---|---|\n| all | ' + S + ' |\n\n' + body,
     'md_link_title': '# [MIT License](https://opensource.org/licenses/MIT "' + S + '")\n\n' + body,
     'html_license': '<html><body><h1>MIT License</h1><pre>' + body + '</pre><p style="display:none">' + S + '</p></body></html>\n',
     'trailing_spaces_hidden': MIT.rstrip('\n') + ' ' * 200 + S + '\n',
     'zero_width_line': MIT + '\n\u200b' + S + '\n',
    }
    for k, t in L.items():
        nm = 'LICENSE.html' if k == 'html_license' else ('LICENSE.md' if k.startswith('md') else 'LICENSE')
        f = base(); del f['LICENSE']; f[nm] = t
        case('q_licence_hidden', k, f, '', 'bad', S)
    scope = ['The MIT licence applies only to the docs folder.', 'Only the frontend folder is open source; everything else is Crown copyright.',
             'The MIT licence covers the documentation; the code is not licensed.', 'The code in src is owned by Vendor Corp and used under contract.',
             'The LICENSE file applies to the examples only.', 'The data folder is not open data.', 'The scripts folder is licensed separately by the supplier.',
             'This licence does not cover the models folder.']
    for i, s in enumerate(scope):
        case('q_scope_readme_lic', 's%d' % i, base(**{'README.md': README + '\n## Licence\n\n' + s + '\n'}), '', 'bad', s)
        case('q_scope_readme_grant', 's%d' % i, base(**{'README.md': README + '\n## Licence\n\nMIT licence. ' + s + '\n'}), '', 'bad', s)
        case('q_scope_notice', 's%d' % i, base(NOTICE=s + '\n'), '', 'bad', s)
    hist = {'contrib_head_second_para': ('CONTRIBUTING.md', '# Contributing\n\nPull requests welcome.\n\nThis repository is confidential and must not be shared outside Acme Digital Ltd.\n'),
            'contrib_first_para': ('CONTRIBUTING.md', 'This repository is confidential and must not be shared outside Acme Digital Ltd.\n'),
            'js_second_comment': ('static/app.js', '// app\nvar a = 1;\n/* Copyright Vendor Corp. All rights reserved. Licensed for use with Vendor Product only. */\nvar b = 2;\n'),
            'js_after_50_lines': ('static/app.js', 'var a = 1;\n' * 50 + '/* Copyright Vendor Corp. All rights reserved. */\n'),
            'css_after_rules': ('static/site.css', 'body{margin:0}\n' * 20 + '/* Copyright Vendor Corp. All rights reserved. Not for reuse. */\n')}
    for k, (p, t) in hist.items():
        case('q_bundled_head', k, base(**{p: t}), '', 'bad')

OPS = dict(op15=op15, op11=op11, op12=op12, op13=op13, op14=op14, op1=op1, op2=op2, op3=op3, op4=op4, op5=op5, op6=op6, op7=op7, op8=op8, op9=op9, op10=op10)
for k, fn in OPS.items():
    if ONLY and k not in ONLY: continue
    fn()
print(len(CASES), 'cases', file=sys.stderr)
from collections import Counter
print(Counter(c['op'].split('_')[0] for c in CASES), file=sys.stderr)
if os.environ.get('DRY'): sys.exit(0)
for c in CASES: build(c)
