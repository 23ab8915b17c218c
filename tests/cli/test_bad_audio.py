#!/usr/bin/python3
"""featurescope-extract on damaged audio among good tracks, under a memory limit.

usage: test_bad_audio.py FEATURESCOPE_EXTRACT REFERENCE_DIR
Headers whose sample rate is not audio (2 Hz, 1 Hz), a FLAC cut short (a decoder error: skipped,
with libsndfile's reason), a WAV and an Ogg cut short (analysed, with a warning in warnings.csv),
and many bad files opened two at a time, each skipped with its own reason.
"""
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import wave

import pandas as pd

EXE = REF = None
LIMIT_MB = 1024  # the extractor needs under 512 MB for these tracks with --jobs 2


def sanitized(exe):
    with open(exe, "rb") as f:
        return b"__asan_init" in f.read()


def run(args, cwd, limit=True):
    """Runs the extractor; with `limit`, in LIMIT_MB of address space (or, under AddressSanitizer,
    whose shadow memory needs terabytes of it, of resident memory)."""
    env = dict(os.environ)
    command = [EXE, *args]
    if limit and sanitized(EXE):
        env["ASAN_OPTIONS"] = "hard_rss_limit_mb=%d:allocator_may_return_null=1" % LIMIT_MB
    elif limit:
        prlimit = shutil.which("prlimit")
        if not prlimit:
            raise AssertionError("prlimit (util-linux) is needed to limit the memory")
        command = [prlimit, "--as=%d" % (LIMIT_MB << 20), *command]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout + done.stderr


def data_chunk(data):
    """(offset of the samples, their size in bytes) of a RIFF WAV's data chunk."""
    at = 12
    while at + 8 <= len(data):
        size = struct.unpack("<I", data[at + 4:at + 8])[0]
        if data[at:at + 4] == b"data":
            return at + 8, size
        at += 8 + size + (size & 1)
    raise AssertionError("no data chunk")


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


