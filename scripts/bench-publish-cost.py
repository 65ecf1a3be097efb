#!/usr/bin/env python3
# What publishing to Pacemaker costs an engine: 1,000 entries, one killed every second.
#
#   python3 scripts/bench-publish-cost.py WORKDIR PCHECK SECONDS LABEL
#
# Run it inside a cluster node (nsenter -t PID -a, on the test cluster of
# scripts/cluster-failover.sh), once as it is and once with attrd_updater hidden
# (unshare -m; mount --bind /dev/null /usr/sbin/attrd_updater): the difference is
# the cost. Prints the CPU of the engine and of its reaped children over wall time.
# Run as root; it kills the services it started (by their executable) at the end.
import os, sys, time, json, signal, subprocess, random
work, pcheck, duration, label = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
N = 1000
os.makedirs(work + "/s", exist_ok=True); os.chmod(work, 0o755)
svc = work + "/svc"
subprocess.run(["cp", "/bin/sleep", svc], check=True)
lines = []
for i in range(1, N + 1):
    arg = str(100000 + i)
    p = f"{work}/s/start-{i}.sh"
    open(p, "w").write(f"#!/bin/sh\nsetsid {svc} {arg} </dev/null >/dev/null 2>&1 &\n")
    os.chmod(p, 0o755)
    lines.append(f"{svc}:{p}:0:1000000:stop:include_strings={arg}")
key = "0x2c%06x" % (os.getpid() % 0xffffff)
open(work + "/pfile", "w").write(f"##### PARAM #####\nIPCKEY {key}\nMONITOR_INTERVAL 10\nSHM_DUMP_FILE {work}/state\n##### PENT #####\n" + "\n".join(lines) + "\n")
os.chmod(work + "/pfile", 0o644)
eng = subprocess.Popen([pcheck, "-f", work + "/pfile", "--log", work + "/log"], stdin=subprocess.DEVNULL, start_new_session=True)
def state():
    try: return json.load(open(work + "/state"))
    except Exception: return None
def cleanup():
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if os.readlink(f"/proc/{p}/exe") == svc: os.kill(int(p), signal.SIGKILL)
            except Exception: pass
deadline = time.time() + 400
while time.time() < deadline:
    s = state()
    if s and sum(1 for e in s["entries"] if e["proc_sts"] == "AVAIL") == N: break
    time.sleep(0.5)
else:
    print("not all up"); eng.terminate(); cleanup(); sys.exit(1)
time.sleep(3)
tck = os.sysconf("SC_CLK_TCK")
def cpu():
    f = open(f"/proc/{eng.pid}/stat").read().rsplit(")", 1)[1].split()
    return [int(x) / tck for x in f[11:15]]
c0, t0 = cpu(), time.monotonic()
for k in range(duration):
    s = state()
    pids = [e["pid"] for e in s["entries"] if e["proc_sts"] == "AVAIL" and e["pid"]]
    try: os.kill(random.choice(pids), signal.SIGKILL)
    except Exception: pass
    time.sleep(1)
c1, t1 = cpu(), time.monotonic()
el = t1 - t0
own = (c1[0] + c1[1] - c0[0] - c0[1]) / el * 100
kids = (c1[2] + c1[3] - c0[2] - c0[3]) / el * 100
s = state()
print(f"{label}: {N} entries, {duration} kills in {el:.1f} s: engine own CPU {own:.3f} %, children (restart scripts + attrd_updater) {kids:.3f} %, restarts {sum(e['restart_count'] for e in s['entries'])}")
eng.terminate(); eng.wait()
for p in os.listdir("/proc"):
    if p.isdigit():
        try:
            if os.readlink(f"/proc/{p}/exe") == svc: os.kill(int(p), signal.SIGKILL)
        except Exception: pass
