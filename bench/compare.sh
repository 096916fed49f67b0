#!/usr/bin/env bash
# compare.sh - bulletin against newsboat, side by side in one run, on 127.0.0.1 only.
#
#   bench/compare.sh                 # builds the release binary, runs everything
#   N=200 BIG_M=50 RUNS=2 bench/compare.sh   # a quick look
#
# It generates the corpora (N feeds x M items, and N x BIG_M for the big cache), serves
# them with a private nginx on 127.0.0.1, and times, alternating the two readers:
#   cold   refresh of N feeds into an empty cache
#   stories  bulletin alone: that cold refresh with [general] stories = "on" and "off"
#   hosts  bulletin alone: that cold refresh with [general] max_per_host = 2 and unlimited
#   warm   refresh when every feed answers 304
#   load   `bulletin feeds --json` vs `newsboat -x print-unread` on the big cache
#   ff     TUI first frame (feed list visible) on the big cache, and its peak RSS
#   search `bulletin search` on the big cache; and in each TUI, `/` and a two-word phrase
#          over every article, from the keys to the results on screen
#   fulltext  bulletin alone: cold refresh of FT_N summary feeds x FT_M items (50 x 10) with
#          and without full_text = true (each article's page, about 60 KB, fetched and
#          extracted); newsboat has no full text to compare with
#   sync   bulletin alone against loopback Google Reader API and Fever servers
#          (bench/sync_bench.py) holding SYNC_SIZES articles (10,000 and 100,000) in 1,000
#          feeds, mostly read: a first sync, `sync --all`, a sync with nothing changed and
#          one after 100 changes; wall, CPU and requests made
#   coldsweat  bulletin alone against a real Fever server, coldsweat (.ci/run installs it in
#          target/coldsweat-venv; bench/coldsweat_bench.py): first syncs and syncs with
#          nothing changed at 10,000 articles, and at 100,000 the first and the ones right after
#   jank   bulletin alone: key to frame in the TUI (bench/jank.py) while its first
#          refresh does a cold refresh of the N feeds, a first sync of a 100,000-article
#          account and an import of a 5,000-message mbox at once, and idle after
#   huge   bulletin alone on N_HUGE x BIG_M (5,000 x 200 = 1,000,000 articles): feeds --json,
#          first frame and peak RSS, search (newsboat is left out: on the 200,000-article
#          cache it already needs minutes to start, and it holds every article in memory)
# STEPS="cold warm" runs a subset (the default is every step but huge); NB_THREADS sets newsboat's reload-threads (default 16,
# its fastest; newsboat's own default is 1).
# then prints medians [min-max] and ratios. Without newsboat it measures bulletin alone.
# Needs: python3, nginx, tmux (newsboat optional). Scratch goes to $BENCH_WORK.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
WORK=${BENCH_WORK:-${TMPDIR:-/tmp}/bulletin-bench}
N=${N:-1000}; M=${M:-50}; BIG_M=${BIG_M:-200}
RUNS=${RUNS:-3}; RUNS_SLOW=${RUNS_SLOW:-1}
PORT=${PORT:-8781}; PORT_BIG=${PORT_BIG:-8782}
NB_THREADS=${NB_THREADS:-16}
STEPS=${STEPS:-"cold warm load ff search"}   # a subset, e.g. STEPS=cold; or add huge
N_HUGE=${N_HUGE:-5000}; PORT_HUGE=${PORT_HUGE:-8783}
# The query of the search steps: two words found together in many articles of the corpus.
QUERY=${QUERY:-kernel phishing}
step() { [[ " $STEPS " == *" $1 "* ]]; }
FT_N=${FT_N:-50}; FT_M=${FT_M:-10}; PORT_FT=${PORT_FT:-8784}
SEED=${SEED:-42}

for tool in python3 nginx tmux; do
    command -v "$tool" >/dev/null || { echo "compare.sh: $tool is needed (apt-get install $tool)" >&2; exit 3; }
done
HAVE_NB=0; command -v newsboat >/dev/null && HAVE_NB=1
BIN=${BULLETIN:-$ROOT/target/release/bulletin}
if [[ -z ${BULLETIN:-} ]]; then (cd "$ROOT" && cargo build --release --quiet); fi

