#!/usr/bin/env bash
# A real two-node Pacemaker cluster on this one machine, and the failover psaver exists for.
#
#   scripts/cluster-failover.sh --bin .build/debug [--runs 3] [--monitor-interval 10s]
#
# Two network namespaces joined by a veth pair (addresses that exist only inside
# them); in each, corosync and pacemaker under `unshare` with a private mount, UTS
# and pid namespace: /var/lib/pacemaker, /var/lib/corosync, /etc/corosync, /var/log,
# /run and /usr/lib/ocf/resource.d are bind mounts of this run's own folders, /dev/shm
# is a private tmpfs, and a tiny reaper is PID 1 so orphans never linger as zombies.
# No systemd, no stonith (there is nothing to fence on one machine; see the README).
#
# The group [toy application, ocf:psaver:pcheck] prefers node1. Each run: three kills
# are healed on node1 without movement; the fourth is retry over, and the time from
# that kill to the application running on node2 under a fresh engine is printed
# ("failover run N: S.SSS s"); then padmin -c stop on node2 must be refused; then a
# cleanup sends the group back to node1, whose new engine keeps the retry-over state
# (padmin -c show pent --previous), and #health-psaver on node1 is red (run 1). Before
# the runs, an engine started by hand on node2 shows in node1's psview --once --json,
# and a restart there within 3 s ("remote restart seen"). Last, one failover with fail_at_once=false shows
# the monitor's own path: slower (it waits for the next monitor), and crm_mon shows the
# agent's exit-reason, RETRY_OVER:EXIT (APP) FATAL. Every process, namespace, mount and folder it made
# is removed on exit, failure included (the mounts live in the nodes' own mount
# namespaces, which end with their processes).
#
# Exit codes: 0 passed, 1 failed (the reason is the last line), 77 cannot run here (why on stderr).
set -uo pipefail

BIN=""
RUNS=3
MONITOR_INTERVAL=10s
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) BIN=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --monitor-interval) MONITOR_INTERVAL=$2; shift 2 ;;
        *) echo "usage: $0 --bin DIR [--runs N] [--monitor-interval 10s]" >&2; exit 2 ;;
    esac
done
HERE=$(cd "$(dirname "$0")/.." && pwd)
AGENT=$HERE/conf/ocf/pcheck

skip() { echo "cluster test skipped: $*" >&2; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, mounts)"
for tool in corosync pacemakerd crm crm_resource crm_mon ip unshare nsenter perl; do
    command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (.ci/run installs pacemaker, corosync, crmsh, resource-agents, iproute2)"
