"""Attachments padded to a few hundred sizes, so a file's size does not link two cases.

Re-encoding is deterministic: the same photo sent with a named general complaint and with an
anonymous corruption report came out the very same number of bytes in both, in the database's
``attachment.size`` and on disk, and the two cases could be joined by it. Before encryption a
file is padded with zeros to its Padmé length (Nikitin et al., "Reducing Metadata Leakage from
Encrypted Files and Communication with PURBs", PETS 2019): at most 12 % more, and a size then
says little more than its order of magnitude. Its true length goes in a trailer at the very end,
inside the encryption, where only a reader with the case's key finds it.
"""
from __future__ import annotations

import struct
from typing import BinaryIO

# Zeros, then this and the file's true length: a file that ends otherwise was stored unpadded.
TRAILER_MAGIC = b"\x00padme\x00\x01"
TRAILER = struct.Struct(">8sQ")


def padme(length: int) -> int:
    """The padded length of ``length`` bytes: its top bits kept, the rest rounded up."""
    if length < 2:
        return length
    exponent = length.bit_length() - 1  # floor(log2 length)
    mask = (1 << (exponent - exponent.bit_length())) - 1  # keep floor(log2 exponent) + 1 top bits
    return (length + mask) & ~mask


class PaddedReader:
    """Reads ``src`` to its end, then zeros and the trailer, to the Padmé length of the whole.

    The zeros are made as they are read, so memory stays at a chunk however large the file.
    """

    def __init__(self, src: BinaryIO) -> None:
        self._src, self._length = src, 0
        self._zeros_left, self._trailer = 0, b""
        self._src_done = False

    def read(self, size: int = -1) -> bytes:
        """``size`` bytes of the file, then of its padding and trailer (fewer only at the very end,
        as ``encrypt_stream``'s fixed chunks need); b"" once everything has been read."""
        parts, wanted = [], size if size >= 0 else 1 << 62
        while wanted and not self._src_done:
            data = self._src.read(wanted)
            if not data:
                self._src_done = True
                self._zeros_left = self.stored_length - self._length - TRAILER.size
                self._trailer = TRAILER.pack(TRAILER_MAGIC, self._length)
                break
            self._length += len(data)
            parts.append(data)
            wanted -= len(data)
        if self._src_done and wanted:
            zeros = min(wanted, self._zeros_left)
            self._zeros_left -= zeros
            wanted -= zeros
            trailer, self._trailer = self._trailer[:wanted], self._trailer[wanted:]
            parts += [bytes(zeros), trailer]
        return b"".join(parts)

    @property
    def stored_length(self) -> int:
        """The padded length, once everything has been read."""
        return padme(self._length + TRAILER.size)


def true_length(tail: bytes) -> int | None:
    """The file's length from the last bytes of a decrypted blob, or None when it has no trailer
    (stored before padding)."""
    if len(tail) < TRAILER.size:
        return None
    magic, length = TRAILER.unpack(tail[-TRAILER.size:])
    return length if magic == TRAILER_MAGIC else None
