#!/usr/bin/env bash
# Samples a process's CPU time (utime+stime in clock ticks, from /proc/PID/stat) once a second until it
# exits: "epoch-seconds ticks ticks-per-second" per line. Used for docs/benchmarks.md (Keeping both cores busy).
pid=$1; tck=$(getconf CLK_TCK)
while [ -e /proc/$pid/stat ]; do
  read -r -a f < /proc/$pid/stat
  echo "$(date +%s.%N) $(( ${f[13]} + ${f[14]} )) $tck"
  sleep 1
done
