"""Summarises first-query costs for bench/run.sh.

Input: one JSON object per line, from tests/browser/search_cost.mjs (query, requests,
round_trips, bytes, ms, script_ms, script_cpu_ms) or from the search_cost example (query, requests, round_trips, bytes).

    query_costs.py summary FILE      one cell for the main table
    query_costs.py rows FILE N       one Markdown row per query
"""
import json
import statistics
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def summary(rows):
    kb = [r["bytes"] / 1024 for r in rows]
    cell = (f"{statistics.median(kb):.0f} KB (max {max(kb):.0f}), "
            f"≤ {max(r['round_trips'] for r in rows)} round trips")
    ms = [r["ms"] for r in rows if "ms" in r]
    if ms:
        cell += f", {statistics.median(ms):.0f} ms (max {max(ms):.0f})"
    return cell


def main():
    what, path = sys.argv[1], sys.argv[2]
    rows = load(path)
    if not rows:
        sys.exit(f"{path}: no query costs")
    if what == "summary":
        print(summary(rows))
    elif what == "rows":
        n = sys.argv[3]
        for r in rows:
            ms = r.get("ms", "—")
            script = r.get("script_ms", "—")
            cpu = r.get("script_cpu_ms", "—")
            print(f"| {n} | {r['query']} | {r['requests']} | {r['round_trips']} "
                  f"| {r['bytes'] / 1024:.1f} | {ms} | {script} | {cpu} |")
    else:
        sys.exit(f"unknown command {what}")


if __name__ == "__main__":
    main()
