#!/usr/bin/env bash
# The health and who-knows budgets of issue 19 at 100k contacts × 10 interactions: `kith
# health` (everyone ranked, to a pipe; ≤ 300 ms) and `kith who-knows ORG` for the largest
# organization (≤ 100 ms), as CPU time (user + system), which is what a shared machine can
# still measure: its wall time there is mostly waiting for a core.
#
#   benches/health.sh [BASELINE_KITH] [BOOK]
#
# BOOK defaults to target/cli-bench/100k.db (benches/cli.sh builds it; so does this, once:
# several minutes). The book is copied first (the build under test migrates its copy). With
# BASELINE_KITH (a build from before migration 0015), the baseline reads a copy with that
# migration taken off (it only adds a table and its triggers), both builds' outputs are
# compared byte for byte, and hyperfine times them side by side in the same minutes.
# Needs hyperfine, perf and sqlite3. Manual benchmark: CI does not run it. See
# docs/PERFORMANCE.md, section H.
set -euo pipefail

baseline=${1:-}
book=${2:-target/cli-bench/100k.db}
dir=target/health-bench
mkdir -p "$dir"
cargo build --release --quiet --bin kith --example gen
kith=target/release/kith
if [ ! -s "$book" ]; then
    mkdir -p "$(dirname "$book")"
    target/release/examples/gen --contacts 100000 --interactions 10 --db "$book"
fi
export KITH_NOW=2026-11-24T10:00:00Z TZ=UTC

new="$dir/new.db"
[ -s "$new" ] || { cp "$book" "$new"; $kith --db "$new" health > /dev/null; }
version=$(sqlite3 "$new" "PRAGMA user_version")
old="$dir/before-0015.db"
if [ -n "$baseline" ] && [ ! -s "$old" ]; then
    cp "$new" "$old"
    sqlite3 "$old" "
        DROP TRIGGER contact_touches_after_participant_insert;
        DROP TRIGGER contact_touches_after_participant_delete;
        DROP TRIGGER contact_touches_after_participant_update;
        DROP TRIGGER contact_touches_after_interaction_update;
        DROP TABLE contact_touches;
        PRAGMA user_version = $((version - 1));
        VACUUM;"
fi
org=$(sqlite3 "$new" "SELECT o.name FROM contacts c JOIN organizations o ON o.id = c.organization_id
                       GROUP BY o.id ORDER BY count(*) DESC, o.id LIMIT 1")

cat /proc/loadavg
commands=()
for args in "health" "who-knows '$org'"; do
    commands+=(-n "$args" "$kith --db $new $args")
    if [ -n "$baseline" ]; then
        commands+=(-n "$args, baseline" "$baseline --db $old $args")
        for json in "" --json; do
            eval "$kith --db $new $args $json" > "$dir/new.out"
            eval "$baseline --db $old $args $json" > "$dir/old.out"
            cmp "$dir/new.out" "$dir/old.out" && echo "$args $json: the same output"
        done
    fi
done
hyperfine -N --warmup 2 --runs 10 --export-markdown "$dir/health.md" "${commands[@]}"
perf stat -r 10 -e task-clock $kith --db "$new" health > /dev/null
perf stat -r 10 -e task-clock $kith --db "$new" who-knows "$org" > /dev/null
echo "table: $dir/health.md"
