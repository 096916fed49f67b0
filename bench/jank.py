#!/usr/bin/env python3
"""Key to frame in the TUI while it works in the background, against the same TUI idle.

  jank.py --bin target/release/bulletin --corpus DIR --out results.jsonl [--runs 3]

DIR is a corpus of compare.sh's (its bulletin.toml lists N feeds served on loopback).
Each run starts the TUI in a private tmux server (160x48) on an empty cache with that
config plus a [sync] account of SYNC_SIZE articles (sync_bench.py's loopback Google
Reader server) and an mbox of MAIL messages, so that its first refresh does a cold
refresh of every feed, a first sync and a mailbox import at once. From its first frame,
`?` is typed again and again: each time, the time from the key until the help overlay
is on the screen (or gone, for the second `?`) is one sample, "busy" while the status
line says the refresh is on, "idle" after.

The keys go in and the screen is read through one tmux control-mode client: the screen
is looked at each time the TUI has written something (tmux's %output), with no process
started per look, so the measure's own cost is a fraction of a millisecond (the idle
samples show it). The sync server runs in a process of its own: in this one it would
hold Python's lock while it builds its answers, and the measure would wait for it.
"""
import argparse, json, mailbox, multiprocessing, os, queue, random, shutil, statistics, subprocess, sys, tempfile, threading, time
from email.message import EmailMessage
from http.server import ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sync_bench  # noqa: E402

HELP = "Keys (? or q closes)"
BUSY = ("Refreshing", "Syncing")


def make_mbox(path, n):
    box = mailbox.mbox(path)
    lists = [f"Newsletter {k}" for k in range(20)]
    for i in range(n):
        m = EmailMessage()
        name = lists[i % len(lists)]
        m["From"] = f"{name} <news{i % 20}@letters.example>"
        m["To"] = "reader@home.example"
        m["Subject"] = f"Issue {i} of {name}"
        m["Date"] = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(1_790_000_000 + i * 600))
        m["Message-ID"] = f"<issue-{i}@letters.example>"
        m["List-Id"] = f"{name} <list{i % 20}.letters.example>"
        m.set_content(f"This week: {i} things about kernels and phishing.\n" * 20)
        box.add(m)
    box.flush()
    box.close()


def screen(tm):
    return subprocess.run(tm + ["capture-pane", "-p"], capture_output=True, text=True).stdout


