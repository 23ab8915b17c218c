#!/usr/bin/env bash
# The two commands of README.md. Each installs the Debian 12 packages that are missing
# (deps/debian-packages.txt), configures and builds incrementally into build/, then
#   ./featurescope.sh gui [FILE]  opens the window on FILE, or on the bundled demo track;
#   ./featurescope.sh test        runs every test through CTest, then builds core, the extractor
#                                 and their tests with AddressSanitizer and UBSan into
#                                 build-asan/ and runs them there, with the fuzz smoke.
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

# The locale tests run under de_DE.UTF-8, a decimal-comma locale (tests/export/test_locale.cpp): generate
# it once, through /etc/locale.gen so that a later locale-gen keeps it.
if ! locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\?8'; then
    if grep -q '^# *de_DE.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null; then
        as_root sed -i 's/^# *\(de_DE.UTF-8 UTF-8\)/\1/' /etc/locale.gen
    elif ! grep -q '^de_DE.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null; then
        echo 'de_DE.UTF-8 UTF-8' | as_root tee -a /etc/locale.gen >/dev/null
    fi
    as_root locale-gen >/dev/null
fi

# configure_and_build DIR WHAT CMAKE_ARGS...: configures DIR once, then builds it incrementally,
# quietly; on a failure it shows the errors and names the whole log (DIR/build.log).
configure_and_build() {
    local dir=$1 what=$2
    shift 2
    local log="$dir/build.log"
    mkdir -p "$dir"
    if [ ! -f "$dir/CMakeCache.txt" ]; then
        cmake -S "$root" -B "$dir" "$@" >"$log" 2>&1 || {
            cat "$log"
            exit 1
        }
    fi
    cmake --build "$dir" -j"$(nproc)" >"$log" 2>&1 || {
        grep -E -B2 -A8 'error|Error' "$log" | head -80
        echo "$what failed; the whole log is $log" >&2
        exit 1
    }
}

configure_and_build "$build" "Build" -DCMAKE_BUILD_TYPE=Release

if [ "$mode" = gui ]; then
    track=${1:-$root/resources/demo/demo.flac}
    exec "$build/app/gui/featurescope" "$track"
fi
export QT_QPA_PLATFORM=offscreen
status=0
(cd "$build" && ctest --output-on-failure -j"$(nproc)" --timeout 900) || status=1

# The sanitized build: no GUI, RelWithDebInfo so that a report names file and line. A leak, an
# out-of-bounds access or undefined behaviour ends the process with its own exit code (86, 87),
# never the extractor's 0-3.
asan="$root/build-asan"
configure_and_build "$asan" "Sanitized build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFEATURESCOPE_BUILD_GUI=OFF -DFEATURESCOPE_SANITIZE=ON
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:exitcode=86
export LSAN_OPTIONS=suppressions=$root/tests/lsan.supp
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=87
if ! (cd "$asan" && ctest -N -R '^fuzz_smoke$' | grep -q 'Total Tests: 1'); then
    echo "build-asan has no fuzz_smoke test (tests/fuzz/CMakeLists.txt)" >&2
    exit 1
fi
(cd "$asan" && ctest --output-on-failure -j"$(nproc)" --timeout 900) || status=1
exit $status
