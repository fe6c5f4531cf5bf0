#!/usr/bin/env bash
# Issue 13.5: the same sweep on 2 silos x 1 slot (arm A) and on 1 silo x 2 slots (arm B), alternating A B A B ...,
# each arm on a fresh local TLS cluster (deploy/local-cluster.sh: Redis, Azurite, silo processes on this machine).
# Prints per arm the wall time of the submitting `learnact sweep` and the silos' CPU seconds during it, per process
# and, for the threads still alive at the end, by thread name (utime + stime from /proc, after minus before; threads
# that end during the sweep, such as a run's training thread, count in their process only), and keeps each arm's
# folder for a closer look.
#
#   tests/LearnedActivation.Benchmarks/scripts/two-silos-or-one.sh PAIRS SPEC DATA_FILE [WORK_DIR]
#
# SPEC names DATA_FILE by its base name ("data": {"file": "cov3000.csv", ...}); it is copied into every cluster's
# data folder. WARM=1 first runs WARM_SPEC (default: none) on each cluster, outside the measurement, so that start-up,
# JIT and data loading are paid before it. ARMS="A B" by default. Build first (dotnet build -c Release).
set -uo pipefail
PAIRS=$1; SPEC=$(realpath "$2"); DATA=$(realpath "$3"); WORK=${4:-$(mktemp -d)}
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
    snapshot >"$dir/before.txt"
    processes >"$dir/processes-before.txt"
    start=$(date +%s.%N)
    dotnet "$CLI" sweep --spec "$SPEC" --out "$dir/out" >"$dir/sweep.log" 2>&1
    rc=$?
    end=$(date +%s.%N)
    snapshot >"$dir/after.txt"
    processes >"$dir/processes-after.txt"
    awk 'NR == FNR { before[$2] = $4; next } { print $1, $2, $3, $4 - before[$2] }' "$dir/before.txt" "$dir/after.txt" >"$dir/threads.txt"
    LEARNACT_CLUSTER_DIR="$dir" deploy/local-cluster.sh stop >/dev/null 2>&1
    printf 'pair %s arm %s (%s silo(s) x %s slot(s)): exit %s, wall %.1f s, silo CPU %s s (per process: %s), %s\n' "$pair" "$arm" $silos $slots $rc \
      "$(echo "$end - $start" | bc)" \
      "$(awk 'NR == FNR { before[$1] = $2; next } { s += $2 - before[$1] } END { printf "%.1f", s / 100 }' "$dir/processes-before.txt" "$dir/processes-after.txt")" \
      "$(awk 'NR == FNR { before[$1] = $2; next } { printf "%s%.1f", sep, ($2 - before[$1]) / 100; sep = " + " }' "$dir/processes-before.txt" "$dir/processes-after.txt")" \
      "$(tail -n 3 "$dir/sweep.log" | grep -o '[0-9]* runs:.*cancelled' || echo 'no summary')"
    echo "  threads alive at the end (a thread that ended during the sweep is not counted here):"
    awk '{ name = $3; sub(/[0-9]+$/, "", name); cpu[name] += $4 } END { for (n in cpu) if (cpu[n] >= 50) printf "    %-24s %6.1f s\n", n, cpu[n] / 100 }' "$dir/threads.txt" | sort -k2 -rn
  done
done