done
[ -x "$BIN/pcheck" ] && [ -x "$BIN/padmin" ] && [ -x "$BIN/psview" ] || { echo "no pcheck/padmin/psview in '$BIN' (--bin)" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (.ci/run installs python3-minimal)"
[ -d /usr/lib/ocf/resource.d ] || skip "/usr/lib/ocf/resource.d is missing (resource-agents)"
[ -d /var/lib/pacemaker ] || skip "/var/lib/pacemaker is missing (pacemaker)"

TAG=psv$$
WORK=$(mktemp -d "/tmp/psaver-cluster.XXXXXX")
chmod 755 "$WORK"
NS1=$TAG-n1
NS2=$TAG-n2
NODE_PID=()          # host pid of each node's PID 1 (the reaper), by node number
T_START=$(date +%s.%N)

log() { printf '%s [cluster] %s\n' "$(date +%H:%M:%S.%3N)" "$*"; }
fail() {
    log "FAILED: $*"
    for n in 1 2; do
        for f in "$WORK/node$n.out" "$WORK/n$n/var-log/corosync.out" "$WORK/n$n/var-log/corosync/corosync.log" \
                 "$WORK/n$n/var-log/pcheck.log" "$WORK/n$n/var-log/pacemaker/pacemaker.log"; do
            [ -f "$f" ] && { echo "--- node$n $(basename "$f") (last lines)"; tail -n 25 "$f"; }
        done
    done
    echo "FAILED: $*"
    exit 1
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    for n in 1 2; do
        local pid=${NODE_PID[$n]:-}
        # SIGKILL to a pid namespace's init ends every process in it, and its mounts with it.
        [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    done
    for n in 1 2; do
        local pid=${NODE_PID[$n]:-}
        [ -n "$pid" ] && while [ -d "/proc/$pid" ]; do sleep 0.05; done
    done
    wait 2>/dev/null
    ip netns del "$NS1" 2>/dev/null
    ip netns del "$NS2" 2>/dev/null
    rm -rf "$WORK"
    log "cleaned up (namespaces $NS1 $NS2, $WORK); whole test $(elapsed "$T_START") s"
    exit $status
}
trap cleanup EXIT
trap 'exit 1' INT TERM

elapsed() { awk -v now="$(date +%s.%N)" -v then="$1" 'BEGIN { printf "%.3f", now - then }'; }
on() { local n=$1; shift; nsenter -t "${NODE_PID[$n]}" -a "$@"; }
state_of() { echo "$WORK/n$1/run/psaver-cluster/state"; }
state_value() { sed -n "s/^  \"$2\" : \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$(state_of "$1")" 2>/dev/null; }
# A value of the first entry, whose line reads `    { "pent_id" : 1, "pname" : …, "pid" : 42, … }`.
entry_value() {
    awk -v key="\"$2\" : " 'index($0, "    { \"pent_id\" : ") == 1 {
        value = substr($0, index($0, key) + length(key)); sub(/[,}].*$/, "", value); gsub(/["[:space:]]/, "", value)
        print value; exit }' "$(state_of "$1")" 2>/dev/null
}
# Waits up to $1 seconds, looking every $2 seconds, for the command after them to succeed.
# Only the timed failover looks every 10 ms: on a shared machine, polling costs the
# very CPU the cluster and the other tests need.
await() {
    local limit=$1 every=$2; shift 2
    local deadline=$(( $(date +%s) + limit ))
    until "$@"; do
        [ "$(date +%s)" -ge "$deadline" ] && return 1
        sleep "$every"
    done
}

# ---- the application, its restart script, the pfile (shared by both nodes, like a shared disk)
APP=$WORK/bin/$TAG-app
mkdir -p "$WORK/bin" "$WORK/conf"
cp /bin/sleep "$APP"
cat > "$WORK/conf/app_start.sh" <<EOF
#!/bin/sh
setsid $APP 100000 </dev/null >/dev/null 2>&1 &
EOF
chmod 755 "$WORK/conf/app_start.sh"
PFILE=$WORK/conf/pfile_app
cat > "$PFILE" <<EOF
##### PARAM #####
IPCKEY             $(printf '0x2a%06x' $(( $$ % 0xffffff )))
MONITOR_INTERVAL   10
SHM_DUMP_FILE      /run/psaver-cluster/state
##### PENT #####
$APP:$WORK/conf/app_start.sh:0:3:exit
EOF
chmod 644 "$PFILE"
"$BIN/pcheck" --check -f "$PFILE" >/dev/null || fail "the test's pfile is not valid"

# ---- resource agents: the stock ones, ocf:psaver:pcheck, and a toy application agent
OCF=$WORK/ocf
cp -a /usr/lib/ocf/resource.d "$OCF"
install -D -m 0755 "$AGENT" "$OCF/psaver/pcheck"
mkdir -p "$OCF/psaver-test"
cat > "$OCF/psaver-test/toyapp" <<'EOF'
#!/bin/sh
# The toy application: started by its own script, found by its executable's path.
. "${OCF_ROOT:-/usr/lib/ocf}/lib/heartbeat/ocf-shellfuncs"
pids() { for p in /proc/[0-9]*; do [ "$(readlink "$p/exe" 2>/dev/null)" = "$OCF_RESKEY_app" ] && echo "${p#/proc/}"; done; }
case "$__OCF_ACTION" in
meta-data) cat <<END
<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name="toyapp" version="1.0"><version>1.0</version>
<longdesc lang="en">A toy application for psaver's cluster test.</longdesc><shortdesc lang="en">toy</shortdesc>
<parameters>
<parameter name="app" required="1"><longdesc lang="en">executable</longdesc><shortdesc lang="en">app</shortdesc><content type="string"/></parameter>
<parameter name="start" required="1"><longdesc lang="en">start script</longdesc><shortdesc lang="en">start</shortdesc><content type="string"/></parameter>
</parameters>
<actions><action name="start" timeout="20s"/><action name="stop" timeout="20s"/><action name="monitor" timeout="20s"/><action name="meta-data" timeout="5s"/></actions>
</resource-agent>
END
    exit 0 ;;
start) [ -n "$(pids)" ] || "$OCF_RESKEY_start"
       while [ -z "$(pids)" ]; do sleep 0.02; done; exit 0 ;;
