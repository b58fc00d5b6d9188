#!/usr/bin/env bash
# Runs the rtm-bench scenarios against an already built rtmd and prints every number plus a summary.
# It builds nothing: build first with
#   cmake -S . -B build -G Ninja && ninja -C build -j2
#
# usage: bench/run.sh [latency|idle|all]      (default: all)
# environment: BUILD_DIR (default <repo>/build), PAIRS (4), RATE (2000 msg/s), DURATION (10 s),
#              TPUT_PAIRS (4), WINDOW (16), CONNS (10000), PROCS (4), TLS (1: also measure wss: latency
#              of rtm::Client over wss, and idle memory per wss connection)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${BUILD_DIR:-$root/build}
bench=$build/bench/rtm-bench
rtmd=$build/server/rtmd
what=${1:-all}

for f in "$bench" "$rtmd"; do
  if [[ ! -x $f ]]; then
    echo "run.sh: $f not found; build first (ninja -C $build -j2)" >&2
    exit 1
  fi
done
case $what in latency|idle|all) ;; *) echo "usage: $0 [latency|idle|all]" >&2; exit 2 ;; esac

# With two or more CPUs the server (rtmd, and the relay baseline) runs on CPU 0 and every client on
# CPU 1; with one CPU nothing is pinned.
pin=()
if (( $(nproc) >= 2 )); then pin=(--cpu-server 0 --cpu-client 1); fi

# Share of all CPUs busy over one second, from /proc/stat: other work on the machine skews latency.
busy_percent() {
  local a b
  read -r -a a < <(grep '^cpu ' /proc/stat)
  sleep 1
  read -r -a b < <(grep '^cpu ' /proc/stat)
  local total=0 idle=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  idle=$(( b[4] - a[4] + b[5] - a[5] ))
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}

log=$(mktemp "${TMPDIR:-/tmp}/rtm-bench-run.XXXXXX")
trap 'rm -f "$log"' EXIT

echo "rtm-bench on $(uname -n): $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)," \
     "kernel $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rtmd: $rtmd"
b=$(busy_percent)
echo "CPU busy before the run (other processes): ${b}%"
if (( b > 10 )); then echo "WARNING: the machine is not idle; latency figures will be skewed"; fi
echo

if [[ $what == latency || $what == all ]]; then
  tls=()
  if [[ ${TLS:-1} == 1 ]]; then tls=(--tls); fi
  "$bench" latency --rtmd "$rtmd" --pairs "${PAIRS:-4}" --rate "${RATE:-2000}" --duration "${DURATION:-10}" \
    --tput-pairs "${TPUT_PAIRS:-4}" --window "${WINDOW:-16}" "${tls[@]}" "${pin[@]}" | tee -a "$log"
  echo
fi
if [[ $what == idle || $what == all ]]; then
  tls=()
  if [[ ${TLS:-1} == 1 ]]; then tls=(--tls); fi
  "$bench" idle --rtmd "$rtmd" --conns "${CONNS:-10000}" --procs "${PROCS:-4}" "${tls[@]}" "${pin[@]}" | tee -a "$log"
  echo
fi

echo "==================== summary ===================="
grep -E '^  (raw TCP relay \(baseline\)|2 raw TCP|rtm::Client|rtm\.v1|raw TCP relay, closed)' "$log" \
  | awk '{ printf "  %-36s %7s msg/s  p50 %8s us  p99 %9s us  (server CPU %s s, other processes %s s)\n",
           substr($0, 3, 35), $(NF-9), $(NF-8), $(NF-6), $(NF-3), $NF }' || true
grep -E '^  (p50|p99) ' "$log" || true
grep -E 'bytes of rtmd VmRSS per idle connection' "$log" || true
grep -E '^(LATENCY|MEMORY) TARGETS' "$log" || true
b=$(busy_percent)
echo "CPU busy after the run (other processes): ${b}%"
