#!/usr/bin/env bash
# Diff of two seed-sized versions (structural changes, significance and the
# word-level redline) beside git's word diff of the same rendered Markdown.
# Needs hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/policyc" ./cmd/policyc
cp -r examples/sdk-provider "$work/a"
cp -r examples/sdk-provider "$work/b"
# A realistic release: a reply time, a new recipient, reworded prose.
sed -i 's/response_time: 15 days/response_time: 30 days/' "$work/b/policy.yaml"
sed -i 's/^- id: acquirer$/- id: brokers\n  name: {en: Data brokers, zh-CN: 数据经纪商}\n  kind: partner\n- id: acquirer/' "$work/b/recipients.yaml"
sed -i 's/We follow the principles/We apply the principles/' "$work/b/sections/collection.en.md"
"$work/policyc" render "$work/a" --format md -o "$work/a.md"
"$work/policyc" render "$work/b" --format md -o "$work/b.md"
hyperfine -N -w 3 -r 20 --export-markdown "$work/d.md" -i \
  "$work/policyc diff $work/a $work/b --format json" \
  "$work/policyc diff $work/a $work/b --format text" \
  "git diff --no-index --word-diff $work/a.md $work/b.md" >/dev/null
cat "$work/d.md"
