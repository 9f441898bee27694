#!/usr/bin/env bash
# bench/incremental.sh GONGKAI GEN [N...] — what one edited document costs at N records (default
# 1000 10000 100000): a cold `gongkai build` (the fastest of $COLD_RUNS, each from nothing built),
# then `gongkai build` after one document's title
# changed (median of $RUNS), after one document was added and after it was removed again (one
# build each), and under `gongkai serve` the time from saving the file to the new
# title shown in an open page (headless chromium, bench/serve_reload.mjs; serve shows the edited
# page before it rebuilds the rest), the time to the whole site rebuilt (serve's log), and
# serve's peak resident memory. Prints a Markdown table. bench/run.sh calls it with its own binaries; it can
# also run alone with any gongkai binary and examples/gen_corpus.
#
# Environment: BENCH_DIR (default /tmp/gongkai-bench), RUNS (default 3), COLD_RUNS (default 3:
# a cold build's time varies most from run to run, and the ratio is taken against it),
# COLD_PAUSE (default 0: seconds to wait between deleting what a build made and the next cold
# build; ext4 without a journal does not reuse the inodes of deleted files for up to five
# minutes, and a cold build that follows a deletion of 200,000 files spends most of its
# system time in the kernel's inode allocator: 300 on such a file system), SEED (1), TODAY
# (2026-06-30), PORT (default 18111).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GONGKAI=$1 GEN=$2
shift 2
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 100000)
BENCH_DIR=${BENCH_DIR:-/tmp/gongkai-bench}
RUNS=${RUNS:-3}
COLD_RUNS=${COLD_RUNS:-3}
COLD_PAUSE=${COLD_PAUSE:-0}
SEED=${SEED:-1}
TODAY=${TODAY:-2026-06-30}
PORT=${PORT:-18111}
mkdir -p "$BENCH_DIR"

log() { printf '%s\n' "$*" >&2; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
fastest() { printf '%s\n' "$@" | sort -g | head -n 1; }

# timed CMD...: wall seconds of CMD into SECS; its output into $BENCH_DIR/last.out and .err.
timed() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >"$BENCH_DIR/last.out" 2>"$BENCH_DIR/last.err" || { tail -n 20 "$BENCH_DIR/last.err" >&2; exit 1; }
  t1=$(date +%s.%N)
  SECS=$(secs "$t0" "$t1")
}

# How the last build wrote the static index (GONGKAI_DEBUG_DELTA's line).
how_static() { grep -o 'static index .*' "$BENCH_DIR/last.err" || echo "static index left as it was"; }

# settle: the disk written back before a timed build, as before a cold build. A cold build at
# 100,000 records leaves 2 GB and more for the kernel to write back over the following
# builds, on the same two cores; a build is timed on what it does itself, not on the
# writeback of the builds before it (an officer's edits are minutes apart, not seconds).
settle() { sync; }

retitle() { sed -i "0,/^title: /s/^title: .*/title: $2/" "$1"; }

