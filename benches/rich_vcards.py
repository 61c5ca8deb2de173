#!/usr/bin/env python3
"""N vCards 4.0 of a richer shape than gen_vcards, for benches/import.sh (`rich`).

    benches/rich_vcards.py N > cards.vcf

What a contacts app or a faker script writes: a random UUID as UID (urn:uuid:), two emails,
two phones (one international), a structured home address, one of ~24,000 organizations, a
title, a birthday, a short note and two categories, CRLF line ends; about 430 bytes a card.
No two cards share a UID, email or phone, so every card is new (seed 7: the same file every
time).
"""
import random
import sys
import uuid

n = int(sys.argv[1])
rng = random.Random(7)
first = ["Liam", "Olivia", "Noah", "Emma", "Mateo", "Sofía", "Yuki", "Chen", "Aarav", "Zoë",
         "Björn", "Amélie", "Kwame", "Fatima", "Ivan", "Ana"]
last = ["Smith", "García", "Müller", "Rossi", "Kowalski", "Nakamura", "Okafor", "Dubois",
        "Jensen", "Silva", "O'Brien", "Novak", "Haddad", "Kim", "Larsen", "Petrov"]
companies = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka"]
out = sys.stdout
for i in range(n):
    f, l = rng.choice(first), rng.choice(last)
    uid = uuid.UUID(int=rng.getrandbits(128), version=4)
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"UID:urn:uuid:{uid}",
        f"FN:{f} {l}",
        f"N:{l};{f};;;",
        f"EMAIL;TYPE=work:{f.lower()}.{l.lower()}{i}@example.com",
        f"EMAIL;TYPE=home:{f[0].lower()}{l.lower()}{i}@mail.example",
        f"TEL;TYPE=cell:+1-202-{i:07d}",
        f"TEL;TYPE=work:+44 20 {i:08d}",
        f"ADR;TYPE=home:;;{rng.randint(1, 999)} High Street;Springfield;;"
        f"{rng.randint(10000, 99999)};USA",
        f"ORG:{rng.choice(companies)} {rng.randint(1, 3000)}",
        f"TITLE:{rng.choice(['CEO', 'CTO', 'Engineer', 'Sales', 'Manager'])}",
        f"BDAY:{rng.randint(1950, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        f"NOTE:Met at {rng.choice(['a conference', 'dinner', 'a meetup'])} in "
        f"{rng.randint(2010, 2025)}.",
        f"CATEGORIES:{rng.choice(['client', 'lead', 'friend'])},{rng.choice(['east', 'west'])}",
        "END:VCARD",
    ]
    out.write("\r\n".join(lines) + "\r\n")
