#!/usr/bin/env bash
# Side by side: kith against fzf (filtering the same names) and khard (answering the same
# lookup over the same people, exported by kith as a vdir of vCards), one hyperfine run each.
#
#   benches/compare.sh [OPTIONS] [N ...]        # N contacts, default 100000
#
# Manual benchmark: CI does not run it. See docs/PERFORMANCE.md, "Side by side with fzf and
# khard", for what each tool does and the last measured tables.
set -euo pipefail
# Names are UTF-8: slicing and lower-casing them must work on characters, not bytes.
export LC_ALL=C.UTF-8

usage() {
    cat <<'EOF'
usage: benches/compare.sh [OPTIONS] [N ...]

Times kith against fzf and khard on a generated address book of N contacts with 10
interactions each (default N: 100000; give several sizes to run each in turn).

Everything for size N lives in DIR/N/ (default DIR: target/compare) and is reused on the next
run: kith.db, names.txt (one display name a line, for fzf), vdir/ (one vCard per contact, for
khard), khard.conf, and the results (fzf.md, khard.md, *.json, report.md).

options:
  --dir DIR            where to keep the data and results (default: target/compare)
  --from-db PATH       copy this kith database instead of generating one (it is never
                       modified); it must hold seed-42 `gen` data for the tables to compare
  --kith PATH          the kith binary to time (default: build target/release/kith)
  --khard-min-runs R   timed runs of each khard command (default: 3; each parses every vCard,
                       which takes minutes at 100k); kith commands get up to 30
  --no-khard           only the fzf comparison
  --install            apt-get install the missing tools instead of stopping
  -h, --help           this text

needs: hyperfine, fzf, khard, jq, sqlite3 (Debian: apt-get install -y hyperfine fzf khard jq sqlite3)
EOF
}

