"""The fuzz smoke's seed files: short, valid tracks of every container the extractor reads.

wav is written with Python's wave module (8-bit stereo, 16-bit mono, 24-bit mono) and by hand
(32-bit float, format tag 3, which wave does not write); flac and ogg/vorbis come from sox, mp3
from lame. Half a second to a second each, so that a batch of mutants stays quick under ASan.
"""
import math
import os
import random
import struct
import subprocess
import wave


def _signal(n, sr, rng):
    """A chord with noise and a click: tonal and percussive content for every stage."""
    out = []
    for i in range(n):
        t = i / sr
        v = 0.3 * math.sin(2 * math.pi * 220 * t) + 0.2 * math.sin(2 * math.pi * 330 * t)
        v += 0.05 * (rng.random() * 2 - 1)
        if i % (sr // 4) < 40:
            v += 0.4
        out.append(max(-1.0, min(1.0, v)))
    return out


def _wave_file(path, samples, sr, channels, width):
    full = (1 << (8 * width - 1)) - 1
    frames = bytearray()
    for v in samples:
        for _ in range(channels):
            if width == 1:  # 8-bit wav is unsigned
                frames += struct.pack("<B", int(round(v * 127)) + 128)
            else:
                frames += int(round(v * full)).to_bytes(width, "little", signed=True)
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(sr)
        w.writeframes(bytes(frames))


def _float_wav(path, samples, sr):
    data = struct.pack("<%df" % len(samples), *samples)
    fmt = struct.pack("<HHIIHH", 3, 1, sr, sr * 4, 4, 32)
    riff = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    riff += b"data" + struct.pack("<I", len(data)) + data
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", len(riff)) + riff)


def make_seeds(folder):
    """Writes the seeds into `folder`; returns {file name: bytes}."""
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(7)
    mono22 = _signal(11025, 22050, rng)
    _wave_file(os.path.join(folder, "mono16.wav"), mono22, 22050, 1, 2)
    _wave_file(os.path.join(folder, "stereo8.wav"), _signal(8000, 8000, rng), 8000, 2, 1)
    _wave_file(os.path.join(folder, "mono24.wav"), _signal(24000, 48000, rng), 48000, 1, 3)
    _float_wav(os.path.join(folder, "float32.wav"), mono22, 22050)
    src = os.path.join(folder, "mono16.wav")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True}
    subprocess.run(["sox", src, os.path.join(folder, "mono.flac")], **quiet)
    subprocess.run(["sox", src, "-C", "3", os.path.join(folder, "mono.ogg")], **quiet)
    subprocess.run(["lame", "--quiet", "-b", "64", src, os.path.join(folder, "mono.mp3")],
                   **quiet)
    out = {}
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            out[name] = f.read()
    return out
