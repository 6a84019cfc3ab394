"""Attachments are stored padded to their Padmé length, so the size of a file in the database or on
disk no longer picks out one upload (the same photo sent with a named general complaint and an
anonymous report had the very same size in both), and read back exactly."""
from __future__ import annotations

import io
import os

import pytest
from sqlalchemy import select

from complaints import crypto
from complaints.blobpad import TRAILER, PaddedReader, padme, true_length
from complaints.crypto import STREAM_CHUNK
from complaints.models import Attachment
from complaints.store import vault_of
from complaints.workflow.intake import IncomingFile, file_complaint
from tests.conftest import NOW


def test_padme_adds_at_most_12_percent_and_leaves_few_sizes():
    assert [padme(n) for n in (0, 1, 2, 3, 9, 1000, 149_626)] == [0, 1, 2, 3, 10, 1024, 151_552]
    assert all(n <= padme(n) <= n * 1.12 + 1 for n in range(1, 70_000))
    # From 100 KB to 10 MB, where photos and scans are, a couple of hundred sizes in all.
    assert len({padme(n) for n in range(100_000, 10 * 2**20, 97)}) < 250


@pytest.mark.parametrize("size", [0, 1, STREAM_CHUNK - TRAILER.size, STREAM_CHUNK - 1, STREAM_CHUNK,
                                  3 * STREAM_CHUNK + 5, 150_000])
def test_the_padded_stream_is_read_in_whole_chunks_and_ends_with_the_true_length(size):
    data = os.urandom(size)
    reader = PaddedReader(io.BytesIO(data))
    chunks = iter(lambda: reader.read(STREAM_CHUNK), b"")
    stored = b"".join(chunk for chunk in chunks)
    lengths = [len(stored[i:i + STREAM_CHUNK]) for i in range(0, len(stored), STREAM_CHUNK)]
    assert all(n == STREAM_CHUNK for n in lengths[:-1])  # what encrypt_stream's fixed chunks need
    assert len(stored) == padme(size + TRAILER.size) == reader.stored_length
    assert stored.startswith(data) and true_length(stored[-TRAILER.size:]) == size


def _file_with(session, org, channel: str, content: bytes):
    with session.begin():
        identity = {"name": "สมศรี ใจดี", "phone": "0812345678"} if channel == "general" else None
        return file_complaint(session, org, now=NOW, channel=channel, kind="complaint", source="web",
                              identity=identity, story={"description": "ถนนชำรุด"},
                              attachments=[IncomingFile("photo.jpg", "image/jpeg", io.BytesIO(content))]).case


def test_two_different_photos_of_nearby_sizes_are_stored_alike_and_read_back_exactly(session, org, store):
    # Before, 149,626 and 150,100 bytes were stored as just that, in attachment.size and on disk.
    first, second = os.urandom(149_626), os.urandom(150_100)
    general = _file_with(session, org, "general", first)
    corruption = _file_with(session, org, "corruption", second)
    rows = {a.case_id: a for a in session.scalars(select(Attachment))}
    assert rows[general.id].size == rows[corruption.id].size == 151_552
    on_disk = {store.vault.blob_path(a.id).stat().st_size for a in rows.values()}
    assert len(on_disk) == 1
    vault = vault_of(session)
    assert b"".join(vault.read_blob(general, rows[general.id])) == first
    assert b"".join(vault.read_blob(corruption, rows[corruption.id])) == second


def test_a_blob_stored_before_padding_still_reads_whole(session, org, store):
    case = _file_with(session, org, "general", b"new")
    attachment = session.scalars(select(Attachment)).one()
    vault = vault_of(session)
    old = b"%PDF-1.4 stored unpadded, as before"
    with open(store.vault.blob_path(attachment.id), "wb") as dst:
        crypto.encrypt_stream(vault._dek(case, "story"), io.BytesIO(old), dst,
                              vault.field_ad(case.id, "attachment", attachment.id))
    assert b"".join(vault.read_blob(case, attachment)) == old


def test_padding_a_large_file_keeps_memory_at_a_chunk():
    # Just over 8 MiB pads by a quarter of a mebibyte of zeros: made as read, never held at once.
    import tracemalloc

    size = 8 * 2**20 + 1
    reader = PaddedReader(io.BytesIO(bytes(size)))
    tracemalloc.start()
    try:
        read = sum(len(chunk) for chunk in iter(lambda: reader.read(STREAM_CHUNK), b""))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert read == padme(size + TRAILER.size) > size + 3 * STREAM_CHUNK  # padding of several chunks
    assert peak < 4 * STREAM_CHUNK, peak  # holding the padding would take 5
