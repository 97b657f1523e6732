#!/usr/bin/env bash
# The site of an archive of 200 versions beside Hugo building 200 versions
# of the same content (HTML only: ../shared/bench/hugo-archive.sh). Needs
# hyperfine and hugo. Prints cold and warm build times and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
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
echo "cold build (200 versions: pages, comparisons, copies of every archived HTML, Markdown and PDF):"
hyperfine -N -w 1 -r 5 --prepare "rm -rf $work/out" "$pc site build policy -o $work/out" 2>&1 | grep -E "Time|Range"
/usr/bin/time -f "  peak RSS %M KB" "$pc" site build policy -o "$work/out2" >/dev/null
echo "warm rebuild after one new release:"
echo "# revision 201" >> policy/policy.yaml
"$pc" release policy --updated 2026-12-31 --effective 2026-12-31 >/dev/null
/usr/bin/time -f "  %e s, peak RSS %M KB" "$pc" site build policy -o "$work/out2"
md="$OLDPWD/../shared/bench/seed-000.md"
[ -f "$md" ] || md="$(dirname "$(realpath "$0")")/../../shared/bench/seed-000.md"
sh "$OLDPWD/../shared/bench/hugo-archive.sh" 200 "$work/hugo" "$md"
echo "hugo, 200 versions, HTML only:"
hyperfine -N -w 1 -r 5 "hugo --quiet --source $work/hugo --cleanDestinationDir" 2>&1 | grep -E "Time|Range"
/usr/bin/time -f "  peak RSS %M KB" hugo --quiet --source "$work/hugo" --cleanDestinationDir
