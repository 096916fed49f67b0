#!/usr/bin/env python3
"""Sync at scale: bulletin against loopback Google Reader API and Fever servers holding
an account of N articles in 1,000 feeds, mostly read (200 unread, 100 starred).

  sync_bench.py --bin target/release/bulletin --out results.jsonl [--sizes 10000,100000] [--runs 5]

The servers are written here from the protocols as FreshRSS and Miniflux document them
(ClientLogin, subscription/list, stream/contents with ot/nt/c, stream/items/ids,
stream/items/contents, edit-tag; Fever's feeds/groups, items with since_id/max_id/with_ids,
unread_item_ids, saved_item_ids, mark; and as protocol fever-oldest, a Fever server that
answers `since_id` and `max_id` as coldsweat does, with fifty of the articles above or
below, by feed), on 127.0.0.1 only, and count the requests. For
each protocol and size it times, as `bulletin sync` processes (wall and CPU, from wait4):
  first      a first sync into an empty cache (the unread, starred and newest articles)
  after-first  a sync right after that first one, nothing changed (the history left on a
             big account waits an hour between stretches, so this costs what changed)
  all        `sync --all` from an empty cache: the whole account (once)
  no-change  a sync with nothing changed on the server, the account whole here
  changes    a sync after 100 articles changed on the server (read or unread)
and writes JSON lines (tag sync-PROTOCOL-STEP, name the size) with the requests made.
"""
import argparse, hashlib, json, os, random, resource, shutil, socket, subprocess, sys, tempfile, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

FEEDS = 1000
BASE_TIME = 1_790_000_000
LONG = "tag:google.com,2005:reader/item/"


class Account:
    def __init__(self, n, seed=7):
        rnd = random.Random(seed)
        self.n = n
        self.unread = set(rnd.sample(range(1, n + 1), 200))
        self.starred = set(rnd.sample(range(1, n + 1), 100))
        self.requests = 0
        self.lock = threading.Lock()

    def change(self, k, rnd):
        """k articles change state on the server (another device): half read, half unread."""
        for i in rnd.sample(range(1, self.n + 1), k):
            if i in self.unread:
                self.unread.discard(i)
            else:
                self.unread.add(i)

    def feed(self, i):
        return i % FEEDS

    def by_feed(self, lo, hi):
        """The first fifty ids in [lo, hi) in feed order, then id order (as coldsweat's
        joins list them)."""
        out = []
        for f in range(FEEDS):
            first = lo + (f - lo) % FEEDS
            out.extend(range(first, hi, FEEDS)[:50 - len(out)])
            if len(out) >= 50:
                break
        return out

    def greader_item(self, i):
        cats = ["user/-/state/com.google/reading-list"]
        if i not in self.unread:
            cats.append("user/-/state/com.google/read")
        if i in self.starred:
            cats.append("user/-/state/com.google/starred")
        t = BASE_TIME + i
        return {"id": f"{LONG}{i:016x}", "crawlTimeMsec": str(t * 1000), "timestampUsec": str(t * 1_000_000),
                "published": t, "title": f"Article {i}", "categories": cats,
                "origin": {"streamId": f"feed/{self.feed(i)}", "title": f"Feed {self.feed(i)}"},
                "canonical": [{"href": f"https://feed{self.feed(i)}.example/{i}"}],
                "summary": {"content": f"<p>The words of article {i}, about kernels and phishing.</p>"}}

    def fever_item(self, i):
        return {"id": i, "feed_id": self.feed(i), "title": f"Article {i}", "author": "",
                "html": f"<p>The words of article {i}, about kernels and phishing.</p>",
                "url": f"https://feed{self.feed(i)}.example/{i}", "is_saved": int(i in self.starred),
                "is_read": int(i not in self.unread), "created_on_time": BASE_TIME + i}


