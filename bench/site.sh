#!/usr/bin/env bash
# The site of an archive of 200 versions beside Hugo building 200 versions
# of the same content (HTML only: ../shared/bench/hugo-archive.sh). Needs
# hugo. Prints the median of several runs of each build, mean CPU times and
# peak memory: cold builds of three scopes alternating with Hugo's, then an
# unchanged rebuild, then rebuilds each after one new release.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/policyc" ./cmd/policyc
pc="$work/policyc"
repo="$work/repo"
mkdir "$repo" && cd "$repo"
git init -q && cp -r "$OLDPWD/examples/website" policy
# 200 releases, each changing the reply time (as the Hugo anchor does).
for i in $(seq 1 200); do
  sed -i -E "s/^  first_reply: [0-9]+ working days/  first_reply: $((i % 30 + 1)) working days/" policy/policy.yaml
  echo "# revision $i" >> policy/policy.yaml
  d=$(date -u -d "2026-05-01 + $i days" +%Y-%m-%d)
  "$pc" release policy --updated "$d" --effective "$d" --short-notice-reason bench >/dev/null
done
md="$OLDPWD/../shared/bench/seed-000.md"
[ -f "$md" ] || md="$(dirname "$(realpath "$0")")/../../shared/bench/seed-000.md"
sh "$OLDPWD/../shared/bench/hugo-archive.sh" 200 "$work/hugo" "$md"
hugo --quiet --source "$work/hugo" --destination "$work/hugo-warmup" # Hugo's own caches

T='/usr/bin/time -f "%e %U %S %M"'
# Cold builds alternate with Hugo's, each into a directory that never
# existed, so that both meet the same state of the machine. ext4 spends
# much of a build's system time checking inode reuse for about half a
# minute after thousands of files are deleted, so nothing is deleted
# between runs and the series starts after the archive's writes settle.
sync; sleep 45
names=("policyc, cold, HTML, Markdown and comparisons (--without json,pdf)"
  "policyc, cold, also the archived JSON (--no-pdf)"
  "policyc, cold, everything (also the archived PDFs)"
  "hugo, HTML only (200 pages and a list)")
cmds=("$pc site build policy -o $work/lean-N --without json,pdf"
  "$pc site build policy -o $work/nopdf-N --no-pdf"
  "$pc site build policy -o $work/all-N"
  "hugo --quiet --source $work/hugo --destination $work/hugo-out-N")
for n in $(seq 1 "$runs"); do
  for k in "${!cmds[@]}"; do
    rm -rf .git/policyc/site; sync; sleep 1
    eval "$T ${cmds[$k]//-N/-$n}" >/dev/null 2>>"$work/times-$k"
  done
done
# report FILE: median wall time, its range, mean user and system time, peak RSS.
report() {
  sort -n "$1" | awk '{t[NR]=$1; u+=$2; s+=$3; if ($4 > m) m = $4}
    END {printf "  median %.3f s of %d runs (%.3f … %.3f), user %.3f s, system %.3f s, peak RSS %d MB\n", t[int((NR+1)/2)], NR, t[1], t[NR], u/NR, s/NR, m/1024}'
}
for k in "${!cmds[@]}"; do
  echo "${names[$k]}:"
  report "$work/times-$k"
done
echo "files: $(find "$work/lean-1" -type f | wc -l) lean, $(find "$work/nopdf-1" -type f | wc -l) without PDFs, $(find "$work/all-1" -type f | wc -l) in all, $(find "$work/hugo-out-1" -type f | wc -l) from Hugo"

echo "policyc, unchanged rebuild:"
for n in $(seq 1 "$runs"); do eval "$T $pc site build policy -o $work/all-1" >/dev/null 2>>"$work/times-same"; done
report "$work/times-same"
echo "policyc, rebuild after one new release:"
for n in $(seq 1 "$runs"); do
  echo "# release $n" >> policy/policy.yaml
  "$pc" release policy --updated "2027-01-0$n" --effective "2027-01-0$n" --short-notice-reason bench >/dev/null
  sync; sleep 1
  eval "$T $pc site build policy -o $work/all-1" >/dev/null 2>>"$work/times-release"
done
report "$work/times-release"
