#!/usr/bin/python3
"""Fuzz smoke of the sanitized featurescope-extract: damaged audio files must be reported and
skipped, never crash it, hang it or trip AddressSanitizer, LeakSanitizer or UBSan.

usage: fuzz_smoke.py FEATURESCOPE_EXTRACT WORKDIR [--mutants N] [--seed S] [--batch B]
                     [--timeout SECONDS] [--no-leaks]

Makes small seed files (wav with Python's wave module and by hand, flac and ogg with sox, mp3
with lame), derives N mutants from them deterministically (byte flips, truncations, splices,
header field edits; Ogg pages get their CRC recomputed so that edits reach the decoder), and
runs the extractor on batches of B mutants, each run limited to SECONDS. A run passes when it
exits 0 (all written) or 1 (some skipped) with no sanitizer report; a failing batch is rerun one
file at a time to name the mutants that fail. Each failing mutant is kept in WORKDIR/failures
with the run's command and output beside it. Exit status: 0 when every run passed, 1 otherwise
(a missing tool or an unsanitized extractor is a failure too, never a skip).
"""
import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import mutations
import seeds

ASAN_EXIT, UBSAN_EXIT = 86, 87
# Any line a sanitizer starts ("==123==ERROR: AddressSanitizer: ...", "==123==AddressSanitizer:
# hard rss limit exhausted") and UBSan's "file:line: runtime error: ...".
REPORT = re.compile(r"==\d+==.*Sanitizer|runtime error:")
SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Two ways to run: the frame table of the whole track, and a centre crop with .npy exports.
CONFIGS = (["--frames"], ["--crop", "center:1", "--npy", "mel,cqt,stft"])


