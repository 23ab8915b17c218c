#!/usr/bin/python3
"""featurescope-extract under a decimal-comma locale writes what it writes under C.

usage: test_locale.py FEATURESCOPE_EXTRACT REFERENCE_DIR
Runs the extractor with LC_ALL=de_DE.UTF-8 and with LC_ALL=C on the same tracks: every file is
byte for byte the same, the JSON parses strictly, its Python text and every CSV number use '.'.
The locale is a prerequisite (./featurescope.sh generates it): without it the test fails.
"""
import csv
import glob
import json
import locale
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

EXE = REF = None
GERMAN = "de_DE.UTF-8"
DECIMAL_COMMA = re.compile(r"[0-9],[0-9]")


def extract(tmp, out, lc_all):
    env = dict(os.environ, LC_ALL=lc_all, LANG=lc_all, LC_NUMERIC=lc_all)
    done = subprocess.run([EXE, "genres", "-o", out, "--frames", "--crop", "start:1.25:2.5",
                           "--fmin", "32.5", "--margin", "2.5", "--features", "mfcc,rms,spectral,tempo",
                           "--jobs", "2"], cwd=tmp, env=env, capture_output=True, text=True,
                          timeout=300)
    return done.returncode, done.stdout + done.stderr


def strict_json(path):
    def refuse(name):
        raise ValueError("%s: %s is not JSON" % (path, name))
    with open(path, encoding="utf-8") as f:
        return json.loads(f.read(), parse_constant=refuse)


def csv_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


class GermanLocale(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        try:
            locale.setlocale(locale.LC_ALL, GERMAN)
        except locale.Error:
            raise AssertionError("the %s locale is not installed; ./featurescope.sh generates it"
                                 % GERMAN)
        assert locale.localeconv()["decimal_point"] == ",", locale.localeconv()
        locale.setlocale(locale.LC_ALL, "C")
        cls.tmp = tempfile.mkdtemp(prefix="featurescope_locale_")
        for label, name in (("rock", "drums.wav"), ("jazz", "chords.wav")):
            os.makedirs(os.path.join(cls.tmp, "genres", label))
            shutil.copy(os.path.join(REF, name), os.path.join(cls.tmp, "genres", label, name))
        cls.de = os.path.join(cls.tmp, "de")
        cls.c = os.path.join(cls.tmp, "c")
        cls.code_de, cls.log_de = extract(cls.tmp, cls.de, GERMAN)
        cls.code_c, cls.log_c = extract(cls.tmp, cls.c, "C")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_both_runs_write_every_track(self):
        self.assertEqual(self.code_de, 0, self.log_de)
        self.assertEqual(self.code_c, 0, self.log_c)

    def test_files_are_the_same_under_both_locales(self):
        names = sorted(os.path.relpath(p, self.c)
                       for p in glob.glob(os.path.join(self.c, "**", "*.*"), recursive=True)
                       if not os.path.relpath(p, self.c).startswith("."))
        self.assertIn("summary.json", names)
        self.assertIn("summary_z.csv", names)
        self.assertEqual(len([n for n in names if n.endswith(".frames.csv")]), 2, names)
        for name in names:
            with open(os.path.join(self.c, name), "rb") as f, \
                    open(os.path.join(self.de, name), "rb") as g:
                self.assertEqual(f.read(), g.read(), name)

    def test_json_is_strict_and_its_python_uses_a_dot(self):
        for path in [os.path.join(self.de, "summary.json")] + \
                glob.glob(os.path.join(self.de, "tracks", "**", "*.json"), recursive=True):
            with open(path, encoding="utf-8") as f:
                self.assertIsNone(DECIMAL_COMMA.search(f.read()), path)
            sidecar = strict_json(path)
            self.assertEqual(sidecar["settings"]["fmin"], 32.5, path)
            self.assertEqual(sidecar["settings"]["crop"], "start:1.25:2.5", path)
            setup = sidecar["python_setup"]
            self.assertIn("sr=22050.0, mono=True", setup, path)
            self.assertIn("margin=2.5,", setup, path)
            compile(setup, path, "exec")  # valid Python

    def test_every_csv_number_uses_a_dot(self):
        tables = {"summary.csv": 2, "summary_z.csv": 2, "scaler.csv": 1}
        for frames in glob.glob(os.path.join(self.de, "tracks", "**", "*.frames.csv"),
                                recursive=True):
            tables[os.path.relpath(frames, self.de)] = 0
        for name, first in tables.items():
            rows = csv_rows(os.path.join(self.de, name))
            self.assertGreater(len(rows), 1, name)
            for row in rows[1:]:
                self.assertEqual(len(row), len(rows[0]), name)
                for field in row[first:]:
                    float(field)  # raises on "1,25"
        summary = csv_rows(os.path.join(self.de, "summary.csv"))
        crop = summary[0].index("crop_duration_s")
        self.assertEqual([float(r[crop]) for r in summary[1:]], [2.5, 2.5])


if __name__ == "__main__":
    EXE, REF = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=sys.argv[:1], verbosity=2)
