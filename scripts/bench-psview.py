#!/usr/bin/env python3
"""Benchmark of psview (not a test: it prints figures), as issues 9 and 11 set the targets.

    scripts/bench-psview.py [--bin DIR] [--engines 20] [--entries 50] [--wide 50] [--trials 30]

Writes ENGINES state files of ENTRIES entries each, the way an engine does (its layout:
the top-level values one a line, heartbeat_at among the first, then one line per entry
and per event; temporary file + fsync + rename; a fresh heartbeat every
MONITOR_INTERVAL = 10 s; engine pid = this script, so psview shows them running); the last engine is busy: it appends an
event and rewrites its file 10 times a second. One more engine holds WIDE entries whose
include_strings are 4 KB each (a long command line to match), listed last. psview runs on them in a private tmux
server (160x50), and the script measures:

1. idle CPU: psview's time on a CPU (/proc/PID/task/*/schedstat, in nanoseconds: the
   clock-tick counts of /proc/PID/stat miss most of a process that runs a few ms at a
   time) over 10 s with the busy engine paused, so nothing changes but the heartbeats
   (and psview's own 1 s clock); then the same with the busy engine at 10 events a
   second, for comparison;
2. change -> screen, with the busy engine running: a visible entry's restart_count is
   changed in its state file and the screen is read with `tmux capture-pane` in a loop
   until the new number shows, timed from the rename that puts the new file in place
   (the JSON encoding and fsync before it are the writer's time, not psview's);
3. keypress -> screen while a command is outstanding: the first engine's control socket
   is a listener that never answers (as a stopped engine's would be); `m` `y` sends to it,
   then `j` and `k` are typed in turn and timed until the cursor has moved.

The latencies include the capture loop (a few ms a round); psview's own part is smaller.
"""
import socket
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

MONITOR_INTERVAL = 10


def now_iso():
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())


def document(folder, engine, entries):
    state = f"{folder}/engine{engine}.state"
    key = f"0x7e57{engine:04x}"
    return state, {
        "version": 1, "pid": os.getpid(), "uid": os.getuid(), "host": os.uname().nodename.split(".")[0],
        "started_at": now_iso(), "heartbeat_at": now_iso(), "engine_sts": "running",
        "pfile": f"{folder}/pfile{engine}", "ipckey": key, "control_socket": state + ".sock",
        "log": f"{folder}/engine{engine}.log",
        "params": {"IPCKEY": key, "MONITOR_INTERVAL": MONITOR_INTERVAL, "MSG_CHECK_INTERVAL": 5,
                   "RESTART_TIMEOUT": 60, "SHM_DUMP_FILE": state},
        "entries": [{
            "pent_id": i + 1, "pname": f"/opt/app{engine}/bin/service-{i + 1:03d}", "pid": 100000 + engine * 1000 + i,
            "retry_count": 0, "restart_count": 0, "proc_sts": "AVAIL", "retry_over_act": "exit",
            "rerun_time": None, "include_strings": "", "monitor_sts": "on",
            "restart_script": f"/opt/app{engine}/bin/start-{i + 1:03d}.sh", "grace": 86400, "retry": 3,
            "exclude_strings": "", "user": None, "start_wait": 10, "script_running": False,
        } for i in range(entries)],
        "events": [{"time": now_iso(), "pent_id": None, "text": f"Start pcheck!! (engine {engine})"}],
    }


def encode(doc):
    """The engine's layout (StateJSONWriter): a top-level value a line, an entry or event a line."""
    def value(v):
        if isinstance(v, list):
            return "[\n" + ",\n".join("    " + json.dumps(e, separators=(", ", " : ")) for e in v) + "\n  ]" if v else "[]"
        return json.dumps(v, separators=(", ", " : "))
    return "{" + ",".join(f"\n  {json.dumps(k)} : {value(v)}" for k, v in doc.items()) + "\n}\n"


