#!/usr/bin/env bash
# Benchmark of `yunzhan serve` (issue 6), not a timed test.
#
# Serves a synthetic 10,000-page network (../shared/bench/gen_corpus_yunzhan.py), then
#  1. edits one station's Markdown N times (default 50) and reports the latency from the
#     file write to the live-reload `reload` event reaching a client: p50, p95;
#  2. the same for a stylesheet edit (the `css` event: swapped without a reload);
#  3. requests per second with wrk on that station's page over loopback.
#
# Needs: python3, wrk (Debian: apt-get install wrk), a release build (made here).
# Usage: scripts/bench-serve.sh [PAGES] [EDITS]
# Environment: BENCH_DIR (default /work/shared/bench), WORK (default a temp folder),
#              PORT (default 1199), WRK_SECONDS (default 10),
#              BIN (a yunzhan binary to measure instead of building target/release/yunzhan).
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-10000}
edits=${2:-50}
bench_dir=${BENCH_DIR:-/work/shared/bench}
port=${PORT:-1199}
work=${WORK:-$(mktemp -d)}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

if [ -n "${BIN:-}" ]; then
  bin=$(realpath "$BIN")
else
  cargo build --release --quiet
  bin=$PWD/target/release/yunzhan
fi
site=$work/site
rm -rf "$site"
python3 "$bench_dir/gen_corpus_yunzhan.py" --pages "$pages" --out "$site" >/dev/null

# one station's unit page: its _index.md and its URL
station=$(grep -rl --include=_index.md '^level: station' "$site/content" | sort | awk 'NR == 1')
rel=${station#"$site/content/"}
url_path="/${rel%_index.md}"
style=$site/themes/default/styles/zz-bench.css
mkdir -p "$(dirname "$style")"
echo ".bench { color: #123456; }" >"$style"

log=$work/serve.log
"$bin" serve --root "$site" --port "$port" 2>"$log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  grep -q "^serving" "$log" && break
  sleep 0.1
done
grep -q "^serving" "$log" || { cat "$log" >&2; exit 1; }
echo "site: $pages pages generated; first build: $(grep -o '[0-9]* of [0-9]* pages rendered.*' "$log" | awk 'NR == 1')"
curl -fsS -o /dev/null "http://127.0.0.1:$port$url_path" || { echo "no page at $url_path" >&2; exit 1; }

stats() { # label, file of milliseconds
  sort -n "$2" | awk -v label="$1" '{ v[NR] = $1 } END {
    p50 = v[int((NR - 1) * 0.50) + 1]; p95 = v[int((NR - 1) * 0.95) + 1];
    printf "%-34s n=%d  p50 %.1f ms  p95 %.1f ms  max %.1f ms\n", label, NR, p50, p95, v[NR] }'
}
python3 scripts/serve_latency.py "$port" "$station" content "$edits" >"$work/content.ms"
stats "content edit (${rel}) write→reload" "$work/content.ms"
python3 scripts/serve_latency.py "$port" "$style" style "$edits" >"$work/style.ms"
stats "style edit write→css" "$work/style.ms"

echo "wrk on http://127.0.0.1:$port$url_path"
wrk -t2 -c32 -d"${WRK_SECONDS:-10}s" "http://127.0.0.1:$port$url_path" | grep -E 'Requests/sec|Latency|requests in'
