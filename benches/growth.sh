#!/usr/bin/env bash
# How each cost grows with the book (issue 20): the same commands on the seed-42 books of
# `examples/gen --contacts N --interactions 10` at N = 1k, 10k, 100k (and 1M when given),
# printed as one markdown table (docs/PERFORMANCE.md, "How the costs grow with the book").
#
#   benches/growth.sh [KITH] [DIR] [BOOK_1M]
#
# KITH: the build to measure (default target/release/kith); `gen` and `gen_vcards` are taken
# from the `examples/` beside it (built with cargo when missing). DIR: where the books go
# (default target/growth); a book already there is used again (it is this script's own copy).
# BOOK_1M: a 1M × 10 book made by `examples/gen` (making one takes minutes: e.g.
# /tmp/kb/k1m.db), copied into DIR and never written to; `gen` makes it; without it the 1M
# column is left out. BOOK_100K=PATH copies that 100k book instead of making it.
# SIZES="1000 10000" measures only those (the 1M book is added when given).
# RUNS=N overrides the runs per command (default 10 at 1k and 10k, 5 at 100k, 3 at 1M).
#
# For each book: CPU time (user + system, the mean of `hyperfine -N --output=pipe` runs) and
# wall time (their mean) of find, show, today, today --json, reminders, tags, list, health,
# who-knows and org show of the largest organization; a vCard import of N `gen_vcards`
# cards into a new book (/usr/bin/time: CPU, wall, peak RSS; the file is deleted after);
# the interactive mode's first frame (benches/tui_typed.sh, median wall, tmux's start
# included). Every command runs once, checked, before it is timed (which also opens, and
# migrates, the book). KITH_NOW=2026-11-24T10:00:00Z TZ=UTC. The table goes to stdout and
# DIR/growth.md, progress to stderr.
# Needs hyperfine, jq, tmux, sqlite3, GNU time (/usr/bin/time). With the 1M book about 6
# minutes on two busy cores (load 6-8), 5 of them the 1M column, plus a minute to copy and
# open the book the first time (a migration then). Manual benchmark: CI does not run it.
set -euo pipefail

started=$(date +%s)
here=$(cd "$(dirname "$0")" && pwd)
kith=$(realpath "${1:-target/release/kith}")
dir=${2:-target/growth}
million=${3:-}
mkdir -p "$dir"
dir=$(realpath "$dir")
export KITH_NOW=2026-11-24T10:00:00Z TZ=UTC

for tool in hyperfine jq tmux sqlite3 /usr/bin/time; do
    command -v "$tool" > /dev/null || { echo "growth.sh needs $tool" >&2; exit 2; }
done
[ -x "$kith" ] || { echo "no kith at $kith" >&2; exit 2; }
examples=$(dirname "$kith")/examples
if [ ! -x "$examples/gen" ] || [ ! -x "$examples/gen_vcards" ]; then
    (cd "$here/.." && cargo build --release --quiet --example gen --example gen_vcards)
    examples=$here/../target/release/examples
fi

log() { echo "[$(date -u +%T)] $*" >&2; }
read -ra sizes <<< "${SIZES:-1000 10000 100000}"
[ -n "$million" ] && sizes+=(1000000)
label() { case $1 in 1000000) echo 1M ;; *) echo "$(($1 / 1000))k" ;; esac; }

# A copy of book $1 as $2 (its WAL too, if it has one), never written to at its source.
copy_book() {
    log "copying $1 to $2"
    cp --reflink=auto "$1" "$2.part"
    if [ -s "$1-wal" ]; then cp "$1-wal" "$2-wal"; fi
    mv "$2.part" "$2"
}

# The books: made by gen, or copied.
for n in "${sizes[@]}"; do
    book=$dir/k$n.db
    [ -s "$book" ] && continue
    rm -f "$book-wal" "$book-shm"
    source=
    [ "$n" = 100000 ] && source=${BOOK_100K:-}
    [ "$n" = 1000000 ] && [ "$million" != gen ] && source=$million
    if [ -n "$source" ]; then
        copy_book "$source" "$book"
    else
        log "making the $(label "$n") book"
        "$examples/gen" --contacts "$n" --interactions 10 --db "$book" >&2
    fi
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A cell
rows=("contacts|contacts" "interactions|interactions" "open follow-ups|followups" "largest organization (people)|org")
cmds=(
    "find|find 'nad ximé'"
    "show|show 'Ada Jürgen Fontaine'"
    "today|today"
    "today --json|today --json"
    "reminders|reminders"
    "tags|tags"
    "list|list"
    "health|health"
    "who-knows ORG|who-knows --org ORG"
    "org show ORG|org show ORG"
)

commas() { sed ':a; s/\([0-9]\)\([0-9]\{3\}\)\($\|[^0-9]\)/\1,\2\3/; ta' <<< "$1"; }
ms() { awk -v s="$1" 'BEGIN { v = s * 1000; if (v >= 1000) printf "%.2f s", v / 1000; else if (v >= 100) printf "%.0f ms", v; else printf "%.3g ms", v }'; }

