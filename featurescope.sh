#!/usr/bin/env bash
# The two commands of README.md. Each installs the Debian 12 packages that are missing
# (deps/debian-packages.txt), configures and builds incrementally into build/, then
#   ./featurescope.sh gui [FILE]  opens the window on FILE, or on the bundled demo track;
#   ./featurescope.sh test        runs every test through CTest.
# Quiet when everything is already installed and built.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
build="$root/build"
mode=${1:-}
case "$mode" in
gui | test) shift ;;
*)
    echo "usage: $0 gui [FILE] | test" >&2
    exit 2
    ;;
esac

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

mapfile -t wanted < <(grep -v -E '^\s*(#|$)' "$root/deps/debian-packages.txt")
missing=()
for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${#missing[@]} Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

log="$build/build.log"
mkdir -p "$build"
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$log" 2>&1 || {
        cat "$log"
        exit 1
    }
fi
cmake --build "$build" -j"$(nproc)" >"$log" 2>&1 || {
    grep -E -B2 -A8 'error|Error' "$log" | head -80
    echo "Build failed; the whole log is $log" >&2
    exit 1
}

if [ "$mode" = gui ]; then
    track=${1:-$root/resources/demo/demo.flac}
    exec "$build/app/gui/featurescope" "$track"
fi
cd "$build"
export QT_QPA_PLATFORM=offscreen
exec ctest --output-on-failure -j"$(nproc)" --timeout 900
