#!/usr/bin/env bash
# bench/run.sh [N...] — build generated portals of N records (default 1000 10000 100000) and
# print one Markdown table: gongkai's full build (median of $RUNS), peak RSS, output size, search
# index sizes, a rebuild after touching one document and, when installed, Hugo and
# Hugo + Pagefind on the same documents; then bench/incremental.sh's table of one changed
# document (build and serve). See docs/benchmarks.md.
#
# Environment:
#   BENCH_DIR         where corpora and outputs go (default /tmp/gongkai-bench); never the repo
#   RUNS              runs per measurement, the median is reported (default 3)
#   SEED              corpus seed (default 1)
#   TODAY             --today for gongkai build (default 2026-06-30, so runs are reproducible)
#   CARGO_TARGET_DIR  honoured; otherwise cargo's own default for this repository
#   HUGO, PAGEFIND    the hugo and pagefind commands (default: found on PATH)
#   PAGEFIND_MAX_DOCS Pagefind is skipped above this many documents (default 40000): it needs
#                     about 0.6 GB of memory per 1,000 documents (5.4 GB for 8,550 here)
#
# Hugo and Pagefind are optional; without them their columns read "—".
#   Hugo:     apt-get install -y hugo          (or a release from https://github.com/gohugoio/hugo)
#   Pagefind: npm install --prefix ~/.cache/pagefind pagefind
#             then PAGEFIND=~/.cache/pagefind/node_modules/.bin/pagefind bench/run.sh
#             (the npm package ships the native binary; pip install 'pagefind[extended]' works too)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/gongkai-bench}
RUNS=${RUNS:-3}
SEED=${SEED:-1}
TODAY=${TODAY:-2026-06-30}
PAGEFIND_MAX_DOCS=${PAGEFIND_MAX_DOCS:-40000}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 100000)

log() { printf '%s\n' "$*" >&2; }
die() { log "run.sh: $*"; exit 1; }

