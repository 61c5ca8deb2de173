#!/usr/bin/env bash
# The import budgets of issues 5 and 20: a 100k-card vCard file into a new book (first import), the
# same file again (all unchanged), and the peak memory of each.
#
#   benches/import.sh [N] [BASELINE_KITH] [gen|real|rich|company]
#
# N cards (default 100000) from `gen_vcards` (the same file every time), or with `real`
# from benches/real_vcards.py (real exports from tests/fixtures, each card made unique: a
# file of another shape, 1.7 KB a card, photos and 2.1 among them), or with `rich` from
# benches/rich_vcards.py (what a contacts app or a faker script writes: UUIDs, two emails,
# two phones, a birthday, 24k organizations; 430 bytes a card), or with `company` from
# benches/company_vcards.py (3.0 cards without UIDs, an organization of its own for nearly
# every card, 25-word notes). With BASELINE_KITH
# (another build of kith, e.g. from a worktree of an older commit), hyperfine times both in
# the same minutes, which is what to compare on a shared machine whose speed drifts.
# Needs hyperfine (Debian: apt install hyperfine) and GNU time (/usr/bin/time).
# Manual benchmark: CI does not run it. See docs/PERFORMANCE.md, "Import".
set -euo pipefail

n=${1:-100000}
baseline=${2:-}
shape=${3:-gen}
dir=target/import-bench
mkdir -p "$dir"
cargo build --release --quiet --bin kith --example gen_vcards
kith=target/release/kith
cards="$dir/$shape-$n.vcf"
if [ ! -s "$cards" ]; then
    case $shape in
        gen) target/release/examples/gen_vcards "$n" > "$cards" ;;
        real) benches/real_vcards.py "$n" > "$cards" ;;
        rich) benches/rich_vcards.py "$n" > "$cards" ;;
        company) benches/company_vcards.py "$n" > "$cards" ;;
        *) echo "shape: gen, real, rich or company" >&2; exit 2 ;;
    esac
fi
db="$dir/book.db"
fresh="rm -f $db $db-wal $db-shm $db-journal"

cat /proc/loadavg
commands=(-n "first import" "$kith --db $db import $cards")
[ -n "$baseline" ] && commands+=(-n "first import, baseline" "$baseline --db $db import $cards")
hyperfine --runs 5 --prepare "$fresh" "${commands[@]}"

# Unchanged: the book holds the file already. Each binary re-imports into a book it made
# itself, as the baseline may not open a book of a newer schema.
base_db="$dir/book-baseline.db"
$fresh && $kith --db "$db" import "$cards" > /dev/null
commands=(-n "unchanged" "$kith --db $db import $cards")
if [ -n "$baseline" ]; then
    rm -f "$base_db" "$base_db-wal" "$base_db-shm" "$base_db-journal"
    $baseline --db "$base_db" import "$cards" > /dev/null
    commands+=(-n "unchanged, baseline" "$baseline --db $base_db import $cards")
fi
hyperfine --runs 5 "${commands[@]}"

for bin in $kith $baseline; do
    $fresh
    /usr/bin/time -f "$bin first:     %e s wall, %U s user, %S s system, peak RSS %M KB" "$bin" --db "$db" import "$cards" > /dev/null
    /usr/bin/time -f "$bin unchanged: %e s wall, %U s user, %S s system, peak RSS %M KB" "$bin" --db "$db" import "$cards" > /dev/null
done
cat /proc/loadavg
