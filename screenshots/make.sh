#!/bin/sh
# Makes the psview screenshots in this folder from a real run: `psview --demo` in a
# private tmux server, keys typed with send-keys, each screen captured with its colours
# (`capture-pane -e -p`) and drawn to PNG by render.py (pyte + Pillow from PyPI, DejaVu
# Sans Mono and IPA Gothic for the Japanese folder name).
#
#   screenshots/make.sh            # from the clone's root or anywhere inside it
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cols=110
rows=30

python3 -c 'import pyte, PIL' 2>/dev/null || python3 -m pip install --quiet pyte Pillow
[ -f /usr/share/fonts/opentype/ipafont-gothic/ipag.ttf ] ||
    echo "make.sh: no IPA Gothic (apt-get install fonts-ipafont-gothic); Japanese will show as boxes" >&2

cd "$root"
swift build --product pcheck >/dev/null
swift build --product psview >/dev/null
bin=$(swift build --show-bin-path)

server="psaver-shots-$$"
tmux_() { tmux -L "$server" "$@"; }
trap 'tmux_ kill-server 2>/dev/null || true' EXIT INT TERM
work=$(mktemp -d)

tmux_ new-session -d -s demo -x "$cols" -y "$rows" \
    "env -u NO_COLOR TERM=tmux-256color LANG=C.UTF-8 NCURSES_NO_UTF8_ACS=1 '$bin/psview' --demo"

target=demo  # the tmux session whose screen is read and keys typed
keys() { tmux_ send-keys -t "$target" "$@"; }
wait_for() {  # wait_for TEXT [SECONDS]: until the screen shows TEXT
    n=0
    until tmux_ capture-pane -t "$target" -p | grep -q -- "$1"; do
        n=$((n + 1))
        [ "$n" -lt $((${2:-20} * 10)) ] || { echo "make.sh: timed out waiting for '$1'" >&2; tmux_ capture-pane -t "$target" -p >&2; exit 1; }
        sleep 0.1
    done
}
shot() {  # shot NAME: capture the screen and draw it
    sleep 0.3
    tmux_ capture-pane -t "$target" -e -N -p > "$work/$1.ans"
    python3 "$here/render.py" "$work/$1.ans" "$here/$1.png" "$cols" "$rows"
    echo "screenshots/$1.png"
}

wait_for FATAL
# Let the batch job end and be restarted once (it runs 15-25 s), so restart_count moves.
state=$(tmux_ capture-pane -t demo -p | grep -o '/[^ ]*psview-demo-[^/ ]*' | head -1)/demo.state
wait_for "demo-batch" 5
entry() {  # entry N FIELD: a field of entry N in the demo's state file
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["entries"][int(sys.argv[2])][sys.argv[3]])' \
        "$state" "$1" "$2" 2>/dev/null || echo 0
}
n=0
until [ "$(entry 2 restart_count)" -ge 2 ]; do
    n=$((n + 1)); [ "$n" -lt 400 ] || break; sleep 0.1
done
# Monitoring off for the web server (m, y), then kill it: it stays DOWN, unrestarted.
keys m; wait_for "y/n"; keys y; wait_for " off "
web=$(entry 0 pid)
kill "$web"
wait_for DOWN 10
keys Escape j
shot psview-main
keys Enter; wait_for "Details of pent 2"
shot psview-details
keys Escape j m; wait_for "y/n"
shot psview-confirm
keys n '?'; wait_for "Help"
shot psview-help