for n in "${sizes[@]}"; do
    size_started=$(date +%s)
    book=$dir/k$n.db
    col=$(label "$n")
    runs=${RUNS:-$(case $n in 1000 | 10000) echo 10 ;; 100000) echo 5 ;; *) echo 3 ;; esac)}
    warmup=$([ "$n" = 1000000 ] && echo 0 || echo 1)
    log "$col: opening the book (a newer build migrates it)"
    "$kith" --db "$book" tags > /dev/null
    # A migration keeps the book as it was beside it: this script's own copy, not needed.
    rm -f "$book".v[0-9]*-*.bak
    if [ "$(sqlite3 -readonly "$book" "SELECT count(*) FROM (SELECT 1 FROM contact_touches LIMIT 1)")" = 0 ]; then
        echo "$book has no contact_touches rows (a gen from before 2026-12-04): remove it or give a newer book" >&2
        exit 2
    fi
    org=$("$kith" --db "$book" org list --json | jq -r 'sort_by(-.contact_count, .id) | .[0] | "\(.name)\t\(.contact_count)"')
    org_people=${org#*$'\t'}
    org=${org%$'\t'*}
    cell[contacts,$col]=$(commas "$(sqlite3 -readonly "$book" "SELECT count(*) FROM contacts")")
    cell[interactions,$col]=$(commas "$(sqlite3 -readonly "$book" "SELECT count(*) FROM interactions")")
    cell[followups,$col]=$(commas "$(sqlite3 -readonly "$book" "SELECT count(*) FROM reminders WHERE done_at IS NULL")")
    cell[org,$col]="$org ($(commas "$org_people"))"

    hf=()
    for c in "${cmds[@]}"; do
        name=${c%%|*}
        args=${c#*|}
        args=${args//ORG/\'$org\'}
        # Checked once first: a name that does not resolve must fail here, not be timed.
        if ! eval "\"\$kith\" --db \"\$book\" $args" > /dev/null 2> "$dir/check.err"; then
            echo "$col: kith $args failed:" >&2
            cat "$dir/check.err" >&2
            exit 1
        fi
        hf+=(-n "$name" "$kith --db $book $args")
    done
    log "$col: hyperfine, $runs runs of ${#cmds[@]} commands"
    hyperfine -N --output=pipe -w "$warmup" -r "$runs" --style basic \
        --export-json "$dir/hyperfine-$col.json" "${hf[@]}" >&2
    while IFS=$'\t' read -r name cpu wall; do
        cell[$name,$col]="$(ms "$cpu") ($(ms "$wall"))"
    done < <(jq -r '.results[] | [.command, (.user + .system), .mean] | @tsv' "$dir/hyperfine-$col.json")

    # vCard import into a new book: CPU, wall, peak RSS of each run.
    cards=$dir/cards-$n.vcf
    log "$col: gen_vcards $n"
    "$examples/gen_vcards" "$n" > "$cards"
    trap 'rm -f "$cards"' EXIT
    import_runs=$([ "$n" = 1000000 ] && echo 1 || echo 3)
    cpu=0 wall=0 rss=0
    for ((i = 0; i < import_runs; i++)); do
        rm -f "$dir/import.db" "$dir/import.db-wal" "$dir/import.db-shm" "$dir/import.db-journal"
        log "$col: import, run $((i + 1)) of $import_runs"
        /usr/bin/time -f '%U %S %e %M' -o "$dir/time.out" "$kith" --db "$dir/import.db" import "$cards" > /dev/null
        read -r user sys elapsed kb < "$dir/time.out"
        cpu=$(awk -v a="$cpu" -v u="$user" -v s="$sys" 'BEGIN { print a + u + s }')
        wall=$(awk -v a="$wall" -v e="$elapsed" 'BEGIN { print a + e }')
        if ((kb > rss)); then rss=$kb; fi
    done
    rm -f "$cards" "$dir/import.db" "$dir/import.db-wal" "$dir/import.db-shm" "$dir/import.db-journal"
    cpu=$(awk -v a="$cpu" -v r="$import_runs" 'BEGIN { print a / r }')
    wall=$(awk -v a="$wall" -v r="$import_runs" 'BEGIN { print a / r }')
    cell[import,$col]="$(ms "$cpu") ($(ms "$wall")), $((rss / 1024)) MB peak"

    # The interactive mode's first frame (wall, tmux's start included).
    log "$col: interactive first frame, 7 runs"
    frames=$(bash "$here/tui_typed.sh" "$book" "" 7 "$kith" 2> /dev/null | sed -n 's/^median .*: \([0-9]*\) ms (\(.*\))/\1 \2/p')
    read -ra frames <<< "${frames:-?}"
    range=$(printf '%s\n' "${frames[@]:1}" | sort -n | sed -n '1p;$p' | paste -sd-)
    cell[firstframe,$col]="${frames[0]} ms (${range:-?})"
    cell[took,$col]="$(($(date +%s) - size_started)) s"
    log "$col: done in ${cell[took,$col]}"
done

{
    echo "$kith ($("$kith" --version | cut -d' ' -f2-), built $(date -u -r "$kith" '+%Y-%m-%d %H:%M'); $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $load_before before and $(cut -d' ' -f1-3 /proc/loadavg) after, $(($(date +%s) - started)) s in all (making or copying the books included)."
    echo "Each command cell: CPU (user + system) and, in brackets, wall; means of hyperfine -N runs."
    echo
    header="| | "
    rule="| --- | "
    for n in "${sizes[@]}"; do
        header+="$(label "$n") | "
        rule+="--- | "
    done
    echo "${header% }"
    echo "${rule% }"
    line() { # $1 the row's name, $2 its key
        local out="| $1 | " n
        for n in "${sizes[@]}"; do out+="${cell[$2,$(label "$n")]:-} | "; done
        echo "${out% }"
    }
    for r in "${rows[@]}"; do line "${r%%|*}" "${r#*|}"; done
    for c in "${cmds[@]}"; do
        name=${c%%|*}
        args=${c#*|}
        line "\`$args\`" "$name"
    done
    line "vCard import into a new book (N \`gen_vcards\` cards)" import
    line "interactive mode, first frame (wall, median (range) of 7, tmux)" firstframe
    line "this column took (wall, the book made or copied before)" took
} | tee "$dir/growth.md"
