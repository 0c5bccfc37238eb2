# Installs what Litigant needs on Debian 12 (or a derivative), only what is missing, so it is
# quick the second time. Sourced by run-app.sh and test-all.sh; nothing here runs on its own.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MIN_RUST="1.95"
MIN_NODE="20.19"

# What the app needs to build and run (Tauri 2 on WebKitGTK 4.1), to show Chinese text, to
# read text in scans (Tesseract), to render imported PDF pages that are not a single scanned
# image (poppler's pdftoppm), and to record hearings (GStreamer with VP8/Opus/WebM, PulseAudio
# capture, gst-discoverer-1.0).
APP_PACKAGES=(
  build-essential pkg-config curl file ca-certificates
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev librsvg2-dev
  libayatana-appindicator3-dev libxdo-dev libssl-dev
  fonts-noto-cjk
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim tesseract-ocr-osd
  sane-utils
  poppler-utils libheif-examples
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-pulseaudio gstreamer1.0-tools
  gstreamer1.0-plugins-base-apps
)
# What the tests add: a headless X server, WebKitGTK's WebDriver, xdotool for native dialogs, and
# Python for the peer implementations (python-stdnum, tuspy) that system tests compare against,
# the PDF checkers that the paper tests run on every converted bundle, and a Secret Service
# (gnome-keyring on a private D-Bus) for the tests that keep credentials in the keychain, and
# PulseAudio for the recording tests, which capture from a null sink's monitor; DejaVu, a
# TrueType font without Chinese, for the evidence catalogue's font tests; sqlite3 for the hearing
# e2e spec, which makes the demo court forget the last identity check.
TEST_PACKAGES=(xvfb xauth webkit2gtk-driver dbus-x11 xdotool python3-venv qpdf poppler-utils jbig2dec sqlite3
  gnome-keyring dbus-daemon libsecret-tools pulseaudio fonts-dejavu-core)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# version_at_least HAVE WANT: true when HAVE >= WANT (dotted numbers).
version_at_least() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

ensure_apt_packages() {
  command -v dpkg-query >/dev/null || die "this script installs with apt; on other systems see README.md"
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

ensure_rust() {
  if ! command -v cargo >/dev/null && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  if ! command -v cargo >/dev/null; then
    say "installing Rust $MIN_RUST with rustup"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
      sh -s -- -y --profile minimal --default-toolchain "$MIN_RUST" -c rustfmt -c clippy
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  local have
  have="$(rustc --version | awk '{print $2}')"
  if ! version_at_least "$have" "$MIN_RUST"; then
    command -v rustup >/dev/null || die "Rust $have is too old; Litigant needs $MIN_RUST or newer"
    rustup toolchain install "$MIN_RUST" --profile minimal -c rustfmt -c clippy
    rustup default "$MIN_RUST"
  fi
}

# Debian 12's own nodejs is 18, older than Vite needs; NodeSource's repository is the usual
# way to a current Node.js on Debian, so that is where a missing or old one comes from.
ensure_node() {
  local have=""
  command -v node >/dev/null && have="$(node --version | tr -d v)"
  if [ -z "$have" ] || ! version_at_least "$have" "$MIN_NODE"; then
    say "installing Node.js 22 from NodeSource (found: ${have:-none}, need $MIN_NODE+)"
    curl -fsSL https://deb.nodesource.com/setup_22.x | as_root bash -
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs
    have="$(node --version | tr -d v)"
    version_at_least "$have" "$MIN_NODE" || die "Node.js $have is still older than $MIN_NODE"
  fi
}

# npm packages exactly as locked; skipped when node_modules already matches the lock file.
ensure_npm_packages() {
  local stamp="$ROOT/node_modules/.litigant-lock.sha256"
  local want
  want="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing npm packages"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
    echo "$want" >"$stamp"
  fi
}

ensure_app_deps() {
  ensure_apt_packages "${APP_PACKAGES[@]}"
  ensure_rust
  ensure_node
  ensure_npm_packages
}

# PyPI peers for the system tests, pinned in tests/python/requirements.txt, in a venv under
# target/ so nothing is installed system-wide; skipped when the venv matches the file.
ensure_python_packages() {
  local venv="$ROOT/target/test-venv"
  local stamp="$venv/.litigant-requirements.sha256"
  local want
  want="$(sha256sum "$ROOT/tests/python/requirements.txt" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing Python test peers into target/test-venv"
    /usr/bin/python3 -m venv --clear "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/tests/python/requirements.txt"
    echo "$want" >"$stamp"
  fi
}

ensure_test_deps() {
  ensure_app_deps
  ensure_apt_packages "${TEST_PACKAGES[@]}"
  ensure_python_packages
}
