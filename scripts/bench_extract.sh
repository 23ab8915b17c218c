#!/usr/bin/env bash
# Times featurescope-extract on 20 mp3 clips of 30 s (the issue's batch benchmark): the clips are
# cut from resources/demo/demo.flac at different offsets (44.1 kHz stereo, lame 128 kbit/s), then
# analysed with the full default feature set (HPSS and CQT included) by --jobs 2, N times afresh.
#   scripts/bench_extract.sh [EXTRACT_BINARY] [N]   (needs sox and lame)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
extract=${1:-$root/build/app/extract/featurescope-extract}
repeat=${2:-3}
clips=${FEATURESCOPE_BENCH_CLIPS:-$root/build/bench/clips30}
if [ ! -f "$clips/clip19.mp3" ]; then
    mkdir -p "$clips"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    demo="$root/resources/demo/demo.flac"
    # Long enough for every offset: the demo repeated.
    sox "$demo" "$demo" "$demo" "$demo" "$demo" "$demo" -r 44100 -c 2 "$tmp/long.wav"
    length=$(soxi -D "$tmp/long.wav")
    for i in $(seq 0 19); do
        offset=$(awk -v i="$i" -v l="$length" 'BEGIN { printf "%.3f", (i * 7.3) % (l - 31) }')
        sox "$tmp/long.wav" -b 16 "$tmp/clip.wav" trim "$offset" 30
        lame --quiet -b 128 "$tmp/clip.wav" "$clips/clip$i.mp3"
    done
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
out=$(mktemp -d)
for r in $(seq 1 "$repeat"); do
    rm -rf "$out/run"
    start=$(date +%s.%N)
    "$extract" --jobs 2 "$clips" -o "$out/run" 2>/dev/null || true
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "run: %.3f s, %.1f files/s\n", e - s, 20 / (e - s) }'
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$out"