stop)  for p in $(pids); do kill -KILL "$p"; done; while [ -n "$(pids)" ]; do sleep 0.02; done; exit 0 ;;
monitor) [ -n "$(pids)" ] && exit 0; exit 7 ;;
*) exit 3 ;;
esac
EOF
chmod 755 "$OCF/psaver-test/toyapp"

# ---- the network: 10.213.X.1 and .2 exist only inside the two namespaces
SUBNET=10.213.$(( $$ % 250 ))
ip netns add "$NS1" || fail "cannot create network namespace $NS1"
ip netns add "$NS2" || fail "cannot create network namespace $NS2"
ip link add "${TAG}a" netns "$NS1" type veth peer name "${TAG}b" netns "$NS2" || fail "cannot create the veth pair"
ip -n "$NS1" addr add "$SUBNET.1/24" dev "${TAG}a"
ip -n "$NS2" addr add "$SUBNET.2/24" dev "${TAG}b"
for ns in "$NS1" "$NS2"; do ip -n "$ns" link set lo up; done
ip -n "$NS1" link set "${TAG}a" up
ip -n "$NS2" link set "${TAG}b" up

cat > "$WORK/corosync.conf" <<EOF
totem {
    version: 2
    cluster_name: $TAG
    transport: knet
    crypto_cipher: none
    crypto_hash: none
}
nodelist {
    node {
        ring0_addr: $SUBNET.1
        name: node1
        nodeid: 1
    }
    node {
        ring0_addr: $SUBNET.2
        name: node2
        nodeid: 2
    }
}
quorum {
    provider: corosync_votequorum
    two_node: 1
}
# corosync asks for round-robin realtime scheduling by default: two of them on a
# shared test machine must not take the CPU from everything else.
system {
    sched_rr: no
}
logging {
    to_logfile: yes
    logfile: /var/log/corosync/corosync.log
    to_syslog: no
    to_stderr: no
}
EOF

# What runs inside each node, as the child of its PID 1.
cat > "$WORK/node-init.sh" <<'EOF'
#!/bin/bash
set -e
n=$1 work=$2
nd=$work/n$n
hostname "node$n"
mount --make-rprivate /
mount --bind "$nd/var-lib-pacemaker" /var/lib/pacemaker
mount --bind "$nd/var-lib-corosync" /var/lib/corosync
mount --bind "$nd/etc-corosync" /etc/corosync
mount --bind "$nd/var-log" /var/log
mount --bind "$nd/run" /run
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount --bind "$work/ocf" /usr/lib/ocf/resource.d
export PCMK_logfile=/var/log/pacemaker/pacemaker.log
corosync -f >/var/log/corosync.out 2>&1 &
for _ in $(seq 100); do corosync-cfgtool -s >/dev/null 2>&1 && break; sleep 0.1; done
pacemakerd >/var/log/pacemakerd.out 2>&1 &
wait
EOF
chmod 755 "$WORK/node-init.sh"

