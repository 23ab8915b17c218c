#!/usr/bin/python3
"""featurescope-extract's command line: options, usage errors, exit codes, --scaler.

usage: test_options.py FEATURESCOPE_EXTRACT REFERENCE_DIR DOCS_EXTRACT_MD
A usage error must exit 2 with the rule in its message before any track is read (no progress
line, no output folder); a runtime failure exits 3 naming the user's path; z-scoring with
--scaler must equal scikit-learn's StandardScaler fitted on the training set.
"""
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import wave

import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler

EXE = REF = DOCS = None
USAGE_RUNS = itertools.count()
FIXED = ["path", "label", "duration_s", "crop_start_s", "crop_duration_s"]


def run(*args, cwd=None):
    done = subprocess.run([EXE, *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout + done.stderr


def write_wav(path, y, sr=22050):
    """A 16-bit mono wav of y (floats in -1..1)."""
    with wave.open(path, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(sr)
        f.writeframes((np.clip(y, -1, 1) * 32767).astype("<i2").tobytes())


def read(path):
    return pd.read_csv(path, float_precision="round_trip")


class Options(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="featurescope_options_")
        cls.tracks = os.path.join(cls.tmp, "tracks", "tones")
        os.makedirs(cls.tracks)
        t = np.arange(22050 * 2) / 22050
        rng = np.random.default_rng(7)
        for i, f0 in enumerate((220.0, 330.0, 495.0)):
            y = 0.4 * np.sin(2 * np.pi * f0 * t) + 0.05 * rng.standard_normal(t.size)
            write_wav(os.path.join(cls.tracks, "tone%d.wav" % i), y)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def out(self, name):
        return os.path.join(self.tmp, "out_" + name)

    def assertUsageError(self, args, *words):
        """Exit 2, the message holding `words`, no track read and nothing written."""
        out = self.out("usage%d" % next(USAGE_RUNS))  # one each: a failure stays its own
        code, log = run(self.tracks, "-o", out, *args)
        self.assertEqual(code, 2, (args, log))
        for word in words:
            self.assertIn(word, log, args)
        self.assertNotIn("tracks:", log, args)  # the end-of-run line: no track was read
        self.assertNotRegex(log, r"\[\d+/\d+\]", args)  # nor a progress line
        self.assertFalse(os.path.exists(out), (args, "a usage error wrote " + out))
        return log

    def test_settings_that_can_never_work_are_usage_errors(self):
        for args, words in [
            (["--n-mfcc", "1000"], ["n_mfcc", "n_mels (128)", "1000"]),
            (["--sr", "1"], ["sr must be between 1000 and 768000 Hz", "got 1"]),
            (["--sr", "1e9"], ["sr must be between"]),
            (["--mel-fmin", "20000"], ["mel_fmin", "11025", "20000"]),
            (["--mel-fmax", "12000"], ["mel_fmax", "sr / 2", "11025"]),
            (["--hop-length", "0"], ["hop_length must be >= 1"]),
            (["--n-fft", "0"], ["n_fft must be between 2 and 65536"]),
            (["--n-fft", "1000000"], ["n_fft must be between 2 and 65536"]),
            (["--n-mels", "5000"], ["n_mels", "2050", "5000"]),
            (["--n-fft", "64"], ["n_mels", "= 66", "128"]),
            (["--top-db", "-1"], ["top_db must be >= 0"]),
            (["--margin", "0.5"], ["margin must be >= 1"]),
            (["--margin", "nan"], ["--margin needs a finite number"]),
            (["--tuning", "0.7"], ["tuning must be in [-0.5, 0.5)"]),
            (["--kernel-size", "0"], ["kernel_size must be between 1 and 1025"]),
            (["--bins-per-octave", "0"], ["bins_per_octave must be between 1 and 1200"]),
            (["--n-fft", "64", "--n-mels", "20", "--features", "spectral_contrast"],
             ["spectral_contrast needs n_fft >= sr / 200"]),
            (["--n-bins", "200", "--npy", "cqt"], ["CQT", "sr / 2 = 11025", "n_bins"]),
            (["--n-bins", "2000000000", "--npy", "cqt"], ["CQT", "sr / 2 = 11025"]),
            (["--hop-length", "200000", "--features", "tempo"], ["tempo needs hop_length <="]),
            (["--n-fft", "abc"], ["--n-fft needs an integer, not 'abc'"]),
        ]:
            self.assertUsageError(args, *words)

    def test_costly_settings_are_bounded_up_front(self):
        # Both used to run for minutes.
        self.assertUsageError(["--hop-length", "1"], "hop_length", "n_fft / 64 (32)", "got 1")
        self.assertUsageError(["--kernel-size", "100000"], "kernel_size", "1025", "got 100000")

    def test_rules_follow_the_features_computed(self):
        # At 8 kHz spectral_contrast and chroma_cqt fit their bands and octaves below Nyquist
        # (tests/cli/test_extract.py checks the calls); the CQT of --n-bins is checked only
        # when --npy cqt computes it, and a note says it changes no table column.
        code, log = run(self.tracks, "-o", self.out("sr8k"), "--sr", "8000")
        self.assertEqual(code, 0, log)
        code, log = run(self.tracks, "-o", self.out("nbins"), "--n-bins", "200",
                        "--features", "rms")
        self.assertEqual(code, 0, log)
        self.assertIn("--n-bins shapes only the CQT that --npy cqt writes", log)

    def test_crop_overflow_is_refused(self):
        for crop in ("center:1e300", "center:5e14", "center:1e15", "start:1e15:5",
                     "start:5:1e15", "highlight:1e300", "highlight:5@0-1e300"):
            self.assertUsageError(["--crop", crop], "86400")
        for crop in ("center:nan", "center:inf", "start:-inf:5"):
            self.assertUsageError(["--crop", crop], "not a finite number")
        self.assertUsageError(["--crop", "center:1e-9"], "at least one sample")
        # The longest crop allowed still works (zero-padded): start 24 h in, 1 s long.
        out = self.out("late_crop")
        code, log = run(self.tracks, "-o", out, "--crop", "start:86400:1", "--features", "rms")
        self.assertEqual(code, 0, log)
        df = read(os.path.join(out, "summary.csv"))
        self.assertTrue(np.allclose(df.crop_start_s, 86400.0))
        self.assertTrue(np.allclose(df.crop_duration_s, 1.0))

    def test_scaler_equals_sklearn_standard_scaler(self):
        # A training folder, then a new folder z-scored with the training set's scaler: the
        # documented use. Three distinct training tracks, then three copies of one (every
        # column constant, where rounding in the mean used to give z-scores of 1e14).
        new = os.path.join(self.tmp, "new")
        os.makedirs(new, exist_ok=True)
        shutil.copy(os.path.join(REF, "chords.wav"), os.path.join(new, "chords.wav"))
        shutil.copy(os.path.join(REF, "stereo44k.wav"), os.path.join(new, "stereo44k.wav"))
        copies = os.path.join(self.tmp, "copies")
        os.makedirs(copies, exist_ok=True)
        for i in range(3):
            shutil.copy(os.path.join(REF, "drums.wav"), os.path.join(copies, "d%d.wav" % i))
        for name, train_folder in (("distinct", self.tracks), ("copies", copies)):
            train = self.out("train_" + name)
            code, log = run(train_folder, "-o", train)
            self.assertEqual(code, 0, log)
            scaled = self.out("scaled_" + name)
            code, log = run(new, "-o", scaled, "--scaler=" + os.path.join(train, "scaler.csv"))
            self.assertEqual(code, 0, log)
            x_train = read(os.path.join(train, "summary.csv")).drop(columns=FIXED)
            test = read(os.path.join(scaled, "summary.csv"))
            expected = StandardScaler().fit(x_train).transform(test.drop(columns=FIXED))
            z = read(os.path.join(scaled, "summary_z.csv"))
            self.assertEqual(list(z.columns), list(test.columns))
            self.assertEqual(list(z.path), list(test.path))
            ours = z.drop(columns=FIXED).to_numpy()
            self.assertEqual(ours.shape, expected.shape)
            self.assertGreater(ours.shape[1], 500)
            # summary_z.csv keeps 9 significant digits.
            bad = ~np.isclose(ours, expected, rtol=1e-8, atol=1e-9, equal_nan=True)
            self.assertFalse(bad.any(), (name, list(x_train.columns[bad.any(axis=0)])[:5]))
            # The scaler beside summary_z.csv is the one that made it.
            with open(os.path.join(train, "scaler.csv")) as a, \
                    open(os.path.join(scaled, "scaler.csv")) as b:
                self.assertEqual(a.read(), b.read())
        # Both spellings of the option; a missing or mismatched scaler is a usage error.
        code, log = run(new, "-o", self.out("scaled2"), "--scaler",
                        os.path.join(self.out("train_copies"), "scaler.csv"))
        self.assertEqual(code, 0, log)
        self.assertUsageError(["--scaler", "no_such_scaler.csv"], "no_such_scaler.csv")
        self.assertUsageError(["--scaler", os.path.join(self.out("train_copies"), "scaler.csv"),
                               "--features", "rms"], "--scaler", "columns")

    def test_double_dash_ends_options(self):
        folder = os.path.join(self.tmp, "dash")
        os.makedirs(folder, exist_ok=True)
        shutil.copy(os.path.join(self.tracks, "tone0.wav"), os.path.join(folder, "-x.wav"))
        code, log = run("-x.wav", "-o", self.out("dash_refused"), cwd=folder)
        self.assertEqual(code, 2, log)
        self.assertIn("-x.wav", log)
        self.assertIn("after --", log)
        out = self.out("dash")
        code, log = run("-o", out, "--features", "rms", "--", "-x.wav", cwd=folder)
        self.assertEqual(code, 0, log)
        self.assertEqual(list(read(os.path.join(out, "summary.csv")).path), ["-x.wav"])

    def test_jobs_short_form_and_version(self):
        out = self.out("jobs")
        code, log = run(self.tracks, "-o", out, "-j", "2", "--features", "rms")
        self.assertEqual(code, 0, log)
        self.assertEqual(len(read(os.path.join(out, "summary.csv"))), 3)
        self.assertUsageError(["-j", "0"], "--jobs must be >= 1")
        code, log = run("--version")
        self.assertEqual(code, 0, log)
        self.assertRegex(log, r"^featurescope-extract \d+\.\d+\.\d+ \(librosa 0\.10\.2")

    def test_list_option_twice_accumulates_other_options_twice_are_refused(self):
        out = self.out("twice")
        code, log = run(self.tracks, "-o", out, "--npy", "mel", "--npy", "mfcc,mel",
                        "--features", "rms", "--features", "zcr")
        self.assertEqual(code, 0, log)
        # tracks/ mirrors the path; an absolute one starts with the folder %2F.
        stem = os.path.join(out, "tracks", "%2F", self.tracks.lstrip("/"), "tone0.wav")
        self.assertEqual(np.load(stem + ".mel.npy").shape[0], 128)
        self.assertEqual(np.load(stem + ".mfcc.npy").shape[0], 20)
        columns = set(read(os.path.join(out, "summary.csv")).columns)
        self.assertIn("rms_mean", columns)
        self.assertIn("zero_crossing_rate_mean", columns)
        self.assertUsageError(["--sr", "22050", "--sr", "44100"], "--sr was given 2 times",
                              "22050", "44100")
        self.assertUsageError(["-o", "elsewhere"], "--output was given 2 times")

    def test_help_fits_80_columns_and_lists_every_documented_option(self):
        code, text = run("--help")
        self.assertEqual(code, 0, text)
        for line in text.splitlines():
            self.assertLessEqual(len(line), 80, line)
        for code_name in ("0 all tracks written", "1 some skipped", "2 usage error", "3 the run"):
            self.assertIn(code_name, text)
        helped = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text))
        with open(DOCS) as f:
            docs = f.read()
        section = docs[docs.index("\n## Options\n"):]
        section = section[:section.find("\n## ", 1)]  # up to the next section
        documented = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", section))
        self.assertGreater(len(documented), 15)
        self.assertEqual(documented - helped, set())
        # Every option in --help is one the parser takes: without an INPUT the run stops at
        # "no INPUT given", never at "not expected".
        valued = set(re.findall(r"(--[a-z][a-z-]*) [A-Z]", text))
        for option in sorted(helped - {"--help", "--version"}):
            args = [option, "1"] if option in valued else [option]
            code, log = run(*args, "-o", self.out("nothing"))
            self.assertEqual(code, 2, (option, log))
            self.assertNotIn("not expected", log, option)
        code, text = run("merge", "--help")
        self.assertEqual(code, 0, text)
        self.assertIn("SHARD_DIR", text)

    def test_output_that_is_a_file_is_a_runtime_failure(self):
        path = os.path.join(self.tmp, "a_file")
        with open(path, "w") as f:
            f.write("keep me\n")
        for out in (path, os.path.join(path, "below")):
            code, log = run(self.tracks, "-o", out, "--features", "rms")
            self.assertEqual(code, 3, log)
            self.assertIn(out, log)
            self.assertNotIn(".featurescope", log)  # the user's path, not an internal one
            self.assertNotRegex(log, r"\[\d+/\d+\]")
        with open(path) as f:
            self.assertEqual(f.read(), "keep me\n")


if __name__ == "__main__":
    EXE, REF, DOCS = (os.path.abspath(a) for a in sys.argv[1:4])
    unittest.main(argv=sys.argv[:1], verbosity=2)
