#!/usr/bin/env bash
# Build speed beside the peers: the same synthetic network built by yunzhan, Hugo and
# Eleventy in the same run, as paired runs (each round builds with every tool in turn),
# plus yunzhan's no-op rebuild and its own richer corpus (gen-corpus: minify, search,
# QR codes, hall, refs). Not a test: the figures depend on the machine and its load.
#
#   benches/build.sh [PAGES...]            # default: 1000 10000 100000
#
# Env: RUNS (paired rounds, default 5; 3 above 50,000 pages), WARMUP (1: an uncounted
#      round 0 first; 0: none), WORK (/tmp/yunzhan-bench),
#      PEERS (folder of the shared peer generator gen_corpus.py, gen_corpus_yunzhan.py and
#      run_build.sh; default /work/shared/bench), YUNZHAN (default target/release/yunzhan,
#      built if missing), HUGO (hugo), ELEVENTY (path to @11ty/eleventy's cmd.cjs; default
#      WORK/eleventy/node_modules/@11ty/eleventy/cmd.cjs), SKIP_ELEVENTY_ABOVE (10000),
#      TOOLS (yunzhan hugo eleventy), OUT (where the outputs go, each deleted after its run:
#      default /dev/shm/yunzhan-bench-out when /dev/shm is a tmpfs, else WORK/out).
# Why a RAM disk by default: on ext4 without a journal (as on the machines this was
# measured on: /proc/fs/jbd2 empty), a new inode is never one freed in the last 60 s
# (360 s while its inode table block is dirty), and the allocator scans past each of
# those one by one (fs/ext4/ialloc.c, recently_deleted). Deleting one output and
# building the next then cost 80 % of a 10,000-page build's CPU in that scan (perf:
# __ext4_new_inode > find_inode_bit > recently_deleted): 4.8-5.7 s and 9-11 s of CPU
# against 0.87 s and 1.6 s into /dev/shm, and whichever tool ran after the largest
# deletion paid for it. OUT=$WORK/out measures
# the disk anyway.
# Wall time is taken around each process; peak RSS is GNU time's "maximum resident set
# size" of the same run. The table gives medians, and each peer's time as a multiple of
# yunzhan's as the median of the per-round ratios. Install the peers with
#   apt-get install hugo hyperfine; (cd WORK/eleventy && npm install @11ty/eleventy)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 100000)
WORK=${WORK:-/tmp/yunzhan-bench}
PEERS=${PEERS:-/work/shared/bench}
YUNZHAN=${YUNZHAN:-$PWD/target/release/yunzhan}
HUGO=${HUGO:-hugo}
ELEVENTY=${ELEVENTY:-$WORK/eleventy/node_modules/@11ty/eleventy/cmd.cjs}
SKIP_ELEVENTY_ABOVE=${SKIP_ELEVENTY_ABOVE:-10000}
read -r -a TOOLS <<< "${TOOLS:-yunzhan hugo eleventy}"
export YUNZHAN HUGO ELEVENTY
if [ -z "${OUT:-}" ]; then
  OUT=$WORK/out
  [ "$(stat -f -c %T /dev/shm 2> /dev/null)" = tmpfs ] && [ -w /dev/shm ] && OUT=/dev/shm/yunzhan-bench-out
fi
mkdir -p "$OUT"
echo "outputs in $OUT ($(stat -f -c %T "$OUT"))"
RESULTS=$WORK/results.tsv
[ -n "${KEEP:-}" ] || : > "$RESULTS"   # KEEP=1 adds to the last run's results

[ -x "$YUNZHAN" ] || cargo build --release
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time): apt-get install time" >&2; exit 2; }

have() {
  case $1 in
    yunzhan) [ -x "$YUNZHAN" ] ;;
    hugo) command -v "$HUGO" > /dev/null ;;
    eleventy) [ -f "$ELEVENTY" ] && command -v node > /dev/null ;;
    *) false ;;
  esac
}

