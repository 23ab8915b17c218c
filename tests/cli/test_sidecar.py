"""What summary.json and the per-track sidecars promise: their python_setup, run as written with
any row's path, crops exactly as that row was cropped (the first sample, the length, the zeros
appended), and the rows say where each crop starts (crop_start_sample).

Usage: test_sidecar.py FEATURESCOPE_EXTRACT REFERENCE_DIR

librosa cannot be installed here, so python_setup runs against a stand-in module that loads
each track as the numbers 1, 2, ..., len(y): after the crop, y[0] - 1 is the first sample taken
and the count of zeros is the padding. The crop itself is plain Python and NumPy."""
import json
import os
import subprocess
import sys
import tempfile
import unittest
import wave

import numpy as np
import pandas as pd

EXE = REF = None
SR = 22050

STAND_IN = '''
import numpy as np
LENGTHS = {lengths!r}

def load(path, sr=22050, mono=True):
    return np.arange(1, LENGTHS[path] + 1, dtype=np.float64), sr

class util:
    @staticmethod
    def fix_length(y, size):
        return np.pad(y, (0, max(size - len(y), 0)))[:size]

class effects:
    @staticmethod
    def harmonic(y, **kwargs):
        return y

    @staticmethod
    def percussive(y, **kwargs):
        return y
'''


def write_wav(path, n):
    t = np.arange(n) / SR
    x = (0.3 * np.sin(2 * np.pi * 220 * t) * (1 + np.sin(2 * np.pi * 0.3 * t))) * 32767
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(x.astype("<i2").tobytes())


class Sidecar(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="featurescope_sidecar_")
        cls.inputs = os.path.join(cls.tmp, "in")
        os.makedirs(cls.inputs)
        # Shorter and longer than the crops, with odd and even differences.
        cls.lengths = {}
        for name, n in (("a.wav", 3 * SR + 1), ("b.wav", 5 * SR), ("c.wav", 7 * SR + 3),
                        ("d.wav", 2 * SR - 7)):
            path = os.path.join(cls.inputs, name)
            write_wav(path, n)
            cls.lengths[path] = n

    def run_setup(self, setup, path, cwd, lengths=None):
        folder = tempfile.mkdtemp(dir=self.tmp)
        with open(os.path.join(folder, "librosa.py"), "w") as f:
            f.write(STAND_IN.format(lengths=lengths or self.lengths))
        code = setup.replace("'<path>'", repr(path))
        probe = code + "\nimport json\nprint(json.dumps([float(y[0]), int(len(y)), int((y == 0).sum())]))\n"
        done = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True,
                              text=True, env={**os.environ, "PYTHONPATH": folder}, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr + "\n" + code)
        return json.loads(done.stdout.strip().splitlines()[-1])

    def check_policy(self, crop):
        out = os.path.join(self.tmp, crop.replace(":", "_").replace("@", "_"))
        done = subprocess.run([EXE, self.inputs, "-o", out, "--crop", crop, "--features", "rms"],
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(done.returncode, 0, done.stderr)
        df = pd.read_csv(os.path.join(out, "summary.csv"))
        self.assertEqual(len(df), len(self.lengths))
        with open(os.path.join(out, "summary.json")) as f:
            setup = json.load(f)["python_setup"]
        self.assertNotIn("size=0", setup)
        for row in df.itertuples():
            first, count, zeros = self.run_setup(setup, row.path, out)
            length = self.lengths[row.path]
            n = int(round(row.crop_duration_s * SR))
            self.assertEqual(count, n, (crop, row.path))
            start = row.crop_start_sample
            self.assertGreaterEqual(start, 0)
            self.assertEqual(zeros, min(max(start + n - length, 0), n), (crop, row.path))
            if start < length:
                self.assertEqual(first - 1, start, (crop, row.path))
            # crop_start_s is the same sample in seconds.
            self.assertAlmostEqual(row.crop_start_s, start / SR, places=6)
        return df

    def test_center_crop_rule(self):
        df = self.check_policy("center:4.3")
        n = int(4.3 * SR)
        for row in df.itertuples():  # Keras: the middle n samples, zeros after a short track
            self.assertEqual(row.crop_start_sample, max(self.lengths[row.path] - n, 0) // 2)

    def test_start_crop_rounds_like_python(self):
        # 1.00002 s * 22050 = 22050.441 and 1.99998 s * 22050 = 44099.559: int(T * sr) would
        # start the second one a sample short; 2.5 s starts past the end of d.wav (all zeros).
        for t in ("1.00002", "1.99998", "2.5"):
            df = self.check_policy("start:%s:2" % t)
            for row in df.itertuples():
                self.assertEqual(row.crop_start_sample, round(float(t) * SR))

    def test_highlight_crop_reads_the_row(self):
        df = self.check_policy("highlight:1.5")
        self.assertTrue((df.crop_start_sample % 512 == 0).all())  # a frame's first sample

    def test_a_name_that_is_not_utf8_round_trips(self):
        # The tables write such a name with %XX; python_setup unquotes it back to the file.
        folder = os.path.join(self.tmp, "odd")
        os.makedirs(folder)
        name = os.fsdecode(os.path.join(os.fsencode(folder), b"caf\xe9 100%41.wav"))
        write_wav(name, 3 * SR)
        lengths = {name: 3 * SR}
        out = os.path.join(self.tmp, "odd_out")
        done = subprocess.run([EXE, folder, "-o", out, "--crop", "center:2", "--frames",
                               "--features", "rms"], capture_output=True, text=True,
                              errors="surrogateescape", timeout=300)
        self.assertEqual(done.returncode, 0, done.stderr)
        df = pd.read_csv(os.path.join(out, "summary.csv"))
        self.assertEqual(len(df), 1)
        self.assertNotEqual(df.path[0], name)  # escaped in the table
        with open(os.path.join(out, "summary.json")) as f:
            setup = json.load(f)["python_setup"]
        first, count, zeros = self.run_setup(setup, df.path[0], out, lengths)
        self.assertEqual((first - 1, count, zeros), (df.crop_start_sample[0], 2 * SR, 0))
        sidecars = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(out, "tracks"))
                    for f in fs if f.endswith(".json")]
        with open(sidecars[0]) as f:
            j = json.load(f)
        first, count, zeros = self.run_setup(j["python_setup"], j["source"], out, lengths)
        self.assertEqual((first - 1, count), (df.crop_start_sample[0], 2 * SR))

    def test_per_track_sidecar_names_its_start(self):
        out = os.path.join(self.tmp, "frames")
        done = subprocess.run([EXE, self.inputs, "-o", out, "--crop", "center:4.3", "--frames",
                               "--features", "rms"], capture_output=True, text=True, timeout=300)
        self.assertEqual(done.returncode, 0, done.stderr)
        df = pd.read_csv(os.path.join(out, "summary.csv")).set_index("path")
        sidecars = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(out, "tracks"))
                    for f in fs if f.endswith(".json")]
        self.assertEqual(len(sidecars), len(self.lengths))
        for sidecar in sidecars:
            with open(sidecar) as f:
                j = json.load(f)
            first, count, zeros = self.run_setup(j["python_setup"], j["source"], out)
            start = df.loc[j["source"], "crop_start_sample"]
            if start < self.lengths[j["source"]]:
                self.assertEqual(first - 1, start)
            self.assertEqual(count, int(4.3 * SR))


if __name__ == "__main__":
    EXE, REF = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=sys.argv[:1], verbosity=2)
