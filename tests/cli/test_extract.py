#!/usr/bin/python3
"""End-to-end tests of featurescope-extract on a folder of generated tracks, bad files included.

usage: test_extract.py FEATURESCOPE_EXTRACT REFERENCE_DIR
Reads every output back with numpy / pandas and checks it against librosa's reference numbers.
"""
import filecmp
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import pandas as pd

EXE = REF = None


def run(*args, cwd=None):
    done = subprocess.run([EXE, *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout + done.stderr


def rel(ours, ref):
    return np.linalg.norm(ours - ref) / np.linalg.norm(ref)


class Extract(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="featurescope_cli_")
        g = os.path.join(cls.tmp, "genres")
        for label in ("rock", "jazz", "bad"):
            os.makedirs(os.path.join(g, label))
        shutil.copy(os.path.join(REF, "drums.wav"), os.path.join(g, "rock", "drums.wav"))
        shutil.copy(os.path.join(REF, "drums.mp3"), os.path.join(g, "rock", "drums_lame.mp3"))
        shutil.copy(os.path.join(REF, "chords.wav"), os.path.join(g, "jazz", "chords.wav"))
        shutil.copy(os.path.join(REF, "chords.flac"), os.path.join(g, "jazz", "chords.flac"))
        shutil.copy(os.path.join(REF, "stereo44k.wav"), os.path.join(g, "jazz", "stereo 44k.wav"))
        # A fresh mp3, made here (lame is a dependency: its absence fails the test).
        subprocess.run(["lame", "--quiet", "-b", "128", os.path.join(REF, "chords.wav"),
                        os.path.join(g, "jazz", "chords_lame.mp3")], check=True)
        cls.good = 6
        bad = os.path.join(g, "bad")
        with open(os.path.join(REF, "drums.mp3"), "rb") as f:
            data = f.read()
        with open(os.path.join(bad, "truncated.mp3"), "wb") as f:
            f.write(data[: len(data) // 3])
        open(os.path.join(bad, "empty.wav"), "wb").close()
        with open(os.path.join(bad, "random.wav"), "wb") as f:
            f.write(np.random.default_rng(1).bytes(20000))
        os.makedirs(os.path.join(bad, "folder.mp3"))
        locked = os.path.join(bad, "locked.wav")
        shutil.copy(os.path.join(REF, "chords.wav"), locked)
        os.chmod(locked, 0)
        cls.bad = {"genres/bad/truncated.mp3": "truncated", "genres/bad/empty.wav": "empty",
                   "genres/bad/random.wav": "not a readable audio file",
                   "genres/bad/folder.mp3": "folder", "genres/bad/locked.wav": "permission"}
        cls.out = os.path.join(cls.tmp, "out")
        cls.code, cls.log = run("genres", "-o", cls.out, "--frames", "--npy", "all",
                                "--jobs", "2", cwd=cls.tmp)

    @classmethod
    def tearDownClass(cls):
        os.chmod(os.path.join(cls.tmp, "genres", "bad", "locked.wav"), 0o644)
        shutil.rmtree(cls.tmp)

    def test_exit_status_and_report(self):
        self.assertEqual(self.code, 1, self.log)  # some skipped
        for path in self.bad:
            self.assertIn("skipped " + path, self.log)
        self.assertIn("%d written" % self.good, self.log)

    def test_skipped_list_names_each_bad_file_with_its_reason(self):
        skipped = pd.read_csv(os.path.join(self.out, "skipped.csv"))
        self.assertEqual(sorted(skipped.path), sorted(self.bad))
        for path, reason in zip(skipped.path, skipped.reason):
            self.assertIn(self.bad[path], reason)

    def test_summary_as_a_student_reads_it(self):
        df = pd.read_csv(os.path.join(self.out, "summary.csv"))
        self.assertEqual(list(df.columns[:7]), ["path", "label", "duration_s", "crop_start_s",
                                                "crop_start_sample", "crop_duration_s",
                                                "tempo_bpm"])
        self.assertEqual(len(df), self.good)
        self.assertEqual(list(df.path), sorted(df.path))
        labels = dict(zip(df.path, df.label))
        self.assertEqual(labels["genres/rock/drums.wav"], "rock")
        self.assertEqual(labels["genres/jazz/stereo 44k.wav"], "jazz")
        drums = df[df.path == "genres/rock/drums.wav"].iloc[0]
        centroid = np.load(os.path.join(REF, "drums.spectral_centroid.npy"))[0]
        self.assertLess(abs(drums.spectral_centroid_mean - centroid.mean()), 1e-4 * centroid.mean())
        self.assertLess(abs(drums.spectral_centroid_std - centroid.std()), 1e-3 * centroid.std())
        self.assertLess(abs(drums.spectral_centroid_p90 - np.percentile(centroid, 90)),
                        1e-4 * centroid.mean())
        mfcc = np.load(os.path.join(REF, "drums.mfcc.npy"))
        self.assertLess(abs(drums.mfcc_1_median - np.median(mfcc[1])), 0.01)
        tempo = np.load(os.path.join(REF, "drums.tempo_p.npy"))[0, 0]
        self.assertLess(abs(drums.tempo_bpm - tempo), 0.005 * tempo)
        self.assertAlmostEqual(drums.duration_s, 8.0, places=3)
        self.assertTrue(np.isfinite(df.select_dtypes("number").to_numpy()).all())
        with open(os.path.join(self.out, "summary.json")) as f:
            sidecar = json.load(f)
        self.assertIn("spectral_centroid", sidecar["librosa"])
        self.assertEqual(sidecar["settings"]["n_fft"], 2048)

    def test_scaler_and_zscores(self):
        df = pd.read_csv(os.path.join(self.out, "summary.csv"))
        z = pd.read_csv(os.path.join(self.out, "summary_z.csv"))
        scaler = pd.read_csv(os.path.join(self.out, "scaler.csv")).set_index("column")
        col = "rms_mean"
        expected = (df[col] - df[col].mean()) / df[col].std(ddof=0)
        self.assertTrue(np.allclose(z[col], expected, atol=1e-6))
        self.assertAlmostEqual(scaler.loc[col, "mean"], df[col].mean(), places=9)

    def test_frame_table_matches_librosa(self):
        frames = pd.read_csv(os.path.join(self.out, "tracks/genres/rock/drums.wav.frames.csv"))
        self.assertEqual(frames.columns[0], "time_s")
        mfcc = np.load(os.path.join(REF, "drums.mfcc.npy"))
        ours = frames[["mfcc_%d" % i for i in range(20)]].to_numpy().T
        self.assertEqual(ours.shape, mfcc.shape)
        self.assertLess(np.abs(ours - mfcc).max(), 0.01)
        tonnetz = np.load(os.path.join(REF, "drums.tonnetz_h.npy"))
        self.assertLess(np.abs(frames[["tonnetz_%d" % i for i in range(6)]].to_numpy().T - tonnetz).max(), 1e-3)
        self.assertLess(rel(frames.rms.to_numpy(), np.load(os.path.join(REF, "drums.rms.npy"))[0]), 1e-4)
        self.assertTrue({"chroma_C", "chroma_B", "spectral_centroid", "zero_crossing_rate"} <= set(frames.columns))
        self.assertAlmostEqual(frames.time_s[1], 512 / 22050, places=8)

    def test_npy_files_load_in_numpy(self):
        stem = os.path.join(self.out, "tracks/genres/rock/drums.wav")
        for name, ref in (("mel", "mel"), ("stft", "stft_mag"), ("harmonic", "hpss_h"),
                          ("percussive", "hpss_p")):
            m = np.load(stem + "." + name + ".npy")
            r = np.load(os.path.join(REF, "drums." + ref + ".npy"))
            self.assertEqual(m.dtype, np.float32)
            self.assertEqual(m.shape, r.shape)
            self.assertLess(rel(m, r), 1e-4, name)
        self.assertLess(np.abs(np.load(stem + ".mel_db.npy") - np.load(os.path.join(REF, "drums.mel_db.npy"))).max(), 0.01)
        self.assertLess(rel(np.load(stem + ".cqt.npy"), np.load(os.path.join(REF, "drums.cqt_mag.npy"))), 1e-2)
        with open(stem + ".json") as f:
            sidecar = json.load(f)
        self.assertIn("librosa.cqt", sidecar["outputs"]["drums.wav.cqt.npy"]["librosa"])
        # x.wav and x.flac in one folder keep separate files.
        self.assertTrue(os.path.exists(os.path.join(self.out, "tracks/genres/jazz/chords.flac.mel.npy")))

    def test_rerun_skips_tracks_already_done(self):
        with open(os.path.join(self.out, "summary.csv")) as f:
            before = f.read()
        code, log = run("genres", "-o", self.out, "--frames", "--npy", "all", cwd=self.tmp)
        self.assertEqual(code, 1, log)
        self.assertIn("0 written, %d already done" % self.good, log)
        with open(os.path.join(self.out, "summary.csv")) as f:
            self.assertEqual(f.read(), before)

    def test_shards_merge_into_one_run(self):
        out = os.path.join(self.tmp, "whole")
        code, log = run("genres", "-o", out, "--npy", "mel", cwd=self.tmp)
        self.assertEqual(code, 1, log)
        shards = []
        for i in range(3):
            shard = os.path.join(self.tmp, "shard%d" % i)
            run("genres", "-o", shard, "--npy", "mel", "--shard", "%d/3" % i, cwd=self.tmp)
            shards.append(shard)
        counts = [len(pd.read_csv(os.path.join(s, "summary.csv"))) for s in shards]
        self.assertEqual(sum(counts), self.good)
        merged = os.path.join(self.tmp, "merged")
        code, log = run("merge", *shards, "-o", merged)
        self.assertEqual(code, 1, log)  # the bad files stay listed as skipped
        for name in ("summary.csv", "summary.json", "skipped.csv", "scaler.csv", "summary_z.csv"):
            self.assertTrue(filecmp.cmp(os.path.join(out, name), os.path.join(merged, name),
                                        shallow=False), name)
        cmp = filecmp.dircmp(os.path.join(out, "tracks"), os.path.join(merged, "tracks"))
        def same(d):
            self.assertFalse(d.left_only or d.right_only or d.diff_files, d.report())
            for sub in d.subdirs.values():
                same(sub)
        same(cmp)
        # A re-run in the merged folder has nothing left to do.
        code, log = run("genres", "-o", merged, "--npy", "mel", cwd=self.tmp)
        self.assertIn("0 written, %d already done" % self.good, log)

    def test_shards_are_stable(self):
        a = os.path.join(self.tmp, "stable_a")
        b = os.path.join(self.tmp, "stable_b")
        run("genres", "-o", a, "--shard", "1/3", "--features", "rms", cwd=self.tmp)
        run("genres/rock", "genres/jazz", "-o", b, "--shard", "1/3", "--features", "rms", cwd=self.tmp)
        rows_a = set(pd.read_csv(os.path.join(a, "summary.csv")).path)
        rows_b = set(pd.read_csv(os.path.join(b, "summary.csv")).path)
        self.assertEqual(rows_a, rows_b)

    def test_incomplete_row_file_is_analysed_again(self):
        # Row files (the re-run cache) are written without an fsync; a power loss can leave one
        # empty or cut short after its rename. Such a track is analysed again, not trusted.
        out = os.path.join(self.tmp, "cut_rows")
        args = ("genres/rock", "-o", out, "--features", "mfcc,rms")
        code, log = run(*args, cwd=self.tmp)
        self.assertEqual(code, 0, log)
        with open(os.path.join(out, "summary.csv")) as f:
            before = f.read()
        rows = glob.glob(os.path.join(out, ".featurescope", "rows-*", "*.csv"))
        self.assertEqual(len(rows), 2)
        open(rows[0], "w").close()  # empty, as after a power loss
        with open(rows[1], "r+") as f:  # cut in the middle of the track's line
            f.truncate(len(f.read()) - 20)
        code, log = run(*args, cwd=self.tmp)
        self.assertEqual(code, 0, log)
        self.assertIn("2 written, 0 already done", log)
        with open(os.path.join(out, "summary.csv")) as f:
            self.assertEqual(f.read(), before)

    def test_all_good_exits_zero_and_list_files_work(self):
        listing = os.path.join(self.tmp, "list.txt")
        with open(listing, "w") as f:
            f.write("# two tracks\ngenres/rock/drums.wav\n\ngenres/jazz/chords.flac\n")
        out = os.path.join(self.tmp, "listed")
        code, log = run("list.txt", "-o", out, "--crop", "center:3", "--features", "mfcc,rms",
                        cwd=self.tmp)
        self.assertEqual(code, 0, log)
        df = pd.read_csv(os.path.join(out, "summary.csv"))
        self.assertEqual(list(df.label), ["jazz", "rock"])
        self.assertTrue(np.allclose(df.crop_duration_s, 3.0, atol=1e-4))
        self.assertAlmostEqual(df[df.label == "rock"].crop_start_s.iloc[0], 2.5, places=3)

    def test_keras_melgram_preset(self):
        # Keras' compute_melgram exactly: 12 kHz, the centre 29.12 s with zeros appended,
        # power_to_db(mel**2, ref=1.0); the reference is Keras' own output.
        out = os.path.join(self.tmp, "keras")
        code, log = run(os.path.join(REF, "drums.wav"), "-o", out, "--preset", "keras-melgram",
                        "--npy", "mel_db", "--features", "mel")
        self.assertEqual(code, 0, log)
        found = [os.path.join(d, f) for d, _, fs in os.walk(out) for f in fs if f.endswith("mel_db.npy")]
        ours = np.load(found[0])
        ref = np.load(os.path.join(REF, "drums.keras_mel_db.npy"))
        self.assertEqual(ours.shape, ref.shape)  # 96 x 1366
        self.assertLess(np.abs(ours - ref).max(), 0.01)
        with open(found[0][:-len(".mel_db.npy")] + ".json") as f:
            call = json.load(f)["outputs"][os.path.basename(found[0])]["librosa"]
        self.assertIn(")**2, ref=1.0", call)
        # The whole preset, every feature it allows.
        code, log = run(os.path.join(REF, "drums.wav"), "-o", out + "2", "--preset",
                        "keras-melgram", "--npy", "mel_db")
        self.assertEqual(code, 0, log)
        found = [os.path.join(d, f) for d, _, fs in os.walk(out + "2") for f in fs if f.endswith("mel_db.npy")]
        self.assertLess(np.abs(np.load(found[0]) - ref).max(), 0.01)

    def test_low_sample_rates_fit_chroma_cqt_and_contrast(self):
        # The seed's recipes at 8 and 16 kHz: chroma_cqt's 7 octaves from C1 and
        # spectral_contrast's 6 bands from 200 Hz would pass Nyquist at 8 kHz, and librosa
        # refuses that; features the user did not configure must not sink every track.
        for sr, n_fft, octaves, bands in ((8000, 1024, 6, 5), (8000, 512, 6, 5),
                                          (16000, 512, 7, 6), (22050, 2048, 7, 6)):
            out = os.path.join(self.tmp, "sr%d_%d" % (sr, n_fft))
            code, log = run(os.path.join(REF, "drums.wav"), os.path.join(REF, "chords.wav"), "-o",
                            out, "--sr", str(sr), "--n-fft", str(n_fft),
                            "--hop-length", str(n_fft // 4))
            self.assertEqual(code, 0, log)
            df = pd.read_csv(os.path.join(out, "summary.csv"))
            self.assertEqual(len(df), 2)
            self.assertIn("chroma_cqt_A_mean", df.columns)
            self.assertIn("spectral_contrast_%d_mean" % bands, df.columns)
            self.assertNotIn("spectral_contrast_%d_mean" % (bands + 1), df.columns)
            with open(os.path.join(out, "summary.json")) as f:
                calls = json.load(f)["librosa"]
            self.assertIn("n_octaves=%d," % octaves, calls["chroma_cqt"])
            self.assertIn("n_bands=%d)" % bands, calls["spectral_contrast"])

    def test_usage_errors_exit_two(self):
        for args in ([], ["genres"], ["genres", "-o", "x", "--n-fft", "0"],
                     ["genres", "-o", "x", "--bogus"], ["genres", "-o", "x", "--crop", "middle"],
                     ["genres", "-o", "x", "--shard", "3/3"], ["genres", "-o", "x", "--npy", "wave"],
                     ["merge", "-o", "x"], ["genres", "-o", "x", "--jobs", "0"]):
            code, log = run(*args, cwd=self.tmp)
            self.assertEqual(code, 2, (args, log))
        code, log = run("--help")
        self.assertEqual(code, 0)
        self.assertIn("--hop-length", log)


if __name__ == "__main__":
    EXE, REF = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=sys.argv[:1], verbosity=2)