class Control:
    """A tmux control-mode client: commands in, their answers and the pane's output
    notices out (each with the time it arrived)."""

    def __init__(self, tm):
        self.p = subprocess.Popen(tm + ["-C", "attach", "-t", "0"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True, encoding="utf-8",
                                  errors="replace", bufsize=1)
        self.events = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        block = None
        for line in self.p.stdout:
            now = time.perf_counter()
            if line.startswith("%begin"):
                block = []
            elif line.startswith("%end") or line.startswith("%error"):
                self.events.put(("reply", now, "".join(block or [])))
                block = None
            elif block is not None:
                block.append(line)
            elif line.startswith("%output"):
                self.events.put(("output", now, None))
        self.events.put(("gone", time.perf_counter(), None))

    def send(self, cmd):
        self.p.stdin.write(cmd + "\n")
        self.p.stdin.flush()

    def reply(self):
        """The next command's answer; the output notices met on the way are counted."""
        outputs = 0
        while True:
            kind, _, text = self.events.get(timeout=10)
            if kind == "reply":
                return text, outputs
            if kind == "gone":
                raise RuntimeError("tmux control client ended")
            outputs += 1

    def screen(self):
        """The pane's text, and whether the TUI wrote while it was being read."""
        self.send("capture-pane -p -t 0")
        return self.reply()

    def close(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        self.p.wait(timeout=5)


def key_to_change(ctl, key, changed, limit=5.0):
    """Sends `key`, then looks at the screen after each of the pane's outputs until
    `changed(screen)`: the seconds from the key to that look."""
    t0 = time.perf_counter()
    ctl.send(f"send-keys -t 0 {key}")
    ctl.reply()
    while time.perf_counter() - t0 < limit:
        text, wrote_meanwhile = ctl.screen()
        if changed(text):
            return time.perf_counter() - t0
        if wrote_meanwhile:
            continue
        # Wait for the TUI to write again.
        try:
            kind, _, _ = ctl.events.get(timeout=limit)
        except queue.Empty:
            break
        if kind == "gone":
            break
        # An answer cannot arrive here: no command is waiting for one.
    return time.perf_counter() - t0


def serve(acct_size, port_to):
    """The loopback sync server, in its own process; its port goes back through `port_to`."""
    acct = sync_bench.Account(acct_size)
    srv = ThreadingHTTPServer(("127.0.0.1", 0), sync_bench.handler_for(acct, ""))
    port_to.send(srv.server_address[1])
    srv.serve_forever()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sync-size", type=int, default=100_000)
    ap.add_argument("--mail", type=int, default=5_000)
    ap.add_argument("--idle", type=int, default=40, help="idle samples per run")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="bulletin-jank-")
    mbox = os.path.join(work, "letters.mbox")
    make_mbox(mbox, a.mail)
    port_from, port_to = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=serve, args=(a.sync_size, port_to), daemon=True)
    server.start()
    sync_port = port_from.recv()
    base = open(os.path.join(a.corpus, "bulletin.toml")).read()
    base = base.replace("refresh_on_startup = false", "refresh_on_startup = true")
    if "refresh_on_startup" not in base:
        base = base.replace("[general]\n", "[general]\nrefresh_on_startup = true\n", 1)
    conf = os.path.join(work, "bulletin.toml")
    general_end = base.index("[[feed]]") if "[[feed]]" in base else len(base)
    extra = (f'\n[sync]\nprovider = "greader"\nurl = "http://127.0.0.1:{sync_port}/api/greader.php"\n'
             f'username = "alice"\npassword_env = "BENCH_SYNC_PW"\n\n[[mailbox]]\nname = "letters"\nmbox = "{mbox}"\n\n')
    with open(conf, "w") as f:
        f.write(base[:general_end] + extra + base[general_end:])
    samples = {"busy": [], "idle": []}
    with open(a.out, "a") as out:
        for run in range(a.runs):
            data = os.path.join(work, "data")
            shutil.rmtree(data, ignore_errors=True)
            sock = os.path.join(work, "tmux.sock")
            tm = ["tmux", "-S", sock]
            r = subprocess.run(tm + ["-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "48", "sleep 3600"], capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit(f"jank.py: tmux: {r.stderr.strip()}")
            # The control client must not resize the window to a size of its own.
            subprocess.run(tm + ["set-option", "-g", "window-size", "manual"], check=True)
            cmd = (f"env TERM=xterm-256color LANG=C.UTF-8 NO_COLOR=1 BENCH_SYNC_PW=secret http_proxy=http://127.0.0.1:9 "
                   f"https_proxy=http://127.0.0.1:9 no_proxy=127.0.0.1 '{a.bin}' --config '{conf}' --data-dir '{data}'")
            subprocess.run(tm + ["respawn-pane", "-k", "-t", "0", cmd], check=True)
            start = time.perf_counter()
            while "help" not in screen(tm) and time.perf_counter() - start < 30:
                time.sleep(0.005)
            run_samples = {"busy": [], "idle": []}
            try:
                ctl = Control(tm)
                shown, idle_left, deadline = False, a.idle, time.perf_counter() + 300
                while idle_left > 0 and time.perf_counter() < deadline:
                    before = ctl.screen()[0]
                    phase = "busy" if any(b in before for b in BUSY) else "idle"
                    want = not shown
                    dt = key_to_change(ctl, "?", lambda text: (HELP in text) == want)
                    shown = want
                    run_samples[phase].append(dt)
                    if phase == "idle":
                        idle_left -= 1
                    time.sleep(0.02)
                ctl.close()
            finally:
                # Ends the TUI with its server, whatever went wrong.
                subprocess.run(tm + ["kill-server"], capture_output=True)
            for phase, xs in run_samples.items():
                samples[phase] += xs
                for x in xs:
                    out.write(json.dumps({"tag": f"jank-{phase}", "name": "bulletin", "run": run, "wall": x,
                                          "rss_kib": None, "ok": True}) + "\n")
            print(f"  jank run {run + 1}: {len(run_samples['busy'])} busy samples, {len(run_samples['idle'])} idle",
                  file=sys.stderr)
    server.terminate()
    shutil.rmtree(work, ignore_errors=True)
    for phase, xs in samples.items():
        if xs:
            xs.sort()
            p = lambda q: xs[min(len(xs) - 1, int(q * len(xs)))] * 1000
            print(f"key to frame, {phase}: {len(xs)} keys, median {statistics.median(xs) * 1000:.1f} ms, "
                  f"p90 {p(0.9):.1f} ms, p99 {p(0.99):.1f} ms, max {xs[-1] * 1000:.1f} ms", file=sys.stderr)


if __name__ == "__main__":
    main()
