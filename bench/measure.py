#!/usr/bin/env python3
"""Times commands, round-robin between contenders, and prints JSON lines.

  measure.py --tag T --runs N [--prep-each] --name A [--prep P] --cmd C --name B ...
  measure.py --tag T --runs N --first-frame MARKER --name A --cmd C ...
  measure.py --tag T --runs N --first-frame MARKER --ready R --type KEYS --name A ...

Plain mode: wall time (perf_counter) and peak RSS (wait4's ru_maxrss) of each run.
--first-frame: the command runs in a private tmux server (160x48); the time is from
start until MARKER shows on the screen, and the peak RSS is read from /proc once the
screen is up, before the program is stopped. With --ready and --type, the program first
runs until R shows (untimed), then KEYS are typed followed by Enter, and the time is from
the keys until MARKER shows (a search's answer, say). A contender's --c-ready, --c-type and
--c-marker (after its --name) override the common ones. --prep runs untimed before each run.
Commands are the benchmark's own (paths we made), run through the shell.
"""
import argparse, json, os, resource, subprocess, sys, tempfile, time


def plain(cmd):
    start = time.perf_counter()
    p = subprocess.Popen(["bash", "-c", cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    return {"wall": wall, "rss_kib": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime,
            "ok": os.waitstatus_to_exitcode(status) == 0}


def wait_for(tm, text, start, timeout):
    while time.perf_counter() - start < timeout:
        screen = subprocess.run(tm + ["capture-pane", "-p"], capture_output=True, text=True).stdout
        if text in screen:
            return True
        time.sleep(0.005 if time.perf_counter() - start < 2 else 0.05)
    return False


def first_frame(cmd, marker, timeout, ready=None, keys=None):
    sock = tempfile.mktemp(prefix="ff-tmux-")
    tm = ["tmux", "-S", sock]
    subprocess.run(tm + ["-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "48", "sleep 3600"], check=True)
    subprocess.run(tm + ["set", "-g", "remain-on-exit", "on"], check=True)
    start = time.perf_counter()
    subprocess.run(tm + ["respawn-pane", "-k", "-t", "0", "env TERM=xterm-256color LANG=C.UTF-8 " + cmd], check=True)
    seen, wall, rss = False, None, None
    pid = subprocess.run(tm + ["display", "-p", "#{pane_pid}"], capture_output=True, text=True).stdout.strip()
    if ready is not None and keys is not None:
        if wait_for(tm, ready, start, timeout):
            time.sleep(1.0)  # the program settles (background work after its first frame)
            start = time.perf_counter()
            subprocess.run(tm + ["send-keys", "-t", "0", "-l", keys], check=True)
            subprocess.run(tm + ["send-keys", "-t", "0", "Enter"], check=True)
        else:
            start = time.perf_counter() - timeout
    if wait_for(tm, marker, start, timeout):
        wall = time.perf_counter() - start
        seen = True
    if seen:
        time.sleep(1.0)  # let it settle, then read its high-water mark
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmHWM:"):
                    rss = int(line.split()[1])
        except OSError:
            pass
    subprocess.run(tm + ["kill-server"], capture_output=True)
    for _ in range(200):
        if not os.path.exists(f"/proc/{pid}"):
            break
        time.sleep(0.05)
    return {"wall": wall, "rss_kib": rss, "ok": seen}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tag", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--first-frame", metavar="MARKER")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--ready", metavar="MARKER")
    ap.add_argument("--type", metavar="KEYS")
    ap.add_argument("--out", required=True)
    rest = sys.argv[1:]
    contenders, cur = [], None
    args, i = [], 0
    while i < len(rest):
        if rest[i] in ("--name", "--prep", "--cmd", "--c-ready", "--c-type", "--c-marker"):
            if rest[i] == "--name":
                cur = {"name": rest[i + 1], "prep": None}
                contenders.append(cur)
            else:
                cur[rest[i][2:].replace("c-", "")] = rest[i + 1]
            i += 2
        else:
            args.append(rest[i])
            i += 1
    a = ap.parse_args(args)
    with open(a.out, "a") as out:
        for run in range(a.runs):
            for c in contenders:
                if c["prep"]:
                    subprocess.run(["bash", "-c", c["prep"]], check=True, stdout=subprocess.DEVNULL)
                if a.first_frame:
                    r = first_frame(c["cmd"], c.get("marker", a.first_frame), a.timeout,
                                    c.get("ready", a.ready), c.get("type", a.type))
                else:
                    r = plain(c["cmd"])
                r.update(tag=a.tag, name=c["name"], run=run)
                out.write(json.dumps(r) + "\n")
                out.flush()
                rss = f"{r['rss_kib'] / 1024:.0f} MiB" if r["rss_kib"] else "?"
                wall = f"{r['wall']:.3f} s" if r["wall"] is not None else "timeout"
                print(f"  {a.tag} {c['name']} run {run + 1}: {wall}, peak {rss}{'' if r['ok'] else ' (FAILED)'}", file=sys.stderr)


if __name__ == "__main__":
    main()
