#!/usr/bin/env bash
# Measures FFTW's plans for every transform the app's analyses use and writes them to
# resources/fftw/ (see its README). Run it on a quiet machine after changing a transform size
# or the FFTW version; test_fft says when the built-in wisdom misses a plan.
#   scripts/make_fftw_wisdom.sh [BENCH_BINARY]   (needs sox; takes a minute)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${1:-$root/build/tests/bench/featurescope-bench}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A short stereo 44.1 kHz track: the analyses resample to their own rate, so the sizes are those
# of any input.
sox "$root/resources/demo/demo.flac" -r 44100 -c 2 "$tmp/track.wav" trim 0 20
"$bench" "$tmp/track.wav" --write-fftw-wisdom "$root/resources/fftw"
