#!/usr/bin/env bash
# Moving down the Contacts list in the interactive mode, timed as a person sees it (issue 20:
# a keystroke at 1M within 30 ms): start kith under tmux on BOOK, wait until the whole list
# is in (the title counts every contact and the process is idle), then press `j` COUNT
# times, PAUSE seconds apart. For each press it prints how long until the ▸ moved to the
# next name (the key answered) and until the details pane showed that contact's brief.
#
#   benches/tui_moves.sh BOOK [COUNT] [KITH] [PAUSE]
#
# COUNT defaults to 5, KITH to target/release/kith, PAUSE to 1 second. Needs tmux. The times
# include tmux's own polling (a few ms). Manual benchmark: CI does not run it. See
# docs/PERFORMANCE.md, section G.
set -euo pipefail

book=$1
count=${2:-5}
kith=${3:-target/release/kith}
pause=${4:-1}
session=moves-$$
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT

pane() { tmux capture-pane -p -t "$session"; }
# The screen row of the list's ▸, and the details pane's first line (the brief's name and
# number; the filter bar left of it does not change).
marked() { pane | grep -a -n -m1 "┃▸" | cut -d: -f1 || true; }
details() { pane | sed -n 3p; }

tmux new-session -d -s "$session" -x 120 -y 30 "$kith --db $book tui"
source "$(dirname "$0")/support/tmux_loaded.sh"
wait_until_loaded "$session"
cat /proc/loadavg
for ((i = 0; i < count; i++)); do
    sleep "$pause"
    before=$(marked)
    shown=$(details)
    start=$(date +%s%N)
    tmux send-keys -t "$session" j
    moved=""
    while :; do
        now=$(date +%s%N)
        row=$(marked)
        if [ -z "$moved" ] && [ "$row" != "$before" ]; then moved=$(( (now - start) / 1000000 )); fi
        if [ -n "$moved" ] && [ "$(details)" != "$shown" ]; then break; fi
        if (( now - start > 30000000000 )); then echo "timed out" >&2; break; fi
        sleep 0.002
    done
    echo "j: moved ${moved:-?} ms, brief $(( (now - start) / 1000000 )) ms  [row $row]"
done