case "$(cd "$BENCH_DIR" 2>/dev/null && pwd || echo "$BENCH_DIR")/" in
"$REPO"/*) die "BENCH_DIR must be outside the repository" ;;
esac
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)

TIME=/usr/bin/time
if ! "$TIME" -v true >/dev/null 2>&1; then
  die "GNU time is needed for peak RSS: apt-get install -y time"
fi

HUGO=${HUGO:-$(command -v hugo || true)}
PAGEFIND=${PAGEFIND:-$(command -v pagefind || true)}
if [ -z "$PAGEFIND" ] && [ -x "$HOME/.cache/pagefind/node_modules/.bin/pagefind" ]; then
  PAGEFIND=$HOME/.cache/pagefind/node_modules/.bin/pagefind
fi
[ -n "$HUGO" ] || log "hugo not found: Hugo columns skipped (apt-get install -y hugo)"
[ -n "$PAGEFIND" ] || log "pagefind not found: Pagefind columns skipped (npm install --prefix ~/.cache/pagefind pagefind; PAGEFIND=~/.cache/pagefind/node_modules/.bin/pagefind)"

# ---------------------------------------------------------------------------------------------
# Build the binaries with the `dist` profile (fat LTO, one codegen unit: Cargo.toml), the
# binary a distribution ships; `--release` alone compiles faster and runs about 10 % slower.

cd "$REPO"
TARGET=${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')}
[ -n "$TARGET" ] || die "cannot find cargo's target directory"
log "building the dist binaries (target dir $TARGET) ..."
CARGO_TARGET_DIR=$TARGET cargo build --profile dist --quiet --bin gongkai --example gen_corpus --example search_cost
GONGKAI=$TARGET/dist/gongkai
GEN=$TARGET/dist/examples/gen_corpus

# The static-search cost of a first query: in headless chromium when it and the browser test's
# playwright-core are installed (tests/browser/search_cost.mjs: every file fetched, round trips,
# time to results), else estimated from the files by the search_cost example.
BROWSER_PROBE=
if command -v node >/dev/null 2>&1 && [ -x /usr/bin/chromium ] &&
  [ -d "$REPO/tests/browser/node_modules/playwright-core" ]; then
  BROWSER_PROBE=$REPO/tests/browser/search_cost.mjs
else
  log "chromium or playwright-core missing: query costs estimated from the files, no times"
  log "  (apt-get install -y chromium fonts-noto-cjk; cd tests/browser && npm install)"
fi
COST=$TARGET/dist/examples/search_cost
# Queries: common words, a phrase, a title split by 工作 (政府信息公开工作年度报告), a year,
# one character, and the first document's 发文字号 (added per corpus).
QUERIES=(政府 行政许可 法治政府建设 政府信息公开年度报告 优化营商环境 食品安全 2023 政)

# ---------------------------------------------------------------------------------------------
# Measuring

# measure OUT_PREFIX cmd...: runs cmd under GNU time; sets SECS and RSS_KB. Fails loudly.
measure() {
  local prefix=$1
  shift
  local t0 t1
  t0=$(date +%s.%N)
  if ! "$TIME" -v -o "$prefix.time" "$@" >"$prefix.out" 2>"$prefix.err"; then
    log "command failed: $*"
    tail -n 20 "$prefix.err" >&2
    exit 1
  fi
  t1=$(date +%s.%N)
  SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
  RSS_KB=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$prefix.time")
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
max() { printf '%s\n' "$@" | sort -g | tail -n 1; }
fmt_s() { printf '%.2f' "$1"; }
mb() { awk -v b="$1" 'BEGIN {printf "%.1f", b / 1048576}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
files_in() { [ -d "$1" ] && find "$1" -type f | wc -l || echo 0; }
bytes_in() {
  if [ -d "$1" ]; then find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}'; else echo 0; fi
}
# The static search index: public/search/ without the search page itself.
static_bytes() {
  [ -d "$1" ] || { echo 0; return; }
  find "$1" -type f ! -path "$1/index.html" -printf '%s\n' | awk '{s+=$1} END {print s+0}'
}
static_files() {
  [ -d "$1" ] || { echo 0; return; }
  find "$1" -type f ! -path "$1/index.html" | wc -l
}

ROWS=()
QROWS=()
for N in "${SIZES[@]}"; do
  corpus=$BENCH_DIR/corpus-$N
  hugo_site=$BENCH_DIR/hugo-$N
  logs=$BENCH_DIR/logs-$N
  mkdir -p "$logs"
  log "== $N records: generating $corpus ..."
  "$GEN" --out "$corpus" --records "$N" --seed "$SEED" ${HUGO:+--hugo "$hugo_site"} >&2
  docs=$(find "$corpus/content/documents" -name '*.md' | wc -l)

  # Full builds from a clean output. The previous output (and the spare tree gongkai keeps
  # beside it, see src/write/tree.rs) is moved aside, not deleted, and all of it is deleted
  # only after the last size: on ext4, files created within minutes of deleting as many make
  # the inode allocator skip every recently freed inode, which made a clean 100,000-record
  # build two to four times slower than on a fresh checkout (see docs/benchmarks.md). A CI
  # build starts from a fresh checkout, so this is the fair case.
  # gongkai and Hugo (+ Pagefind) take turns, run by run, so that both meet the same state
  # of the machine: the host's load and the file system's (the corpus was just written).
  trash=$BENCH_DIR/trash-$N
  mkdir -p "$trash"
  sync
  times=() rss=() htimes=() hrss=() ptimes=() prss=()
  for r in $(seq "$RUNS"); do
    for d in public search-index .gongkai-public-spare; do
      [ ! -e "$corpus/$d" ] || mv "$corpus/$d" "$trash/$d-$r-$$"
    done
    sync
    measure "$logs/build-$r" "$GONGKAI" build --root "$corpus" --today "$TODAY"
    log "   gongkai build $r: $(fmt_s "$SECS") s, $((RSS_KB / 1024)) MB"
    times+=("$SECS") rss+=("$RSS_KB")
    [ -n "$HUGO" ] || continue
    for d in public resources; do
      [ ! -e "$hugo_site/$d" ] || mv "$hugo_site/$d" "$trash/hugo-$d-$r-$$"
    done
    sync
    measure "$logs/hugo-$r" "$HUGO" --source "$hugo_site" --destination "$hugo_site/public" --quiet
    log "   hugo build $r: $(fmt_s "$SECS") s, $((RSS_KB / 1024)) MB"
    htimes+=("$SECS") hrss+=("$RSS_KB")
    if [ -n "$PAGEFIND" ] && [ "$docs" -le "$PAGEFIND_MAX_DOCS" ]; then
      h1=$SECS h1_rss=$RSS_KB
      measure "$logs/pagefind-$r" "$PAGEFIND" --site "$hugo_site/public"
      log "   pagefind $r: $(fmt_s "$SECS") s, $((RSS_KB / 1024)) MB"
      ptimes+=("$(awk -v a="$h1" -v b="$SECS" 'BEGIN {printf "%.3f", a + b}')")
      prss+=("$(max "$h1_rss" "$RSS_KB")")
    fi
  done
  g_s=$(median "${times[@]}")
  g_rss=$(max "${rss[@]}")
  out_files=$(files_in "$corpus/public")
  out_bytes=$(bytes_in "$corpus/public")
  # The search indexes, once build writes them ("—" before the search branch lands).
  s_col="—" t_col="—"
  if [ "$(static_files "$corpus/public/search")" -gt 0 ]; then
    s_col="$(mb "$(static_bytes "$corpus/public/search")") MB / $(static_files "$corpus/public/search") files"
  fi
  if [ -d "$corpus/search-index" ]; then
    t_col="$(mb "$(bytes_in "$corpus/search-index")")"
  fi

  # First-query costs, one JSON object per query, then a summary cell for the main table.
  qc="—"
  if [ "$s_col" != "—" ]; then
    # The first document with a 发文字号 (stop there: grep -r would read the whole corpus).
    code=
    while IFS= read -r f; do
      code=$(sed -n 's/^doc_number: *//p' "$f" | sed -n 1p)
      [ -z "$code" ] || break
    done < <(find "$corpus/content/documents" -name '*.md' | sort)
    qs=("${QUERIES[@]}")
    [ -z "$code" ] || qs+=("$code")
    qjson=$(printf '%s\n' "${qs[@]}" | python3 -c 'import json,sys; print(json.dumps([l.rstrip("\n") for l in sys.stdin]))')
    if [ -n "$BROWSER_PROBE" ]; then
      node "$BROWSER_PROBE" "$corpus/public" "$qjson" >"$logs/query-cost.jsonl" 2>"$logs/query-cost.err" || true
    else
      "$COST" "$corpus/public" "${qs[@]}" >"$logs/query-cost.jsonl" 2>"$logs/query-cost.err" || true
    fi
    if [ -s "$logs/query-cost.jsonl" ]; then
      qc=$(python3 "$REPO/bench/query_costs.py" summary "$logs/query-cost.jsonl")
      while IFS= read -r row; do QROWS+=("$row"); done < <(python3 "$REPO/bench/query_costs.py" rows "$logs/query-cost.jsonl" "$N")
    else
      qc="n/a (see $logs/query-cost.err)"
    fi
  fi

  h_s="—" h_rss="—" hp_s="—" hp_rss="—" pf_size="—" r_h="—" r_hp="—"
  if [ -n "$HUGO" ]; then
    hs=$(median "${htimes[@]}")
    h_s=$(fmt_s "$hs")
    h_rss=$(( $(max "${hrss[@]}") / 1024 ))
    r_h=$(ratio "$g_s" "$hs")
    if [ ${#ptimes[@]} -gt 0 ]; then
      hps=$(median "${ptimes[@]}")
      hp_s=$(fmt_s "$hps")
      hp_rss=$(( $(max "${prss[@]}") / 1024 ))
      r_hp=$(ratio "$g_s" "$hps")
      pf_size="$(mb "$(bytes_in "$hugo_site/public/pagefind")") MB / $(files_in "$hugo_site/public/pagefind") files"
    elif [ -n "$PAGEFIND" ]; then
      hp_s="skipped" hp_rss="(> $PAGEFIND_MAX_DOCS documents)"
    fi
  fi

  # Rebuild after touching one document: a full build over the existing output (gongkai
  # rewrites the spare tree, the site before last, swaps it in and keeps the replaced site as
  # the next spare, all timed; the first rebuild has no spare yet and writes a new tree).
  # Measured after Hugo, so that its clean builds never follow the stale files these remove.
  # (sed, not head: head would close the pipe early and pipefail would end the script.)
  one=$(find "$corpus/content/documents" -name '*.md' | sort | sed -n 1p)
  times=()
  for r in $(seq "$RUNS"); do
    touch "$one"
    measure "$logs/rebuild-$r" "$GONGKAI" build --root "$corpus" --today "$TODAY"
    log "   gongkai rebuild $r: $(fmt_s "$SECS") s, $((RSS_KB / 1024)) MB"
    times+=("$SECS")
  done
  re_s=$(median "${times[@]}")

  ROWS+=("| $N ($docs) | $(fmt_s "$g_s") | $((g_rss / 1024)) | $out_files | $(mb "$out_bytes") | $s_col | $t_col | $(fmt_s "$re_s") | $qc | $h_s | $h_rss | $hp_s | $hp_rss | $pf_size | $r_h | $r_hp |")
done
log "deleting the outputs set aside ..."
rm -rf "$BENCH_DIR"/trash-*

cat <<EOF
| records (documents) | gongkai build s | gongkai peak RSS MB | output files | output MB | static search index | tantivy index MB | rebuild after touching one document s | static-search transfer per query | Hugo s | Hugo peak RSS MB | Hugo + Pagefind s | Hugo + Pagefind peak RSS MB | Pagefind index | gongkai / Hugo | gongkai / (Hugo + Pagefind) |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
EOF
printf '%s\n' "${ROWS[@]}"

# One changed document, beside the cold builds above: a build over the previous output and
# `gongkai serve` from the save to the page showing it (bench/incremental.sh).
echo
echo "One document's title changed (bench/incremental.sh):"
echo
"$REPO/bench/incremental.sh" "$GONGKAI" "$GEN" "${SIZES[@]}"

if [ ${#QROWS[@]} -gt 0 ]; then
  echo
  echo "First query on the search page, fresh browser context (files fetched from public/search/;"
  echo "round trips counted as waves of requests; ms from the query to the results drawn; script"
  echo "ms: chromium's ScriptDuration for the whole page, search.js parsed and run; script CPU ms:"
  echo "the main thread's CPU time in script from a trace, promise jobs included):"
  echo
  echo "| records | query | requests | round trips | KB | ms | script ms | script CPU ms |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${QROWS[@]}"
fi
