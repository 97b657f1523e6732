#!/usr/bin/env bash
# The site of an archive of 200 versions beside Hugo building 200 versions
# of the same content (HTML only: ../shared/bench/hugo-archive.sh). Needs
# hugo. Prints the median of several runs of each build, and peak memory.
#
# Every cold build writes into a directory that has never existed: ext4
# spends most of a build's system time checking inode reuse when thousands
# of files were deleted just before (rm -rf of the previous output), which
# is the benchmark loop's cost, not the build's. Hugo is measured the same
# way. Warm builds are each one after one new release.
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
sync; sleep 10 # let the file system settle after writing 200 versions

# median CMD...: runs CMD $runs times (CMD may use $n, the run number) and
# prints the median wall time and the largest peak RSS.
median() {
  local n
  for n in $(seq 1 "$runs"); do
    eval "$1" >/dev/null 2>>"$work/times"
  done
  sort -n "$work/times" | awk '{t[NR]=$1; if ($2 > m) m = $2} END {printf "  median %.3f s of %d runs (%.3f … %.3f), peak RSS %d MB\n", t[int((NR+1)/2)], NR, t[1], t[NR], m/1024}'
  rm -f "$work/times"
}
T='/usr/bin/time -f "%e %M"'

echo "policyc, cold, 200 versions, without PDFs (pages, comparisons, copies of the archived HTML and Markdown):"
median "rm -rf .git/policyc/site; $T $pc site build policy -o $work/nopdf-\$n --no-pdf"
echo "policyc, cold, 200 versions, everything (also the archived PDFs):"
median "rm -rf .git/policyc/site; $T $pc site build policy -o $work/all-\$n"
echo "policyc, unchanged rebuild:"
median "$T $pc site build policy -o $work/all-1"
echo "policyc, rebuild after one new release:"
median "echo '# release \$n' >> policy/policy.yaml && $pc release policy --updated 2027-01-0\$n --effective 2027-01-0\$n --short-notice-reason bench >/dev/null && sync && $T $pc site build policy -o $work/all-1"

md="$OLDPWD/../shared/bench/seed-000.md"
[ -f "$md" ] || md="$(dirname "$(realpath "$0")")/../../shared/bench/seed-000.md"
sh "$OLDPWD/../shared/bench/hugo-archive.sh" 200 "$work/hugo" "$md"
sync; sleep 10
echo "hugo, 200 versions, HTML only:"
median "$T hugo --quiet --source $work/hugo --destination $work/hugo-out-\$n"
