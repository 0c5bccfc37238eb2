#!/usr/bin/env bash
# Benchmarks hearing recording against plain GStreamer, in one run, one after the other on the
# same machine: `litigant record --source test` (720p30 VP8 + Opus into 10-s WebM segments, each
# hashed as it closes, the manifest rewritten, a 5 fps preview branch and a level meter) against
# `gst-launch-1.0` running the same elements (test pattern and tone, the same caps, tee, preview
# branch into a fakesink, vp8enc threads=1 deadline=1, opusenc, splitmuxsink with webmmux), with
# no hashing and no manifest.
#
# For each: CPU seconds (user + sys) and peak RSS from GNU time, the video frames that decode
# from the segments (every frame of every segment through vp8dec), and CPU per recorded second.
# Dropped frames are counted for `litigant record`, whose recording time is exact: it stops
# SECONDS after the first data reached the files, so SECONDS * 30 frames are expected.
#
#   scripts/bench-hearing.sh              # 60 s each
#   SECONDS_EACH=20 scripts/bench-hearing.sh
#
# Results: target/bench-hearing/results.md. Needs root or sudo for apt.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/setup.sh
source "$ROOT/scripts/lib/setup.sh"
OUT="$ROOT/target/bench-hearing"
SECONDS_EACH="${SECONDS_EACH:-60}"
FPS=30

ensure_apt_packages time gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
(cd "$ROOT" && cargo build --release --quiet -p litigant-cli)
LITIGANT="$ROOT/target/release/litigant"

rm -rf "$OUT"
mkdir -p "$OUT/gst"

# timed LABEL CMD...: runs CMD under GNU time, appending "LABEL wall user sys rss_kb".
timed() {
  local label="$1"
  shift
  /usr/bin/time -f "$label %e %U %S %M" -a -o "$OUT/times.tsv" "$@" >"$OUT/$label.out" 2>"$OUT/$label.err"
}

# frames DIR: video frames that decode from every segment in DIR.
frames() {
  local total=0 file n
  for file in "$1"/segment-*.webm; do
    n="$(gst-launch-1.0 -v filesrc location="$file" ! matroskademux ! vp8dec ! fakesink silent=false 2>&1 |
      grep -c 'chain' || true)"
    total=$((total + n))
  done
  echo "$total"
}

say "litigant record: ${SECONDS_EACH} s of 720p30"
timed litigant "$LITIGANT" record --source test --seconds "$SECONDS_EACH" --out "$OUT/litigant"

say "gst-launch-1.0: the same elements for ${SECONDS_EACH} s"
# -e turns the interrupt into end-of-stream, so the last segment is closed as litigant closes it.
timed gst-launch timeout -s INT --preserve-status "$SECONDS_EACH" gst-launch-1.0 -q -e \
  videotestsrc is-live=true ! videoconvert ! videoscale ! videorate \
  ! "video/x-raw,width=1280,height=720,framerate=$FPS/1" ! tee name=t \
  t. ! queue leaky=downstream max-size-buffers=1 ! videorate ! videoscale ! videoconvert \
  ! "video/x-raw,format=RGB,width=160,height=90,framerate=5/1" ! fakesink sync=false \
  t. ! queue ! vp8enc threads=1 deadline=1 target-bitrate=1500000 ! s.video \
  audiotestsrc is-live=true ! audioconvert ! audioresample ! "audio/x-raw,rate=48000,channels=1" \
  ! level post-messages=true interval=100000000 ! queue ! opusenc ! s.audio_0 \
  splitmuxsink name=s muxer-factory=webmmux location="$OUT/gst/segment-%05d.webm" \
  max-size-time=10000000000 send-keyframe-requests=true || true

say "decoding the segments"
LITIGANT_FRAMES="$(frames "$OUT/litigant")"
GST_FRAMES="$(frames "$OUT/gst")"
EXPECTED=$((SECONDS_EACH * FPS))

{
  echo "# Hearing recording: \`litigant record\` against \`gst-launch-1.0\`"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, ${SECONDS_EACH} s each at 1280×720, ${FPS} fps."
  echo
  echo "| | frames decoded | recorded s | CPU s (user+sys) | CPU s per recorded s | peak RSS MiB |"
  echo "|---|---|---|---|---|---|"
  awk -v lf="$LITIGANT_FRAMES" -v gf="$GST_FRAMES" -v fps="$FPS" '
    { frames = ($1 == "litigant") ? lf : gf
      secs = frames / fps
      cpu = $3 + $4
      per[$1] = (secs > 0) ? cpu / secs : 0
      printf "| `%s` | %d | %.1f | %.2f | %.3f | %.0f |\n", $1, frames, secs, cpu, per[$1], $5 / 1024 }
    END { if (per["gst-launch"] > 0)
            printf "\nCPU per recorded second, litigant / gst-launch: **%.2f×**\n", per["litigant"] / per["gst-launch"] }
  ' "$OUT/times.tsv"
  echo
  echo "litigant record: $LITIGANT_FRAMES frames decoded of $EXPECTED expected;" \
    "dropped: $((EXPECTED > LITIGANT_FRAMES ? EXPECTED - LITIGANT_FRAMES : 0))."
} | tee "$OUT/results.md"
