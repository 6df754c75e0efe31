#!/usr/bin/env bash
# Compares yunzhan's search with Pagefind's on the demo site and on the
# 10,000-page synthetic site: index size, bytes fetched per query, and how
# often the right page is in the top 5 for Chinese and pinyin queries with
# known answers (benches/search_queries/*.tsv).
#
#   benches/search_compare.sh [WORKDIR]
#
# Needs: cargo, python3, npm (Pagefind is installed into WORKDIR, not the
# repository), Debian's chromium. BENCH_DIR may point at the shared
# benchmark scripts (default: ../shared/bench or /work/shared/bench).
# Both tools index the same built HTML; each query runs in a fresh tab with
# the cache disabled, so bytes are cold-cache figures.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d /tmp/search-compare.XXXXXX)}"
mkdir -p "$work"
bench="${BENCH_DIR:-}"
for d in "$repo/../shared/bench" /work/shared/bench; do
  [ -z "$bench" ] && [ -f "$d/gen_corpus_yunzhan.py" ] && bench="$d"
done
[ -n "$bench" ] || { echo "set BENCH_DIR to the folder of gen_corpus_yunzhan.py" >&2; exit 2; }

echo "== building yunzhan (release)"
(cd "$repo" && cargo build --release --quiet)
yz="$repo/target/release/yunzhan"

echo "== installing Pagefind into $work/pagefind-npm"
if [ ! -x "$work/pagefind-npm/node_modules/.bin/pagefind" ]; then
  mkdir -p "$work/pagefind-npm"
  (cd "$work/pagefind-npm" && npm init -y >/dev/null && npm install --silent pagefind >/dev/null)
fi
pagefind="$work/pagefind-npm/node_modules/.bin/pagefind"
echo "Pagefind $("$pagefind" --version)"

echo "== the demo site"
rm -rf "$work/demo"
"$yz" build --root "$repo" --output "$work/demo"
"$pagefind" --site "$work/demo" >/dev/null

echo "== the 10,000-page synthetic site (search: true)"
if [ ! -d "$work/synth-src" ]; then
  python3 "$bench/gen_corpus_yunzhan.py" --pages 10000 --out "$work/synth-src" >/dev/null
fi
sed -i 's/^search: false/search: true/' "$work/synth-src/site.yaml"
rm -rf "$work/synth"
"$yz" build --root "$work/synth-src" --output "$work/synth"
"$pagefind" --site "$work/synth" >/dev/null

echo "== whole index of the 1,000-page synthetic site"
if [ ! -d "$work/synth1k-src" ]; then
  python3 "$bench/gen_corpus_yunzhan.py" --pages 1000 --out "$work/synth1k-src" >/dev/null
fi
sed -i 's/^search: false/search: true/' "$work/synth1k-src/site.yaml"
rm -rf "$work/synth1k"
"$yz" build --root "$work/synth1k-src" --output "$work/synth1k"
echo "1,000 pages: $(cat "$work"/synth1k/search/*.js | wc -c) bytes in $(ls "$work"/synth1k/search/*.js | wc -l) files (search/*.js)"
echo "10,000 pages: $(cat "$work"/synth/search/*.js | wc -c) bytes in $(ls "$work"/synth/search/*.js | wc -l) files; entry $(cat "$work"/synth/search/index.*.js | wc -c) bytes"

cd "$repo"
for site in demo synth; do
  queries="$repo/benches/search_queries/demo.tsv"
  [ "$site" = synth ] && queries="$repo/benches/search_queries/synth10k.tsv"
  COMPARE_SITE="$work/$site" COMPARE_QUERIES="$queries" COMPARE_NAME="$site" \
    cargo test --release --quiet --test search_compare -- --ignored --nocapture 2>&1 \
    | grep -v -e '^running' -e '^test ' -e '^$' -e 'test result'
done
echo "(work folder: $work)"
