#!/usr/bin/env bash
# The CLI budgets of issue 20 at 100k contacts × 10 interactions: `kith today` (the
# summary a person reads, --all and --json), `kith reminders`, `kith tags`, `kith list` to a pipe (whole, and `| head -1`), and
# `kith org show` for an organization of 3,000 people.
#
#   benches/cli.sh [BASELINE_KITH]
#
# Builds the seed-42 books once into target/cli-bench/ (several minutes each): the plain one
# and the same with `--org-size 3000`. With BASELINE_KITH (a build from before migration 0011,
# e.g. from a worktree of an older commit), hyperfine times both builds side by side in
# the same minutes, which is what to compare on a shared machine whose speed drifts. The
# baseline reads a copy of each book with migration 0011 taken off (it only adds a column,
# triggers and indexes, so what is left is the book gen made before it, one version down).
# SAME_BOOK=1 benches/cli.sh BASELINE_KITH: a baseline that already has migration 0011
# reads the same books. `list | head -1` is the time to the first line of a closed pipe.
# Needs hyperfine and sqlite3 (Debian: apt install hyperfine sqlite3).
# Manual benchmark: CI does not run it. See docs/PERFORMANCE.md, section E.
set -euo pipefail

baseline=${1:-}
dir=target/cli-bench
mkdir -p "$dir"
cargo build --release --quiet --bin kith --example gen
kith=target/release/kith
gen=target/release/examples/gen
# A book from a gen before contact_touches was derived (2026-12-04) has the table empty:
# every health reads as never contacted. Such a book is made again.
for b in 100k org3k; do
    if [ -s "$dir/$b.db" ] &&
        [ "$(sqlite3 "$dir/$b.db" "SELECT count(*) FROM (SELECT 1 FROM contact_touches LIMIT 1)")" = 0 ]; then
        echo "$dir/$b.db has no contact_touches (an older gen): making it again" >&2
        rm -f "$dir/$b.db" "$dir/$b-before-0011.db"
    fi
done
[ -s "$dir/100k.db" ] || $gen --contacts 100000 --interactions 10 --db "$dir/100k.db"
[ -s "$dir/org3k.db" ] ||
    $gen --contacts 100000 --interactions 10 --org-size 3000 --db "$dir/org3k.db"

export KITH_NOW=2026-11-24T10:00:00Z TZ=UTC
org="Globex Corp" # the first organization, which --org-size fills

# name, then the arguments after `kith --db BOOK`
runs=(
    "today|100k|today"
    "today --all|100k|today --all"
    "today --json|100k|today --json"
    "reminders|100k|reminders"
    "tags|100k|tags"
    "list|100k|list"
    "org show (3,000 people)|org3k|org show '$org'"
)

before0011() { # a copy of book $1 without migration 0011, for the baseline
    # A baseline of schema 11 or later (SAME_BOOK=1) reads the book itself.
    if [ "${SAME_BOOK:-}" = 1 ]; then echo "$dir/$1.db"; return; fi
    local copy="$dir/$1-before-0011.db"
    if [ ! -s "$copy" ]; then
        cp "$dir/$1.db" "$copy"
        local version
        version=$(sqlite3 "$copy" "PRAGMA user_version")
        sqlite3 "$copy" "
            DROP TRIGGER last_contact_after_participant_insert;
            DROP TRIGGER last_contact_after_participant_delete;
            DROP TRIGGER last_contact_after_participant_update;
            DROP TRIGGER last_contact_after_interaction_time;
            DROP INDEX contacts_archived;
            DROP INDEX contacts_on_agenda;
            ALTER TABLE contacts DROP COLUMN last_contact_at;
            PRAGMA user_version = $((version - 1));
            VACUUM;"
    fi
    echo "$copy"
}

cat /proc/loadavg
commands=()
for run in "${runs[@]}"; do
    IFS='|' read -r name book args <<< "$run"
    commands+=(-n "$name" "$kith --db $dir/$book.db $args")
    if [ -n "$baseline" ]; then
        commands+=(-n "$name, baseline" "$baseline --db $(before0011 "$book") $args")
    fi
done
hyperfine -N --warmup 3 --runs 20 --export-markdown "$dir/cli.md" "${commands[@]}"

# The first line of the list, and a reader that stops there: kith must stop at once, quietly.
commands=(-n "list | head -1" "$kith --db $dir/100k.db list | head -1")
if [ -n "$baseline" ]; then
    commands+=(-n "list | head -1, baseline" "$baseline --db $(before0011 100k) list | head -1")
fi
hyperfine --warmup 3 --runs 20 --export-markdown "$dir/cli-head.md" "${commands[@]}"
echo "tables: $dir/cli.md $dir/cli-head.md"
