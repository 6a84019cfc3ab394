"""Cryptographic primitives: AES-256-GCM sealing, DEK wrapping, streaming, blind index, passwords.

Everything here works on bytes and keys; which key protects which row is decided in
``complaints.store``. Keys come from ``complaints.keyring``. Every failure to decrypt raises
``DecryptionError`` and never returns partial or garbage plaintext.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import struct
from typing import BinaryIO, Iterator, Protocol

from cryptography.exceptions import InvalidKey, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
SEAL_VERSION = b"\x01"
STREAM_MAGIC = b"CPA1"
STREAM_CHUNK = 64 * 1024
STREAM_SALT_BYTES = 16


class CryptoError(Exception):
    """Base of every error this module raises."""


class DecryptionError(CryptoError):
    """Ciphertext does not open with this key and associated data: wrong key, swapped or edited."""


class MissingKeyError(CryptoError):
    """A key-encryption key named by a row is not available to this process."""


def new_key() -> bytes:
    """A fresh random 256-bit key."""
    return os.urandom(KEY_BYTES)


def seal(key: bytes, plaintext: bytes, ad: bytes) -> bytes:
    """Encrypt ``plaintext`` with AES-256-GCM; ``ad`` binds it to its row and field."""
    nonce = os.urandom(NONCE_BYTES)
    return SEAL_VERSION + nonce + AESGCM(key).encrypt(nonce, plaintext, ad)


def open_sealed(key: bytes, blob: bytes, ad: bytes) -> bytes:
    """Decrypt a ``seal`` blob, or raise ``DecryptionError`` if key, ad or bytes do not match."""
    if len(blob) < 1 + NONCE_BYTES + TAG_BYTES or blob[:1] != SEAL_VERSION:
        raise DecryptionError("not a sealed value of a known version")
    nonce, body = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return AESGCM(key).decrypt(nonce, body, ad)
    except InvalidTag:
        raise DecryptionError("authentication failed (wrong key, or value moved or edited)") from None


def derive_key(root: bytes, info: str, salt: bytes | None = None) -> bytes:
    """HKDF-SHA256 sub-key for one purpose, so no key serves two jobs."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info.encode()).derive(
        root
    )


def blind_index(key: bytes, value: str) -> bytes:
    """HMAC-SHA256 of a normalized value: lookups without storing the value."""
    return hmac.new(key, value.encode(), hashlib.sha256).digest()


# --- Streaming (attachments) ------------------------------------------------------------------
# STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015): each chunk is its own GCM
# message whose nonce carries the chunk counter and a last-chunk flag, so chunks cannot be
# reordered, dropped or the stream truncated. A per-file key derived from the DEK and a random salt
# keeps nonces unique without remembering them.


def _chunk_nonce(counter: int, last: bool) -> bytes:
    return b"\x00" * 7 + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


class Readable(Protocol):
    """Anything ``encrypt_stream`` reads from: a file, or ``blobpad.PaddedReader`` around one."""

    def read(self, size: int = -1, /) -> bytes: ...  # noqa: D102 - a protocol member


def encrypt_stream(dek: bytes, src: Readable, dst: BinaryIO, ad: bytes) -> int:
    """Encrypt ``src`` into ``dst`` chunk by chunk; memory stays at a few chunks. Returns bytes read."""
    salt = os.urandom(STREAM_SALT_BYTES)
    aead = AESGCM(derive_key(dek, "complaints/v1/attachment", salt))
    dst.write(STREAM_MAGIC + salt)
    total, counter = 0, 0
    chunk = src.read(STREAM_CHUNK)
    while True:
        following = src.read(STREAM_CHUNK) if chunk else b""
        last = not following
        dst.write(aead.encrypt(_chunk_nonce(counter, last), chunk, ad))
        total += len(chunk)
        if last:
            return total
        chunk, counter = following, counter + 1


def decrypt_stream(dek: bytes, src: BinaryIO, ad: bytes) -> Iterator[bytes]:
    """Yield plaintext chunks of an ``encrypt_stream`` file; raise ``DecryptionError`` on tampering.

    Each yielded chunk is authenticated; a cut-off end is only known at the last chunk, so callers
    that must not release partial output verify the whole stream first (``Vault.read_blob``).
    """
    header = src.read(len(STREAM_MAGIC) + STREAM_SALT_BYTES)
    if len(header) != len(STREAM_MAGIC) + STREAM_SALT_BYTES or not header.startswith(STREAM_MAGIC):
        raise DecryptionError("not an encrypted attachment")
    aead = AESGCM(derive_key(dek, "complaints/v1/attachment", header[len(STREAM_MAGIC) :]))
    size = STREAM_CHUNK + TAG_BYTES
    counter = 0
    block = src.read(size)
    while True:
        following = src.read(size)
        last = not following
        try:
            yield aead.decrypt(_chunk_nonce(counter, last), block, ad)
        except InvalidTag:
            raise DecryptionError("attachment chunk failed authentication (truncated or edited)") from None
        if last:
            return
        block, counter = following, counter + 1


# --- Passwords --------------------------------------------------------------------------------


def hash_password(password: str, *, memory_kib: int, iterations: int, lanes: int) -> str:
    """Argon2id PHC string (salt and parameters included); the password itself is never stored."""
    kdf = Argon2id(
        salt=os.urandom(16), length=32, iterations=iterations, lanes=lanes, memory_cost=memory_kib
    )
    return kdf.derive_phc_encoded(password.encode())


def verify_password(password: str, encoded: str) -> bool:
    """True when ``password`` matches the PHC string; any malformed hash counts as no match."""
    try:
        Argon2id.verify_phc_encoded(password.encode(), encoded)
    except (InvalidKey, ValueError):
        return False
    return True
