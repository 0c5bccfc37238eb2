#!/usr/bin/env bash
# What OCR adds to `litigant convert`, against plain Tesseract on the same page, in one run.
# For each page: CPU seconds (user + sys, children included) of `litigant convert PAGE` and of
# `litigant convert PAGE --ocr` (text layer plus text-direction check), and of
# `tesseract PAGE - -l chi_sim+eng tsv` on the same input file; the ratio is the CPU --ocr adds
# divided by the plain Tesseract run. Words: those in the text layer (report) and those the
# plain run reads with confidence >= 30 (the layer's own floor).
#
#   scripts/bench-ocr.sh
#   PAGES="a.jpg b.png" scripts/bench-ocr.sh
#
# Results: target/bench-ocr/results.md.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/setup.sh
source "$ROOT/scripts/lib/setup.sh"
CORPUS="${CORPUS:-$ROOT/../shared/corpus}"
OUT="$ROOT/target/bench-ocr"
export OMP_THREAD_LIMIT=1

ensure_apt_packages tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim tesseract-ocr-osd time
(cd "$ROOT" && cargo build --release --quiet -p litigant-cli)
LITIGANT="$ROOT/target/release/litigant"
mkdir -p "$OUT"

DEFAULT_PAGES="scan_linn_300dpi_2col.png zh_scan_academic_paper_page_2col.jpg
zh_clean_book_table_render.png photo_textpage_darkbg_tall.jpg"
PAGES="${PAGES:-$DEFAULT_PAGES}"

# cpu CMD...: CPU seconds of CMD, children included.
cpu() {
  /usr/bin/time -f '%U %S' -o "$OUT/time.log" "$@" >"$OUT/last.out" 2>"$OUT/last.err" ||
    { echo "failed: $*" >&2; cat "$OUT/last.err" >&2; exit 1; }
  awk '{printf "%.2f\n", $1 + $2}' "$OUT/time.log"
}

{
  echo "| page | convert (s) | convert --ocr (s) | tesseract CLI (s) | added by --ocr ÷ tesseract | of which: direction check / OCR (wall s) | words: layer / CLI |"
  echo "|---|---|---|---|---|---|---|"
} >"$OUT/results.md"
for page in $PAGES; do
  in="$CORPUS/$page"
  say "$page"
  plain=$(cpu "$LITIGANT" convert "$in" -o "$OUT/plain.pdf")
  ocr=$(cpu "$LITIGANT" convert "$in" --ocr -o "$OUT/ocr.pdf" --report "$OUT/report.json")
  cli=$(cpu tesseract "$in" "$OUT/cli" -l chi_sim+eng tsv)
  read -r layer osd ocr_wall < <(python3 -c 'import json,sys
p = json.load(open(sys.argv[1]))["pages"][0]
print(p["text"]["words"], "%.2f" % (p["orientation"]["ms"] / 1000), "%.2f" % (p["text"]["ms"] / 1000))' "$OUT/report.json")
  words=$(awk -F'\t' 'NR > 1 && $1 == 5 && $11 >= 30 && $12 !~ /^[[:space:]]*$/ { n++ } END { print n + 0 }' "$OUT/cli.tsv")
  ratio=$(awk -v a="$ocr" -v b="$plain" -v c="$cli" 'BEGIN { printf "%.2f", (a - b) / c }')
  echo "| $page | $plain | $ocr | $cli | $ratio | $osd / $ocr_wall | $layer / $words |" >>"$OUT/results.md"
done
cat "$OUT/results.md"
