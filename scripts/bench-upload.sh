#!/usr/bin/env bash
# Benchmarks the court client's upload and hashing against curl and sha256sum, in one run, on
# the same file and the same court-sim on loopback:
#   - `litigant upload FILE` (outbox: hash the file, tus creation, checksummed chunks, server
#     re-hash at the end) against `curl -T FILE` as one tus PATCH to an upload created by curl
#     (same server, same server-side re-hash, no checksums, no outbox);
#   - `litigant hash FILE` against `sha256sum FILE`.
# Wall-clock seconds, CPU seconds and peak RSS from GNU time; throughput as MiB/s; ratios.
#
#   scripts/bench-upload.sh            # a 1 GiB file
#   SIZE_MIB=256 scripts/bench-upload.sh
#   CHUNK_SIZE=268435456 scripts/bench-upload.sh    # a fixed chunk size instead of the adaptive one
#   RUNS=5 scripts/bench-upload.sh     # uploads alternate litigant, curl, RUNS times each (3)
#
# Each figure is the median of the runs: on a shared two-core machine one run is noisy.
#
# Results: target/bench-upload/results.md. Needs root or sudo for apt.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/setup.sh
source "$ROOT/scripts/lib/setup.sh"
OUT="$ROOT/target/bench-upload"
SIZE_MIB="${SIZE_MIB:-1024}"
CHUNK_SIZE="${CHUNK_SIZE:-}"
RUNS="${RUNS:-3}"

ensure_apt_packages curl time gnome-keyring dbus-daemon coreutils python3
(cd "$ROOT" && cargo build --release --quiet -p litigant-cli)
LITIGANT="$ROOT/target/release/litigant"

rm -rf "$OUT"
mkdir -p "$OUT"
FILE="$OUT/bundle.pdf"
say "making a ${SIZE_MIB} MiB file"
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom >"$FILE"

"$LITIGANT" serve-sim --data "$OUT/court" --listen 127.0.0.1:0 >"$OUT/sim.out" 2>"$OUT/sim.err" &
SIM=$!
# The uploaded copies (RUNS × 2 × SIZE_MIB) and the file go when the run ends.
trap 'kill $SIM 2>/dev/null || true; wait $SIM 2>/dev/null || true; rm -rf "$OUT/court" "$FILE"' EXIT
for _ in $(seq 100); do [ -s "$OUT/sim.out" ] && break; sleep 0.1; done
ADDRESS="$(head -n1 "$OUT/sim.out" | sed 's/^court-sim listening on //')"
CLERK="$(cat "$OUT/court/clerk-token")"
API="$ADDRESS/api/v1"

# The platform's own CPU seconds so far (user + system), from /proc.
sim_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$SIM/stat"
}

# timed LABEL CMD...: runs CMD under GNU time; appends "LABEL wall user sys rss_kb" to
# times.tsv and the platform's CPU seconds during the run to sim.tsv.
timed() {
  local label="$1" before
  shift
  # The previous run's gigabyte is still being written back; without this the next run pays
  # for it in throttled writes.
  sync
  # With the page cache full (a build, an earlier run), the platform's writes first reclaim
  # old pages, a cost that lands on whichever upload runs then: runs differed by 2x. Where
  # allowed (root), start each run with the cache emptied and the file read back into it.
  if [ -w /proc/sys/vm/drop_caches ]; then
    echo 1 >/proc/sys/vm/drop_caches
    cat "$FILE" >/dev/null
  fi
  before="$(sim_cpu)"
  /usr/bin/time -f "$label %e %U %S %M" -a -o "$OUT/times.tsv" "$@" >"$OUT/$label.out" 2>"$OUT/$label.err"
  echo "$label $(awk -v a="$before" -v b="$(sim_cpu)" 'BEGIN {printf "%.2f", b - a}')" >>"$OUT/sim.tsv"
}

sms_code() {
  curl -s -H "Authorization: Bearer $CLERK" "$API/sim/sms-outbox" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["code"])'
}

