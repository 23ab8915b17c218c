#!/usr/bin/python3
"""The output folder of featurescope-extract as a user re-runs, merges and shares it.

usage: test_outdir.py FEATURESCOPE_EXTRACT REFERENCE_DIR
Re-runs after a file changed or an export was deleted, other settings into one folder, paths
with '..', a line break or bytes that are not UTF-8, two runs at once, an unreadable sub-folder,
the temporaries of a killed run and a 245-byte file name; every output read back with pandas,
numpy and json as a student would.
"""
import fcntl
import glob
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

import numpy as np
import pandas as pd

EXE = REF = None
# The temporaries writeFileAtomically makes (docs/extract.md): "." + name + ".fstmp-" + 12 hex.
TEMPORARY = re.compile(rb"^\..*\.fstmp-[0-9a-f]{12}$", re.S)


def run(*args, cwd=None, user=None):
    command = [EXE, *args]
    if user:  # as another user, where root's reading of anything would hide the problem
        command = ["setpriv", "--reuid=" + user, "--regid=nogroup", "--clear-groups", *command]
    done = subprocess.run(command, cwd=cwd, capture_output=True, timeout=300)
    return done.returncode, os.fsdecode(done.stdout + done.stderr)


def unescape(text):
    """The file name a table's path stands for (docs/extract.md): percent-decoding."""
    return urllib.parse.unquote(text, errors="surrogateescape")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def temporaries(folder):
    found = []
    for d, _, files in os.walk(os.fsencode(folder)):
        found += [os.path.join(d, f) for f in files if TEMPORARY.match(f)]
    return found