ROWS=()
for N in "${SIZES[@]}"; do
  corpus=$BENCH_DIR/incremental-$N
  rm -rf "$corpus"
  log "== $N records: generating $corpus ..."
  "$GEN" --out "$corpus" --records "$N" --seed "$SEED" >/dev/null
  one=$(find "$corpus/content/documents" -name '*.md' | sort | sed -n 1p)
  rel=${one#"$corpus"/}
  colds=()
  for c in $(seq "$COLD_RUNS"); do
    # From nothing built: no site, no index, nothing gongkai keeps beside them.
    rm -rf "$corpus/public" "$corpus/search-index" "$corpus"/.gongkai-*
    sync
    sleep "$COLD_PAUSE"
    timed "$GONGKAI" build --root "$corpus" --today "$TODAY"
    log "   cold build $c: $SECS s"
    colds+=("$SECS")
  done
  # The fastest: what slows a cold build down is the host (other work, the file system),
  # and the ratio below is taken against it.
  cold=$(fastest "${colds[@]}")
  # Two more builds, so that both trees the build alternates between have a manifest.
  for w in 1 2; do timed "$GONGKAI" build --root "$corpus" --today "$TODAY"; done
  log "   unchanged rebuild: $SECS s"
  times=()
  for r in $(seq "$RUNS"); do
    retitle "$one" "基准测试第${r}次修改的标题"
    settle
    timed env GONGKAI_DEBUG_DELTA=1 "$GONGKAI" build --root "$corpus" --today "$TODAY"
    static=$(how_static)
    log "   build after one title changed $r: $SECS s ($(grep -o '重新生成 [0-9]* 个' "$BENCH_DIR/last.out" || true); $static; $(sed -n 's/^  //p' "$BENCH_DIR/last.err" | tail -n 1))"
    times+=("$SECS")
  done
  warm=$(median "${times[@]}")
  # A new document (a copy of that one with its own title and 索引号), then gone again.
  added="$(dirname "$one")/bench-added.md"
  sed -e "0,/^title: /s/^title: .*/title: 基准测试新增的文件/" \
    -e 's/^index_no: \(.*\)-[0-9]*$/index_no: \1-99999/' -e '/^doc_number: /d' "$one" >"$added"
  settle
  timed env GONGKAI_DEBUG_DELTA=1 "$GONGKAI" build --root "$corpus" --today "$TODAY"
  add=$SECS
  static=$(how_static)
  log "   build after one document added: $add s ($static; $(sed -n 's/^  //p' "$BENCH_DIR/last.err" | tail -n 1))"
  rm "$added"
  settle
  timed env GONGKAI_DEBUG_DELTA=1 "$GONGKAI" build --root "$corpus" --today "$TODAY"
  removed=$SECS
  static=$(how_static)
  log "   build after it was removed: $removed s ($static)"

  serve_col="—" whole_col="—" rss_col="—" breakdown="—"
  if command -v node >/dev/null && [ -d "$REPO/tests/browser/node_modules/playwright-core" ]; then
    "$GONGKAI" serve --root "$corpus" --today "$TODAY" --port "$PORT" 2>"$BENCH_DIR/serve.log" &
    pid=$!
    until grep -q "http://" "$BENCH_DIR/serve.log" 2>/dev/null; do
      kill -0 "$pid" 2>/dev/null || { tail "$BENCH_DIR/serve.log" >&2; exit 1; }
      sleep 0.5
    done
    # The document's URL: /documents/<year>/<slug>/.
    year=$(basename "$(dirname "$one")")
    slug=$(basename "$one" .md)
    node "$REPO/bench/serve_reload.mjs" "http://127.0.0.1:$PORT" "$corpus" "$rel" \
      "/documents/$year/$slug/" "$RUNS" "$BENCH_DIR/serve.log" >"$BENCH_DIR/serve-$N.jsonl"
    rss_col=$(( $(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status") / 1024 ))
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    ms=$(sed -n 's/.*"ms":\([0-9]*\).*/\1/p' "$BENCH_DIR/serve-$N.jsonl")
    serve_col=$(awk -v m="$(median $ms)" 'BEGIN {printf "%.2f", m / 1000}')
    # The rebuilds of the whole site, from serve's log: the last $RUNS saves'.
    whole=$(sed -n 's/.*保存后 \([0-9.]*\) 秒已通知页面刷新.*/\1/p; s/.*pages told to reload \([0-9.]*\) s after the save.*/\1/p' \
      "$BENCH_DIR/serve.log" | tail -n "$RUNS")
    whole_col=$(median $whole)
    breakdown=$(grep -E "^  (读取与检查|load and check)" "$BENCH_DIR/serve.log" | tail -n 1 | sed 's/^ *//')
    log "   serve, save to new title on screen: $serve_col s; whole site rebuilt: $whole_col s; $breakdown"
  else
    log "   node or playwright-core missing (cd tests/browser && npm install): serve not measured"
  fi
  ROWS+=("| $N | $cold | $warm | $(awk -v a="$warm" -v b="$cold" 'BEGIN {printf "%.1f %%", 100 * a / b}') | $add | $removed | $serve_col | $whole_col | $rss_col | $breakdown |")
done

cat <<TABLE
| records | cold build s | build after one title changed s | of the cold build | one document added s | removed again s | serve: save to new title on screen s | serve: save to whole site rebuilt s | serve peak RSS MB | serve's last rebuild |
|---|---|---|---|---|---|---|---|---|---|
TABLE
printf '%s\n' "${ROWS[@]}"
