#!/usr/bin/env bash
# A/B of yunzhan builds: each round builds one corpus with every command in turn, each
# into a fresh folder of a RAM disk that is deleted after its run; prints each
# command's mean wall time, CPU time (user + sys) and highest peak RSS.
#
#   benches/ab.sh CORPUS ROUNDS COMMAND...
#   benches/ab.sh /tmp/yunzhan-bench/corpus/100000/yunzhan 3 /tmp/yz-old target/release/yunzhan
#   benches/ab.sh SITE 2 target/release/yunzhan "env MIMALLOC_PURGE_DELAY=0 target/release/yunzhan"
#
# A COMMAND is split into words; `build --root CORPUS --output OUT --quiet` is appended.
# Alternating rounds share the host's noise (some ±5 % here), which one-after-another
# sets of runs do not. Env: OUT (where the outputs go; default /dev/shm).
set -euo pipefail
corpus=$1; rounds=$2; shift 2
out_base=${OUT:-/dev/shm}
results=$(mktemp)
for _ in $(seq "$rounds"); do
  for i in $(seq 0 $(($# - 1))); do
    args=("$@"); read -r -a cmd <<< "${args[$i]}"
    out=$(mktemp -u "$out_base/yunzhan-ab.XXXXXX")
    /usr/bin/time -f "$i %e %U %S %M" -o "$results.one" "${cmd[@]}" build --root "$corpus" --output "$out" --quiet
    cat "$results.one" >> "$results"
    rm -rf "$out"
  done
done
# the runs' manifests and stamps, one per output folder, are of no further use
rm -rf "$corpus/.yunzhan-cache/outputs"
awk -v names="$(printf '%s\n' "$@")" 'BEGIN { split(names, name, "\n") }
  { w[$1] += $2; c[$1] += $3 + $4; if ($5 > m[$1]) m[$1] = $5; n[$1]++ }
  END { for (i = 0; i in n; i++)
    printf "%s: wall %.3f s, cpu %.3f s, peak %d MiB (%d runs)\n", name[i + 1], w[i] / n[i], c[i] / n[i], m[i] / 1024, n[i] }' "$results"
rm -f "$results" "$results.one"
