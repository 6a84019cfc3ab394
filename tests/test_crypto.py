"""Crypto primitives and the key ring, without a database: every failure is DecryptionError."""
from __future__ import annotations

import base64
import hashlib
import io
import os
import stat
import tracemalloc
from pathlib import Path

import pytest

from complaints import crypto
from complaints.crypto import STREAM_CHUNK, DecryptionError, MissingKeyError
from complaints.keyring import KeyRing

HEADER = len(crypto.STREAM_MAGIC) + crypto.STREAM_SALT_BYTES
FAST = {"memory_kib": 8, "iterations": 1, "lanes": 1}
AD = b"case:1:story:v1"


# --- seal / open_sealed ------------------------------------------------------------------------
def test_seal_round_trip():
    key = crypto.new_key()
    assert crypto.open_sealed(key, crypto.seal(key, "เรื่องลับ".encode(), AD), AD) == "เรื่องลับ".encode()


def test_open_sealed_rejects_wrong_key_and_other_ad():
    key = crypto.new_key()
    blob = crypto.seal(key, b"secret", AD)
    with pytest.raises(DecryptionError):
        crypto.open_sealed(crypto.new_key(), blob, AD)
    with pytest.raises(DecryptionError):
        crypto.open_sealed(key, blob, b"case:2:story:v1")


@pytest.mark.parametrize("damage", ["flip", "truncate", "version", "empty"])
def test_open_sealed_rejects_damaged_blob(damage):
    key = crypto.new_key()
    blob = bytearray(crypto.seal(key, b"secret", AD))
    if damage == "flip":
        blob[-5] ^= 0x01
    elif damage == "truncate":
        blob = blob[:-1]
    elif damage == "version":
        blob[0] = 0x02
    else:
        blob = bytearray()
    with pytest.raises(DecryptionError):
        crypto.open_sealed(key, bytes(blob), AD)


# --- streams -----------------------------------------------------------------------------------
def _encrypt(dek: bytes, data: bytes, ad: bytes = AD) -> bytes:
    out = io.BytesIO()
    assert crypto.encrypt_stream(dek, io.BytesIO(data), out, ad) == len(data)
    return out.getvalue()


def _decrypt(dek: bytes, blob: bytes, ad: bytes = AD) -> bytes:
    return b"".join(crypto.decrypt_stream(dek, io.BytesIO(blob), ad))


