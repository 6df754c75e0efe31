#!/usr/bin/env bash
# Image pipeline benchmark (not a test): yunzhan against libvips' vipsthumbnail on
# the same photo-like 12-megapixel JPEGs, in the same run, doing the same work
# (JPEG only, widths 480/960/1600, quality 75).
#
#   benches/images.sh [WORKDIR] [COUNT] [RUNS]      (defaults: /tmp/yunzhan-images 200 3)
#
# Reports, per run and as medians: yunzhan cold (no cache, no output) in photos/s,
# a rebuild with the cache but no output, a rebuild with nothing changed, and
# vipsthumbnail (2 processes, one per core) in photos/s; peak RSS of each from
# /usr/bin/time -v. Needs python3 with Pillow and numpy (pip install Pillow numpy),
# libvips-tools and GNU time (apt-get install libvips-tools time), and the peer
# benchmark scripts of shared/bench (BENCH_DIR, default ../shared/bench beside
# the repository, then /work/shared/bench).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/yunzhan-images}
count=${2:-200}
runs=${3:-3}
bench=${BENCH_DIR:-}
for candidate in "$bench" "$repo/../shared/bench" /work/shared/bench; do
  if [ -n "$candidate" ] && [ -f "$candidate/gen_images.py" ]; then bench=$(cd "$candidate" && pwd); break; fi
done
[ -f "$bench/gen_images.py" ] || { echo "shared/bench not found: set BENCH_DIR" >&2; exit 2; }
command -v vipsthumbnail >/dev/null || { echo "vipsthumbnail missing: apt-get install libvips-tools" >&2; exit 2; }

mkdir -p "$work"
work=$(cd "$work" && pwd)
echo "== photos: $count in $work/src"
python3 "$bench/gen_images.py" --count "$count" --out "$work" >/dev/null
# gen_images.py keeps earlier photos: use exactly COUNT of them
src="$work/src-$count"
if [ ! -d "$src" ] || [ "$(find "$src" -name '*.jpg' | wc -l)" -ne "$count" ]; then
  rm -rf "$src"; mkdir -p "$src"
  find "$work/src" -maxdepth 1 -name '*.jpg' | sort | head -n "$count" | while read -r f; do ln "$f" "$src/"; done
fi
site="$work/site"
bash "$bench/image_site_yunzhan.sh" "$src" "$site" >/dev/null

echo "== building yunzhan (release)"
(cd "$repo" && cargo build --release --quiet)
yz="$repo/target/release/yunzhan"

# runs CMD, prints "SECONDS PEAK_KB"
measure() {
  local log; log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; rm -f "$log"; exit 1; }
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
              /Maximum resident set size/ { kb = $2 }
              END { printf "%.2f %d\n", s, kb }' "$log"
  rm -f "$log"
}

echo "load before: $(uptime | sed 's/.*load average/load average/')"
printf '%-4s %22s %22s %22s %22s\n' run "yunzhan cold" "cached, no output" "nothing changed" "vipsthumbnail"
results=()
for r in $(seq 1 "$runs"); do
  rm -rf "$site/.yunzhan-cache" "$site/public"
  read -r cold cold_kb < <(measure "$yz" build --root "$site" --quiet)
  rm -rf "$site/public"
  read -r warm warm_kb < <(measure "$yz" build --root "$site" --quiet)
  read -r same same_kb < <(measure "$yz" build --root "$site" --quiet)
  rm -rf "$work/vips"
  read -r vips vips_kb < <(measure sh "$bench/vips_thumbs.sh" "$src" "$work/vips" 2)
  printf '%-4s %7.2f s %6.2f/s %4d MB %9.2f s %5d MB %9.2f s %5d MB %7.2f s %6.2f/s %4d MB\n' "$r" \
    "$cold" "$(echo "$count / $cold" | bc -l)" $((cold_kb / 1024)) \
    "$warm" $((warm_kb / 1024)) "$same" $((same_kb / 1024)) \
    "$vips" "$(echo "$count / $vips" | bc -l)" $((vips_kb / 1024))
  results+=("$cold $warm $same $vips $cold_kb")
done
echo "load after: $(uptime | sed 's/.*load average/load average/')"
printf '%s\n' "${results[@]}" | python3 -c '
import statistics, sys
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
n = '"$count"'
med = lambda i: statistics.median(r[i] for r in rows)
ratio = statistics.median(r[3] / r[0] for r in rows)
print(f"median: yunzhan cold {med(0):.2f} s = {n / med(0):.2f} photos/s (peak {max(r[4] for r in rows) / 1024:.0f} MB); "
      f"cached rebuild {med(1):.2f} s; unchanged rebuild {med(2):.2f} s; "
      f"vipsthumbnail {med(3):.2f} s = {n / med(3):.2f} photos/s")
print(f"yunzhan cold throughput / vipsthumbnail (median of paired ratios): {ratio:.2f}")
'
du -sh "$site/.yunzhan-cache" "$site/public" "$work/vips" 2>/dev/null | sed 's/^/size: /'
