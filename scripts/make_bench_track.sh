#!/usr/bin/env bash
# Makes the benchmark track: the demo track repeated to 3 minutes, 44.1 kHz stereo (the right
# channel slightly delayed so the channels differ), encoded by lame at 128 kbit/s.
#   scripts/make_bench_track.sh [OUT.mp3]   (default build/bench/demo-3min.mp3; needs sox, lame)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/build/bench/demo-3min.mp3}
mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
demo="$root/resources/demo/demo.flac"
sox "$demo" "$demo" "$demo" "$demo" -r 44100 "$tmp/long.wav" trim 0 180
sox "$tmp/long.wav" "$tmp/right.wav" pad 0.003 trim 0 180
sox -M "$tmp/long.wav" "$tmp/right.wav" -b 16 "$tmp/stereo.wav"
lame --quiet -b 128 "$tmp/stereo.wav" "$out"
echo "$out"
