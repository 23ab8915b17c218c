"""Deterministic mutants of the seed files: byte flips, truncations, splices, and edits of the
header fields each container's decoder trusts (a wav's rate, channels, bits and chunk sizes; a
flac's STREAMINFO; an mp3's frame header, Xing frame count and ID3 size; an ogg's vorbis
identification header and granule positions, with the page CRC recomputed so the edit is read).
"""
import struct

# Values a header field is set to: zero, one, tiny, the type's extremes, plausible but huge.
U32 = (0, 1, 2, 3, 7, 255, 65535, 192000, 1000000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF)
U16 = (0, 1, 2, 3, 7, 8, 12, 17, 24, 33, 64, 255, 0x7FFF, 0xFFFF)


class Mutant:
    def __init__(self, index, seed_name, kind, data, description):
        stem, ext = seed_name.rsplit(".", 1)
        self.name = "%04d_%s_%s.%s" % (index, stem, kind, ext)
        self.data = bytes(data)
        self.description = "%s of %s: %s" % (kind, seed_name, description)


def _flip(d, rng, lo, hi, count):
    spots = []
    for _ in range(count):
        i = rng.randrange(lo, min(hi, len(d)))
        d[i] ^= rng.randrange(1, 256)
        spots.append(i)
    return "bytes %s flipped" % sorted(spots)


def _wav_header(d, rng):
    field, offset, size = rng.choice([("riff size", 4, 4), ("fmt size", 16, 4),
                                      ("format tag", 20, 2), ("channels", 22, 2),
                                      ("sample rate", 24, 4), ("byte rate", 28, 4),
                                      ("block align", 32, 2), ("bits", 34, 2),
                                      ("data size", 40, 4)])
    choices = U32 if size == 4 else U16 + (3, 0xFFFE, 0x55)
    value = rng.choice(choices)
    d[offset:offset + size] = value.to_bytes(size, "little")
    return "%s (offset %d) = %d" % (field, offset, value)


def _flac_header(d, rng):
    # STREAMINFO follows "fLaC" and its 4-byte block header: bytes 8.. of the file.
    si = 8
    field = rng.choice(["min blocksize", "max blocksize", "sample rate", "channels", "bits",
                        "total samples", "block length"])
    if field in ("min blocksize", "max blocksize"):
        at = si if field == "min blocksize" else si + 2
        value = rng.choice((0, 1, 15, 16, 4608, 65535))
        d[at:at + 2] = value.to_bytes(2, "big")
    elif field == "block length":
        value = rng.choice((0, 1, 33, 35, 0xFFFFFF))
        d[5:8] = value.to_bytes(3, "big")
    else:
        # 20 bits rate, 3 bits channels - 1, 5 bits bits - 1, 36 bits total samples.
        packed = int.from_bytes(d[si + 10:si + 18], "big")
        rate, channels = packed >> 44, (packed >> 41) & 7
        bits, total = (packed >> 36) & 31, packed & ((1 << 36) - 1)
        if field == "sample rate":
            rate = value = rng.choice((0, 1, 2, 3, 7, 100, 655350, 0xFFFFF))
        elif field == "channels":
            channels = value = rng.randrange(8)
        elif field == "bits":
            bits = value = rng.randrange(32)
        else:
            total = value = rng.choice((0, 1, 2, (1 << 36) - 1, 1 << 35))
        packed = (rate << 44) | (channels << 41) | (bits << 36) | total
        d[si + 10:si + 18] = packed.to_bytes(8, "big")
    return "%s = %d" % (field, value)


def _mp3_header(d, rng):
    first = next(i for i in range(len(d) - 1) if d[i] == 0xFF and d[i + 1] & 0xE0 == 0xE0)
    kind = rng.choice(["frame header", "xing frames", "xing bytes", "id3 size"])
    if kind == "frame header":
        at = first + rng.choice((1, 2, 3))
        d[at] = rng.randrange(256)
        return "frame header byte %d = %d" % (at, d[at])
    if kind == "id3 size":
        size = rng.choice((0, 1, 0x0FFFFFFF, len(d), len(d) * 4))
        synchsafe = bytes((size >> s) & 0x7F for s in (21, 14, 7, 0))
        d[0:0] = b"ID3\x04\x00\x00" + synchsafe
        return "ID3v2 header of size %d prepended" % size
    tag = max(d.find(b"Xing", first, first + 64), d.find(b"Info", first, first + 64))
    if tag < 0:
        return _flip(d, rng, first, first + 64, 2)
    at = tag + 8 + (4 if kind == "xing bytes" else 0)
    value = rng.choice((0, 1, 2, 0x7FFFFFFF, 0xFFFFFFFF))
    d[at:at + 4] = value.to_bytes(4, "big")
    return "%s (offset %d) = %d" % (kind, at, value)


