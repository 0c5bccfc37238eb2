#!/usr/bin/env bash
# Builds Litigant and starts it on the embedded demo court, installing what is missing first.
# With no display (a server, a container), it starts a virtual one (Xvfb) and says which.
set -euo pipefail
# shellcheck source=scripts/lib/setup.sh
source "$(dirname "$0")/lib/setup.sh"
cd "$ROOT"

ensure_app_deps
say "building the interface"
npm run --silent ui:build
say "building the app"
cargo build --locked -p litigant-desktop

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  ensure_apt_packages xvfb xauth
  display=":${LITIGANT_DISPLAY:-99}"
  say "no display: starting Xvfb on $display (DISPLAY=$display import -window root shot.png to see it)"
  Xvfb "$display" -screen 0 1280x900x24 -nolisten tcp &
  xvfb_pid=$!
  trap 'kill "$xvfb_pid" 2>/dev/null || true' EXIT
  export DISPLAY="$display"
  sleep 1
fi

say "starting Litigant"
./target/debug/litigant-desktop "$@"
