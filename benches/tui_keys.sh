#!/usr/bin/env bash
# Keystrokes in the interactive mode's filter, timed as a person sees them (issue 20): start
# kith under tmux on BOOK, wait until the whole list is in (the title counts every contact and
# the process is idle), press `/`, then type QUERY one key at a time. For each key it prints
# how long until the list's title changed (the first screen after the key: on a large book
# the best matches found so far, the title saying "searching N%") and until the answer is
# final (no "searching" in the title).
#
#   benches/tui_keys.sh BOOK [QUERY] [KITH] [PAUSE]
#
# QUERY defaults to "ada lovel"; KITH to target/release/kith; PAUSE (seconds, default 0) is
# waited after each final answer before the next key: past 0.15 s the selected contact's
# details are being worked out when the key comes. Needs tmux. The times include
# tmux's own polling (a few ms). Manual benchmark: CI does not run it. See
# docs/PERFORMANCE.md, section G.
set -euo pipefail

book=$1
query=${2-ada lovel}
kith=${3:-target/release/kith}
pause=${4:-0}
session=million-keys-$$
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT

title() { tmux capture-pane -p -t "$session" | grep -m1 -oE "Contacts [0-9][^━┓]*" || true; }

tmux new-session -d -s "$session" -x 100 -y 30 "$kith --db $book tui"
source "$(dirname "$0")/support/tmux_loaded.sh"
wait_until_loaded "$session"
tmux send-keys -t "$session" /
sleep 0.3
cat /proc/loadavg
for ((i = 0; i < ${#query}; i++)); do
    key=${query:i:1}
    (( i == 0 )) || sleep "$pause"
    before=$(title)
    start=$(date +%s%N)
    tmux send-keys -t "$session" -l "$key"
    first=""
    while :; do
        now=$(date +%s%N)
        line=$(title)
        if [ -z "$first" ] && [ "$line" != "$before" ]; then first=$(( (now - start) / 1000000 )); fi
        if [ -n "$first" ] && ! grep -q searching <<<"$line"; then break; fi
        # A key that changes nothing listed (a space) leaves the title as it was.
        if [ -z "$first" ] && (( now - start > 3000000000 )); then first="unchanged"; break; fi
        if (( now - start > 30000000000 )); then echo "timed out" >&2; break; fi
        sleep 0.002
    done
    echo "key '$key': first screen ${first:-?} ms, final $(( (now - start) / 1000000 )) ms  [$line]"
done