# The client's session lives in a Secret Service: a private one for the run.
export XDG_DATA_HOME="$OUT/xdg" XDG_RUNTIME_DIR="$OUT/run" LITIGANT_DATA_DIR="$OUT/data"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# curl: one tus PATCH of the whole file to an upload it creates, logged in over the API.
curl_once() {
  local token location size
  curl -s -X POST "$API/identity/sms-codes" -H 'Content-Type: application/json' \
    -d '{"mobile":"13900139000","purpose":"login"}' >/dev/null
  token="$(curl -s -X POST "$API/auth/login" -H 'Content-Type: application/json' \
    -d "{\"mobile\":\"13900139000\",\"smsCode\":\"$(sms_code)\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["accessToken"])')"
  size="$(stat -c %s "$FILE")"
  location="$(curl -s -D - -o /dev/null -X POST "$API/uploads" -H "Authorization: Bearer $token" \
    -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $size" \
    -H "Upload-Metadata: filename $(printf bundle.pdf | base64),contentType $(printf application/pdf | base64)" |
    tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')"
  timed "$1" curl -s -f -X PATCH -T "$FILE" "$ADDRESS$location" -H "Authorization: Bearer $token" \
    -H 'Tus-Resumable: 1.0.0' -H 'Content-Type: application/offset+octet-stream' -H 'Upload-Offset: 0'
}
# Each upload leaves a gigabyte in the platform's folder and the page cache; removing the stored
# copy after each run makes every run start with the same memory and disk (without this, runs got
# slower one after the other, whichever tool ran).
forget_stored() {
  find "$OUT/court/documents" -type f -delete
  sync
}
export -f timed sms_code sim_cpu curl_once forget_stored
export OUT CLERK API ADDRESS FILE LITIGANT CHUNK_SIZE SIM RUNS
say "uploading with litigant and with curl, alternately, $RUNS times each (same server)"
# shellcheck disable=SC2016 # the inner bash expands them, from the exported variables
dbus-run-session -- bash -c '
  set -euo pipefail
  printf bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  (sleep 1; sms_code) | "$LITIGANT" login --platform "$ADDRESS" --mobile 13800138000 >/dev/null
  for run in $(seq "$RUNS"); do
    timed "litigant_upload.$run" "$LITIGANT" upload --platform "$ADDRESS" ${CHUNK_SIZE:+--chunk-size "$CHUNK_SIZE"} "$FILE"
    grep -q "done doc_" "$OUT/litigant_upload.$run.out" ||
      { echo "litigant upload did not finish: $(cat "$OUT/litigant_upload.$run.out")" >&2; exit 1; }
    forget_stored
    curl_once "curl_upload.$run"
    forget_stored
  done
'

say "hashing with litigant and with sha256sum"
cat "$FILE" >/dev/null # both read from the page cache
timed litigant_hash "$LITIGANT" hash "$FILE"
timed sha256sum sha256sum "$FILE"
[ "$(cut -d' ' -f1 "$OUT/litigant_hash.out")" = "$(cut -d' ' -f1 "$OUT/sha256sum.out")" ] ||
  die "litigant hash and sha256sum disagree"

python3 - "$OUT/times.tsv" "$SIZE_MIB" "$OUT/sim.tsv" >"$OUT/results.md" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label, wall, user, system, rss = line.split()
    runs.setdefault(label.split(".")[0], []).append((float(wall), float(user) + float(system), int(rss) // 1024))
for line in open(sys.argv[3]):
    label, cpu = line.split()
    runs.setdefault("platform:" + label.split(".")[0], []).append(float(cpu))
mib = int(sys.argv[2])
median = statistics.median
rows = {label: tuple(median(r[i] for r in rs) for i in range(3)) for label, rs in runs.items() if not label.startswith("platform:")}
def row(label, name):
    wall, cpu, rss = rows[label]
    server = median(runs.get("platform:" + label, [0.0]))
    walls = ", ".join(f"{r[0]:.2f}" for r in runs[label])
    return f"| {name} | {wall:.2f} s ({walls}) | {mib / wall:.0f} MiB/s | {cpu:.2f} s | {server:.2f} s | {rss:.0f} MB |"
print(f"File: {mib} MiB of random bytes; court-sim (release) on 127.0.0.1; medians of the runs (each run's wall time in brackets).\n")
print("| what | wall (runs) | throughput | CPU (client) | CPU (platform) | peak RSS (client) |")
print("|---|---|---|---|---|---|")
print(row("litigant_upload", "`litigant upload` (hash + tus, checksummed chunks)"))
print(row("curl_upload", "`curl -T` (one PATCH)"))
print(row("litigant_hash", "`litigant hash`"))
print(row("sha256sum", "`sha256sum`"))
up = rows["curl_upload"][0] / rows["litigant_upload"][0]
h = rows["sha256sum"][0] / rows["litigant_hash"][0]
print(f"\nUpload throughput, litigant ÷ curl: **{up:.2f}×**. Hashing rate, litigant ÷ sha256sum: **{h:.2f}×**.")
PY
cat "$OUT/results.md"