def write(path, doc):
    """Replaces the state file as an engine does; returns the monotonic time of the rename."""
    temporary = f"{os.path.dirname(path)}/.{os.path.basename(path)}.{os.getpid()}.tmp"
    encoded = encode(doc).encode()
    with open(temporary, "wb") as f:
        f.write(encoded)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(temporary, 0o644)
    os.rename(temporary, path)
    return time.monotonic()


def cpu_seconds(pid):
    """Time the process's threads have spent on a CPU, from the scheduler's own count."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        total += int(open(f"/proc/{pid}/task/{task}/schedstat").read().split()[0])
    return total / 1e9


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=None, help="folder of the built psview (default: swift build --show-bin-path)")
    parser.add_argument("--engines", type=int, default=20)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--wide", type=int, default=50, help="entries of one more engine, 4 KB include_strings each")
    parser.add_argument("--trials", type=int, default=30)
    args = parser.parse_args()
    binary = args.bin or subprocess.run(["swift", "build", "--show-bin-path"], capture_output=True,
                                        text=True, check=True).stdout.strip()
    psview = f"{binary}/psview"
    folder = tempfile.mkdtemp(prefix="psview-bench-")
    server = f"psaver-bench-{os.getpid()}"
    tmux = ["tmux", "-L", server]
    lock = threading.Lock()
    docs = {}
    stop = threading.Event()
    busy_on = threading.Event()
    try:
        for engine in range(args.engines):
            path, doc = document(folder, engine, args.entries)
            docs[path] = doc
            write(path, doc)
        engines = sorted(docs)
        if args.wide > 0:
            path, doc = document(folder, args.engines, args.wide)
            path = f"{folder}/zz-wide.state"
            doc["control_socket"] = path + ".sock"
            doc["params"]["SHM_DUMP_FILE"] = path
            for entry in doc["entries"]:
                entry["include_strings"] = "&".join(f"--option-{k:04d}=value" for k in range(4096 // 20))[:4096]
            docs[path] = doc
            write(path, doc)

        def heartbeats():  # each engine's heartbeat, spread over the interval
            while not stop.is_set():
                for path, doc in docs.items():
                    if stop.wait(MONITOR_INTERVAL / len(docs)):
                        return
                    with lock:
                        doc["heartbeat_at"] = now_iso()
                        write(path, doc)

        busy = engines[-1]

        def busy_engine():  # 10 events a second, each a rewrite of the state file
            count = 0
            while not stop.is_set():
                if not busy_on.wait(0.1):
                    continue
                count += 1
                with lock:
                    doc = docs[busy]
                    entry = doc["entries"][count % len(doc["entries"])]
                    doc["events"] = (doc["events"] + [{
                        "time": now_iso(), "pent_id": entry["pent_id"],
                        "text": f"({entry['pname']}) restart script ended: exit status 0 (event {count})"}])[-100:]
                    doc["heartbeat_at"] = now_iso()
                    write(busy, doc)
                stop.wait(0.1)

        threading.Thread(target=heartbeats, daemon=True).start()
        threading.Thread(target=busy_engine, daemon=True).start()
        # The first engine's socket: accepts connections into its backlog, never answers.
        first = engines[0]
        silent = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        silent.bind(docs[first]["control_socket"])
        silent.listen(16)
        docs[first]["params"]["MSG_CHECK_INTERVAL"] = 10
        write(first, docs[first])
        command = " ".join(["env", "-u", "NO_COLOR", "TERM=tmux-256color", "LANG=C.UTF-8", psview] + sorted(docs))
        subprocess.run(tmux + ["new-session", "-d", "-x", "160", "-y", "50", command], check=True)
        pane = int(subprocess.run(tmux + ["display", "-p", "#{pane_pid}"], capture_output=True, text=True).stdout)
        # The pane's shell execs psview (one simple command).
        deadline = time.time() + 20
        while "service-001" not in screen(tmux):
            if time.time() > deadline:
                sys.exit("psview did not show the entries")
            time.sleep(0.1)
        header = screen(tmux).splitlines()[0]
        time.sleep(2)

        load_before = os.getloadavg()
        before, start = cpu_seconds(pane), time.monotonic()
        time.sleep(10)
        after, elapsed = cpu_seconds(pane), time.monotonic() - start
        cpu = (after - before) / elapsed * 100

        busy_on.set()
        time.sleep(2)
        busy_before, busy_start = cpu_seconds(pane), time.monotonic()
        time.sleep(10)
        busy_cpu = (cpu_seconds(pane) - busy_before) / (time.monotonic() - busy_start) * 100

        latencies = []
        for trial in range(args.trials):
            value = 20000 + trial
            with lock:
                docs[first]["entries"][0]["restart_count"] = value
                started = write(first, docs[first])
            needle = f" {value} "
            while needle not in screen(tmux):
                if time.monotonic() - started > 5:
                    sys.exit(f"trial {trial}: {value} not on screen after 5 s")
            latencies.append((time.monotonic() - started) * 1000)
            time.sleep(0.2)
        latencies.sort()

        # A command that stays outstanding: m y on the selected (first) entry.
        subprocess.run(tmux + ["send-keys", "m"], check=True)
        wait_for(tmux, lambda text: "y/n" in text, "the m question")
        subprocess.run(tmux + ["send-keys", "y"], check=True)
        wait_for(tmux, lambda text: "→off" in text, "the pending mark")
        keys = []
        for trial in range(min(args.trials, 40)):
            key = "j" if trial % 2 == 0 else "k"
            before_row = cursor_row(screen(tmux))
            started = time.monotonic()
            subprocess.run(tmux + ["send-keys", key], check=True)
            while cursor_row(screen(tmux)) == before_row:
                if time.monotonic() - started > 5:
                    sys.exit(f"key trial {trial}: the cursor did not move")
            keys.append((time.monotonic() - started) * 1000)
        outstanding = "→off" in screen(tmux) and "No answer yet" not in screen(tmux)
        keys.sort()
        capture = []
        for _ in range(20):
            t = time.monotonic()
            screen(tmux)
            capture.append((time.monotonic() - t) * 1000)

        print(f"psview: {psview}")
        print(f"entries: {args.engines} engines x {args.entries} = {args.engines * args.entries}, "
              f"and {args.wide} with 4 KB include_strings; screen 160x50")
        print(f"header: {header.strip()}")
        print(f"load average (1, 5, 15 min) at the start: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
              f"at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs")
        print(f"idle CPU over {elapsed:.1f} s, nothing changing: {cpu:.2f}% of one core "
              f"({(after - before) * 1000:.1f} ms on a CPU; heartbeats every {MONITOR_INTERVAL} s per engine)")
        print(f"change -> screen over {len(latencies)} trials, busy engine running: median {statistics.median(latencies):.1f} ms, "
              f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.1f} ms, max {latencies[-1]:.1f} ms "
              f"(one capture-pane round costs {statistics.median(capture):.1f} ms)")
        print(f"idle CPU with the busy engine at 10 events/s: {busy_cpu:.2f}% of one core")
        print(f"keypress -> screen over {len(keys)} trials with a command outstanding"
              f"{'' if outstanding else ' (it timed out during the trials)'}: median {statistics.median(keys):.1f} ms, "
              f"p95 {keys[int(len(keys) * 0.95) - 1]:.1f} ms, max {keys[-1]:.1f} ms")
    finally:
        stop.set()
        busy_on.set()
        subprocess.run(tmux + ["kill-server"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def wait_for(tmux, probe, what, timeout=10):
    deadline = time.monotonic() + timeout
    while not probe(screen(tmux)):
        if time.monotonic() > deadline:
            sys.exit(f"timed out waiting for {what}")
        time.sleep(0.02)


def cursor_row(text):
    return next((index for index, line in enumerate(text.splitlines()) if line.startswith(">")), None)


def screen(tmux):
    return subprocess.run(tmux + ["capture-pane", "-p"], capture_output=True, text=True).stdout


if __name__ == "__main__":
    main()
