#!/usr/bin/env bash
# The archive at 200 versions: time to release one version of a
# seed-sized policy, then log / show / verify beside the git CLI doing the
# equivalent reads. Needs hyperfine (apt-get install -y hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/policyc" ./cmd/policyc
pc="$work/policyc"
repo="$work/repo"
mkdir "$repo" && cd "$repo"
git init -q && cp -r "$OLDPWD/examples/website" policy
git add policy && git -c user.name=b -c user.email=b@example.com commit -qm init
start=$(date +%s.%N)
for i in $(seq 1 200); do
  echo "# revision $i" >> policy/policy.yaml
  d=$(date -u -d "2026-05-01 + $i days" +%Y-%m-%d)
  "$pc" release policy --effective "$d" >/dev/null
done
end=$(date +%s.%N)
echo "200 releases of the website example (md, html, pdf, json): $(echo "($end - $start) / 200 * 1000" | bc -l | cut -c1-6) ms per release, whole process"
tag=policyc/pixelgrove-privacy/v100
hyperfine -N -w 3 -r 20 --export-markdown "$work/a.md" \
  "$pc log policy" \
  "git log --format=%H%x20%s refs/policyc/pixelgrove-privacy" \
  "$pc show v100 -C policy --format pdf" \
  "git show $tag:rendered/policy.en.pdf" \
  "$pc verify policy" \
  "git fsck --no-dangling" >/dev/null
cat "$work/a.md"
du -sh .git | sed 's/^/repository size: /'