root="$(cd "$(dirname "$0")/.." && pwd)"
invocation="benches/compare.sh $*"
work="$root/target/compare"
from_db=""
kith_bin=""
khard_min_runs=3
with_khard=1
install=0
sizes=()
while (($#)); do
    case "$1" in
        --dir) work="${2:?--dir needs a directory}"; shift 2 ;;
        --from-db) from_db="${2:?--from-db needs a path}"; shift 2 ;;
        --kith) kith_bin="${2:?--kith needs a path}"; shift 2 ;;
        --khard-min-runs) khard_min_runs="${2:?--khard-min-runs needs a number}"; shift 2 ;;
        --no-khard) with_khard=0; shift ;;
        --install) install=1; shift ;;
        -h | --help) usage; exit 0 ;;
        -*) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
        *)
            [[ "$1" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: N must be a positive number, got '$1'" >&2; exit 2; }
            sizes+=("$1"); shift ;;
    esac
done
((${#sizes[@]})) || sizes=(100000)
[[ "$khard_min_runs" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: --khard-min-runs must be a positive number" >&2; exit 2; }

# --- the peers -------------------------------------------------------------------------
# command:Debian package
tools=(hyperfine:hyperfine fzf:fzf jq:jq sqlite3:sqlite3)
if ((with_khard)); then tools+=(khard:khard); fi
missing=()
for t in "${tools[@]}"; do
    command -v "${t%%:*}" >/dev/null 2>&1 || missing+=("${t#*:}")
done
if ((${#missing[@]})); then
    if ((install)); then
        apt-get update -qq && apt-get install -y -qq "${missing[@]}"
    else
        echo "compare.sh: missing ${missing[*]}." >&2
        echo "  Install them with: apt-get install -y ${missing[*]}   (or rerun with --install)" >&2
        exit 3
    fi
fi

if [[ -z "$kith_bin" ]]; then
    (cd "$root" && cargo build --release --quiet --bin kith)
    kith_bin="$root/target/release/kith"
fi
kith_bin="$(cd "$(dirname "$kith_bin")" && pwd)/$(basename "$kith_bin")"
[[ -x "$kith_bin" ]] || { echo "compare.sh: $kith_bin is not an executable" >&2; exit 2; }
# Commands are written as `kith ...` so the tables read as a user would type them.
PATH="$(dirname "$kith_bin"):$PATH"
export PATH
# The generator writes its data "now"; the same clock keeps `show`'s relative dates stable.
export KITH_NOW=2026-11-24T10:00:00Z
unset KITH_DB

# Single-quote a value for a hyperfine command line (sh, or hyperfine's own word splitting
# with -N). The values come from generated names, which never hold a quote; refuse if one does.
quote() {
    [[ "$1" != *"'"* ]] || { echo "compare.sh: cannot quote $1" >&2; exit 1; }
    printf "'%s'" "$1"
}

# Mean, min, median and CPU time (user + sys) per command, from hyperfine's JSON: CPU time is
# the steadier figure on a busy machine.
cpu_table() {
    jq -r '
      def ms: . * 1000 | if . < 10 then (. * 100 | round / 100) else (. * 10 | round / 10) end;
      "| command | mean ± σ (ms) | min (ms) | median (ms) | user + sys (ms) | runs |",
      "| --- | --- | --- | --- | --- | --- |",
      (.results[] |
        "| `\(.command | gsub("\\|"; "\\|"))` | \(.mean | ms) ± \(.stddev // 0 | ms) | \(.min | ms) | \(.median | ms) | \((.user + .system) | ms) | \(.times | length) |")
    ' "$1"
}

# Generate or copy the database, then derive everything else from it with kith itself.
prepare() {
    local n=$1 dir=$2 db=$2/kith.db
    mkdir -p "$dir"
    if [[ ! -f "$db" ]]; then
        if [[ -n "$from_db" ]]; then
            echo "== $n: copying $from_db"
            cp "$from_db" "$db.partial"
        else
            echo "== $n: generating $n contacts x 10 interactions (minutes at 100k)"
            rm -f "$db.partial"
            (cd "$root" && cargo run --release --quiet --example gen -- \
                --contacts "$n" --interactions 10 --db "$db.partial")
        fi
        mv "$db.partial" "$db"
    fi
    local have
    have=$(sqlite3 -readonly "$db" 'SELECT count(*) FROM contacts WHERE archived_at IS NULL')
    [[ "$have" == "$n" ]] || echo "compare.sh: warning: $db holds $have contacts, not $n" >&2

    if [[ ! -s "$dir/names.txt" ]]; then
        echo "== $n: names.txt (kith list --json | jq)"
        kith --db "$db" list --json | jq -r '.[].display_name' >"$dir/names.txt.partial"
        mv "$dir/names.txt.partial" "$dir/names.txt"
    fi
    if ((with_khard)) && [[ ! -f "$dir/vdir.done" ]]; then
        echo "== $n: vdir/ (kith export --format vcard --out vdir/; one synced file per contact, minutes at 100k)"
        rm -rf "$dir/vdir"
        kith --db "$db" export --format vcard --out "$dir/vdir/"
        touch "$dir/vdir.done"
    fi
    printf '[addressbooks]\n[[kith]]\npath = %s/vdir\n' "$dir" >"$dir/khard.conf"
}

run_size() {
    local n=$1 dir="$work/$1"
    prepare "$n" "$dir"
    cd "$dir"

    # Queries that exist in the data, chosen the same way every time: the first contact (by
    # id) whose three-word name is unique and not part of any other name. The generator is
    # seeded, so this is the same person on every machine.
    local row full given family partial omitted
    row=$(sqlite3 -readonly -separator $'\t' kith.db "
        SELECT c.display_name, c.given_name, c.family_name FROM contacts c
        WHERE c.archived_at IS NULL AND length(c.given_name) >= 3 AND length(c.family_name) >= 4
          AND c.display_name LIKE '% % %' AND c.display_name NOT GLOB '*[''\"\\]*'
          AND (SELECT count(*) FROM contacts d
               WHERE instr(lower(d.display_name), lower(c.display_name)) > 0) = 1
        ORDER BY c.id LIMIT 1")
    [[ -n "$row" ]] || { echo "compare.sh: no unique three-word name in $dir/kith.db" >&2; exit 1; }
    IFS=$'\t' read -r full given family <<<"$row"
    # What a user types: the start of both names, and the name with its vowels left out.
    partial="${given:0:3} ${family:0:4}"
    partial="${partial,,}"
    omitted="$given $family"
    omitted="${omitted,,}"
    omitted="${omitted//[aeiouyáéíóúàèìòùäëïöüåæø]/}"
    echo "== $n: full name '$full', family '$family', partial '$partial', letters left out '$omitted'"

    kith --db kith.db show "$full" >/dev/null
    {
        echo "command: $invocation"
        echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "kith: commit $(cd "$root" && git describe --always --dirty 2>/dev/null || echo unknown), $kith_bin"
        echo "fzf: $(fzf --version)"
        if ((with_khard)); then echo "khard: $(khard --version)"; fi
        echo "hyperfine: $(hyperfine --version)"
        echo "contacts: $n; names.txt: $(wc -l <names.txt) lines"
        echo "uptime before: $(uptime)"
    } >meta.txt

    # Read the data once so that no tool pays for a cold disk in its first timed run.
    cat kith.db names.txt >/dev/null
    if ((with_khard)); then find vdir -name '*.vcf' -exec cat {} + >/dev/null; fi

    local qf qp qo
    qf=$(quote "$family"); qp=$(quote "$partial"); qo=$(quote "$omitted")
    echo "== $n: kith find vs fzf --filter (through sh: fzf needs the redirection and pipe)"
    hyperfine --style basic --warmup 3 --min-runs 10 \
        --export-markdown fzf.md --export-json fzf.json \
        "kith --db kith.db find $qf" \
        "fzf --filter $qf < names.txt | head -20" \
        "kith --db kith.db find $qp" \
        "fzf --filter $qp < names.txt | head -20" \
        "kith --db kith.db find $qo" \
        "fzf --filter $qo < names.txt | head -20"

    if ((with_khard)); then
        local matches
        matches=$(khard -c khard.conf list --parsable --search-in-source-files "$full" | wc -l)
        [[ "$matches" == 1 ]] || { echo "compare.sh: khard finds $matches contacts for '$full', not 1" >&2; exit 1; }
        local qn
        qn=$(quote "$full")
        echo "== $n: kith show/find vs khard show/list (no shell; khard runs $khard_min_runs times)"
        # khard takes several search terms and wants each of them in some field: the partial
        # query goes to it as two words, as a user would type it.
        hyperfine --style basic -N --min-runs "$khard_min_runs" --max-runs 30 \
            --export-markdown khard.md --export-json khard.json \
            "kith --db kith.db show $qn" \
            "khard -c khard.conf show $qn" \
            "khard -c khard.conf show --search-in-source-files $qn" \
            "kith --db kith.db find $qp" \
            "khard -c khard.conf list $partial" \
            "khard -c khard.conf list --search-in-source-files $partial"
    fi
    echo "uptime after: $(uptime)" >>meta.txt

    {
        echo "### $n contacts"
        echo
        echo '```'
        cat meta.txt
        echo '```'
        echo
        echo "kith find vs fzf --filter (hyperfine through sh, which it subtracts; -w 3):"
        echo
        cpu_table fzf.json
        if ((with_khard)); then
            echo
            echo "kith show/find vs khard (hyperfine -N; page cache warm, no warm-up runs):"
            echo
            cpu_table khard.json
        fi
    } >report.md
    echo "== $n: results in $dir/report.md"
    cat report.md
    cd "$root"
}

for n in "${sizes[@]}"; do
    run_size "$n"
done
