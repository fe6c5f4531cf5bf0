#!/usr/bin/env bash
# Issue 13.5: the same sweep on 2 silos x 1 slot (arm A) and on 1 silo x 2 slots (arm B), alternating A B A B ...,
# each arm on a fresh local TLS cluster (deploy/local-cluster.sh: Redis, Azurite, silo processes on this machine).
# Prints per arm the wall time of the submitting `learnact sweep` and the silos' CPU seconds during it, per process
# and, for the threads still alive at the end, by thread name (utime + stime from /proc, after minus before; threads
# that end during the sweep, such as a run's training thread, count in their process only), the whole machine's CPU
# (/proc/stat: every process, Azurite and the CLI included), and keeps each arm's folder for a closer look.
#
#   tests/LearnedActivation.Benchmarks/scripts/two-silos-or-one.sh PAIRS SPEC[,SPEC...] DATA_FILE [WORK_DIR]
#
# SPEC names DATA_FILE by its base name ("data": {"file": "cov3000.csv", ...}); it is copied into every cluster's
# data folder. Several specs (comma-separated, distinct ids) are timed one after the other on the same cluster: the
# difference between a short and a long sweep is the cost per run, without the per-process start-up that a short
# sweep on fresh silos is mostly made of. WARM=1 first runs WARM_SPEC (default: none) on each cluster, outside the
# measurement, so that start-up, JIT and data loading are paid before it. ARMS="A B" by default. Build first
# (dotnet build -c Release).
set -uo pipefail
PAIRS=$1; SPECS=(); IFS=, read -ra given <<<"$2"; for s in "${given[@]}"; do SPECS+=("$(realpath "$s")"); done
DATA=$(realpath "$3"); WORK=${4:-$(mktemp -d)}
ARMS=${ARMS:-A B}
cd "$(dirname "$0")/../../.."
CLI="$(pwd)/src/Client/bin/Release/net10.0/learnact.dll"
mkdir -p "$WORK"
for pair in $(seq 1 "$PAIRS"); do
  for arm in $ARMS; do
    dir="$WORK/$arm-$pair-$(date +%s)"
    mkdir -p "$dir/data" && cp "$DATA" "$dir/data/"
    if [ "$arm" = A ]; then silos=2 slots=1; else silos=1 slots=2; fi
    LEARNACT_CLUSTER_DIR="$dir" SLOTS=$slots deploy/local-cluster.sh start $silos >"$dir/start.log" 2>&1 || { echo "cluster start failed: $dir/start.log"; exit 1; }
    eval "$(LEARNACT_CLUSTER_DIR="$dir" deploy/local-cluster.sh env)"
    pids=$(cat "$dir"/silo-*.pid)
    if [ "${WARM:-0}" = 1 ] && [ -n "${WARM_SPEC:-}" ]; then dotnet "$CLI" sweep --spec "$WARM_SPEC" --out "$dir/warm-out" >"$dir/warm.log" 2>&1; fi
    snapshot() { for p in $pids; do for t in /proc/$p/task/*; do [ -e "$t/stat" ] && echo "$p $(basename "$t") $(tr ' ' '_' <"$t/comm") $(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}')"; done; done; }
    # Whole processes too: a thread that ends during the sweep is missing from the second per-thread snapshot, its
    # CPU with it, but stays in its process's utime + stime.
    processes() { for p in $pids; do echo "$p $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')"; done; }
    for spec in "${SPECS[@]}"; do
      name=$(basename "$spec" .json); out="$dir/$name"; mkdir -p "$out"
      snapshot >"$out/before.txt"
      processes >"$out/processes-before.txt"
      head -n 1 /proc/stat >"$out/stat-before.txt"
      start=$(date +%s.%N)
      dotnet "$CLI" sweep --spec "$spec" --out "$out/out" >"$out/sweep.log" 2>&1
      rc=$?
      end=$(date +%s.%N)
      snapshot >"$out/after.txt"
      processes >"$out/processes-after.txt"
      head -n 1 /proc/stat >"$out/stat-after.txt"
      awk 'NR == FNR { before[$2] = $4; next } { print $1, $2, $3, $4 - before[$2] }' "$out/before.txt" "$out/after.txt" >"$out/threads.txt"
      printf 'pair %s arm %s (%s silo(s) x %s slot(s)) %s: exit %s, wall %.1f s, silo CPU %s s (per process: %s), machine CPU %s s, %s\n' "$pair" "$arm" $silos $slots "$name" $rc \
        "$(echo "$end - $start" | bc)" \
        "$(awk 'NR == FNR { before[$1] = $2; next } { s += $2 - before[$1] } END { printf "%.1f", s / 100 }' "$out/processes-before.txt" "$out/processes-after.txt")" \
        "$(awk 'NR == FNR { before[$1] = $2; next } { printf "%s%.1f", sep, ($2 - before[$1]) / 100; sep = " + " }' "$out/processes-before.txt" "$out/processes-after.txt")" \
        "$(cat "$out/stat-before.txt" "$out/stat-after.txt" | awk '{ busy = $2 + $3 + $4 + $7 + $8 } NR == 1 { b = busy } NR == 2 { printf "%.1f", (busy - b) / 100 }')" \
        "$(tail -n 3 "$out/sweep.log" | grep -o '[0-9]* runs:.*cancelled' || echo 'no summary')"
      echo "  threads alive at the end (a thread that ended during the sweep is not counted here):"
      awk '{ name = $3; sub(/[0-9]+$/, "", name); cpu[name] += $4 } END { for (n in cpu) if (cpu[n] >= 50) printf "    %-24s %6.1f s\n", n, cpu[n] / 100 }' "$out/threads.txt" | sort -k2 -rn
    done
    LEARNACT_CLUSTER_DIR="$dir" deploy/local-cluster.sh stop >/dev/null 2>&1
  done
done
