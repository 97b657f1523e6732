#!/usr/bin/env bash
# Rendering speed of two or more revisions side by side, by CPU time, which
# a machine shared with other work disturbs far less than wall-clock time.
#
#   bash bench/rendercpu.sh [-r ROUNDS] REV...   e.g. bash bench/rendercpu.sh b1c0831 main HEAD
#
# In-process: each revision's render test binary runs BenchmarkRenderAllFormats
# (-test.cpu 1) for 1 and for 41 ops; (CPU of 41 - CPU of 1) / 40 is the CPU
# time per op, without the process start and the example's loading. The
# binaries run alternately, ROUNDS times (default 6); min-max and mean are
# printed, with MB/op and allocs/op. Each revision renders its own examples.
# Whole process: `policyc render examples/sdk-provider --format all -o DIR/`
# of each revision, alternating, 10 * ROUNDS runs each, wall and CPU
# (user + system, from the child's rusage).
set -euo pipefail
rounds=6
if [ "${1:-}" = -r ]; then rounds=$2; shift 2; fi
[ $# -ge 1 ] || { echo "usage: bench/rendercpu.sh [-r ROUNDS] REV..." >&2; exit 2; }
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
cleanup() {
  for d in "$work"/tree-*; do [ -d "$d" ] && git -C "$repo" worktree remove --force "$d"; done
  rm -rf "$work"
}
trap cleanup EXIT
names=()
for rev in "$@"; do
  n=$(git rev-parse --short "$rev")
  git worktree add --detach "$work/tree-$n" "$rev" >/dev/null 2>&1
  (cd "$work/tree-$n" && go test -c -o "$work/$n.test" ./render && go build -o "$work/$n.policyc" ./cmd/policyc)
  names+=("$n")
done

cpu_ms() { # binary dir ops -> CPU ms (user + sys)
  (cd "$2/render" && /usr/bin/time -f "%U %S" "$1" -test.run '^$' -test.bench BenchmarkRenderAllFormats \
    -test.benchtime "$3x" -test.cpu 1 2>&1 >/dev/null | tail -1 | awk '{print ($1 + $2) * 1000}')
}
for _ in $(seq "$rounds"); do
  for n in "${names[@]}"; do
    a=$(cpu_ms "$work/$n.test" "$work/tree-$n" 1)
    z=$(cpu_ms "$work/$n.test" "$work/tree-$n" 41)
    echo "$n $(awk -v a="$a" -v z="$z" 'BEGIN{printf "%.2f", (z - a) / 40}')"
  done
done >"$work/cpu.txt"
echo "in-process, BenchmarkRenderAllFormats, CPU ms/op over $rounds alternating rounds:"
for n in "${names[@]}"; do
  mem=$(cd "$work/tree-$n/render" && "$work/$n.test" -test.run '^$' -test.bench BenchmarkRenderAllFormats \
    -test.benchtime 10x -test.benchmem -test.cpu 1 | awk '/^Bench/{printf "%.1f MB/op, %.1fk allocs/op", $5 / 1e6, $7 / 1e3}')
  grep "^$n " "$work/cpu.txt" | sort -k2,2n | awk -v n="$n" -v m="$mem" \
    '{v[NR] = $2; s += $2} END{printf "  %s  %.1f-%.1f ms (mean %.1f)  %s\n", n, v[1], v[NR], s / NR, m}'
done

echo "whole process, policyc render examples/sdk-provider --format all, alternating:"
/usr/bin/python3 - "$work" "$((rounds * 10))" "${names[@]}" <<'EOF'
import os, statistics, subprocess, sys, time
work, runs, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
res = {n: ([], []) for n in names}
for i in range(runs):
    for n in (names if i % 2 == 0 else names[::-1]):
        os.chdir(f"{work}/tree-{n}")
        t0 = time.perf_counter()
        p = subprocess.Popen([f"{work}/{n}.policyc", "render", "examples/sdk-provider", "--format", "all",
                              "-o", f"{work}/out-{n}/"], stdout=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        if status != 0:
            sys.exit(f"{n}: policyc render failed")
        res[n][0].append((time.perf_counter() - t0) * 1000)
        res[n][1].append((ru.ru_utime + ru.ru_stime) * 1000)
for n, (wall, cpu) in res.items():
    print(f"  {n}  wall median {statistics.median(wall):.1f} ms (min {min(wall):.1f})"
          f"  CPU median {statistics.median(cpu):.1f} ms (mean {statistics.mean(cpu):.1f})  {runs} runs")
EOF
uptime
