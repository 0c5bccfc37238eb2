#!/usr/bin/env bash
# Runs every check and test Litigant has, installing what is missing first: formatting, lints,
# Rust unit and system tests, the UI's type and accessibility checks and unit tests, generated
# files' freshness, the .deb bundle, and the end-to-end suite on the real app under Xvfb.
set -euo pipefail
# shellcheck source=scripts/lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
cd "$ROOT"

passed=0
failed=0
failures=()

# step NAME COMMAND...: runs one check, keeps going after a failure so one run shows them all.
step() {
  local name="$1"
  shift
  say "$name"
  local started=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    printf '    ok: %s (%ss)\n' "$name" $((SECONDS - started))
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf '    FAILED: %s (%ss)\n' "$name" $((SECONDS - started))
  fi
}

ensure_test_deps
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# The app embeds ui/dist at compile time, so the interface is built before any Rust.
step "interface build" npm run --silent ui:build
step "rustfmt" cargo fmt --all --check
step "clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
step "Rust tests (unit, command wiring, bindings freshness, system)" \
  cargo test --workspace --locked --no-fail-fast
step "interface types and accessibility (svelte-check)" npm run --silent ui:check
step "interface unit tests (vitest)" npm run --silent ui:test
# A debug build reuses the test run's compiled dependencies; the .deb it makes is inspected by
# the bundle test below.
step "app binary and .deb bundle (tauri build --debug)" \
  npx tauri build --debug --bundles deb --ci
step "the .deb package's contents" npm run --silent test:bundle
# The filing e2e makes its PDF with `litigant convert`, as a person would.
step "command line for the e2e" cargo build -p litigant-cli --locked
step "end-to-end tests on the real app (WebDriver, Xvfb)" npm run --silent e2e

echo
if [ "$failed" -gt 0 ]; then
  printf 'failed steps: %s\n' "${failures[*]}"
fi
echo "checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