mkdir -p "$WORK"
OUT=$WORK/run-$(date +%Y%m%d-%H%M%S); mkdir -p "$OUT"
RES=$OUT/results.jsonl
log() { printf '== %s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

corpus() { # DIR FEEDS ITEMS PORT
    if [[ -f $1/manifest.json ]] && grep -q "\"feeds\": $2, \"items\": $3, \"port\": $4, \"hosts\": 16" "$1/manifest.json"; then return; fi
    log "generating $2 feeds x $3 items in $1"
    rm -rf "$1"; python3 "$HERE/gen_corpus.py" -n "$2" -m "$3" -p "$4" -s "$SEED" -o "$1"
}
C=$WORK/corpus-$N-$M; CB=$WORK/corpus-$N-$BIG_M
corpus "$C" "$N" "$M" "$PORT"
corpus "$CB" "$N" "$BIG_M" "$PORT_BIG"
"$HERE/serve.sh" start "$C" "$PORT"; "$HERE/serve.sh" start "$CB" "$PORT_BIG"
trap '"$HERE/serve.sh" stop "$PORT"; "$HERE/serve.sh" stop "$PORT_BIG"' EXIT

{
    echo "machine: $(uname -srm), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "bulletin: $("$BIN" --version)"
    [[ $HAVE_NB == 1 ]] && echo "newsboat: $(newsboat -v | head -1), reload-threads $NB_THREADS"
    echo "corpus: $N feeds x $M items; big cache $N x $BIG_M; runs $RUNS (slow newsboat steps $RUNS_SLOW)"
} | tee "$OUT/env.txt" >&2

NBCONF=$OUT/newsboat.conf; printf 'reload-threads %s\n' "$NB_THREADS" >"$NBCONF"
D=$OUT/bulletin; NB=$OUT/newsboat.db
contenders=()
bu() { contenders+=(--name bulletin); [[ -n $1 ]] && contenders+=(--prep "$1"); contenders+=(--cmd "$2"); }
nb() { [[ $HAVE_NB == 1 ]] || return 0; contenders+=(--name newsboat); [[ -n $1 ]] && contenders+=(--prep "$1"); contenders+=(--cmd "$2"); }
measure() { python3 "$HERE/measure.py" --out "$RES" "$@" "${contenders[@]}"; contenders=(); }

SYNC_SIZES=${SYNC_SIZES:-10000,100000}
if step sync; then
    log "sync: loopback Google Reader and Fever accounts of $SYNC_SIZES articles"
    python3 "$HERE/sync_bench.py" --bin "$BIN" --out "$RES" --sizes "$SYNC_SIZES" --runs "$RUNS"
fi

if step coldsweat; then
    log "sync: a real coldsweat server at 10,000 and 100,000 articles"
    python3 "$HERE/coldsweat_bench.py" --bin "$BIN" --out "$RES" --sizes 10000 --runs "$RUNS"
    python3 "$HERE/coldsweat_bench.py" --bin "$BIN" --out "$RES" --sizes 100000 --runs "$RUNS" --steps first,after-first
fi

if step jank; then
    log "key to frame during a cold refresh, a first sync and a mailbox import"
    python3 "$HERE/jank.py" --bin "$BIN" --corpus "$C" --out "$RES" --runs "$RUNS"
fi

if step cold; then
    log "cold refresh"
    bu "rm -rf '$D'" "'$BIN' --config '$C/bulletin.toml' --data-dir '$D' refresh"
    nb "rm -f '$NB' '$NB.lock'" "newsboat -u '$C/urls' -c '$NB' -C '$NBCONF' -x reload"
    measure --tag cold --runs "$RUNS"
fi

if step stories; then
    # The cost of finding each new article's copies: the same cold refresh with
    # `stories = "on"` (the default) and "off", alternating.
    log "cold refresh, stories on and off"
    sed 's/^\[general\]$/[general]\nstories = "off"/' "$C/bulletin.toml" >"$OUT/stories-off.toml"
    contenders+=(--name stories-on --prep "rm -rf '$OUT/st-on'" --cmd "'$BIN' --config '$C/bulletin.toml' --data-dir '$OUT/st-on' refresh")
    contenders+=(--name stories-off --prep "rm -rf '$OUT/st-off'" --cmd "'$BIN' --config '$OUT/stories-off.toml' --data-dir '$OUT/st-off' refresh")
    measure --tag stories --runs "$RUNS"
fi

if step hosts; then
    # The cost of politeness: the same cold refresh with [general] max_per_host = 2 (the
    # default) and with no limit to speak of, alternating. The corpus's feeds are spread
    # over 16 loopback hosts (gen_corpus.py), as a reader's feeds are over many sites.
    log "cold refresh, max_per_host 2 and unlimited"
    sed 's/^\[general\]$/[general]\nmax_per_host = 100000/' "$C/bulletin.toml" >"$OUT/hosts-unlimited.toml"
    contenders+=(--name per-host-2 --prep "rm -rf '$OUT/h-2'" --cmd "'$BIN' --config '$C/bulletin.toml' --data-dir '$OUT/h-2' refresh")
    contenders+=(--name unlimited --prep "rm -rf '$OUT/h-u'" --cmd "'$BIN' --config '$OUT/hosts-unlimited.toml' --data-dir '$OUT/h-u' refresh")
    measure --tag hosts --runs "$RUNS"
fi

if step warm; then
log "warm refresh (all 304)"
# newsboat keeps validators only from its second reload on: prime both readers twice.
"$BIN" --config "$C/bulletin.toml" --data-dir "$D" refresh >/dev/null
if [[ $HAVE_NB == 1 ]]; then for _ in 1 2; do newsboat -u "$C/urls" -c "$NB" -C "$NBCONF" -x reload >/dev/null; done; fi
bu "" "'$BIN' --config '$C/bulletin.toml' --data-dir '$D' refresh"
nb "rm -f '$NB.lock'" "newsboat -u '$C/urls' -c '$NB' -C '$NBCONF' -x reload"
measure --tag warm --runs "$RUNS"
fi

if step fulltext; then
    log "full text: $FT_N feeds x $FT_M items, with and without full_text"
    FT=$WORK/pages-$FT_N-$FT_M
    [[ -f $FT/fulltext.toml ]] || python3 "$HERE/gen_pages.py" -n "$FT_N" -m "$FT_M" -p "$PORT_FT" -o "$FT"
    "$HERE/serve.sh" start "$FT" "$PORT_FT"
    contenders+=(--name bulletin --prep "rm -rf '$OUT/ft-plain'" --cmd "'$BIN' --config '$FT/plain.toml' --data-dir '$OUT/ft-plain' refresh")
    contenders+=(--name bulletin-full-text --prep "rm -rf '$OUT/ft-full'" --cmd "'$BIN' --config '$FT/fulltext.toml' --data-dir '$OUT/ft-full' refresh")
    measure --tag fulltext --runs "$RUNS"
    "$BIN" --config "$FT/fulltext.toml" --data-dir "$OUT/ft-full" items --json | python3 -c 'import json,sys; print("full text articles:", len(json.load(sys.stdin)))' >&2
    "$HERE/serve.sh" stop "$PORT_FT"
fi

if step load || step ff || step search; then
log "big cache"
DB=$WORK/bulletin-big-$N-$BIG_M
if [[ ! -s $DB/cache.db ]]; then
    rm -rf "$DB"; "$BIN" --config "$CB/bulletin.toml" --data-dir "$DB" refresh >/dev/null
fi
NBB=$WORK/newsboat-big-$N-$BIG_M.db
if [[ $HAVE_NB == 1 && ! -s $NBB ]]; then
    head -n 2 "$CB/urls" >"$OUT/urls.template"
    newsboat -u "$OUT/urls.template" -c "$OUT/template.db" -C /dev/null -x reload >/dev/null
    python3 "$HERE/build_newsboat_cache.py" --corpus "$CB" --template "$OUT/template.db" --out "$NBB" >&2
fi
MARK=$(head -n1 "$CB/titles.txt" | cut -f2)
echo "big cache: bulletin $(du -sh "$DB/cache.db" | cut -f1), $("$BIN" --config "$CB/bulletin.toml" --data-dir "$DB" items | wc -l) items" | tee -a "$OUT/env.txt" >&2

fi

if step load; then
log "cache load"
bu "" "'$BIN' --config '$CB/bulletin.toml' --data-dir '$DB' feeds --json"
nb "rm -f '$NBB.lock'" "newsboat -u '$CB/urls' -c '$NBB' -C /dev/null -x print-unread"
measure --tag load --runs "$RUNS_SLOW"
fi

if step ff; then
log "first frame"
bu "" "'$BIN' --config '$CB/bulletin.toml' --data-dir '$DB'"
nb "rm -f '$NBB.lock'" "newsboat -u '$CB/urls' -c '$NBB' -C /dev/null"
measure --tag ff --runs "$RUNS_SLOW" --first-frame "$MARK"
fi

if step search; then
log "search"
# The index takes in what the refresh queued at the first search: once, untimed.
"$BIN" --config "$CB/bulletin.toml" --data-dir "$DB" search --limit 1 x >/dev/null 2>&1 || true
python3 - "$DB/cache.db" <<'PY' | tee -a "$OUT/env.txt" >&2
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = c.execute("select count(*) from items").fetchone()[0]
try:
    size = c.execute("select sum(pgsize) from dbstat where name like 'search%'").fetchone()[0]
    print(f"search index: {size / 1e6:.0f} MB for {n} articles, {size / n:.0f} bytes per article")
except sqlite3.Error as e:
    print(f"search index: size unknown ({e})")
PY
bu "" "'$BIN' --config '$CB/bulletin.toml' --data-dir '$DB' search --limit 50 $QUERY"
measure --tag search-cli --runs "$RUNS"
# In the TUIs: / then the words as one phrase (newsboat matches its query as one
# substring of title or text), timed from the keys until the results are on screen.
# bulletin's results pane is titled "Search (N) /QUERY" once the first page of results is
# on screen, "(200+)" while a longer list is still being counted.
HITS=$("$BIN" --config "$CB/bulletin.toml" --data-dir "$DB" search "\"$QUERY\"" | wc -l)
SHOWN=$HITS; (( HITS >= 200 )) && SHOWN="200+"
bu "" "'$BIN' --config '$CB/bulletin.toml' --data-dir '$DB'"
contenders+=(--c-type "/\"$QUERY\"" --c-marker "Search ($SHOWN) /\"$QUERY\"")
nb "rm -f '$NBB.lock'" "newsboat -u '$CB/urls' -c '$NBB' -C /dev/null"
[[ $HAVE_NB == 1 ]] && contenders+=(--c-type "/$QUERY" --c-marker "Search results")
measure --tag search-tui --runs "$RUNS_SLOW" --first-frame unused --ready "$MARK"
fi

if step huge; then
log "huge cache: $N_HUGE x $BIG_M, bulletin only"
CH=$WORK/corpus-$N_HUGE-$BIG_M
corpus "$CH" "$N_HUGE" "$BIG_M" "$PORT_HUGE"
"$HERE/serve.sh" start "$CH" "$PORT_HUGE"
trap '"$HERE/serve.sh" stop "$PORT"; "$HERE/serve.sh" stop "$PORT_BIG"; "$HERE/serve.sh" stop "$PORT_HUGE"' EXIT
DH=$WORK/bulletin-huge-$N_HUGE-$BIG_M
if [[ ! -s $DH/cache.db ]]; then
    rm -rf "$DH"; "$BIN" --config "$CH/bulletin.toml" --data-dir "$DH" refresh >/dev/null
fi
"$BIN" --config "$CH/bulletin.toml" --data-dir "$DH" search --limit 1 x >/dev/null 2>&1 || true
echo "huge cache: bulletin $(du -sh "$DH/cache.db" | cut -f1)" | tee -a "$OUT/env.txt" >&2
bu "" "'$BIN' --config '$CH/bulletin.toml' --data-dir '$DH' feeds --json"
measure --tag huge-load --runs "$RUNS"
bu "" "'$BIN' --config '$CH/bulletin.toml' --data-dir '$DH' search --limit 50 $QUERY"
measure --tag huge-search-cli --runs "$RUNS"
MARKH=$(head -n1 "$CH/titles.txt" | cut -f2)
bu "" "'$BIN' --config '$CH/bulletin.toml' --data-dir '$DH'"
measure --tag huge-ff --runs "$RUNS" --first-frame "$MARKH"
fi

python3 "$HERE/report.py" "$RES" | tee "$OUT/report.md"
echo "results in $OUT" >&2
