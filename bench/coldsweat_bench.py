#!/usr/bin/env python3
"""Syncs with a real Fever server at two account sizes: coldsweat 0.10.2 (the one
`.ci/run` installs in target/coldsweat-venv), on 127.0.0.1, every proxy variable at a
closed loopback port.

  coldsweat_bench.py --bin target/release/bulletin --out results.jsonl [--sizes 10000,100000] [--runs 5]

For each size it sets coldsweat up on a SQLite file of its own, with FEEDS feeds and N
articles written straight into its tables (a fetch of that many would take hours), all
read but 200, 100 starred; then times, as `bulletin sync` processes (wall and CPU, from
wait4), with the requests coldsweat logged:
  first        a first sync into an empty cache
  after-first  syncs right after it, nothing changed
  all          `sync --all` from there: the rest of the account
  no-change    syncs with the account whole here, nothing changed
(--steps picks some; the first sync always runs).
and writes JSON lines (tag coldsweat-STEP, name the size). coldsweat cannot page
backwards (it answers `max_id` with its oldest articles), so this is the path of a first
sync that asks the server for its newest id.
"""
import argparse, datetime, json, os, random, shutil, socket, sqlite3, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sync_bench import timed  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
EMAIL, PASSWORD = "reader@bench.example", "bench-secret"
UNREAD, STARRED = 200, 100


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def coldsweat_env(db):
    closed = f"http://127.0.0.1:{free_port()}"
    env = dict(os.environ, FLASK_DATABASE_URL=f"sqlite:///{db}", FLASK_SECRET_KEY="bench only",
               no_proxy="127.0.0.1,localhost", NO_PROXY="127.0.0.1,localhost")
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        env[var] = closed
    return env


