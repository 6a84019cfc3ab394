"""A backup a small office can restore: the database and the attachment files, never the keys.

Copying ``complaints.db`` by hand misses what is still in its ``-wal`` file (every case since the
last checkpoint) and can catch a write half-made; SQLite's online backup copies a consistent
snapshot while the system keeps serving. The attachment files are copied after that snapshot: a
file is written before its row commits, so every attachment the snapshot names has its file.
The keys stay out: whoever holds this backup and the keys holds every report, so the keys are
backed up apart (and again after every key rotation).
"""
from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from complaints.db import make_engine, sqlite_file_missing
from complaints.models import Attachment
from complaints.store import blob_file


class BackupRefused(Exception):
    """The backup cannot be made here; the message says what to do instead."""


@dataclass(frozen=True)
class BackupReport:
    """Where the snapshot went and how many attachment files were copied or already there."""

    database: Path
    files_copied: int
    files_kept: int
    files_missing: int  # attachments the snapshot names whose file is not in the backup


def _private_dir(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def snapshot_sqlite(engine: Engine, target: Path) -> None:
    """Write a consistent copy of the engine's SQLite database to ``target`` (mode 0600)."""
    source = engine.url.database
    if engine.dialect.name != "sqlite" or not source or source == ":memory:":
        raise BackupRefused(
            "the database is not a SQLite file: back it up with its own tool, e.g. "
            "pg_dump --format=custom --file=complaints.dump <database> (before the attachment files)")
    if sqlite_file_missing(engine):  # sqlite3 would make an empty one, and the copy would hold nothing
        raise BackupRefused(f"there is no database file at {source}: check DATABASE_URL")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src, dst = sqlite3.connect(source, timeout=30), sqlite3.connect(partial)
    try:
        os.chmod(partial, 0o600)
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    os.replace(partial, target)  # a copy cut short never stands where a good one did


def copy_blobs(source: Path, target: Path) -> tuple[int, int]:
    """Copy attachment files not yet in ``target`` (a file never changes once written), keeping
    their times; returns (copied, already there)."""
    copied = kept = 0
    if not source.is_dir():
        return 0, 0
    for folder in sorted(p for p in source.iterdir() if p.is_dir()):
        into = _private_dir(target / folder.name)
        for path in folder.glob("*.bin"):
            there = into / path.name
            if there.is_file() and there.stat().st_size == path.stat().st_size:
                kept += 1
                continue
            partial = there.with_suffix(".partial")
            shutil.copy2(path, partial)  # the times too: a corruption report's file is stamped with its day
            os.chmod(partial, 0o600)
            os.replace(partial, there)  # a copy cut short is never taken for the file
            copied += 1
        shutil.copystat(folder, into)
    return copied, kept


def back_up(engine: Engine, blob_dir: Path, destination: Path, *, keep_out: tuple[Path, ...] = ()) -> BackupReport:
    """The database snapshot, then the attachment files, into ``destination`` (made 0700).

    ``destination`` may not be, hold or lie inside the database's folder, ``blob_dir`` or any
    folder of ``keep_out`` (the keys, the instance): a snapshot would replace the live database,
    or a backup would copy itself, or land beside the keys.
    """
    target = destination.resolve()
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and Path(database).resolve().parent == target:
        raise BackupRefused(f"the backup folder {destination} is the database's own: choose another")
    for place in (p.resolve() for p in (blob_dir, *keep_out)):
        if target == place or place in target.parents or target in place.parents:
            raise BackupRefused(f"the backup folder {destination} overlaps {place}: choose a folder outside it")
    _private_dir(destination)
    snapshot = destination / "complaints.db"
    snapshot_sqlite(engine, snapshot)
    copied, kept = copy_blobs(blob_dir, destination / "blobs")
    return BackupReport(database=snapshot, files_copied=copied, files_kept=kept,
                        files_missing=count_missing_files(snapshot, destination / "blobs"))


def count_missing_files(snapshot: Path, blobs: Path) -> int:
    """How many attachments the database at ``snapshot`` names have no file under ``blobs``.

    Every one should be there (see the module's docstring); one that is not means BLOB_DIR points
    elsewhere or a file was lost, and a restore would bring back cases without their evidence.
    """
    engine = make_engine(f"sqlite:///{snapshot}")
    try:
        with engine.connect() as connection:
            ids = connection.scalars(select(Attachment.id)).all()
    finally:
        engine.dispose()
    return sum(not blob_file(blobs, i).is_file() for i in ids)
