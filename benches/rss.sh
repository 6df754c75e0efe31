#!/usr/bin/env bash
# The resident memory of one command over time: runs it and prints, every 0.25 s,
# the seconds since its start and its VmRSS in MiB (the timeline that showed where a
# build's peak memory comes from; GNU time gives only the peak).
#
#   benches/rss.sh COMMAND...
#   benches/rss.sh target/release/yunzhan build --root RICH --output /dev/shm/o --quiet
set -euo pipefail
"$@" &
pid=$!
start=$(date +%s%N)
while kill -0 "$pid" 2> /dev/null; do
  rss=$(awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$pid/status" 2> /dev/null || true)
  [ -n "$rss" ] && printf '%.2f %s\n' "$(( $(date +%s%N) - start ))e-9" "$rss"
  sleep 0.25
done
wait "$pid"
