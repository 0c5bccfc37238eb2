#!/usr/bin/env bash
# Benchmarks `litigant convert` against its peers on the same corpus pages, in one run:
# img2pdf, ImageMagick (gray JPEG and bilevel G4 pipelines), unpaper and OCRmyPDF.
# For each page and tool it records CPU seconds (user + sys, children included), peak RSS,
# output bytes, and legibility: the number of words Tesseract reads with confidence >= 80 from
# the output rendered at 300 dpi (and from the raw input, as the baseline).
#
#   scripts/bench-paper.sh                 # the default page set (see PAGES below)
#   PAGES="a.jpg b.png" scripts/bench-paper.sh
#   PAGES=all scripts/bench-paper.sh       # every image in the corpus
#   TOOLS=litigant scripts/bench-paper.sh  # rerun only these tools; the other tools' rows (and
#                                          # the raw input's) are kept from the previous run
#
# TOOLS names tools as in the results with spaces as hyphens: litigant img2pdf imagemagick-gray
# imagemagick-g4 unpaper ocrmypdf. A row the previous results.tsv lacks is measured afresh.
#
# Results: target/bench-paper/results.tsv and results.md. Needs root or sudo for apt.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/setup.sh
source "$ROOT/scripts/lib/setup.sh"
CORPUS="${CORPUS:-$ROOT/../shared/corpus}"
OUT="$ROOT/target/bench-paper"
VENV="$ROOT/target/bench-venv"
export OMP_THREAD_LIMIT=1 # Tesseract: OpenMP makes a page ten times slower on two cores

# Debian's ImageMagick; whatever `convert` comes first on PATH may be something else.
IM=/usr/bin/convert

ensure_apt_packages imagemagick unpaper ghostscript tesseract-ocr tesseract-ocr-eng \
  tesseract-ocr-chi-sim qpdf poppler-utils python3-venv time
if [ ! -x "$VENV/bin/ocrmypdf" ] || [ ! -x "$VENV/bin/img2pdf" ]; then
  say "installing img2pdf and OCRmyPDF into target/bench-venv"
  /usr/bin/python3 -m venv --clear "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "img2pdf==0.6.*" "ocrmypdf==16.*"
fi
(cd "$ROOT" && cargo build --release --quiet -p litigant-cli)
LITIGANT="$ROOT/target/release/litigant"

# Debian's ImageMagick policy forbids writing PDF (and a user policy cannot lift it), so the
# ImageMagick pipelines write JPEG or G4 TIFF and img2pdf wraps those without re-encoding.
mkdir -p "$OUT"

DEFAULT_PAGES="photo_textpage_darkbg_tall.jpg photo_table_color_perspective.jpg
photo_notes_A1_colorpen.jpg photo_dense_cheatsheet_lowcontrast.jpg
zh_photo_form_handwriting_perspective.jpg zh_scan_vat_invoice_testsample_redseal.jpg
scan_linn_300dpi_2col.png zh_scan_academic_paper_page_2col.jpg"
PAGES="${PAGES:-$DEFAULT_PAGES}"
if [ "$PAGES" = all ]; then
  PAGES="$(cd "$CORPUS" && ls ./*.jpg ./*.png | sed 's#^\./##')"
fi

# measure NAME CMD...: runs CMD under GNU time; prints "cpu_seconds max_rss_kb".
measure() {
  local log="$OUT/time.log"
  /usr/bin/time -f '%U %S %M' -o "$log" "$@" >/dev/null 2>"$OUT/last.err" ||
    { echo "failed: $*" >&2; cat "$OUT/last.err" >&2; echo "NA NA"; return; }
  awk '{printf "%.2f %d\n", $1 + $2, $3}' "$log"
}

# legible FILE: words Tesseract reads with confidence >= 80 (chi_sim+eng, page layout auto).
legible() {
  tesseract "$1" - -l chi_sim+eng --psm 3 tsv 2>/dev/null |
    awk -F'\t' 'NR > 1 && $11 >= 80 && $12 !~ /^[[:space:]]*$/ { n++ } END { print n + 0 }'
}

# legible_pdf PDF: the same on page 1 rendered at 300 dpi.
legible_pdf() {
  [ -s "$1" ] || { echo NA; return; }
  pdftoppm -r 300 -gray -singlefile "$1" "$OUT/render" && legible "$OUT/render.pgm"
}

# wanted TOOL: whether this run measures TOOL (all tools unless TOOLS is set).
wanted() {
  [ -z "${TOOLS:-}" ] && return 0
  case " $TOOLS " in *" ${1// /-} "*) return 0 ;; esac
  return 1
}

