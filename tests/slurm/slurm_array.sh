#!/usr/bin/env bash
# CTest slurm_array: featurescope-extract's slurm-script run on a real, single-node Slurm
# (cluster.sh) over 20 clips and a broken file in 4 shards, with one task cancelled mid-run and
# resubmitted. The merged tables must be byte-equal to one unsharded run's.
#   tests/slurm/slurm_array.sh EXTRACT_BINARY SOURCE_DIR
# A missing part (root, munge, slurm, sox, lame) fails the test; it never skips.
set -euo pipefail
extract=$(realpath "$1")
source_dir=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/slurm/cluster.sh
source "$here/cluster.sh"
start=$SECONDS

tmp=$(mktemp -d /tmp/featurescope-slurm.XXXXXX)
finish() {
    local status=$?
    set +e # the teardown runs whole, whatever fails in it
    trap - EXIT INT TERM
    if [ $status -ne 0 ] && [ -d "$tmp/work/out/logs" ]; then
        for log in "$tmp"/work/out/logs/*.log; do
            [ -f "$log" ] || continue
            echo "--- $log" >&2
            tail -n 15 "$log" >&2
        done
        tail -n 20 "$tmp/log/slurmctld.log" "$tmp/log/slurmd.log" >&2 2>/dev/null || true
    fi
    cluster_down
    rm -rf "$tmp"
    exit $status
}
trap finish EXIT
trap 'exit 130' INT TERM
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
step() { echo "[$((SECONDS - start)) s] $*"; }
for tool in sox lame cmp; do
    command -v "$tool" >/dev/null || fail "$tool is missing: install deps/debian-packages.txt"
done
[ -x "$extract" ] || fail "no featurescope-extract at $extract"
cluster_require # root, munge, slurm: before anything else

# --- the data set: 20 clips cut from the demo track (wav, flac, mp3; 44.1 kHz stereo) and a
# file that is not audio, in two label folders. 19 clips last 6 s; data/rock/zz_long.wav lasts
# 10 min (about 3 s of analysis): it sorts last, so the task that holds it has written every
# other track of its shard when it starts on it, and is cancelled then, mid-run.
step "making clips"
work=$tmp/work
mkdir -p "$work/data/jazz" "$work/data/rock" "$work/probe"
cd "$work"
sox "$source_dir/resources/demo/demo.flac" -r 44100 -c 2 -b 16 "$tmp/demo.wav"
for i in $(seq -w 0 18); do
    folder=$([ $((10#$i % 2)) -eq 0 ] && echo jazz || echo rock)
    sox "$tmp/demo.wav" "$tmp/clip.wav" trim "$((10#$i * 2))" 6
    case $((10#$i % 3)) in
    0) cp "$tmp/clip.wav" "data/$folder/c$i.wav" ;;
    1) sox "$tmp/clip.wav" "data/$folder/c$i.flac" ;;
    2) lame --quiet -b 128 "$tmp/clip.wav" "data/$folder/c$i.mp3" ;;
    esac
done
printf 'not audio at all\n' >data/jazz/broken.wav

# Which shards hold zz_long.wav and broken.wav: the extractor's own --shard, on a 1 s stand-in
# at zz_long.wav's path.
sox "$tmp/demo.wav" data/rock/zz_long.wav trim 0 1
for i in 0 1 2 3; do
    "$extract" data/rock/zz_long.wav data/jazz/broken.wav -o "probe/$i" --shard "$i/4" \
        --features rms >/dev/null 2>&1 || true
    if grep -q zz_long "probe/$i/summary.csv"; then long_task=$i; fi
    if grep -q broken "probe/$i/skipped.csv"; then broken_task=$i; fi
done
[ -n "${long_task:-}" ] && [ -n "${broken_task:-}" ] || fail "no --shard I/4 took a probe track"
parts=()
for _ in $(seq 13); do parts+=("$source_dir/resources/demo/demo.flac"); done # 48 s each
sox "${parts[@]}" data/rock/zz_long.wav trim 0 600
[ "$(find data -type f | wc -l)" -eq 21 ] || fail "expected 20 clips and a broken file"

step "one unsharded run (the reference)"
status=0
"$extract" data -o ref --jobs 2 >ref.log 2>&1 || status=$?
[ $status -eq 1 ] || fail "the unsharded run exited $status, not 1 (one file skipped): $(cat ref.log)"

step "bringing up Slurm"
cluster_up "$tmp"
step "slurm-script"
# A bad extract option fails when the script is written, with nothing written.
status=0
"$extract" slurm-script data -o bad --shards 4 --n-fft 0 >bad.log 2>&1 || status=$?
[ $status -eq 2 ] && [ ! -e bad ] || fail "slurm-script with --n-fft 0 exited $status, wrote $(ls -d bad 2>/dev/null)"
"$extract" slurm-script data -o out --shards 4 --cpus-per-task 1 --throttle 2 >script.log
cat script.log
grep -q '^#SBATCH --array=0-3%2$' out/slurm/extract.sbatch || fail "no --array=0-3%2 line"
grep -q '^#SBATCH --mem=[0-9]*M$' out/slurm/extract.sbatch || fail "no --mem line"
grep -q 'header unreadable.*broken.wav' script.log || fail "slurm-script did not report broken.wav"

step "submitting"
submitted=$(out/slurm/submit.sh)
echo "$submitted"
[[ $submitted =~ extract\ job\ ([0-9]+),\ merge\ job\ ([0-9]+) ]] || fail "submit.sh said: $submitted"
array=${BASH_REMATCH[1]}
merge=${BASH_REMATCH[2]}

job_field() { scontrol -o show job "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }
ended() { [[ $(job_field "$1" JobState) =~ ^(COMPLETED|FAILED|CANCELLED|TIMEOUT|OUT_OF_MEMORY)$ ]]; }
# Task $long_task is on zz_long.wav once its log shows every other track of its shard done:
# "[n-1/n] ..." and no "[n/n]".
long_log=out/logs/extract-"${array}_$long_task".log
on_long_track() {
    local last
    last=$(grep -oE '^\[[0-9]+/[0-9]+\]' "$long_log" | tail -n 1 | tr -d '[]') || return 1
    [ -n "$last" ] && [ $((${last%/*} + 1)) -eq "${last#*/}" ]
}
cluster_wait 120 on_long_track || fail "task $long_task never reached zz_long.wav: $(cat "$long_log")"
step "cancelling task ${array}_$long_task on zz_long.wav"
scancel "${array}_$long_task"
cluster_wait 30 ended "${array}_$long_task" || fail "task $long_task did not end when cancelled"
[ "$(job_field "${array}_$long_task" JobState)" = CANCELLED ] ||
    fail "task $long_task $(job_field "${array}_$long_task" JobState) before it was cancelled"