# run LABEL PAGES ROUND CMD... : one timed run, appended to RESULTS
run() {
  local label=$1 pages=$2 round=$3; shift 3
  local t0 t1 rss
  t0=$(date +%s%N)
  /usr/bin/time -f "%M %U %S" -o "$WORK/rss" "$@" > /dev/null 2> "$WORK/stderr" || {
    echo "FAILED: $label $pages: $*" >&2; cat "$WORK/stderr" >&2; return 1; }
  t1=$(date +%s%N)
  read -r rss user sys < <(tail -n 1 "$WORK/rss")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$pages" "$round" "$(( (t1 - t0) / 1000 ))" "$rss" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" >> "$RESULTS"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for n in "${SIZES[@]}"; do
  corpus=$WORK/corpus/$n
  if [ ! -f "$corpus/manifest.json" ]; then
    echo "generating the peer corpus of $n pages"
    python3 "$PEERS/gen_corpus.py" --pages "$n" --out "$corpus" --targets hugo,eleventy > /dev/null
    python3 "$PEERS/gen_corpus_yunzhan.py" --pages "$n" --out "$corpus/yunzhan" > /dev/null
  fi
  rich=$WORK/rich/$n
  [ -f "$rich/site.yaml" ] || "$YUNZHAN" gen-corpus --pages "$n" --out "$rich" 2> /dev/null
  runs=${RUNS:-$([ "$n" -gt 50000 ] && echo 3 || echo 5)}
  for round in $(seq "$(( 1 - ${WARMUP:-1} ))" "$runs"); do   # round 0 warms the caches and is not counted
    for t in "${TOOLS[@]}"; do
      have "$t" || continue
      [ "$t" = eleventy ] && [ "$n" -gt "$SKIP_ELEVENTY_ABOVE" ] && continue
      out=$OUT/$t-$n; rm -rf "$out"
      run "$t" "$n" "$round" "$PEERS/run_build.sh" "$t" "$corpus/$t" "$out"
      rm -rf "$out"
    done
    # yunzhan: its own corpus cold (with an empty cache), then a no-op rebuild of it
    out=$OUT/rich-$n; rm -rf "$out" "$rich/.yunzhan-cache"
    run yunzhan-rich "$n" "$round" "$YUNZHAN" build --root "$rich" --output "$out" --quiet
    run yunzhan-noop "$n" "$round" "$YUNZHAN" build --root "$rich" --output "$out" --quiet
  done
  rm -rf "$OUT/rich-$n"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$RESULTS" <<'EOF'
import collections, statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
runs = collections.defaultdict(dict)   # (label, pages) -> round -> (seconds, MiB, cpu s)
for label, pages, rnd, us, kb, *cpu in rows:
    if rnd != "0":
        runs[(label, int(pages))][rnd] = (int(us) / 1e6, int(kb) / 1024,
                                          float(cpu[0]) if cpu else None)
print("| corpus | tool | median wall s | pages/s | median peak RSS MiB | median cpu s (user+sys) | × yunzhan (median of paired ratios) |")
print("|---|---|---|---|---|---|---|")
for (label, pages) in sorted(runs, key=lambda k: (k[1], k[0] != "yunzhan", k[0])):
    r = runs[(label, pages)]
    wall = statistics.median(v[0] for v in r.values())
    rss = statistics.median(v[1] for v in r.values())
    cpus = [v[2] for v in r.values() if v[2] is not None]
    cpu = "%.2f" % statistics.median(cpus) if cpus else "?"
    base = runs.get(("yunzhan", pages), {})
    ratios = [r[k][0] / base[k][0] for k in r if k in base]
    ratio = "%.1f×" % statistics.median(ratios) if ratios and label != "yunzhan" else "—"
    if label.startswith("yunzhan-"):
        ratio = "—"
    print("| %s | %s | %.2f | %.0f | %.0f | %s | %s |" % (
        f"{pages:,}", label, wall, pages / wall, rss, cpu, ratio))
EOF