start_node() {
    local n=$1 ns=$2 nd=$WORK/n$1
    mkdir -p "$nd/var-lib-corosync" "$nd/etc-corosync" "$nd/var-log/pacemaker" "$nd/var-log/corosync" \
        "$nd/var-log/crmsh" "$nd/run"
    cp -a /var/lib/pacemaker "$nd/var-lib-pacemaker"
    find "$nd/var-lib-pacemaker" -type f -delete
    chown hacluster:haclient "$nd/var-log/pacemaker"
    cp "$WORK/corosync.conf" "$nd/etc-corosync/corosync.conf"
    # PID 1 of the node: starts node-init.sh, then reaps every process that ends
    # (orphans are re-parented to it) until none is left.
    ip netns exec "$ns" unshare --mount --uts --pid --fork --mount-proc --propagation private \
        perl -e '$SIG{TERM} = sub { kill "TERM", -1 }; my $c = fork // die "fork: $!";
                 if ($c == 0) { exec @ARGV or die "exec: $!" } while (wait() != -1) {}' \
        "$WORK/node-init.sh" "$n" "$WORK" >"$WORK/node$n.out" 2>&1 &
    local unshare_pid=$! child=""
    for _ in $(seq 100); do
        child=$(cat "/proc/$unshare_pid/task/$unshare_pid/children" 2>/dev/null | awk '{print $1}')
        [ -n "$child" ] && break
        sleep 0.02
    done
    [ -n "$child" ] || fail "node$n did not start (see $WORK/node$n.out)"
    NODE_PID[$n]=$child
}

log "starting node1 and node2 (pacemaker $(pacemakerd --version | head -n 1 | awk '{print $2}'))"
T_CLUSTER=$(date +%s.%N)
start_node 1 "$NS1"
start_node 2 "$NS2"

dc_elected() { on 1 crm_mon -1 2>/dev/null | grep -q "partition with quorum" && on 1 crm_mon -1 2>/dev/null | grep -q "Online: \[ node1 node2 \]"; }
await 40 0.5 dc_elected || fail "no DC with both nodes online within 40 s"
log "cluster up: DC elected, both nodes online after $(elapsed "$T_CLUSTER") s"

cat > "$WORK/cib.crm" <<EOF
property stonith-enabled=false
rsc_defaults resource-stickiness=0 migration-threshold=1
primitive app ocf:psaver-test:toyapp params app=$APP start=$WORK/conf/app_start.sh \
    op start timeout=20s op stop timeout=20s
primitive psaver ocf:psaver:pcheck params pfile=$PFILE binary=$BIN/pcheck log=/var/log/pcheck.log \
    op monitor interval=$MONITOR_INTERVAL timeout=20s op start timeout=30s op stop timeout=30s
group grp app psaver
location grp-prefers-node1 grp 100: node1
EOF
on 1 crm configure load update "$WORK/cib.crm" >"$WORK/crm.out" 2>&1 || fail "crm configure failed: $(cat "$WORK/crm.out")"

engine_running_on() {
    [ "$(state_value "$1" engine_sts)" = running ] && [ "$(entry_value "$1" proc_sts)" = AVAIL ] \
        && [ -n "$(entry_value "$1" pid | tr -d null)" ]
}
await 60 0.1 engine_running_on 1 || fail "the group did not start on node1 within 60 s"
log "group running on node1: app pid $(entry_value 1 pid), pcheck pid $(state_value 1 pid)"

