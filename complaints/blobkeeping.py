"""What happens to an attachment's blob file when the filing that wrote it ends.

Blobs are written before the transaction that records them, so the file system has to follow the
database's outcome: a rollback deletes the filing's new files, a commit keeps them. One outcome is
not known at once: a connection lost while the COMMIT is on its way (the server may have written
the rows, and only its reply was lost). Deleting the files then would leave a case whose evidence
is gone, so they stay "unsettled" until the caller has asked the database (``settle``); what no
caller settles, such as a worker killed mid-filing, the orphan purge (``remove_orphans``) finds
later by its missing attachment row.
"""
from __future__ import annotations

import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from complaints.models import Attachment

# A blob with no attachment row younger than this may belong to a filing still under way (its
# files are cleaned and written before its transaction begins): the purge leaves it alone.
ORPHAN_AFTER = timedelta(hours=1)

Blob = tuple[Path, "datetime | None"]  # the file, and the time stamped on it and its folder


def stamp(path: Path, stamped_at: datetime) -> None:
    """Set ``path``'s access and modification times to ``stamped_at``."""
    os.utime(path, (stamped_at.timestamp(), stamped_at.timestamp()))


def _discard(blobs: list[Blob]) -> None:
    for path, stamped_at in blobs:
        try:
            for leftover in (path, path.with_suffix(".tmp")):
                leftover.unlink(missing_ok=True)
            if stamped_at is not None:  # the removal touched the folder: a refused report's moment
                stamp(path.parent, stamped_at)
        except OSError:
            continue  # one file's failure must not keep the others; the orphan purge retries


@event.listens_for(Session, "before_commit")
def _note_commit_sent(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's release decides nothing about files
        session.info["commit_sent"] = True


@event.listens_for(Session, "after_soft_rollback")
def _delete_uncommitted_blobs(session: Session, previous_transaction: Any) -> None:
    # Soft rollback too: blobs are written before the transaction touches the database, so
    # there may be no DBAPI rollback at all. Only the outermost transaction's end counts.
    if previous_transaction.parent is not None:
        return
    blobs = session.info.pop("new_blobs", [])
    if session.info.pop("commit_sent", False):
        # The rollback of a failed commit: the rows may be in the database all the same.
        session.info["unsettled_blobs"] = session.info.get("unsettled_blobs", []) + blobs
        session.info["commit_uncertain"] = True
        return
    _discard(blobs)


@event.listens_for(Session, "after_commit")
def _keep_committed_blobs(session: Session) -> None:
    session.info.pop("new_blobs", None)
    session.info.pop("commit_sent", None)


def commit_uncertain(session: Session) -> bool:
    """True when the session's last transaction failed during its COMMIT, so whether its rows
    were written is not known until someone looks (``settle``)."""
    return bool(session.info.get("commit_uncertain"))


def settle(session: Session, committed: bool) -> None:
    """Keep (``committed``) or delete the files of a transaction whose commit was uncertain,
    once the database has been asked whether its rows are there."""
    blobs = session.info.pop("unsettled_blobs", [])
    session.info.pop("commit_uncertain", None)
    if not committed:
        _discard(blobs)


def remove_orphans(session: Session, blob_dir: Path, now: datetime) -> int:
    """Delete blob files that no attachment row names and that were written more than
    ``ORPHAN_AFTER`` before ``now`` (a server killed mid-filing, a commit whose outcome no one
    settled). Each folder keeps its modification time. Returns how many files went."""
    cutoff = (now - ORPHAN_AFTER).timestamp()
    removed = 0
    for folder in sorted(blob_dir.glob("[0-9a-f][0-9a-f]")):
        # The change time, not the modification time: a corruption report's file is stamped
        # with its day, but the inode's change time is the moment it was written.
        old = [p for p in folder.iterdir() if p.suffix in (".bin", ".tmp") and p.stat().st_ctime < cutoff]
        ids = {uuid.UUID(p.stem) for p in old if _is_id(p.stem)}
        named = set(session.scalars(select(Attachment.id).where(Attachment.id.in_(ids)))) if ids else set()
        gone = [p for p in old if _is_id(p.stem) and (p.suffix == ".tmp" or uuid.UUID(p.stem) not in named)]
        if not gone:
            continue
        folder_times = folder.stat()
        for path in gone:
            path.unlink(missing_ok=True)
            removed += 1
        os.utime(folder, ns=(folder_times.st_atime_ns, folder_times.st_mtime_ns))
    return removed


def _is_id(stem: str) -> bool:
    try:
        return uuid.UUID(stem).hex == stem
    except ValueError:
        return False