# The merge job (afterany) starts when the array has ended, and refuses: shard $long_task is
# missing.
cluster_wait 60 ended "$merge" || fail "merge job $merge did not run after the array ended"
for task in 0 1 2 3; do
    [ "$task" = "$long_task" ] || [ "$(job_field "${array}_$task" JobState)" = COMPLETED ] ||
        fail "task $task: $(job_field "${array}_$task" JobState)"
done
[ "$(job_field "$merge" JobState)" = FAILED ] && [ "$(job_field "$merge" ExitCode)" = 2:0 ] ||
    fail "merge job $merge: $(job_field "$merge" JobState) $(job_field "$merge" ExitCode), not FAILED 2:0"
grep -q "shard $long_task of 4 is missing" out/logs/merge-"$merge".log ||
    fail "the merge job did not name shard $long_task: $(cat out/logs/merge-"$merge".log)"
# By hand too: a merge refuses, names the one missing shard and writes nothing.
status=0
"$extract" merge out/shards/0 out/shards/1 out/shards/2 out/shards/3 -o early >early.log 2>&1 ||
    status=$?
[ $status -eq 2 ] || fail "a merge without shard $long_task exited $status: $(cat early.log)"
grep -q "shard $long_task of 4 is missing" early.log || fail "the early merge said: $(cat early.log)"
[ ! -e early ] || fail "the refused merge wrote early/"
step "resubmitting task $long_task"
submitted=$(out/slurm/submit.sh "$long_task")
[[ $submitted =~ extract\ job\ ([0-9]+),\ merge\ job\ ([0-9]+) ]] || fail "submit.sh said: $submitted"
rerun=${BASH_REMATCH[1]}
merge=${BASH_REMATCH[2]}
cluster_wait 120 ended "$merge" || fail "the second merge job $merge did not end"
[ "$(job_field "$merge" JobState)" = COMPLETED ] ||
    fail "the second merge: $(job_field "$merge" JobState): $(cat out/logs/merge-"$merge".log)"
# The resubmitted task kept what the cancelled one had finished: only zz_long.wav was left.
rerun_log=out/logs/extract-"${rerun}_$long_task".log
grep -qE '^[0-9]+ tracks: 1 written, [1-9][0-9]* already done' "$rerun_log" ||
    fail "the resubmitted task redid finished tracks: $(tail -n 3 "$rerun_log")"

# The task that skipped broken.wav exited 1 inside and counts as a success (COMPLETED 0:0).
broken_job=${array}_$broken_task
[ "$broken_task" != "$long_task" ] || broken_job=${rerun}_$long_task
broken_log=out/logs/extract-$broken_job.log
grep -q 'skipped data/jazz/broken.wav' "$broken_log" || fail "$broken_log does not report broken.wav"
grep -q 'the task succeeded' "$broken_log" || fail "$broken_log does not say why exit 1 is a success"
broken_state="$(job_field "$broken_job" JobState) $(job_field "$broken_job" ExitCode)"
[ "$broken_state" = "COMPLETED 0:0" ] || fail "task $broken_job (broken.wav) ended $broken_state"

step "comparing with the unsharded run"
for name in summary.csv summary_z.csv scaler.csv skipped.csv; do
    cmp "ref/$name" "out/$name" || fail "out/$name differs from the unsharded run's"
done
[ "$(wc -l <out/summary.csv)" -eq 21 ] || fail "the merged summary has not 20 rows"
step "PASS (the Slurm test took $((SECONDS - start)) s)"