class BadAudio(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="featurescope_bad_audio_")
        t = os.path.join(cls.tmp, "tracks")
        cls.good = ["tracks/good/chords.wav", "tracks/good/drums.wav", "tracks/good/chords.flac"]
        for name in cls.good:
            write(os.path.join(cls.tmp, name), open(os.path.join(REF, os.path.basename(name)),
                                                    "rb").read())
        # 30 s of noise at 22050 Hz whose header then says 2 Hz: a two-byte edit.
        noise = os.path.join(t, "rates", "two_hz.wav")
        os.makedirs(os.path.dirname(noise))
        with wave.open(noise, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(22050)
            w.writeframes(random.Random(1).randbytes(2 * 22050 * 30))
        data = bytearray(open(noise, "rb").read())
        assert struct.unpack("<I", data[24:28])[0] == 22050
        data[24:26] = struct.pack("<H", 2)
        write(noise, bytes(data))
        # 64 bytes saying 1 Hz: ten frames.
        write(os.path.join(t, "rates", "one_hz.wav"),
              b"RIFF" + struct.pack("<I", 56) + b"WAVEfmt " +
              struct.pack("<IHHIIHH", 16, 1, 1, 1, 2, 2, 16) + b"data" + struct.pack("<I", 20) +
              bytes(20))
        # Cut at half: a FLAC (a decoder error), a WAV and an Ogg Vorbis (shorter than declared).
        flac = open(os.path.join(REF, "chords.flac"), "rb").read()
        write(os.path.join(t, "cut", "half.flac"), flac[:len(flac) // 2])
        wav = open(os.path.join(REF, "chords.wav"), "rb").read()
        cls.wav_cut = wav[:len(wav) // 2]
        write(os.path.join(t, "cut", "half.wav"), cls.wav_cut)
        cls.wav_whole = wav
        sox = shutil.which("sox")
        if not sox:
            raise AssertionError("sox (deps/debian-packages.txt) is needed to make an Ogg file")
        whole_ogg = os.path.join(cls.tmp, "chords.ogg")
        subprocess.run([sox, os.path.join(REF, "chords.wav"), whole_ogg], check=True,
                       capture_output=True)
        ogg = open(whole_ogg, "rb").read()
        write(os.path.join(t, "cut", "half.ogg"), ogg[:len(ogg) // 2])

        cls.out = os.path.join(cls.tmp, "out")
        cls.code, cls.log = run(["tracks", "-o", cls.out, "--jobs", "2"], cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def table(self, name, out=None):
        return pd.read_csv(os.path.join(out or self.out, name), keep_default_na=False)

    def test_rates_that_are_not_audio_are_skipped_and_the_rest_written(self):
        self.assertEqual(self.code, 1, self.log)  # some skipped, none fatal
        skipped = self.table("skipped.csv").set_index("path")["reason"]
        for path, rate in (("tracks/rates/two_hz.wav", "2 Hz"), ("tracks/rates/one_hz.wav", "1 Hz")):
            reason = skipped[path]
            self.assertIn(rate, reason)
            self.assertIn("1000 to 768000 Hz", reason)
            self.assertIn("skipped %s: %s" % (path, reason), self.log)
        written = set(self.table("summary.csv")["path"])
        self.assertTrue(set(self.good) <= written, written)

    def test_a_decoder_error_part_way_skips_the_file_with_its_reason(self):
        skipped = self.table("skipped.csv").set_index("path")["reason"]
        self.assertIn("flac decoder lost sync", skipped["tracks/cut/half.flac"])
        self.assertEqual(set(skipped.index), {"tracks/rates/two_hz.wav", "tracks/rates/one_hz.wav",
                                              "tracks/cut/half.flac"})

    def test_files_shorter_than_their_header_are_analysed_with_a_warning(self):
        warnings = self.table("warnings.csv")
        self.assertEqual(list(warnings.columns), ["path", "warning"])
        warned = warnings.set_index("path")["warning"]
        self.assertEqual(set(warned.index), {"tracks/cut/half.wav", "tracks/cut/half.ogg"})
        # The WAV's numbers from its own header: its data chunk says the whole file's frames.
        offset, size = data_chunk(self.wav_whole)
        says, holds = size // 4, (len(self.wav_cut) - offset) // 4  # mono float32
        self.assertIn("the header says %d frames" % says, warned["tracks/cut/half.wav"])
        self.assertIn("the file holds %d frames" % holds, warned["tracks/cut/half.wav"])
        self.assertIn("declares no length", warned["tracks/cut/half.ogg"])
        for path, warning in warned.items():
            self.assertIn("warning %s: %s" % (path, warning), self.log)
        summary = self.table("summary.csv").set_index("path")
        self.assertAlmostEqual(summary.loc["tracks/cut/half.wav", "duration_s"], holds / 22050,
                               places=4)
        self.assertIn("tracks/cut/half.ogg", summary.index)

    def test_a_rerun_keeps_the_warnings_of_the_rows_it_reuses(self):
        code, log = run(["tracks", "-o", self.out, "--jobs", "2"], self.tmp)
        self.assertEqual(code, 1, log)
        self.assertIn("0 written", log)  # every row reused
        warned = set(self.table("warnings.csv")["path"])
        self.assertEqual(warned, {"tracks/cut/half.wav", "tracks/cut/half.ogg"})

    def test_warnings_csv_is_written_when_there_are_none(self):
        out = os.path.join(self.tmp, "good_only")
        code, log = run(["tracks/good", "-o", out], self.tmp)
        self.assertEqual(code, 0, log)
        warnings = self.table("warnings.csv", out)
        self.assertEqual(list(warnings.columns), ["path", "warning"])
        self.assertEqual(len(warnings), 0)

    def test_files_opened_side_by_side_each_get_their_own_reason(self):
        # libsndfile's open error is process-wide: read unguarded, a reason was "No Error." or
        # another file's. Many small bad files of four kinds among good ones, four jobs (on any
        # number of cores: the threads are preempted mid-open too); unguarded, 3 runs in 4 fail.
        wav = self.wav_whole
        kinds = {"noise": (random.Random(2).randbytes(5000), "Format not recognised"),
                 "no_data": (wav[:40], "No 'data' chunk"),
                 "no_fmt": (wav[:20], "Malformed 'fmt ' chunk"),
                 "rate": (wav[:24] + struct.pack("<I", 3) + wav[28:4096], "3 Hz")}
        root = os.path.join(self.tmp, "many")
        for i in range(250):
            for kind, (data, _) in kinds.items():
                write(os.path.join(root, "%s_%03d.wav" % (kind, i)), data)
        tiny = open(os.path.join(REF, "tiny.wav"), "rb").read()
        for i in range(10):
            write(os.path.join(root, "good_%02d.wav" % i), tiny)
        out = os.path.join(self.tmp, "many_out")
        code, log = run(["many", "-o", out, "--jobs", "4"], self.tmp, limit=False)
        self.assertEqual(code, 1, log)
        skipped = self.table("skipped.csv", out)
        self.assertEqual(len(skipped), 4 * 250, log)
        wrong = [(p, r) for p, r in zip(skipped["path"], skipped["reason"])
                 if kinds[os.path.basename(p).rsplit("_", 1)[0]][1] not in r]
        self.assertEqual(wrong, [])


if __name__ == "__main__":
    EXE, REF = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    unittest.main(argv=sys.argv[:1], verbosity=2)
