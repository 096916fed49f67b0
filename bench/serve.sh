#!/usr/bin/env bash
# serve.sh start DIR PORT | stop PORT  -  a private nginx on 127.0.0.1-16 serving DIR
# (gen_corpus.py spreads its feeds over those 16 loopback hosts).
# Static files get ETag and Last-Modified (so 304s), and gzip_static serves the
# pre-compressed siblings, so the server costs almost no CPU. State lives in
# ${TMPDIR:-/tmp}/bulletin-bench-nginx-PORT; stop signals only that nginx.
set -euo pipefail
cmd=${1:-}; 
state() { echo "${TMPDIR:-/tmp}/bulletin-bench-nginx-$1"; }
case $cmd in
start)
    dir=$(cd "$2" && pwd); port=$3; s=$(state "$port")
    command -v nginx >/dev/null || { echo "serve.sh: nginx is not installed (apt-get install nginx)" >&2; exit 3; }
    mkdir -p "$s/tmp"
    cat >"$s/nginx.conf" <<CONF
worker_processes 1;
pid $s/nginx.pid;
error_log $s/error.log warn;
daemon on;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $s/tmp; proxy_temp_path $s/tmp; fastcgi_temp_path $s/tmp;
    uwsgi_temp_path $s/tmp; scgi_temp_path $s/tmp;
    types { application/rss+xml xml; application/feed+json json; }
    keepalive_requests 100000;
    server {
$(for h in $(seq 1 16); do echo "        listen 127.0.0.$h:$port;"; done)
        root $dir;
        gzip_static on;
        etag on;
    }
}
CONF
    nginx -c "$s/nginx.conf" -p "$s"
    for _ in $(seq 50); do [[ -s $s/nginx.pid ]] && break; sleep 0.1; done
    echo "serving $dir on 127.0.0.1:$port" >&2 ;;
stop)
    s=$(state "$2")
    if [[ -s $s/nginx.pid ]]; then kill "$(cat "$s/nginx.pid")" 2>/dev/null || true; fi
    rm -rf "$s" ;;
*) echo "usage: serve.sh start DIR PORT | stop PORT" >&2; exit 2 ;;
esac