class OutputFolder(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="featurescope_outdir_")
        os.chmod(self.tmp, 0o755)  # the sub-test run as nobody must get in

    def tearDown(self):
        for d, subs, _ in os.walk(self.tmp):
            for sub in subs:
                if not os.path.islink(os.path.join(d, sub)):
                    os.chmod(os.path.join(d, sub), 0o755)
        shutil.rmtree(self.tmp)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def track(self, name, source="tiny.wav"):
        """Copies a reference track to `name` (str or bytes) under the scratch folder."""
        target = os.path.join(os.fsencode(self.tmp), os.fsencode(name))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy(os.path.join(REF, source), target)
        return target

    def summary(self, out):
        return pd.read_csv(os.path.join(out, "summary.csv"), keep_default_na=False)

    # 1a
    def test_replaced_file_gets_a_new_row(self):
        self.track("in/rock/a.wav", "drums.wav")
        args = ("in", "-o", "out", "--features", "rms")
        code, log = run(*args, cwd=self.tmp)
        self.assertEqual(code, 0, log)
        self.assertAlmostEqual(float(self.summary(self.path("out")).duration_s[0]), 8.0, places=3)
        # Another recording under the same name (another size).
        self.track("in/rock/a.wav", "chords.wav")
        code, log = run(*args, cwd=self.tmp)
        self.assertEqual(code, 0, log)
        self.assertIn("analysing again in/rock/a.wav: changed since it was analysed", log)
        self.assertIn("1 written, 0 already done", log)
        first = self.summary(self.path("out"))
        self.assertAlmostEqual(float(first.duration_s[0]), 6.0, places=3)
        # The same size, other samples, another modification time (a re-encode, an edit).
        data = bytearray(read(self.path("in/rock/a.wav")))
        data[-20000:] = bytes(20000)
        with open(self.path("in/rock/a.wav"), "wb") as f:
            f.write(data)
        os.utime(self.path("in/rock/a.wav"), (1e9, 1e9))
        code, log = run(*args, cwd=self.tmp)
        self.assertEqual(code, 0, log)
        self.assertIn("analysing again in/rock/a.wav: changed since it was analysed", log)
        second = self.summary(self.path("out"))
        self.assertNotEqual(float(first.rms_mean[0]), float(second.rms_mean[0]))
        # Untouched now: reused.
        code, log = run(*args, cwd=self.tmp)
        self.assertIn("0 written, 1 already done", log)

    # 1b
    def test_deleted_export_is_rewritten_and_reported(self):
        self.track("in/rock/a.wav")
        self.track("in/rock/b.wav")
        args = ("in", "-o", "out", "--features", "mel,rms", "--npy", "mel", "--frames")
        code, log = run(*args, cwd=self.tmp)
        self.assertEqual(code, 0, log)
        gone = self.path("out/tracks/in/rock/a.wav.mel.npy")
        expected = np.load(gone)
        os.remove(gone)
        os.remove(self.path("out/tracks/in/rock/b.wav.frames.csv"))
        code, log = run(*args, cwd=self.tmp)
        self.assertEqual(code, 0, log)
        self.assertIn("analysing again in/rock/a.wav: its export out/tracks/in/rock/a.wav.mel.npy"
                      " is missing", log)
        self.assertIn("analysing again in/rock/b.wav: its export "
                      "out/tracks/in/rock/b.wav.frames.csv is missing", log)
        self.assertIn("2 written, 0 already done", log)
        self.assertTrue(np.array_equal(np.load(gone), expected))
        self.assertIn("rms", pd.read_csv(self.path("out/tracks/in/rock/b.wav.frames.csv")).columns)

    # 1c
    def test_other_settings_remove_the_earlier_exports_and_say_so(self):
        for name in ("a", "b"):
            self.track("in/rock/%s.wav" % name)
        code, log = run("in", "-o", "out", "--npy", "mel,cqt", "--features", "mel,cqt",
                        cwd=self.tmp)
        self.assertEqual(code, 0, log)
        with open(self.path("out/tracks/notes.txt"), "w") as f:  # not ours: stays
            f.write("mine")
        code, log = run("in", "-o", "out", "--npy", "mel", "--features", "mel", "--n-fft", "1024",
                        cwd=self.tmp)
        self.assertEqual(code, 0, log)
        self.assertRegex(log, r"out/tracks held 6 files exported with other settings \(n_fft: "
                              r"2048 then, 1024 now;.* exports: mel,cqt then, mel now\): removed")
        files = sorted(os.path.relpath(f, self.path("out/tracks"))
                       for f in glob.glob(self.path("out/tracks/**/*.*"), recursive=True))
        self.assertEqual(files, ["in/rock/a.wav.json", "in/rock/a.wav.mel.npy",
                                 "in/rock/b.wav.json", "in/rock/b.wav.mel.npy", "notes.txt"])
        for name in ("a", "b"):
            with open(self.path("out/tracks/in/rock/%s.wav.json" % name)) as f:
                sidecar = json.load(f)
            self.assertEqual(sidecar["settings"]["n_fft"], 1024)
            self.assertEqual(list(sidecar["outputs"]), ["%s.wav.mel.npy" % name])
        with open(self.path("out/summary.json")) as f:
            self.assertEqual(json.load(f)["settings"]["n_fft"], 1024)
        # The same settings again: nothing removed, nothing redone.
        code, log = run("in", "-o", "out", "--npy", "mel", "--features", "mel", "--n-fft", "1024",
                        cwd=self.tmp)
        self.assertNotIn("removed", log)
        self.assertIn("0 written, 2 already done", log)

    # 2a
    def test_merge_keeps_a_path_with_a_line_break(self):
        names = ["in/new\nline.wav", "in/plain.wav", 'in/quote" and, comma.wav', "in/z.wav"]
        for name in names:
            self.track(name)
        whole = self.path("whole")
        code, log = run("in", "-o", whole, "--features", "rms", cwd=self.tmp)
        self.assertEqual(code, 0, log)
        shards = []
        for i in range(2):
            shards.append(self.path("shard%d" % i))
            code, log = run("in", "-o", shards[-1], "--features", "rms", "--shard", "%d/2" % i,
                            cwd=self.tmp)
            self.assertEqual(code, 0, log)
        self.assertEqual(sum(len(self.summary(s)) for s in shards), len(names))
        code, log = run("merge", *shards, "-o", self.path("merged"))
        self.assertEqual(code, 0, log)
        self.assertIn("4 tracks written", log)
        for table in ("summary.csv", "summary_z.csv", "skipped.csv"):
            self.assertEqual(read(os.path.join(whole, table)),
                             read(self.path("merged", table)), table)
        self.assertEqual(sorted(self.summary(self.path("merged")).path), sorted(names))

    # 2b
    def test_dotdot_and_absolute_paths_keep_distinct_exports(self):
        self.track("work/in/a.wav", "drums.wav")   # in/a.wav from work/
        self.track("in/a.wav", "chords.wav")       # ../in/a.wav from work/
        absolute = self.path("work/in/a.wav")
        code, log = run("in/a.wav", "../in/a.wav", absolute, "-o", "out", "--npy", "mel",
                        "--features", "mel", cwd=self.path("work"))
        self.assertEqual(code, 0, log)
        tracks = self.path("work/out/tracks")
        here = np.load(os.path.join(tracks, "in/a.wav.mel.npy"))
        up = np.load(os.path.join(tracks, "%2E%2E/in/a.wav.mel.npy"))
        root = np.load(os.path.join(tracks, "%2F" + absolute + ".mel.npy"))
        self.assertEqual(here.shape[1], 345)  # drums: 8 s
        self.assertEqual(up.shape[1], 259)    # chords: 6 s
        self.assertTrue(np.array_equal(here, root))
        with open(os.path.join(tracks, "%2E%2E/in/a.wav.json")) as f:
            self.assertEqual(json.load(f)["source"], "../in/a.wav")
        self.assertEqual(sorted(self.summary(self.path("work/out")).path),
                         sorted(["in/a.wav", "../in/a.wav", absolute]))

    # 2c
    def test_a_name_that_is_not_utf8_round_trips(self):
        good = b"in/caf\xe9 100%41.wav"  # Latin-1 and a literal "%41"
        bad = b"in/\xff\xfe broken.wav"
        self.track(good)
        with open(os.path.join(os.fsencode(self.tmp), bad), "wb"):
            pass  # empty: skipped, with its name in skipped.csv
        code, log = run("in", "-o", "out", "--npy", "mel", "--features", "mel", cwd=self.tmp)
        self.assertEqual(code, 1, log)
        for table in ("summary.csv", "summary_z.csv", "skipped.csv"):
            read(self.path("out", table)).decode("utf-8")  # strict UTF-8: raises otherwise
        df = self.summary(self.path("out"))
        self.assertEqual(list(df.path), ["in/caf%E9 100%2541.wav"])
        self.assertEqual(os.fsencode(unescape(df.path[0])), good)
        self.assertTrue(os.path.exists(os.path.join(self.tmp, unescape(df.path[0]))))
        skipped = pd.read_csv(self.path("out/skipped.csv"))
        self.assertEqual(os.fsencode(unescape(skipped.path[0])), bad)
        self.assertIn("empty", skipped.reason[0])
        # tracks/ keeps the bytes; only the "%41" becomes "%2541" (docs/extract.md).
        stem = os.path.join(os.fsencode(self.tmp), b"out/tracks/in/caf\xe9 100%2541.wav")
        with open(stem + b".json", "rb") as f:
            sidecar = json.loads(f.read().decode("utf-8"))
        self.assertEqual(os.fsencode(unescape(sidecar["source"])), good)
        self.assertEqual(os.fsencode(unescape(list(sidecar["outputs"])[0])),
                         os.path.basename(stem) + b".mel.npy")
        self.assertEqual(np.load(stem + b".mel.npy").dtype, np.float32)
        with open(self.path("out/summary.json"), "rb") as f:
            json.loads(f.read().decode("utf-8"))

    # 3
    def test_a_second_run_into_a_busy_folder_exits_2_naming_the_pid(self):
        for i in range(12):
            self.track("in/rock/t%02d.wav" % i, "drums.wav")
        out = self.path("out")
        first = subprocess.Popen([EXE, "in", "-o", out, "--features", "all", "--jobs", "1"],
                                 cwd=self.tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        lock = os.path.join(out, ".featurescope", "lock")
        deadline = time.time() + 30
        while time.time() < deadline:
            if os.path.exists(lock) and read(lock) == b"%d\n" % first.pid:
                break
            time.sleep(0.001)
        os.kill(first.pid, signal.SIGSTOP)  # held while the second tries
        try:
            self.assertIsNone(first.poll(), "the first run ended before the second could try")
            with open(lock) as f:
                with self.assertRaises(BlockingIOError):
                    fcntl.flock(f, fcntl.LOCK_SH | fcntl.LOCK_NB)
            for args in (["in", "-o", out, "--features", "rms"],
                         ["merge", self.path("nowhere"), "-o", out]):
                code, log = run(*args, cwd=self.tmp)
                self.assertEqual(code, 2, log)
                self.assertIn("%s is in use: process %d (%s" % (out, first.pid, EXE), log)
                self.assertIn("holds its lock " + lock, log)
        finally:
            os.kill(first.pid, signal.SIGCONT)
        log = first.communicate(timeout=300)[0].decode()
        self.assertEqual(first.returncode, 0, log)
        self.assertEqual(len(self.summary(out)), 12)
        with open(os.path.join(out, "summary.json")) as f:
            self.assertIn("tonnetz", json.load(f)["librosa"])  # the first run's, not rms only
        # A merge reading a shard another run is writing waits for nobody: it refuses.
        with open(lock, "w") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            f.write("%d\n" % os.getpid())
            f.flush()
            code, log = run("merge", out, "-o", self.path("merged"))
        self.assertEqual(code, 2, log)
        self.assertIn("process %d" % os.getpid(), log)
        self.assertIn("still writing it", log)

    # 4a
    def test_an_unreadable_sub_folder_is_listed_in_skipped_csv(self):
        self.track("in/rock/a.wav")
        self.track("in/locked/deep/b.wav")
        locked = self.path("in/locked")
        os.chmod(locked, 0)  # refused even for root, who could read it
        code, log = run("in", "-o", "out", "--features", "rms", cwd=self.tmp)
        self.assertEqual(code, 1, log)
        self.assertIn("skipped in/locked: folder cannot be read (no read permission)", log)
        skipped = pd.read_csv(self.path("out/skipped.csv"))
        self.assertEqual(list(skipped.path), ["in/locked"])
        self.assertIn("the tracks in it were not analysed", skipped.reason[0])
        self.assertEqual(list(self.summary(self.path("out")).path), ["in/rock/a.wav"])

    def test_an_unreadable_sub_folder_as_a_plain_user(self):
        # A folder with read bits the user does not have (here root's 0700, read by nobody): the
        # permission check of the file system itself, which root never meets.
        self.assertEqual(os.geteuid(), 0, "this test switches to the user nobody: run it as root")
        self.track("in/rock/a.wav")
        self.track("in/locked/b.wav")
        os.chmod(self.path("in/locked"), 0o700)
        os.makedirs(self.path("out"))
        os.chown(self.path("out"), pwd.getpwnam("nobody").pw_uid, -1)
        listing = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup",
                                  "--clear-groups", "ls", self.path("in/locked")],
                                 capture_output=True)
        self.assertNotEqual(listing.returncode, 0, "nobody can list the folder: nothing tested")
        code, log = run("in", "-o", "out", "--features", "rms", cwd=self.tmp, user="nobody")
        self.assertEqual(code, 1, log)
        skipped = pd.read_csv(self.path("out/skipped.csv"))
        self.assertEqual(list(skipped.path), ["in/locked"])
        self.assertIn("folder cannot be read", skipped.reason[0])
        self.assertEqual(list(self.summary(self.path("out")).path), ["in/rock/a.wav"])

    # 4b
    def test_the_temporaries_of_a_killed_run_are_removed(self):
        for i in range(8):
            self.track("in/t%d.wav" % i, "drums.wav")
        args = ["in", "-o", "out", "--npy", "all", "--frames", "--jobs", "2"]
        clean = self.path("clean")
        code, log = run(*args[:2], clean, *args[3:], cwd=self.tmp)
        self.assertEqual(code, 0, log)
        # Kill a run while it writes a file: stop it again and again until a temporary shows.
        left = []
        for attempt in range(20):
            shutil.rmtree(self.path("out"), ignore_errors=True)
            child = subprocess.Popen([EXE, *args], cwd=self.tmp, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
            while child.poll() is None:
                os.kill(child.pid, signal.SIGSTOP)
                left = temporaries(self.path("out"))
                if left:
                    os.kill(child.pid, signal.SIGKILL)
                    break
                os.kill(child.pid, signal.SIGCONT)
                time.sleep(0.0005)
            child.wait()
            if left:
                break
        self.assertTrue(left, "no run was caught writing a file in 20 tries")
        # More of them, as other kills leave them, and files that only look alike.
        rows = glob.glob(self.path("out/.featurescope/rows-*"))[0]
        made = [self.path("out/.summary.csv.fstmp-0123456789ab"),
                self.path("out/.summary.json.tmp-12345"),  # an earlier version's name
                os.path.join(rows, ".feedbeef.csv.fstmp-abcdefabcdef")]
        kept = [self.path("out/summary.fstmp-0123456789ab"), self.path("out/.notes.fstmp-xyz"),
                self.path("out/tracks/.mine.fstmp-0123456789AB"), self.path("in/.t0.wav.fstmp-"
                                                                            "0123456789ab")]
        for name in made + kept:
            os.makedirs(os.path.dirname(name), exist_ok=True)
            open(name, "w").close()
        code, log = run(*args, cwd=self.tmp)
        self.assertEqual(code, 0, log)
        self.assertIn("removed %d temporary files an interrupted run left" % (len(left) + 3), log)
        self.assertEqual(temporaries(self.path("out")), [])
        for name in made + left:
            self.assertFalse(os.path.exists(name), name)
        for name in kept:
            self.assertTrue(os.path.exists(name), name)
        self.assertEqual(read(self.path("out/summary.csv")), read(os.path.join(clean,
                                                                              "summary.csv")))

    # 4c
    def test_a_245_byte_name_with_npy(self):
        name = "a" * 241 + ".wav"
        self.track("in/" + name)
        code, log = run("in", "-o", "out", "--npy", "mel", "--features", "mel", cwd=self.tmp)
        self.assertEqual(code, 0, log)
        stem = self.path("out/tracks/in", name)
        self.assertEqual(np.load(stem + ".mel.npy").shape[0], 128)
        with open(stem + ".json") as f:
            self.assertIn(name + ".mel.npy", json.load(f)["outputs"])
        # An export whose own name passes NAME_MAX is refused up front, with the rule.
        code, log = run("in", "-o", "out2", "--npy", "mel_db", "--features", "mel", cwd=self.tmp)
        self.assertEqual(code, 1, log)
        reason = pd.read_csv(self.path("out2/skipped.csv")).reason[0]
        self.assertIn(name + ".mel_db.npy is 256 bytes", reason)
        self.assertIn("NAME_MAX 255", reason)


if __name__ == "__main__":
    EXE, REF = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=sys.argv[:1], verbosity=2)
