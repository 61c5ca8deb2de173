#!/usr/bin/env bash
# kith sync against a local Radicale: the first sync of N contacts (all uploaded), a sync
# with nothing changed, and a second book's first sync down (all fetched).
#
#   benches/sync.sh [N] [SERVER]   # default N: 10000; SERVER: both (default), radicale, standin
#
# Then the same first sync up against benches/sync_standin.py, a CardDAV stand-in that costs
# next to nothing per request: kith's own share of the budget, apart from any server's.
#
# Manual benchmark: CI does not run it. Budgets (issue #21): first sync of 10,000 contacts to
# a local server <= 30 s; a sync with nothing changed <= 1 s. Needs python3 with Radicale
# (pip install radicale) and GNU time (/usr/bin/time). Everything lives in a temporary directory, removed at the end.
set -euo pipefail
n="${1:-10000}"
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "sync.sh: N must be a positive number, got '$n'" >&2; exit 2; }
server="${2:-both}"
[[ "$server" =~ ^(both|radicale|standin)$ ]] || { echo "sync.sh: SERVER is both, radicale or standin, got '$server'" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
python3 -c 'import radicale' 2>/dev/null || { echo "sync.sh: needs Radicale (pip install radicale)" >&2; exit 1; }
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
kith="$root/target/release/kith"

work="$(mktemp -d)"
radicale_pid=""
standin_pid=""
cleanup() {
    [ -n "$radicale_pid" ] && kill "$radicale_pid" 2>/dev/null || true
    [ -n "$standin_pid" ] && kill "$standin_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
mkdir -p "$work/collections/collection-root/bench/contacts"
echo '{"tag": "VADDRESSBOOK"}' >"$work/collections/collection-root/bench/contacts/.Radicale.props"
echo "bench:bench" >"$work/users"
cat >"$work/config" <<EOF
[server]
hosts = 127.0.0.1:$port
[auth]
type = htpasswd
htpasswd_filename = $work/users
htpasswd_encryption = plain
delay = 0
[storage]
filesystem_folder = $work/collections
[rights]
type = owner_only
[logging]
level = warning
EOF
python3 -m radicale --config "$work/config" 2>"$work/radicale.log" &
radicale_pid=$!
for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done

# N contacts with an email, a phone, an organization and a tag each.
python3 - "$n" >"$work/contacts.vcf" <<'EOF'
import sys
n = int(sys.argv[1])
for i in range(n):
    print("BEGIN:VCARD\r\nVERSION:4.0\r\nUID:bench-%06d\r\nFN:Person %06d\r\n"
          "EMAIL:person%d@example.com\r\nTEL:+1 555 %07d\r\nORG:Company %d\r\n"
          "CATEGORIES:tag%d\r\nEND:VCARD\r" % (i, i, i, i, i % 500, i % 20))
EOF
export DAV_PASSWORD=bench TZ=UTC
a="$work/a.db"
b="$work/b.db"
"$kith" --db "$a" import "$work/contacts.vcf" >/dev/null 2>&1
for db in "$a" "$b"; do
    "$kith" --db "$db" sync add bench --url "http://127.0.0.1:$port/" --user bench --password-env DAV_PASSWORD 2>/dev/null
done

# Wall time, and kith's own CPU time (user + system): the rest of the wall time is the
# server's (Radicale checks every card of the collection for a UID clash on each new card's
# PUT, and reads every card's ETag to answer a sync-collection) and the network's.
timed() {
    local label="$1"
    shift
    /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$@" >"$work/out.txt"
    read -r wall user sys <"$work/time.txt"
    printf '%-40s %8.2f s wall %6.2f s kith CPU   (%s)\n' "$label" "$wall" \
        "$(echo "$user + $sys" | bc)" "$(head -c 90 "$work/out.txt" | tr '\n' ' ')"
}

if [ "$server" != standin ]; then
echo "kith sync, $n contacts, Radicale $(python3 -m radicale --version 2>/dev/null | head -1) on 127.0.0.1"
timed "first sync, book A (all uploaded)" "$kith" --db "$a" sync bench
timed "sync with nothing changed, book A" "$kith" --db "$a" sync bench
timed "first sync, book B (all fetched)" "$kith" --db "$b" sync bench
timed "sync with nothing changed, book B" "$kith" --db "$b" sync bench
"$kith" --db "$a" edit "Person 000042" --title "CTO" >/dev/null 2>&1
timed "one contact edited in A, sync A" "$kith" --db "$a" sync bench
timed "sync B (brings that edit)" "$kith" --db "$b" sync bench
echo "requests of a no-change sync: $("$kith" --db "$b" --json sync bench | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["requests"])')"
fi
[ "$server" = radicale ] && exit 0

# kith's side alone: the first sync up to the stand-in, and a sync with nothing changed.
sport="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
python3 "$root/benches/sync_standin.py" "$sport" &
standin_pid=$!
for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$sport") 2>/dev/null && break
    sleep 0.1
done
c="$work/c.db"
"$kith" --db "$c" import "$work/contacts.vcf" >/dev/null 2>&1
"$kith" --db "$c" sync add standin --url "http://127.0.0.1:$sport/book/" --user bench --password-env DAV_PASSWORD 2>/dev/null
echo "the same against benches/sync_standin.py (a server that costs next to nothing)"
timed "first sync up, book C (all uploaded)" "$kith" --db "$c" sync standin
timed "sync with nothing changed, book C" "$kith" --db "$c" sync standin