# ---- both nodes in one console: an engine started by hand on node2 (not by Pacemaker)
# publishes itself; node1's psview --once --json shows it under "nodes", and a restart
# on node2 is there within 3 s.
HAND_APP=$WORK/bin/$TAG-hand
cp /bin/sleep "$HAND_APP"
printf '#!/bin/sh\nsetsid %s 100000 </dev/null >/dev/null 2>&1 &\n' "$HAND_APP" > "$WORK/conf/hand_start.sh"
chmod 755 "$WORK/conf/hand_start.sh"
HAND_KEY=$(printf '0x2b%06x' $(( $$ % 0xffffff )))
cat > "$WORK/conf/pfile_hand" <<EOF
##### PARAM #####
IPCKEY             $HAND_KEY
MONITOR_INTERVAL   10
SHM_DUMP_FILE      /run/psaver-hand/state
##### PENT #####
$HAND_APP:$WORK/conf/hand_start.sh:0:5:exit
EOF
chmod 644 "$WORK/conf/pfile_hand"
on 2 setsid "$BIN/pcheck" -f "$WORK/conf/pfile_hand" --log /var/log/pcheck-hand.log </dev/null >/dev/null 2>&1 &
# The restart_count node2's engine shows in node1's psview --once --json ("" when not there).
remote_restarts() {
    on 1 "$BIN/psview" --once --json 2>/dev/null | python3 -c '
import json, sys
report = json.load(sys.stdin)
for node in report.get("nodes") or []:
    for engine in node["engines"]:
        if node["name"] == "node2" and engine["ipckey"] == sys.argv[1] and engine["status"] == "running":
            entry = engine["entries"][0]
            if entry["proc_sts"] == "AVAIL": print(entry["restart_count"])
' "$HAND_KEY"
}
node1_sees_node2() { [ -n "$(remote_restarts)" ]; }
await 30 0.2 node1_sees_node2 || fail "node1's psview --once --json does not show node2's engine within 30 s"
before=$(remote_restarts)
log "node1's psview shows node2's hand-started engine $HAND_KEY (restart_count $before)"
hand_pid() {
    awk -v key='"pid" : ' 'index($0, "    { \"pent_id\" : ") == 1 {
        v = substr($0, index($0, key) + length(key)); sub(/[,}].*$/, "", v); print v; exit }' \
        "$WORK/n2/run/psaver-hand/state"
}
t0=$(date +%s.%N)
on 2 kill -KILL "$(hand_pid)"
restart_seen() { [ "$(remote_restarts)" = "$(( before + 1 ))" ]; }
await 10 0.1 restart_seen || fail "node1's psview did not show node2's restart within 10 s"
seen=$(elapsed "$t0")
echo "remote restart seen: $seen s (kill on node2 -> restart_count $(( before + 1 )) in node1's psview --once --json)"
awk -v s="$seen" 'BEGIN { exit !(s <= 3) }' || fail "node2's restart took $seen s to reach node1's psview (more than 3 s)"
health_of() { on 2 attrd_updater -Q -n '#health-psaver' -N "$1" 2>/dev/null | sed -n 's/.* value="\(.*\)"$/\1/p'; }

restarted() { [ "$(entry_value 1 restart_count)" = "$1" ] && [ "$(entry_value 1 proc_sts)" = AVAIL ]; }
FIGURES=()
for run in $(seq "$RUNS"); do
    engine1=$(state_value 1 pid)
    for kill_no in 1 2 3; do
        app=$(entry_value 1 pid)
        on 1 kill -KILL "$app"
        await 20 0.05 restarted "$kill_no" || fail "run $run: kill $kill_no of app pid $app was not healed on node1"
        [ -e "$(state_of 2)" ] && [ "$(state_value 2 engine_sts)" = running ] && fail "run $run: the group moved at kill $kill_no"
        [ "$(state_value 1 pid)" = "$engine1" ] || fail "run $run: pcheck on node1 was restarted at kill $kill_no"
    done
    log "run $run: kills 1-3 healed on node1 (restart_count 3), nothing moved"
    app=$(entry_value 1 pid)
    rm -f "$(state_of 2).previous"
    t0=$(date +%s.%N)
    on 1 kill -KILL "$app"
    # Where the time goes: node1's engine at retry over (its final state written),
    # then Pacemaker's stop on node1 and start on node2.
    retry_over_on_1() { [ "$(state_value 1 engine_sts)" = retry_over ]; }
    await 30 0.01 retry_over_on_1 || fail "run $run: node1's engine did not reach retry over within 30 s"
    at_retry_over=$(elapsed "$t0")
    await 30 0.01 engine_running_on 2 || fail "run $run: the group did not reach node2 within 30 s of the fourth kill"
    seconds=$(elapsed "$t0")
    FIGURES+=("$seconds")
    echo "failover run $run: $seconds s (fourth kill -> application running on node2 under a fresh engine;" \
        "node1's state said retry_over at $at_retry_over s)"
    [ "$(state_value 1 engine_sts)" = retry_over ] || fail "run $run: node1's engine did not end at retry over"
    grep -q "retry-over command .*/psaver/pcheck retry-over node1 ended: exit status 0" "$WORK/n1/var-log/pcheck.log" \
        || fail "run $run: node1's pcheck did not tell Pacemaker at retry over"

    if [ "$run" = 1 ]; then
        node1_red() { [ "$(health_of node1)" = red ]; }
        await 10 0.1 node1_red || fail "run 1: #health-psaver on node1 is '$(health_of node1)', not red, after its retry over"
        log "run 1: #health-psaver on node1 is red after its retry over (node2: $(health_of node2))"
        log "run 1: crm_mon's failed actions after the failover:"
        on 2 crm_mon -1 2>/dev/null | sed -n '/Failed Resource Actions/,$p'
        await 10 0.1 sh -c "nsenter -t ${NODE_PID[2]} -a crm_mon -1 -A 2>/dev/null | grep -q 'psaver-last-retry-over.*RETRY_OVER:EXIT ($APP) FATAL'" \
            || fail "run 1: crm_mon -A does not show node1's psaver-last-retry-over"
        on 2 crm_mon -1 -A 2>/dev/null | grep "psaver-last-retry-over"
    fi
    out=$(on 2 "$BIN/padmin" -f "$PFILE" -c stop 2>&1); code=$?
    [ "$code" = 8 ] && grep -q "crm resource stop psaver" <<< "$out" \
        || fail "run $run: padmin -c stop on node2 was not refused (exit $code: $out)"
    log "run $run: padmin -c stop on node2 refused: $out"

    # Failback: clear node1's failure; the location preference brings the group home,
    # and node1's new engine keeps the retry-over state of the one before it.
    on 1 crm resource cleanup grp >/dev/null 2>&1
    node1_fresh() { engine_running_on 1 && [ "$(state_value 1 pid)" != "$engine1" ]; }
    await 60 0.1 node1_fresh || fail "run $run: the group did not fail back to node1 after cleanup"
    prev_fatal() { prev=$(on 1 "$BIN/padmin" -f "$PFILE" -c show pent --previous 2>&1); grep -q "proc_sts *= FATAL" <<< "$prev"; }
    await 10 0.2 prev_fatal \
        || fail "run $run: padmin -c show pent --previous on node1 shows no FATAL entry: $prev; $(on 1 ls -l /run/psaver-cluster/)"
    log "run $run: failed back to node1; show pent --previous there shows the FATAL entry"
