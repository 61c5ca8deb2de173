#!/usr/bin/env bash
# A first import of FILE into a new book by each build in turn, ROUNDS times, so that every
# build meets the machine's slow and fast minutes alike (its speed drifts within minutes);
# prints each build's wall times sorted, their median, and its mean user and system time and
# peak memory. What the session-15 figures of docs/PERFORMANCE.md ("Import") are.
#
#   benches/import_rotation.sh ROUNDS FILE KITH [KITH...]
#
# e.g. benches/import_rotation.sh 12 target/import-bench/rich-100000.vcf /tmp/old/kith target/release/kith
# (benches/import.sh makes the card files). Needs GNU time (/usr/bin/time).
set -euo pipefail
rounds=$1 file=$2
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/book.db"
cat /proc/loadavg
for round in $(seq "$rounds"); do
    n=0
    for kith in "$@"; do
        n=$((n + 1))
        rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
        /usr/bin/time -o "$dir/time" -f "%e %U %S %M" "$kith" --db "$db" import "$file" > /dev/null
        echo "$n $(cat "$dir/time")" >> "$dir/runs"
    done
done
n=0
for kith in "$@"; do
    n=$((n + 1))
    awk -v n="$n" -v kith="$kith" '$1 == n {
            wall[++k] = $2; user += $3; sys += $4; rss += $5
        }
        END {
            # sort the wall times (few enough for an insertion sort)
            for (i = 2; i <= k; i++) { v = wall[i]; for (j = i - 1; j > 0 && wall[j] > v; j--) wall[j + 1] = wall[j]; wall[j + 1] = v }
            line = ""; for (i = 1; i <= k; i++) line = line " " wall[i]
            median = (k % 2) ? wall[(k + 1) / 2] : (wall[k / 2] + wall[k / 2 + 1]) / 2
            printf "%s:%s\n  median %.3f s wall, mean %.2f s user, %.2f s system, %.0f MB peak\n",
                kith, line, median, user / k, sys / k, rss / k / 1024
        }' "$dir/runs"
done
cat /proc/loadavg
