#!/usr/bin/env bash
# The redline of a whole policy held as one section (as an imported or
# pasted policy is), beside git's word diff of the same two files, in one
# run: the first seed with about one word in eight changed, the same at
# four times the text, and a full rewrite (the first seed's text against
# the second seed's). Whole process: policyc loads both policies, composes
# both documents, assesses them and writes the Markdown redline. Needs
# hyperfine (apt-get install -y hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
# The seeds stand in shared/seeds beside the repository (or beside the
# directory of its worktrees).
seeds=${SEEDS:-}
for d in ../shared/seeds ../../shared/seeds; do [ -n "$seeds" ] || { [ -d "$d" ] && seeds=$d; }; done
[ -n "$seeds" ] || { echo "seeds not found: set SEEDS=DIR" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/policyc" ./cmd/policyc

# policy DIR FILE: a minimal valid policy whose one section is FILE's text.
policy() {
  mkdir -p "$1/sections"
  cp "$2" "$1/sections/text.md"
  cat >"$1/policy.yaml" <<'YAML'
id: seed-policy
title: Privacy Policy
locales: [en]
updated: 2019-12-13
effective: 2019-12-20
controller:
  legal_name: Example Co., Ltd.
  registered_address: Shanghai
contacts:
  response_time: 15 days
  channels:
    - id: email
      kind: email
      value: privacy@example.com
      uses: [privacy]
data_categories:
  - id: device
    name: Device information
    items: [device model]
    sources: [provided]
    retention: account
storage:
  retention:
    - id: account
      criteria: Kept while you use the service.
sections:
  - id: text
    title: Policy
    file: sections/text.md
YAML
}

# edit: about one word in eight changed, reproducibly (a Park-Miller
# generator, exact in awk's doubles, picks the words): a third of them
# replaced, a third deleted, and before a third a word inserted.
edit() {
  awk 'BEGIN { x = 20191213; split("data service users partners information device consent law", v, " ") }
    function rnd() { x = (x * 16807) % 2147483647; return x / 2147483647 }
    { out = ""; s = $0
      while (match(s, /[^ ]+/)) {
        out = out substr(s, 1, RSTART - 1); w = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
        if (rnd() < 0.125) {
          k = rnd()
          if (k < 1/3) w = v[int(rnd() * 8) + 1]
          else if (k < 2/3) { w = ""; sub(/^ /, "", s) }
          else w = v[int(rnd() * 8) + 1] " " w
        }
        out = out w
      }
      print out s }' "$1"
}

first=$(ls "$seeds"/000_*.txt)
second=$(ls "$seeds"/003_*.txt)
cp "$first" "$work/one.txt"
for _ in 1 2 3 4; do cat "$first"; echo; done >"$work/four.txt"
edit "$work/one.txt" >"$work/one-edited.txt"
edit "$work/four.txt" >"$work/four-edited.txt"
cp "$second" "$work/rewrite.txt"
for f in one one-edited four four-edited rewrite; do policy "$work/$f" "$work/$f.txt"; done
echo "words: one $(wc -w <"$work/one.txt"), four $(wc -w <"$work/four.txt"), rewrite $(wc -w <"$work/rewrite.txt")"

# -i: git diff exits 1 when the files differ.
hyperfine -N -w 5 -r 40 -i --export-json "$work/r.json" \
  "$work/policyc diff $work/one $work/one-edited --format md" \
  "git diff --no-index --word-diff $work/one.txt $work/one-edited.txt" \
  "$work/policyc diff $work/four $work/four-edited --format md" \
  "git diff --no-index --word-diff $work/four.txt $work/four-edited.txt" \
  "$work/policyc diff $work/one $work/rewrite --format md" \
  "git diff --no-index --word-diff $work/one.txt $work/rewrite.txt" >/dev/null 2>&1
# Wall time (median, mean, min) and CPU time (user + system, mean) in ms;
# then the floors: policyc against git on the seed, four times the text
# against once, the rewrite.
jq -r --arg w "$work/" '
  def ms: . * 1000 | . * 10 | round / 10;
  "| command | median | mean | min | CPU (user+sys) |", "|---|---:|---:|---:|---:|",
  (.results[] | "| `\(.command | gsub($w; ""))` | \(.median | ms) | \(.mean | ms) | \(.min | ms) | \((.user + .system) | ms) |"),
  "",
  (.results | def r(a; b): a / b * 100 | round / 100;
   def cpu(i): .[i].user + .[i].system;
   "policyc / git, seed: median \(r(.[0].median; .[1].median))×, min \(r(.[0].min; .[1].min))×, CPU \(r(cpu(0); cpu(1)))× (floor 10×)",
   "policyc, four times the text / once: median \(r(.[2].median; .[0].median))×, min \(r(.[2].min; .[0].min))×, CPU \(r(cpu(2); cpu(0)))× (floor 4.5×)",
   "policyc, full rewrite: median \(.[4].median | ms) ms, min \(.[4].min | ms) ms (floor 500 ms)")' "$work/r.json"

# BEFORE=BINARY: also time another build of policyc on the same files
# (5 runs each), for a before-and-after in the same run.
if [ -n "${BEFORE:-}" ]; then
  hyperfine -N -w 1 -r 5 --export-json "$work/b.json" \
    "$BEFORE diff $work/one $work/one-edited --format md" \
    "$BEFORE diff $work/four $work/four-edited --format md" \
    "$BEFORE diff $work/one $work/rewrite --format md" >/dev/null 2>&1
  echo
  jq -r --arg w "$work/" --arg b "$BEFORE" '
    def ms: . * 1000 | . * 10 | round / 10;
    "| before (\($b | split("/") | last)) | median | mean | min | CPU (user+sys) |", "|---|---:|---:|---:|---:|",
    (.results[] | "| `\(.command | gsub($w; "") | gsub($b; "policyc"))` | \(.median | ms) | \(.mean | ms) | \(.min | ms) | \((.user + .system) | ms) |")' "$work/b.json"
fi