def fill(db, feeds, n, rnd):
    """FEEDS feeds (imported from an OPML, unfetched) and N articles, mostly read."""
    con = sqlite3.connect(db)
    user = con.execute("SELECT id FROM users WHERE email = ?", (EMAIL,)).fetchone()[0]
    feed_ids = [r[0] for r in con.execute("SELECT id FROM feeds ORDER BY id")]
    assert len(feed_ids) == feeds, (len(feed_ids), feeds)
    base = datetime.datetime(2026, 1, 1)
    con.executemany(
        "INSERT INTO entries (id, guid, feed_id, title, content_type, content, thumbnail_url, published_on, author, link)"
        " VALUES (?, ?, ?, ?, 'text/html', ?, '', ?, '', ?)",
        ((i, f"urn:bench:{i}", feed_ids[i % feeds], f"Article {i}",
          f"<p>The words of article {i}, about kernels and phishing.</p>",
          (base + datetime.timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M:%S"),
          f"http://127.0.0.1:9/a/{i}") for i in range(1, n + 1)))
    unread = set(rnd.sample(range(1, n + 1), UNREAD))
    starred = rnd.sample(range(1, n + 1), STARRED)
    now = "2026-12-01 00:00:00"
    con.executemany("INSERT INTO read (user_id, entry_id, read_on) VALUES (?, ?, ?)",
                    ((user, i, now) for i in range(1, n + 1) if i not in unread))
    con.executemany("INSERT INTO saved (user_id, entry_id, saved_on) VALUES (?, ?, ?)",
                    ((user, i, now) for i in starred))
    con.commit()
    con.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--feeds", type=int, default=100)
    # coldsweat answers a request in about half a second at 100,000 articles: `all`
    # there (2,000 requests) takes a quarter of an hour.
    ap.add_argument("--steps", default="first,after-first,all,no-change")
    ap.add_argument("--coldsweat", default=os.path.join(HERE, "..", "target", "coldsweat-venv", "bin", "coldsweat"))
    a = ap.parse_args()
    if not os.access(a.coldsweat, os.X_OK):
        sys.exit(f"coldsweat_bench.py: no coldsweat at {a.coldsweat} (.ci/run installs it)")
    work = tempfile.mkdtemp(prefix="bulletin-coldsweat-bench-")
    rnd = random.Random(5)
    try:
        with open(a.out, "a") as out:
            for size in [int(s) for s in a.sizes.split(",")]:
                d = os.path.join(work, str(size))
                os.makedirs(d)
                db = os.path.join(d, "coldsweat.db")
                cenv = coldsweat_env(db)
                opml = os.path.join(d, "feeds.opml")
                with open(opml, "w") as f:
                    f.write('<?xml version="1.0"?><opml version="2.0"><head><title>bench</title></head><body>')
                    for i in range(a.feeds):
                        f.write(f'<outline type="rss" text="Feed {i}" xmlUrl="http://127.0.0.1:9/feed/{i}.xml"/>')
                    f.write("</body></opml>")
                for args in (["setup", EMAIL, "-p", PASSWORD], ["import", opml, EMAIL]):
                    subprocess.run([a.coldsweat, *args], env=cenv, cwd=d, check=True, capture_output=True)
                fill(db, a.feeds, size, rnd)
                port = free_port()
                log_path = os.path.join(d, "server.log")
                log = open(log_path, "w")
                server = subprocess.Popen([a.coldsweat, "run", "-h", "127.0.0.1", "-p", str(port)], env=cenv, cwd=d,
                                          stdout=log, stderr=log, stdin=subprocess.DEVNULL)
                try:
                    deadline = time.time() + 60
                    while True:
                        try:
                            socket.create_connection(("127.0.0.1", port), timeout=1).close()
                            break
                        except OSError:
                            if time.time() > deadline:
                                sys.exit("coldsweat did not start: " + open(log_path).read())
                            time.sleep(0.1)
                    conf = os.path.join(d, "bulletin.toml")
                    with open(conf, "w") as f:
                        f.write(f'[general]\nrefresh_on_startup = false\n\n[sync]\nprovider = "fever"\n'
                                f'url = "http://127.0.0.1:{port}/fever"\nusername = "{EMAIL}"\n'
                                f'password_env = "BENCH_COLDSWEAT_PW"\n')
                    env = dict(os.environ, BENCH_COLDSWEAT_PW=PASSWORD, NO_COLOR="1",
                               http_proxy=cenv["http_proxy"], https_proxy=cenv["https_proxy"], no_proxy="127.0.0.1")
                    data = os.path.join(d, "data")

                    def requests_so_far():
                        log.flush()
                        with open(log_path) as f:
                            return sum(1 for line in f if '"POST /fever' in line or '"GET /fever' in line)

                    def sync(step, run_no, *extra):
                        before = requests_so_far()
                        wall, cpu, ok, so, se = timed([a.bin, "--config", conf, "--data-dir", data, "sync", "--json", *extra], env)
                        time.sleep(0.2)  # the server's log line for the last request
                        made = requests_so_far() - before
                        summary = so.strip().splitlines()[-1] if so.strip() else ""
                        out.write(json.dumps({"tag": f"coldsweat-{step}", "name": str(size), "run": run_no, "wall": wall,
                                              "cpu": cpu, "requests": made, "rss_kib": None, "ok": ok,
                                              "summary": summary}) + "\n")
                        out.flush()
                        print(f"  coldsweat {size} {step} run {run_no + 1}: {wall:.3f} s wall, {cpu:.3f} s CPU, "
                              f"{made} requests {summary}{'' if ok else ' FAILED: ' + se.strip()}", file=sys.stderr)

                    steps = a.steps.split(",")
                    sync("first", 0)
                    for i in range(a.runs if "after-first" in steps else 0):
                        sync("after-first", i)
                    if "all" in steps:
                        sync("all", 0, "--all")
                    for i in range(a.runs if "no-change" in steps else 0):
                        sync("no-change", i)
                finally:
                    server.terminate()
                    server.wait(timeout=10)
                    log.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
