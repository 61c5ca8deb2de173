#!/usr/bin/env python3
"""N vCards of the shapes real address books export, for benches/import.sh.

    benches/real_vcards.py N > cards.vcf

Each card is one of the real exports in tests/fixtures/vcard/ez-vcard (iPhone, Mac, Android,
Outlook 2.1/2003/2007, Gmail, Evolution, Lotus Notes, BlackBerry, Thunderbird, the RFC
examples: 2.1 quoted-printable, folded lines, photos, groups, X- properties), picked at
random (seed 7; the large cards with photos a twentieth as often as the rest), and given a
name, UID, emails and phones of its own so that no two match. Not the shape gen_vcards
makes: cards of 0.1-27 KB, most properties kept as unmodelled lines, many with warnings.
"""
import glob
import os
import random
import re
import sys

n = int(sys.argv[1])
here = os.path.dirname(os.path.abspath(__file__))
files = sorted(glob.glob(os.path.join(here, '..', 'tests', 'fixtures', 'vcard', 'ez-vcard', '*.vcf')))
pool = []
for path in files:
    try:
        text = open(path, 'rb').read().decode('utf-8')
    except UnicodeDecodeError:
        continue
    text = text.replace('\r\n', '\n').replace('\r', '\n')
    for m in re.finditer(r'(?ims)^BEGIN:VCARD.*?^END:VCARD[ \t]*$', text):
        card = m.group(0)
        pool.extend([card] * (1 if len(card) > 8000 else 20))
rnd = random.Random(7)
first = ['Ana', 'Bo', 'Chiara', 'Dmitri', 'Eun', 'Farah', 'Gustavo', 'Hiroshi',
         'Ines', 'Jonas', 'Kemal', 'Lena', 'Mateo', 'Nia', 'Olu', 'Priya']
out = sys.stdout
for i in range(n):
    card = pool[rnd.randrange(len(pool))]
    token = '%s%d' % (first[i % len(first)], i)
    lines, tel = [], 0
    for line in card.split('\n'):
        if ':' in line and not line.startswith((' ', '\t')):
            head, value = line.split(':', 1)
            name = head.split(';', 1)[0].split('.')[-1].upper()
            if name in ('FN', 'N'):
                line = head + ':' + token + ' ' + value
            elif name == 'UID':
                line = head + ':real-%d' % i
            elif name == 'EMAIL':
                line = head + ':' + token.lower() + '.' + value.lstrip()
            elif name == 'TEL':
                tel += 1
                line = head + ':+44 20 %d %07d' % (tel, i)
        lines.append(line)
    out.write('\r\n'.join(lines) + '\r\n')
