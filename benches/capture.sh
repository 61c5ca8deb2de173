#!/usr/bin/env bash
# The capture budget of issue 18: a 100k-message mbox into a book of 2,000 contacts (first
# run), the same mbox again (nothing new), and the peak memory of each.
#
#   benches/capture.sh [N]
#
# N messages (default 100000) from `gen_mbox` (the same file every time): 40 % mine, 5,000
# correspondents of whom 2,000 are contacts, threads, lists, automated mail and crowds.
# Needs hyperfine (Debian: apt install hyperfine) and GNU time (/usr/bin/time).
# Manual benchmark: CI does not run it. See docs/PERFORMANCE.md, "Capture".
set -euo pipefail

n=${1:-100000}
dir=target/capture-bench
mkdir -p "$dir"
cargo build --release --quiet --bin kith --example gen_mbox
kith=target/release/kith
mbox="$dir/$n.mbox"
cards="$dir/contacts.vcf"
[ -s "$mbox" ] || target/release/examples/gen_mbox "$n" "$cards" > "$mbox"
ls -l "$mbox"

# A book with the contacts and my address, copied afresh before each first run.
base="$dir/base.db"
rm -f "$base" "$base-wal" "$base-shm"
$kith --db "$base" import "$cards" > /dev/null
$kith --db "$base" me add me@consult.example 2> /dev/null
$kith --db "$base" db check > /dev/null
db="$dir/book.db"
prepare="rm -f $db $db-wal $db-shm && cp $base $db"
fresh() { rm -f "$db" "$db-wal" "$db-shm" && cp "$base" "$db"; }

cat /proc/loadavg
hyperfine --runs 3 --prepare "$prepare" -n "first run" "$kith --db $db capture $mbox"
fresh && $kith --db "$db" capture "$mbox" > /dev/null
hyperfine --runs 3 -n "second run (nothing new)" "$kith --db $db capture $mbox"

fresh
/usr/bin/time -f "first:  %e s wall, peak RSS %M KB" $kith --db "$db" capture "$mbox" | head -3
/usr/bin/time -f "second: %e s wall, peak RSS %M KB" $kith --db "$db" capture "$mbox" | head -3
cat /proc/loadavg