def _ogg_pages(d):
    pages, at = [], d.find(b"OggS")
    while 0 <= at and at + 27 <= len(d):
        segments = d[at + 26]
        body = sum(d[at + 27:at + 27 + segments])
        pages.append((at, 27 + segments, body))
        at = d.find(b"OggS", at + 27 + segments + body)
    return pages


def _ogg_crc(page):
    crc = 0
    for byte in page:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


def _fix_ogg_crc(d, page):
    at, header, body = page
    d[at + 22:at + 26] = b"\0\0\0\0"
    d[at + 22:at + 26] = struct.pack("<I", _ogg_crc(d[at:at + header + body]))


def _ogg_header(d, rng):
    pages = _ogg_pages(d)
    kind = rng.choice(["vorbis id", "vorbis id", "granule", "page body"])
    if kind == "vorbis id":
        at = pages[0][0] + pages[0][1]  # the identification packet
        field, offset, size = rng.choice([("channels", 11, 1), ("rate", 12, 4),
                                          ("bitrate", 20, 4), ("blocksizes", 28, 1),
                                          ("version", 7, 4)])
        value = rng.choice(U32 if size == 4 else (0, 1, 2, 7, 8, 0x66, 0x88, 0xBB, 0xFF))
        d[at + offset:at + offset + size] = value.to_bytes(size, "little")
        page, text = pages[0], "vorbis %s = %d" % (field, value)
    elif kind == "granule":
        page = pages[rng.choice((len(pages) - 1, rng.randrange(len(pages))))]
        value = rng.choice((0, 1, 1 << 40, (1 << 63) - 1, (1 << 64) - 1))
        d[page[0] + 6:page[0] + 14] = value.to_bytes(8, "little")
        text = "granule of the page at %d = %d" % (page[0], value)
    else:
        page = pages[rng.randrange(len(pages))]
        start = page[0] + page[1]
        text = "page at %d: " % page[0] + _flip(d, rng, start, start + page[2], 3)
    _fix_ogg_crc(d, page)
    return text + " (CRC recomputed)"


def _float_specials(d, rng):
    """NaN, infinities, huge and subnormal samples in a float wav's data: the DSP's inputs."""
    data = d.find(b"data") + 8
    values = (float("nan"), float("inf"), float("-inf"), 3.4e38, -3.4e38, 1e-45, 0.0)
    count = rng.choice((1, 3, 50, (len(d) - data) // 4))
    spots = sorted(rng.randrange(data, len(d) - 3) & ~3 for _ in range(count))
    chosen = [rng.choice(values) for _ in spots]
    for at, v in zip(spots, chosen):
        d[at:at + 4] = struct.pack("<f", v)
    return "%d samples set to %s" % (count, sorted(set(map(str, chosen)))[:4])


HEADERS = {"wav": _wav_header, "flac": _flac_header, "mp3": _mp3_header, "ogg": _ogg_header}


def _mutate(kind, data, ext, rng):
    d = bytearray(data)
    if kind == "flip":
        return d, _flip(d, rng, 0, len(d), rng.randint(1, 16))
    if kind == "headflip":
        return d, _flip(d, rng, 0, 64, rng.randint(1, 4))
    if kind == "truncate":
        cut = rng.randrange(0, 128) if rng.random() < 0.4 else rng.randrange(0, len(d))
        return d[:cut], "cut to %d of %d bytes" % (cut, len(d))
    if kind == "splice":
        a = rng.randrange(len(d))
        b = min(len(d), a + rng.randint(1, 4096))
        if rng.random() < 0.5:
            return d[:a] + d[b:], "bytes %d..%d removed" % (a, b)
        return d[:b] + d[a:], "bytes %d..%d repeated" % (a, b)
    if kind == "specials":
        return d, _float_specials(d, rng)
    return d, HEADERS[ext](d, rng)


def make_mutants(originals, count, rng):
    """`count` mutants of the seeds {name: bytes}, cycling through the seeds."""
    names = sorted(originals)
    kinds = ["flip", "headflip", "truncate", "splice", "header", "header", "header"]
    out = []
    for i in range(count):
        name = names[i % len(names)]
        kind = rng.choice(kinds + (["specials"] * 3 if name.startswith("float") else []))
        data, description = _mutate(kind, originals[name], name.rsplit(".", 1)[1], rng)
        out.append(Mutant(i, name, kind, data, description))
    return out
