#!/usr/bin/env bash
# Whole-process timings of policyc beside the tools a user would otherwise
# reach for, on the same content: the SDK-provider example (the size of the
# first seed). Needs hyperfine, pandoc and chromium (apt-get install -y
# hyperfine pandoc chromium). Prints hyperfine's summaries and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/policyc" ./cmd/policyc
# What any process costs here: programs that start and do nothing.
go build -tags bench -o "$work/startup/" ./bench/startup/...
hyperfine -N -w 5 -r 40 "$work/startup/empty" "$work/startup/libraries" "$work/startup/packages" "$work/policyc --version"
ex=examples/sdk-provider
"$work/policyc" render "$ex" --format md,html,pdf -o "$work/ref/"
md="$work/ref/policy.en.md"
html="$work/ref/policy.en.html"
echo "content: $(wc -c <"$md") bytes of Markdown, $(pdfinfo "$work/ref/policy.en.pdf" | awk '/Pages/{print $2}') PDF pages"

chrome_pdf() {
  local d; d=$(mktemp -d)
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$d" --no-pdf-header-footer --print-to-pdf="$work/chrome.pdf" "file://$html" >/dev/null 2>&1
  rm -rf "$d"
}
export -f chrome_pdf; export work html

hyperfine -N -w 3 -r 20 --export-markdown "$work/policyc.md" \
  "$work/policyc validate $ex" \
  "$work/policyc render $ex --format md -o $work/o/" \
  "$work/policyc render $ex --format html -o $work/o/" \
  "$work/policyc render $ex --format pdf -o $work/o/" \
  "$work/policyc render $ex --format docx -o $work/o/" \
  "$work/policyc render $ex --format md,html,pdf -o $work/o/" \
  "$work/policyc render $ex --format md,html,pdf --locale all -o $work/o/" \
  "pandoc -s $md -o $work/p.html --metadata title=Policy"
hyperfine -S bash -w 1 -r 5 --export-markdown "$work/chrome.md" "chrome_pdf"
cat "$work/policyc.md" "$work/chrome.md"
echo
echo "peak memory (max RSS):"
for f in md html pdf md,html,pdf; do
  /usr/bin/time -f "  policyc --format $f: %M KB" "$work/policyc" render "$ex" --format "$f" -o "$work/o/"
done
/usr/bin/time -f "  policyc --format md,html,pdf --locale all: %M KB" "$work/policyc" render "$ex" --format md,html,pdf --locale all -o "$work/o/"
/usr/bin/time -f "  pandoc md->html: %M KB" pandoc -s "$md" -o "$work/p.html" --metadata title=Policy
