#!/usr/bin/env python3
"""N vCards 3.0 of the shape a faker script writes when everyone works somewhere else.

    benches/company_vcards.py N > cards.vcf

No UID (each card's comes from its content), one email, one US phone, a work address, an
organization of its own nearly every card (so an import makes ~N organizations), a title
and a 25-word note; CRLF line ends, about 420 bytes a card (seed 11: the same file every
time). Where the import's organizations and notes' full-text index cost the most.
"""
import random
import sys

n = int(sys.argv[1])
rng = random.Random(11)
first = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
         "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
         "Thomas", "Sarah", "Carlos", "Mei"]
last = ["Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
        "Taylor", "Thomas", "Moore", "Martin", "Jackson", "White", "Harris", "Clark", "Lewis",
        "Young", "Walker", "Hall"]
words = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
         "incididunt ut labore et dolore magna aliqua").split()
out = sys.stdout
for i in range(n):
    f, l = rng.choice(first), rng.choice(last)
    note = " ".join(rng.choice(words) for _ in range(25))
    org = f"{rng.choice(last)}-{rng.choice(last)} {rng.randint(1, n)} LLC"
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"FN:{f} {l}",
        f"N:{l};{f};;;",
        f"EMAIL;TYPE=INTERNET:{f.lower()}.{l.lower()}{i}@example.org",
        f"TEL;TYPE=CELL:({rng.randint(200, 999)}) {rng.randint(200, 999)}-{i % 10000:04d}",
        f"ADR;TYPE=WORK:;;{rng.randint(1, 9999)} {rng.choice(last)} Ave;Springfield;IL;"
        f"{rng.randint(10000, 99999)};US",
        f"ORG:{org}",
        f"TITLE:{rng.choice(['Manager', 'Engineer', 'Director', 'Consultant'])}",
        f"NOTE:{note}",
        "END:VCARD",
    ]
    out.write("\r\n".join(lines) + "\r\n")