done

# The monitor's own path, without the at-once command: the failover waits for the
# next monitor, and crm_mon shows the agent's exit-reason.
engine1=$(state_value 1 pid)
on 1 crm resource param psaver set fail_at_once false >/dev/null 2>&1 || fail "cannot set fail_at_once=false"
node1_fresh() { engine_running_on 1 && [ "$(state_value 1 pid)" != "$engine1" ]; }
await 60 0.1 node1_fresh || fail "psaver did not restart on node1 with fail_at_once=false"
for kill_no in 1 2 3; do
    on 1 kill -KILL "$(entry_value 1 pid)"
    await 20 0.05 restarted "$kill_no" || fail "monitor run: kill $kill_no was not healed on node1"
done
t0=$(date +%s.%N)
on 1 kill -KILL "$(entry_value 1 pid)"
await 60 0.1 engine_running_on 2 || fail "monitor run: the group did not reach node2 within 60 s"
echo "failover by the monitor alone (fail_at_once=false, interval $MONITOR_INTERVAL): $(elapsed "$t0") s"
reason=$(on 2 crm_mon -1 2>/dev/null | sed -n "/Failed Resource Actions/,\$p")
log "crm_mon: $reason"
grep -q "RETRY_OVER:EXIT ($APP) FATAL" <<< "$reason" || fail "crm_mon does not show the retry over as the failure's reason"

sorted=$(printf '%s\n' "${FIGURES[@]}" | sort -n)
count=${#FIGURES[@]}
min=$(echo "$sorted" | head -n 1)
max=$(echo "$sorted" | tail -n 1)
median=$(echo "$sorted" | awk -v n="$count" '{ a[NR] = $1 } END { if (n % 2) print a[(n + 1) / 2]; else printf "%.3f\n", (a[n / 2] + a[n / 2 + 1]) / 2 }')
echo "failover over $count runs (op monitor interval=$MONITOR_INTERVAL): min $min s, median $median s, max $max s"
echo "PASSED"