def sanitizer_env(leaks):
    """A run stops at its first report with its own exit code; a mutant that makes the extractor
    grow past 2 GB (a seed needs about 200 MB under ASan) is a report too, before it can take
    the machine's memory."""
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = ("halt_on_error=1:detect_leaks=%d:exitcode=%d:hard_rss_limit_mb=2048"
                           ":allocator_may_return_null=0" % (1 if leaks else 0, ASAN_EXIT))
    env["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1:exitcode=%d" % UBSAN_EXIT
    # libsndfile's own leak on a malformed Ogg Vorbis open (tests/lsan.supp says why).
    env["LSAN_OPTIONS"] = "suppressions=" + os.path.join(
        os.path.dirname(os.path.abspath(__file__)), os.pardir, "lsan.supp")
    env["LC_ALL"] = "C"
    return env


class Run:
    """One extractor run over a folder: its verdict and, when it failed, why."""

    def __init__(self, exe, folder, config, timeout, env):
        self.command = [exe, folder, "-o", folder + ".out", "--jobs", "2", *config]
        self.env = env
        started = time.monotonic()
        process = subprocess.Popen(self.command, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, env=env, start_new_session=True)
        try:
            output, _ = process.communicate(timeout=timeout)
            self.code = process.returncode
            self.hung = False
        except subprocess.TimeoutExpired:
            self.hang_frames = hang_frames(process.pid)
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            self.code = None
            self.hung = True
        self.seconds = time.monotonic() - started
        if not self.hung:
            self.hang_frames = []
        self.output = output.decode("utf-8", "replace")
        shutil.rmtree(folder + ".out", ignore_errors=True)
        self.report = next((line for line in self.output.splitlines() if REPORT.search(line)),
                           None)

    @property
    def failed(self):
        return self.hung or self.report is not None or self.code not in (0, 1)

    def reason(self, timeout):
        if self.hung:
            return "no exit within %g s" % timeout
        if self.report:
            return self.report.strip()
        if self.code < 0:
            return "killed by signal %s" % signal.Signals(-self.code).name
        return "exit status %d (0 or 1 expected)" % self.code

    def top_frames(self, count=6):
        """The report's first stack frames and its first frame in our sources; without a stack,
        the output's last lines (a process memory map left out)."""
        lines = [l.strip() for l in self.output.splitlines()]
        frames = self.hang_frames or [l for l in lines if re.match(r"#\d+ ", l)]
        if frames:
            ours = next((f for f in frames if SOURCE in f), None)
            return frames[:count] + ([ours] if ours and ours not in frames[:count] else [])
        lines = [l for l in lines if l and not l.startswith("0x") and "memory map" not in l]
        return lines[-count:]


def hang_frames(pid):
    """Where a hung run is: the busy threads' frames in our code and in libraries, read with gdb
    when it is installed and may attach (best effort: [] otherwise)."""
    if not shutil.which("gdb"):
        return []
    try:
        out = subprocess.run(["gdb", "-p", str(pid), "-batch", "-ex", "thread apply all bt 24"],
                             capture_output=True, text=True, timeout=60).stdout
    except subprocess.TimeoutExpired:
        return []
    frames = []
    for thread in out.split("\nThread ")[1:]:
        lines = [l for l in thread.splitlines() if re.match(r"#\d+ ", l)]
        if any("futex" in l or "pthread_cond" in l or "nanosleep" in l for l in lines[:3]):
            continue  # a waiting thread
        frames += [re.sub(r" \(.*?\) at ", " at ", l)[:160] for l in lines
                   if "featurescope::" in l or (" from /" in l and "libc.so" not in l
                                                and " ?? " not in l)][:5]
    return frames


def write_batch(folder, mutants):
    os.makedirs(folder)
    for m in mutants:
        with open(os.path.join(folder, m.name), "wb") as f:
            f.write(m.data)


def keep_failure(failures, mutant, run, timeout):
    os.makedirs(failures, exist_ok=True)
    with open(os.path.join(failures, mutant.name), "wb") as f:
        f.write(mutant.data)
    config = run.command[run.command.index("--jobs") + 2:]
    again = "ASAN_OPTIONS=%s %s %s -o /tmp/fuzz_out %s" % (
        run.env["ASAN_OPTIONS"], run.command[0], os.path.join(failures, mutant.name),
        " ".join(config))
    with open(os.path.join(failures, mutant.name + ".txt"), "w") as f:
        f.write("mutant: %s\nmutation: %s\nverdict: %s\nreproduce: %s\n\n%s" % (
            mutant.name, mutant.description, run.reason(timeout), again, run.output))


def check_prerequisites(exe):
    problems = []
    if not os.access(exe, os.X_OK):
        problems.append("%s is not an executable" % exe)
    else:
        with open(exe, "rb") as f:
            if b"__asan_init" not in f.read():
                problems.append("%s is not built with FEATURESCOPE_SANITIZE=ON" % exe)
    for tool in ("sox", "lame"):
        if not shutil.which(tool):
            problems.append("%s is missing (deps/debian-packages.txt)" % tool)
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("exe")
    parser.add_argument("workdir")
    parser.add_argument("--mutants", type=int, default=320)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--no-leaks", action="store_true",
                        help="LeakSanitizer off (to look past a known leak; CI keeps it on)")
    args = parser.parse_args()
    exe = os.path.abspath(args.exe)
    problems = check_prerequisites(exe)
    if problems:
        print("fuzz_smoke cannot run:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    failures = os.path.join(os.path.abspath(args.workdir), "failures")
    shutil.rmtree(failures, ignore_errors=True)
    os.makedirs(args.workdir, exist_ok=True)
    env = sanitizer_env(not args.no_leaks)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="fuzz_", dir=args.workdir) as tmp:
        originals = seeds.make_seeds(os.path.join(tmp, "seeds"))
        # The seeds themselves must all be written, in both configurations, cleanly: a failure
        # there (a leak at exit, say) is not the mutants' and would fail every run.
        for config in CONFIGS:
            check = Run(exe, os.path.join(tmp, "seeds"), config, 4 * args.timeout, env)
            if check.code != 0 or check.report or check.hung:
                print("fuzz_smoke: the valid seed files already fail (%s) with %s:\n  %s\n\n%s" % (
                    check.reason(args.timeout), " ".join(config),
                    "\n  ".join(check.top_frames(8)), check.output), file=sys.stderr)
                return 1
        rng = random.Random(args.seed)
        mutants = mutations.make_mutants(originals, args.mutants, rng)
        runs, failed = 0, []
        for b in range(0, len(mutants), args.batch):
            batch = mutants[b:b + args.batch]
            config = CONFIGS[(b // args.batch) % len(CONFIGS)]
            folder = os.path.join(tmp, "batch%03d" % (b // args.batch))
            write_batch(folder, batch)
            run = Run(exe, folder, config, args.timeout, env)
            runs += 1
            if not run.failed:
                continue
            print("batch %d (%s) failed: %s; rerunning its %d files one by one" % (
                b // args.batch, " ".join(config), run.reason(args.timeout), len(batch)))
            before = len(failed)
            for m in batch:
                single = os.path.join(tmp, "single")
                shutil.rmtree(single, ignore_errors=True)
                write_batch(single, [m])
                one = Run(exe, single, config, args.timeout, env)
                runs += 1
                if one.failed:
                    failed.append((m, one))
                    keep_failure(failures, m, one, args.timeout)
            if len(failed) == before:  # only together: the batch is the reproduction
                whole = mutations.Mutant(b, "batch%03d.all" % (b // args.batch), "batch", b"",
                                         "the mutants %s together" % [m.name for m in batch])
                failed.append((whole, run))
                shutil.copytree(folder, os.path.join(failures, os.path.basename(folder)))
    seconds = time.monotonic() - started
    print("fuzz_smoke: %d mutants of %d seeds, %d runs, %d failing mutants, %.0f s" % (
        len(mutants), len(originals), runs, len(failed), seconds))
    by_reason = {}
    for m, run in failed:
        # Addresses and process ids differ from run to run; the functions stay.
        key = (re.sub(r"==\d+==|\(.*?\)", "", run.reason(args.timeout)),
               tuple(re.sub(r"^#\d+|0x[0-9a-f]+|==\d+==|\(\d+Mb vs \d+Mb\)", "", f).strip()
                     for f in run.top_frames(3)))
        by_reason.setdefault(key, []).append(m)
    for (reason, frames), ms in sorted(by_reason.items(), key=lambda kv: -len(kv[1])):
        print("\n%d mutant(s): %s" % (len(ms), reason))
        for frame in frames:
            print("    " + frame)
        for m in ms[:8]:
            print("  %s: %s" % (m.name, m.description))
        if len(ms) > 8:
            print("  ... and %d more" % (len(ms) - 8))
    if failed:
        print("\nthe failing mutants and their runs' output are in " + failures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