# A second engine that exits at retry over (its restart script fails), shown beside the
# demo: the problems view after a retry over, the event log, and details with the
# script's own words.
fail="$work/orders"
mkdir -p "$fail"
chmod 755 "$work" "$fail"
key="0x5056$(od -An -N2 -tx1 /dev/urandom | tr -d ' ')"
for name in orders-api orders-worker; do cp /bin/sleep "$fail/$name"; chmod 755 "$fail/$name"; done
printf '#!/bin/sh\necho "orders-api: cannot bind 0.0.0.0:8443: address already in use" >&2\nexit 1\n' > "$fail/start-api.sh"
printf '#!/bin/sh\nsetsid %s 3600 </dev/null >/dev/null 2>&1 &\n' "$fail/orders-worker" > "$fail/start-worker.sh"
chmod 755 "$fail"/*.sh
cat > "$fail/pfile_orders" <<EOF2
##### PARAM #####
IPCKEY            $key
MONITOR_INTERVAL  2
SHM_DUMP_FILE     $fail/orders.state
##### PENT #####
$fail/orders-api:$fail/start-api.sh:0:1:exit
$fail/orders-worker:$fail/start-worker.sh:0:3:exit
EOF2
chmod 644 "$fail/pfile_orders"
setsid "$fail/orders-api" 3600 </dev/null >/dev/null 2>&1 &
setsid "$fail/orders-worker" 3600 </dev/null >/dev/null 2>&1 &
sleep 0.5
"$bin/pcheck" -f "$fail/pfile_orders" --log "$fail/pcheck.log" &
engine=$!
cleanup_orders() {
    kill "$engine" 2>/dev/null || true
    for pid in $(ps -eo pid=,args= | awk -v d="$fail/" 'index($2, d) == 1 { print $1 }'); do kill "$pid" 2>/dev/null || true; done
    for link in /run/psaver/"$key" "${XDG_RUNTIME_DIR:-/nonexistent}/psaver/$key" "/tmp/psaver-$(id -u)/$key"; do
        [ "$(readlink "$link" 2>/dev/null)" = "$fail/orders.state" ] && rm -f "$link"
    done
    return 0
}
trap 'cleanup_orders; tmux_ kill-server 2>/dev/null || true' EXIT INT TERM
n=0
until grep -q AVAIL "$fail/orders.state" 2>/dev/null && [ "$(grep -c AVAIL "$fail/orders.state")" -ge 2 ]; do
    n=$((n + 1)); [ "$n" -lt 100 ] || { echo "make.sh: the orders engine did not start" >&2; exit 1; }; sleep 0.1
done
sleep 1
for pid in $(ps -eo pid=,args= | awk -v p="$fail/orders-api" '$2 == p { print $1 }'); do kill "$pid"; done
wait "$engine" || true  # retry over: it exits for failover
tmux_ new-session -d -s orders -x "$cols" -y "$rows" \
    "env -u NO_COLOR TERM=tmux-256color LANG=C.UTF-8 NCURSES_NO_UTF8_ACS=1 '$bin/psview' '$state' '$fail/orders.state'"
target=orders
wait_for "RETRY OVER"
keys p; wait_for ENGINE
shot psview-problems
keys e; wait_for "Event log"
shot psview-events
keys q /; keys -l orders-api; keys Enter; wait_for "Filter: \"orders-api\""
keys Enter; wait_for "Details of pent 1"
keys End; wait_for "address already in use"
shot psview-script-output
keys q

# A busy host at 3 a.m.: 20 engines of 50 entries, written as engines on another node
# would write them (so psview takes them as running while their heartbeat is fresh). The
# last one, whose pfile sorts last, ended at retry over under Pacemaker; one entry is
# DOWN, one in a crash loop, one with monitoring off. The first screen shows the failure.
busy="$work/busy"
mkdir -p "$busy"
python3 - "$busy" <<'EOF2'
import json, sys, time
folder = sys.argv[1]
now = time.strftime("%Y-%m-%dT%H:%M:%S%z")
now = now[:-2] + ":" + now[-2:]
for n in range(1, 21):
    name = ["web", "api", "auth", "cart", "search", "mail", "queue", "cache", "report", "batch",
            "pay", "stock", "ship", "media", "feed", "chat", "admin", "audit", "backup", "orders"][n - 1]
    path = f"{folder}/pfile_{n:02d}_{name}.state"
    entries = [{
        "pent_id": i, "pname": f"/opt/{name}/bin/{name}-worker{i:02d}", "pid": 20000 + 100 * n + i,
        "proc_sts": "AVAIL", "monitor_sts": "on", "retry_count": 0, "restart_count": 0, "rerun_time": None,
        "retry_over_act": "exit", "retry": 3, "restart_script": f"/opt/{name}/bin/start.sh",
        "include_strings": "", "exclude_strings": "", "grace": 600, "start_wait": 10, "user": None,
        "script_running": False, "flapping": False, "last_restart_reason": None, "last_restart_text": None,
    } for i in range(1, 51)]
    document = {
        "version": 1, "pid": 4000 + n, "uid": 0, "host": "node1", "started_at": now, "heartbeat_at": now,
        "pfile": f"/var/opt/HA/PS/conf/pfile_{n:02d}_{name}", "ipckey": f"0x200000{n:02d}",
        "params": {"IPCKEY": f"0x200000{n:02d}", "MSG_CHECK_INTERVAL": 5, "MONITOR_INTERVAL": 3600,
                   "SHM_DUMP_FILE": path, "RESTART_TIMEOUT": 60},
        "control_socket": path + ".sock", "engine_sts": "running", "entries": entries, "events": [],
    }
    if n == 3:
        entries[6].update(proc_sts="DOWN", pid=None, retry_count=1, restart_count=1, rerun_time=now,
                          last_restart_reason="script_failed", last_restart_text="restart script failed")
    if n == 5:
        entries[1].update(flapping=True, restart_count=189, rerun_time=now, last_restart_reason="died",
                          last_restart_text="died")
    if n == 8:
        entries[0].update(monitor_sts="off")
    if n == 20:
        document["engine_sts"] = "retry_over"
        document["cluster"] = {"manager": "pacemaker", "resource": "psaver_orders"}
        entries[0].update(proc_sts="FATAL", pid=None, retry_count=3, restart_count=3, rerun_time=now,
                          last_restart_reason="hung", last_restart_text="hung for 30 s, killed")
        document["events"] = [{"time": now, "pent_id": 1, "text": "(/opt/orders/bin/orders-worker01) RETRY_OVER:EXIT"}]
    json.dump(document, open(path, "w"), indent=1)
EOF2
tmux_ new-session -d -s busy -x "$cols" -y "$rows" \
    "env -u NO_COLOR TERM=tmux-256color LANG=C.UTF-8 NCURSES_NO_UTF8_ACS=1 '$bin/psview' $busy/*.state"
target=busy
wait_for "RETRY OVER"
shot psview-busy-host
keys q
target=demo
keys Escape q
sleep 1
rm -rf "$work"
