#!/usr/bin/env bash
# Fuzzes the paper pipeline's inputs with cargo-fuzz (libFuzzer): the `image` target (any bytes
# as an image file) and the `pdf` target (any bytes after a PDF header), both through
# `litigant_paper::count_pages`. The seed corpus is ../shared/corpus (images for one, PDFs for
# the other), read in place; what the fuzzer finds goes to target/fuzz-corpus/<target>, and a
# crashing input to crates/paper/fuzz/artifacts/<target>/.
#
#   scripts/fuzz-paper.sh               # each target for 60 s
#   SECONDS_EACH=600 scripts/fuzz-paper.sh image
#
# Needs a nightly toolchain (`rustup toolchain install nightly`) and cargo-fuzz
# (`cargo install cargo-fuzz`); CI has neither, and replays the same entry point on stable in
# crates/paper/tests/it/fuzz_replay.rs instead.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="${CORPUS:-$ROOT/../shared/corpus}"
SECONDS_EACH="${SECONDS_EACH:-60}"
TARGETS=("${@:-image pdf}")
read -r -a TARGETS <<<"${TARGETS[*]}"

for target in "${TARGETS[@]}"; do
  seeds="$ROOT/target/fuzz-seeds/$target"
  found="$ROOT/target/fuzz-corpus/$target"
  rm -rf "$seeds"
  mkdir -p "$seeds" "$found"
  case "$target" in
    image) pattern='.*\.(jpe?g|png|tiff?|webp)$' ;;
    pdf) pattern='.*\.pdf$' ;;
    *) echo "unknown target $target (image or pdf)" >&2; exit 2 ;;
  esac
  find "$CORPUS" -maxdepth 1 -type f -regextype posix-extended -regex "$pattern" -exec ln -s {} "$seeds/" \;
  echo "==> fuzzing $target for ${SECONDS_EACH}s ($(find "$seeds" -type l | wc -l) seeds)"
  (cd "$ROOT/crates/paper" && OMP_THREAD_LIMIT=1 cargo +nightly fuzz run "$target" "$found" "$seeds" -- \
    -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=30 -print_final_stats=1)
done
