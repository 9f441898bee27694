#!/usr/bin/env bash
# bench/compare_outputs.sh OLD NEW [RECORDS] — whether two gongkai binaries build the same
# sites: the demo portal, every fixture portal under tests/fixtures and tests/good, and a
# generated portal of RECORDS records (default 10000; 0 skips it). Each portal is built by
# both binaries with the same --today; the sites and the `gongkai deadlines --format json`
# outputs and the answers of `gongkai search` to a few queries are compared byte for byte
# (diff -r). Exits 1 if anything differs.
#
# For a change that must not change any output (a refactoring):
#   git worktree add /tmp/before <commit> && (cd /tmp/before && cargo build --release)
#   cargo build --release
#   bench/compare_outputs.sh /tmp/before/target/release/gongkai target/release/gongkai
#
# Environment: WORK (default /tmp/gongkai-compare), TODAY (default 2026-06-30).
set -euo pipefail

OLD=$(realpath "$1")
NEW=$(realpath "$2")
RECORDS=${3:-10000}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${WORK:-/tmp/gongkai-compare}
TODAY=${TODAY:-2026-06-30}

case "$(mkdir -p "$WORK" && cd "$WORK" && pwd)/" in
"$REPO"/*) echo "WORK must be outside the repository" >&2; exit 2 ;;
esac
rm -rf "${WORK:?}/portals" "${WORK:?}/out"
mkdir -p "$WORK/portals" "$WORK/out"

portals=()
copy() { # name source-dir
  mkdir -p "$WORK/portals/$1"
  cp -r "$2/site.toml" "$2/content" "$WORK/portals/$1/"
  [ -d "$2/themes" ] && cp -r "$2/themes" "$WORK/portals/$1/"
  portals+=("$1")
}
copy demo "$REPO"
for d in "$REPO"/tests/fixtures/*/ "$REPO"/tests/good/*/; do
  [ -f "$d/site.toml" ] && copy "$(basename "$(dirname "$d")")-$(basename "$d")" "$d"
done
if [ "$RECORDS" -gt 0 ]; then
  (cd "$REPO" && cargo run --quiet --example gen_corpus -- \
    --out "$WORK/portals/generated-$RECORDS" --records "$RECORDS" --seed 1)
  portals+=("generated-$RECORDS")
fi

status=0
for p in "${portals[@]}"; do
  for side in old new; do
    bin=$OLD; [ $side = new ] && bin=$NEW
    root=$WORK/portals/$p
    out=$WORK/out/$p-$side
    "$bin" build --root "$root" --output "$out/site" --today "$TODAY" >/dev/null 2>"$out.log" ||
      { echo "$p: $side build failed:" >&2; cat "$out.log" >&2; status=1; continue 2; }
    "$bin" deadlines --root "$root" --today "$TODAY" --format json >"$out/deadlines.json" 2>>"$out.log" || true
    # One hit per line, sorted: which records a query finds and with what scores, not the
    # order of equal scores (which older versions did not fix).
    for q in 政府 行政许可 2025 信息公开年度报告; do
      "$bin" search "$q" --root "$root" --json --limit 20 2>>"$out.log" | sed "s/,$//" | sort >>"$out/search.json" || true
    done
    rm -rf "$root/search-index" "$root"/.gongkai-*
  done
  if diff -r -q "$WORK/out/$p-old" "$WORK/out/$p-new" >"$WORK/out/$p.diff"; then
    echo "$p: same ($(find "$WORK/out/$p-new/site" -type f | wc -l) files)"
  else
    echo "$p: DIFFERENT" ; head -20 "$WORK/out/$p.diff"; status=1
  fi
done
exit $status