def handler_for(acct, key, oldest_first=False):
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def setup(self):
            super().setup()
            # Headers and body go in two writes: without this, Nagle's algorithm and the
            # client's delayed ACK add 40 ms to a small answer.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def reply(self, body, ctype="application/json", status=200):
            data = body.encode() if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self.route(b"")

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            self.route(self.rfile.read(n))

        def route(self, body):
            url = urlsplit(self.path)
            q = parse_qsl(url.query, keep_blank_values=True)
            form = parse_qsl(body.decode(), keep_blank_values=True)
            with acct.lock:
                acct.requests += 1
                if url.path.startswith("/fever"):
                    return self.fever(q, dict(form))
                return self.greader(url.path, q + form)

        def greader(self, path, params):
            p = dict(params)
            if path.endswith("/accounts/ClientLogin"):
                return self.reply("SID=x\nLSID=x\nAuth=benchtoken\n", "text/plain")
            if self.headers.get("Authorization") != "GoogleLogin auth=benchtoken":
                return self.reply("Unauthorized", "text/plain", 401)
            api = path.split("/reader/api/0/", 1)[-1]
            if api == "token":
                return self.reply("edittoken", "text/plain")
            if api == "subscription/list":
                subs = [{"id": f"feed/{f}", "title": f"Feed {f}", "url": f"https://feed{f}.example/rss",
                         "htmlUrl": f"https://feed{f}.example/", "categories": []} for f in range(FEEDS)]
                return self.reply(json.dumps({"subscriptions": subs}))
            if api.startswith("stream/contents"):
                ot, nt = int(p.get("ot", 0)), int(p.get("nt", 1 << 62))
                n, c = int(p.get("n", 20)), int(p.get("c", 0))
                # Newest first: ids are times here.
                hi = min(acct.n, nt - BASE_TIME - 1)
                lo = max(1, ot - BASE_TIME + 1)
                ids = list(range(hi - c, max(lo, hi - c - n + 1) - 1, -1)) if hi - c >= lo else []
                out = {"items": [acct.greader_item(i) for i in ids]}
                if hi - c - len(ids) >= lo and ids:
                    out["continuation"] = str(c + len(ids))
                return self.reply(json.dumps(out))
            if api == "stream/items/ids":
                s, xt = p.get("s"), p.get("xt")
                if s and s.endswith("starred"):
                    ids = sorted(acct.starred, reverse=True)
                elif xt and xt.endswith("/read"):
                    ids = sorted(acct.unread, reverse=True)
                else:
                    ids = list(range(acct.n, 0, -1))
                n, c = int(p.get("n", 1000)), int(p.get("c", 0))
                page = ids[c:c + n]
                out = {"itemRefs": [{"id": str(i)} for i in page]}
                if c + n < len(ids):
                    out["continuation"] = str(c + n)
                return self.reply(json.dumps(out))
            if api == "stream/items/contents":
                ids = [int(v[len(LONG):], 16) if v.startswith(LONG) else int(v) for k, v in params if k == "i"]
                return self.reply(json.dumps({"items": [acct.greader_item(i) for i in ids if 1 <= i <= acct.n]}))
            if api == "edit-tag":
                ids = [int(v[len(LONG):], 16) if v.startswith(LONG) else int(v) for k, v in params if k == "i"]
                for k, v in params:
                    for i in ids:
                        if v.endswith("/read"):
                            (acct.unread.discard if k == "a" else acct.unread.add)(i)
                        elif v.endswith("/starred"):
                            (acct.starred.add if k == "a" else acct.starred.discard)(i)
                return self.reply("OK", "text/plain")
            return self.reply("not found", "text/plain", 404)

        def fever(self, q, form):
            if form.get("api_key") != key:
                return self.reply(json.dumps({"api_version": 3, "auth": 0}))
            out = {"api_version": 3, "auth": 1, "last_refreshed_on_time": BASE_TIME + acct.n}
            names = [k for k, _ in q]
            qd = dict(q)
            if form.get("mark") == "item":
                i = int(form["id"])
                {"read": acct.unread.discard, "unread": acct.unread.add, "saved": acct.starred.add,
                 "unsaved": acct.starred.discard}[form["as"]](i)
            elif form.get("mark") == "feed":
                f, before = int(form["id"]), int(form["before"])
                acct.unread = {i for i in acct.unread if not (acct.feed(i) == f and BASE_TIME + i < before)}
            if "groups" in names:
                out["groups"] = [{"id": 1, "title": "news"}]
            if "feeds" in names:
                out["feeds"] = [{"id": f, "favicon_id": 0, "title": f"Feed {f}", "url": f"https://feed{f}.example/rss",
                                 "site_url": f"https://feed{f}.example/", "is_spark": 0,
                                 "last_updated_on_time": BASE_TIME} for f in range(FEEDS)]
            if "groups" in names or "feeds" in names:
                out["feeds_groups"] = [{"group_id": 1, "feed_ids": ",".join(str(f) for f in range(FEEDS))}]
            if "items" in names:
                out["total_items"] = acct.n
                if "since_id" in qd and oldest_first:
                    # coldsweat: fifty of the articles above since_id, by feed.
                    ids = acct.by_feed(int(qd["since_id"]) + 1, acct.n + 1)
                elif "since_id" in qd:
                    s = int(qd["since_id"])
                    ids = range(s + 1, min(acct.n, s + 50) + 1)
                elif "max_id" in qd and oldest_first:
                    # coldsweat: fifty of the articles below max_id, by feed.
                    ids = acct.by_feed(1, min(int(qd["max_id"]), acct.n + 1))
                elif "max_id" in qd:
                    m = min(int(qd["max_id"]), acct.n + 1)
                    ids = range(m - 1, max(0, m - 51), -1)
                elif "with_ids" in qd:
                    ids = [int(x) for x in qd["with_ids"].split(",") if x.isdigit()][:50]
                else:
                    ids = range(1, min(acct.n, 50) + 1)
                out["items"] = [acct.fever_item(i) for i in ids if 1 <= i <= acct.n]
            if "unread_item_ids" in names:
                out["unread_item_ids"] = ",".join(str(i) for i in sorted(acct.unread))
            if "saved_item_ids" in names:
                out["saved_item_ids"] = ",".join(str(i) for i in sorted(acct.starred))
            return self.reply(json.dumps(out))
    return H


