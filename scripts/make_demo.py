#!/usr/bin/env python3
"""Makes resources/demo/demo.flac: 48 s of synthetic music in A minor at 120 BPM, so that every view
of Featurescope shows something - chords (chroma, tonnetz), drums (onsets, beats, the percussive
layer), a bass line and a lead, and one clearly louder section (the energy highlight, 24-36 s).
All of it is made here from sine partials and noise; no recording is used.

    /usr/bin/python3 scripts/make_demo.py   (needs python3-numpy and sox)
"""
import pathlib
import subprocess
import tempfile
import wave

import numpy as np

SR = 22050
BPM = 120.0
BEAT = 60.0 / BPM
SECONDS = 48.0
rng = np.random.default_rng(20261125)
n = int(SECONDS * SR)
t = np.arange(n) / SR


def midi_hz(m):
    return 440.0 * 2.0 ** ((m - 69) / 12.0)


def tone(freq, start, dur, harmonics=5, decay=1.5):
    out = np.zeros(n)
    i0, i1 = int(start * SR), min(n, int((start + dur) * SR))
    tt = np.arange(i1 - i0) / SR
    env = np.minimum(1.0, tt / 0.02) * np.exp(-decay * tt) * np.minimum(1.0, (dur - tt) / 0.05)
    for h in range(1, harmonics + 1):
        out[i0:i1] += np.sin(2 * np.pi * freq * h * tt) * env / h
    return out


def kick(start):
    out = np.zeros(n)
    i0 = int(start * SR)
    tt = np.arange(min(n - i0, int(0.3 * SR))) / SR
    freq = 50 + 90 * np.exp(-tt * 30)
    out[i0:i0 + len(tt)] = np.sin(2 * np.pi * np.cumsum(freq) / SR) * np.exp(-tt * 12)
    return out


def noise_hit(start, length, decay, highpass):
    out = np.zeros(n)
    i0 = int(start * SR)
    m = min(n - i0, int(length * SR))
    burst = rng.standard_normal(m)
    if highpass:
        burst = np.diff(burst, prepend=0.0)
    out[i0:i0 + m] = burst * np.exp(-np.arange(m) / SR * decay)
    return out


chords = [[57, 60, 64], [53, 57, 60], [48, 52, 55], [55, 59, 62]]  # Am F C G
bass = [45, 41, 48, 43]
lead = [76, 74, 72, 71, 72, 74, 76, 79, 81, 79, 76, 74, 72, 71, 69, 71]

music = np.zeros(n)
bar = 4 * BEAT
for b in range(int(SECONDS / bar)):
    start = b * bar
    chord = chords[b % 4]
    for m in chord:
        music += 0.12 * tone(midi_hz(m), start, bar, decay=0.6)
    for beat in range(4):
        music += 0.2 * tone(midi_hz(bass[b % 4]), start + beat * BEAT, BEAT * 0.9, harmonics=3, decay=3)
    if start >= 8.0:  # drums enter after the intro
        for beat in range(4):
            bt = start + beat * BEAT
            music += 0.5 * kick(bt) if beat in (0, 2) else 0.25 * noise_hit(bt, 0.2, 25, False)
            for half in (0, 0.5):
                music += 0.06 * noise_hit(bt + half * BEAT, 0.05, 80, True)
    if 24.0 <= start < 36.0:  # the chorus: a lead line, everything louder
        for k in range(8):
            music += 0.15 * tone(midi_hz(lead[(b * 8 + k) % len(lead)]), start + k * BEAT / 2, BEAT / 2, decay=2)
gain = np.where((t >= 24.0) & (t < 36.0), 1.0, 0.4)
music *= gain
music += 0.002 * rng.standard_normal(n)
music /= np.max(np.abs(music)) * 1.05
fade = np.minimum(1.0, np.minimum(t / 0.5, (SECONDS - t) / 1.5))
music *= fade

out = pathlib.Path(__file__).resolve().parent.parent / "resources" / "demo" / "demo.flac"
with tempfile.TemporaryDirectory() as tmp:
    wav = pathlib.Path(tmp) / "demo.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes((np.clip(music, -1, 1) * 32767).astype("<i2").tobytes())
    subprocess.run(["sox", str(wav), str(out)], check=True)
print(out)
