#!/usr/bin/env bash
# The interactive mode's "filter typed right after launch" budget (issue 20): start kith
# under tmux, type `/` and a query at once (the keys wait in the terminal until kith reads
# them), and time until the list's title counts the matches ("Contacts N/..."), i.e. the
# filtered rows are on screen. Prints one line per run, then the median.
#
#   benches/tui_typed.sh BOOK [QUERY] [RUNS] [KITH...]
#
# BOOK: a kith database (e.g. from `examples/gen` or an import); QUERY defaults to "nad xim"
# ("" times the first frame instead: launch until the list's selected row is drawn);
# RUNS to 15; KITH to target/release/kith. Several KITH binaries are run in turn, run by run,
# so an old and a new build are measured in the same minutes. KITH `floor` runs `cat` in the
# pane instead and types the awaited title, which the terminal echoes: tmux's start, the
# keys' trip and the polling, i.e. what no kith can go under. Needs tmux.
# Manual benchmark: CI does not run it. See docs/PERFORMANCE.md.
set -euo pipefail

book=$1
query=${2-nad xim}
runs=${3:-15}
shift $(( $# < 3 ? $# : 3 ))
kiths=("$@")
[ ${#kiths[@]} -eq 0 ] && kiths=(target/release/kith)
session=speed-scale-typed-$$
declare -A times

measure() {
    local kith=$1 start now screen
    tmux kill-session -t "$session" 2>/dev/null || true
    start=$(date +%s%N)
    local done_when="Contacts [0-9]+/"
    [ -n "$query" ] || done_when="┃▸"
    if [ "$kith" = floor ]; then
        tmux new-session -d -s "$session" -x 100 -y 30 cat
        tmux send-keys -t "$session" / "Contacts 1/ ┃▸"
    else
        tmux new-session -d -s "$session" -x 100 -y 30 "$kith --db $book tui"
        [ -z "$query" ] || tmux send-keys -t "$session" / "$query"
    fi
    while :; do
        screen=$(tmux capture-pane -p -t "$session" 2>/dev/null || true)
        if grep -qE "$done_when" <<<"$screen"; then break; fi
        now=$(date +%s%N)
        if (( (now - start) > 30000000000 )); then echo "timed out" >&2; break; fi
        sleep 0.002
    done
    now=$(date +%s%N)
    tmux send-keys -t "$session" Escape Escape q
    sleep 0.2
    tmux kill-session -t "$session" 2>/dev/null || true
    echo $(( (now - start) / 1000000 ))
}

cat /proc/loadavg
for ((i = 0; i < runs; i++)); do
    for kith in "${kiths[@]}"; do
        ms=$(measure "$kith")
        times[$kith]+="$ms "
        echo "$kith: $ms ms"
    done
done
for kith in "${kiths[@]}"; do
    median=$(tr ' ' '\n' <<<"${times[$kith]}" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "median $kith: $median ms (${times[$kith]})"
done
cat /proc/loadavg