def timed(cmd, env):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, p.returncode == 0, p.stdout.decode(), p.stderr.decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--protocols", default="greader,fever,fever-oldest")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="bulletin-sync-bench-")
    env = dict(os.environ, BENCH_SYNC_PW="secret", NO_COLOR="1")
    # Nothing but loopback: a proxy would be a closed port.
    env.update(http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9", no_proxy="127.0.0.1")
    key = hashlib.md5(b"alice:secret").hexdigest()
    rnd = random.Random(11)
    with open(a.out, "a") as out:
        for proto in a.protocols.split(","):
            for size in [int(s) for s in a.sizes.split(",")]:
                acct = Account(size)
                srv = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(acct, key, proto == "fever-oldest"))
                threading.Thread(target=srv.serve_forever, daemon=True).start()
                port = srv.server_address[1]
                url = f"http://127.0.0.1:{port}/api/greader.php" if proto == "greader" else f"http://127.0.0.1:{port}/fever/"
                conf = os.path.join(work, f"{proto}-{size}.toml")
                with open(conf, "w") as f:
                    f.write(f'[general]\nrefresh_on_startup = false\n\n[sync]\nprovider = "{proto.split("-")[0]}"\nurl = "{url}"\n'
                            f'username = "alice"\npassword_env = "BENCH_SYNC_PW"\n')
                data = os.path.join(work, f"{proto}-{size}")

                def sync(step, run_no, *extra):
                    acct.requests = 0
                    wall, cpu, ok, so, se = timed([a.bin, "--config", conf, "--data-dir", data, "sync", "--json", *extra], env)
                    summary = so.strip().splitlines()[-1] if so.strip() else ""
                    r = {"tag": f"sync-{proto}-{step}", "name": str(size), "run": run_no, "wall": wall, "cpu": cpu,
                         "requests": acct.requests, "rss_kib": None, "ok": ok, "summary": summary}
                    out.write(json.dumps(r) + "\n")
                    out.flush()
                    print(f"  {proto} {size} {step} run {run_no + 1}: {wall:.3f} s wall, {cpu:.3f} s CPU, "
                          f"{acct.requests} requests {summary}{'' if ok else ' FAILED: ' + se.strip()}", file=sys.stderr)

                for i in range(a.runs):
                    shutil.rmtree(data, ignore_errors=True)
                    sync("first", i)
                # Nothing changed since that first sync: the history left on a big
                # account waits for its hour (or --all), so this costs what changed.
                for i in range(a.runs):
                    sync("after-first", i)
                shutil.rmtree(data, ignore_errors=True)
                sync("all", 0, "--all")
                for i in range(a.runs):
                    sync("no-change", i)
                for i in range(a.runs):
                    acct.change(100, rnd)
                    sync("changes", i)
                srv.shutdown()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