# kept PAGE TOOL: prints that row of the previous run, when this run reuses it.
PREVIOUS="$OUT/previous.tsv"
rm -f "$PREVIOUS"
if [ -n "${TOOLS:-}" ] && [ -s "$OUT/results.tsv" ]; then cp "$OUT/results.tsv" "$PREVIOUS"; fi
kept() {
  [ -s "$PREVIOUS" ] || return 1
  awk -F'\t' -v page="$1" -v tool="$2" '$1 == page && $2 == tool { print; found = 1; exit }
    END { exit !found }' "$PREVIOUS"
}

printf 'page\ttool\tcpu_s\tmax_rss_kb\tbytes\tlegible_words\n' >"$OUT/results.tsv"
for page in $PAGES; do
  in="$CORPUS/$page"
  work="$OUT/$page.d"
  mkdir -p "$work"
  say "$page"
  kept "$page" "raw input" >>"$OUT/results.tsv" ||
    printf '%s\traw input\t-\t-\t%s\t%s\n' "$page" "$(stat -c %s "$in")" "$(legible "$in")" >>"$OUT/results.tsv"

  run_tool() { # TOOL OUTPUT CMD...
    local tool="$1" pdf="$2"
    shift 2
    wanted "$tool" || ! kept "$page" "$tool" >>"$OUT/results.tsv" || return 0
    rm -f "$pdf"
    read -r cpu rss < <(measure "$@")
    local bytes=NA
    [ -s "$pdf" ] && bytes="$(stat -c %s "$pdf")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$page" "$tool" "$cpu" "$rss" "$bytes" "$(legible_pdf "$pdf")" >>"$OUT/results.tsv"
  }

  run_tool litigant "$work/litigant.pdf" "$LITIGANT" convert "$in" -o "$work/litigant.pdf"
  run_tool img2pdf "$work/img2pdf.pdf" "$VENV/bin/img2pdf" --pagesize A4 --auto-orient "$in" -o "$work/img2pdf.pdf"
  run_tool "imagemagick gray" "$work/im-gray.pdf" bash -c "
    '$IM' '$in' -auto-orient -colorspace Gray -normalize -quality 70 '$work/im-gray.jpg' &&
    '$VENV/bin/img2pdf' --pagesize A4 '$work/im-gray.jpg' -o '$work/im-gray.pdf'"
  run_tool "imagemagick g4" "$work/im-g4.pdf" bash -c "
    '$IM' '$in' -auto-orient -colorspace Gray -lat 31x31-8% -type bilevel -compress Group4 \
      '$work/im-g4.tif' &&
    '$VENV/bin/img2pdf' --pagesize A4 '$work/im-g4.tif' -o '$work/im-g4.pdf'"
  # unpaper works on PNM: convert, clean (deskew, borders, noise), then wrap losslessly.
  run_tool unpaper "$work/unpaper.pdf" bash -c "
    '$IM' '$in' -auto-orient -colorspace Gray '$work/in.pgm' &&
    unpaper --overwrite --no-multi-pages '$work/in.pgm' '$work/out.pgm' &&
    '$IM' '$work/out.pgm' '$work/out.png' &&
    '$VENV/bin/img2pdf' --pagesize A4 '$work/out.png' -o '$work/unpaper.pdf'"
  # OCRmyPDF with OCR disabled (timeout 0): its image clean-up and PDF/A output only, one job.
  run_tool ocrmypdf "$work/ocrmypdf.pdf" \
    "$VENV/bin/ocrmypdf" --jobs 1 --image-dpi 300 --deskew --output-type pdfa \
    --optimize 1 --tesseract-timeout 0 -l chi_sim+eng "$in" "$work/ocrmypdf.pdf"
done

# Peak memory for a 50-page bundle: the default pages repeated.
set -- $PAGES
bundle=()
while [ ${#bundle[@]} -lt 50 ]; do
  for p in "$@"; do [ ${#bundle[@]} -lt 50 ] && bundle+=("$CORPUS/$p"); done
done
if wanted litigant || ! kept "50-page bundle" litigant >>"$OUT/results.tsv"; then
  read -r cpu rss < <(measure "$LITIGANT" convert "${bundle[@]}" -o "$OUT/bundle50.pdf")
  printf '50-page bundle\tlitigant\t%s\t%s\t%s\t-\n' "$cpu" "$rss" "$(stat -c %s "$OUT/bundle50.pdf")" >>"$OUT/results.tsv"
fi

column -t -s $'\t' "$OUT/results.tsv"
say "results in $OUT/results.tsv"
