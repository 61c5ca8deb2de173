# Sourced by the interactive-mode benches: `wait_until_loaded SESSION` returns once kith in
# tmux session SESSION has its whole contact list in, that is when the list's title is
# "Contacts N" (N the book's count, no "loading" or filter) and the process has stopped
# working (its CPU time stands still for a second).
wait_until_loaded() {
    local session=$1 pid="" last=-1 now title
    until [ -n "$pid" ]; do pid=$(tmux list-panes -t "$session" -F '#{pane_pid}'); done
    while :; do
        sleep 1
        now=$(awk '{print $14 + $15}' "/proc/$pid/stat")
        title=$(tmux capture-pane -p -t "$session" | grep -m1 -oE "Contacts [0-9][^━┓]*" || true)
        [[ "$title" =~ ^Contacts\ [0-9]+\ *$ ]] && [ "$now" = "$last" ] && break
        last=$now
    done
}