def _chunks_for(size: int) -> int:
    return max(1, -(-size // STREAM_CHUNK))


@pytest.mark.parametrize("size", [0, 1, STREAM_CHUNK, STREAM_CHUNK + 1, 3 * STREAM_CHUNK - 7])
def test_stream_round_trip_and_size(size):
    dek, data = crypto.new_key(), os.urandom(size)
    blob = _encrypt(dek, data)
    assert len(blob) == size + HEADER + crypto.TAG_BYTES * _chunks_for(size)
    assert _decrypt(dek, blob) == data


def test_stream_30mb_round_trip_in_bounded_memory(tmp_path: Path):
    size = 30 * 1024 * 1024
    src, enc = tmp_path / "in.bin", tmp_path / "out.enc"
    want = hashlib.sha256()
    with open(src, "wb") as fh:
        for _ in range(30):
            piece = os.urandom(1024 * 1024)
            want.update(piece)
            fh.write(piece)
    del piece
    dek = crypto.new_key()
    with open(src, "rb") as fin, open(enc, "wb") as fout:
        tracemalloc.start()
        try:
            assert crypto.encrypt_stream(dek, fin, fout, AD) == size
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    print(f"\nencrypt_stream of 30 MiB: peak traced memory {peak} bytes ({peak / 1024:.1f} KiB)")
    assert peak < 1024 * 1024
    assert enc.stat().st_size == size + HEADER + crypto.TAG_BYTES * (size // STREAM_CHUNK)
    got = hashlib.sha256()
    with open(enc, "rb") as fh:
        for chunk in crypto.decrypt_stream(dek, fh, AD):
            got.update(chunk)
    assert got.hexdigest() == want.hexdigest()


def _split(blob: bytes) -> tuple[bytes, list[bytes]]:
    size, body = STREAM_CHUNK + crypto.TAG_BYTES, blob[HEADER:]
    return blob[:HEADER], [body[i : i + size] for i in range(0, len(body), size)]


def _tamper(blob: bytes, how: str) -> bytes:
    header, chunks = _split(blob)
    if how == "truncate-last":
        return blob[:-10]
    if how == "drop-last":
        return header + b"".join(chunks[:-1])
    if how == "drop-middle":
        return header + chunks[0] + chunks[2]
    if how == "swap":
        return header + chunks[1] + chunks[0] + chunks[2]
    if how == "header-only":
        return header
    assert how == "bad-magic"
    return b"XXXX" + blob[4:]


@pytest.mark.parametrize("how", ["truncate-last", "drop-last", "drop-middle", "swap", "header-only", "bad-magic"])
def test_stream_tampering_is_detected(how):
    dek = crypto.new_key()
    blob = _encrypt(dek, os.urandom(2 * STREAM_CHUNK + 100))
    assert len(_split(blob)[1]) == 3
    with pytest.raises(DecryptionError):
        _decrypt(dek, _tamper(blob, how))


def test_stream_rejects_wrong_ad_and_wrong_dek():
    dek = crypto.new_key()
    blob = _encrypt(dek, b"attachment bytes")
    with pytest.raises(DecryptionError):
        _decrypt(dek, blob, b"case:1:attachment:other:v1")
    with pytest.raises(DecryptionError):
        _decrypt(crypto.new_key(), blob)


# --- passwords and blind index -----------------------------------------------------------------
def test_password_hash_verifies_only_the_right_password():
    encoded = crypto.hash_password("รหัสผ่านยาวพอ-42", **FAST)
    assert encoded.startswith("$argon2id$") and "รหัสผ่านยาวพอ-42" not in encoded
    assert crypto.verify_password("รหัสผ่านยาวพอ-42", encoded) is True
    assert crypto.verify_password("รหัสผ่านยาวพอ-43", encoded) is False


@pytest.mark.parametrize("bad", ["", "not a hash", "$argon2id$v=19$m=8,t=1,p=1$AAAA$BBBB", "$argon2id$"])
def test_verify_password_treats_malformed_hash_as_no_match(bad):
    assert crypto.verify_password("whatever", bad) is False


def test_blind_index_is_deterministic_per_key():
    k1, k2 = crypto.new_key(), crypto.new_key()
    assert crypto.blind_index(k1, "AB12-CD34") == crypto.blind_index(k1, "AB12-CD34")
    assert crypto.blind_index(k1, "AB12-CD34") != crypto.blind_index(k2, "AB12-CD34")
    assert crypto.blind_index(k1, "AB12-CD34") != crypto.blind_index(k1, "AB12-CD35")


# --- key ring ----------------------------------------------------------------------------------
def test_create_missing_makes_private_key_files_once(tmp_path: Path):
    keys = tmp_path / "keys"
    ring = KeyRing(keys, environ={})
    made = ring.create_missing()
    files = sorted(p.name for p in keys.iterdir())
    assert len([f for f in files if f.startswith("kek-")]) == 4 and "index.key" in files
    assert len(made) == 5
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    for path in keys.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.stat().st_size == 32
    assert ring.create_missing() == []
    assert sorted(p.name for p in keys.iterdir()) == files
    for channel in ("general", "corruption"):
        for purpose in ("story", "identity"):
            kid, key = ring.current(channel, purpose)
            assert f"kek-{channel}-{purpose}-{kid}.key" in files and len(key) == 32


def test_keys_from_environment(tmp_path: Path):
    story, root = crypto.new_key(), crypto.new_key()
    env = {
        "COMPLAINTS_KEK_GENERAL_STORY": "k1:" + base64.b64encode(story).decode(),
        "COMPLAINTS_INDEX_KEY": base64.b64encode(root).decode(),
    }
    ring = KeyRing(tmp_path / "absent", environ=env)
    assert ring.current("general", "story") == ("k1", story)
    assert ring.get("general", "story", "k1") == story
    assert ring.index_key == crypto.derive_key(root, "complaints/v1/tracking-code-index")
    with pytest.raises(MissingKeyError):
        ring.current("corruption", "story")


def test_key_file_of_wrong_length_is_refused(tmp_path: Path):
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "kek-general-story-20250101000000abcdef.key").write_bytes(b"\x00" * 31)
    with pytest.raises(MissingKeyError, match="31 bytes"):
        KeyRing(keys, environ={})


def test_empty_keyring_points_to_complaints_init(tmp_path: Path):
    ring = KeyRing(tmp_path / "keys", environ={})
    with pytest.raises(MissingKeyError, match="complaints init"):
        ring.current("general", "story")
    with pytest.raises(MissingKeyError):
        ring.index_key


def test_get_unknown_kid_raises(tmp_path: Path):
    ring = KeyRing(tmp_path / "keys", environ={})
    ring.create_missing()
    with pytest.raises(MissingKeyError):
        ring.get("general", "story", "19990101000000000000")


def test_index_and_audit_keys_are_distinct(tmp_path: Path):
    ring = KeyRing(tmp_path / "keys", environ={})
    ring.create_missing()
    assert len(ring.index_key) == 32 and ring.index_key != ring.audit_key
