"""What happens to an attachment's blob file when the filing that wrote it ends.

Blobs are written before the transaction that records them, so the file system has to follow the
database's outcome: a rollback deletes the filing's new files, a commit keeps them. One outcome is
not known at once: a connection lost while the COMMIT is on its way (the server may have written
the rows, or may still be writing them: on PostgreSQL a fresh look can come too early). Deleting
the files then could leave a case whose evidence is gone, so they stay; the caller only learns that
the commit is uncertain (``take_commit_uncertainty``). Files no attachment row names are moved
aside by the daily orphan purge (``remove_orphans``) an hour later at the earliest, kept there for
``QUARANTINE_DAYS``, and only then deleted: a purge run against the wrong database (a scheduler
started with an old setting, a restored copy) can be undone.
"""
from __future__ import annotations

import logging
import os
import uuid
import weakref
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from complaints.models import Attachment

log = logging.getLogger(__name__)

# A blob with no attachment row younger than this may belong to a filing still under way (its
# files are cleaned and written before its transaction begins): the purge leaves it alone.
ORPHAN_AFTER = timedelta(hours=1)
# Orphans wait here, outside the fan-out folders, before they are deleted.
QUARANTINE = "orphaned"
QUARANTINE_DAYS = 30
# More orphans than this in one run looks like the wrong database, not killed filings: none move.
ORPHAN_BRAKE = 20

Blob = tuple[Path, "datetime | None"]  # the file, and the time stamped on it and its folder
# Outermost transactions whose COMMIT has begun: a rollback of one of these follows a failed commit.
_COMMITTING: weakref.WeakSet[SessionTransaction] = weakref.WeakSet()


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
def _note_commit_begun(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's release decides nothing about files
        # The commit's own flush first: a statement it refuses writes nothing, and is no
        # uncertain commit. Only what follows is the COMMIT on its way.
        session.flush()
        _COMMITTING.add(session.get_transaction())  # type: ignore[arg-type]


@event.listens_for(Session, "after_soft_rollback")
def _delete_uncommitted_blobs(session: Session, previous_transaction: SessionTransaction) -> None:
    # Soft rollback too: blobs are written before the transaction touches the database, so
    # there may be no DBAPI rollback at all. Only the outermost transaction's end counts.
    if previous_transaction.parent is not None:
        return
    blobs = session.info.pop("new_blobs", [])
    if previous_transaction in _COMMITTING:
        # The rollback of a failed commit: the rows may be in the database all the same.
        session.info["commit_uncertain"] = True
        return
    _discard(blobs)


@event.listens_for(Session, "after_commit")
def _keep_committed_blobs(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's files still depend on the outer one
        session.info.pop("new_blobs", None)


def take_commit_uncertainty(session: Session) -> bool:
    """True (once) when the session's last transaction failed during its COMMIT, so whether its
    rows were written is not known until someone looks; its files were kept either way."""
    return bool(session.info.pop("commit_uncertain", False))


def remove_orphans(session: Session, blob_dir: Path, now: datetime) -> int:
    """Move blob files that no attachment row names, written more than ``ORPHAN_AFTER`` before
    ``now`` (a server killed mid-filing, a commit whose outcome was not known), into the
    quarantine folder, and delete what has waited there ``QUARANTINE_DAYS``. Each folder keeps its
    modification time. Returns how many files were moved; none when more than ``ORPHAN_BRAKE``
    are found, which says the database is not the one these files belong to."""
    cutoff = (now - ORPHAN_AFTER).timestamp()
    found: list[Path] = []
    for folder in sorted(blob_dir.glob("[0-9a-f][0-9a-f]")):
        # The change time, not the modification time: a corruption report's file is stamped
        # with its day, but the inode's change time is the moment it was written.
        old = [p for p in _entries(folder) if p.suffix in (".bin", ".tmp") and _is_id(p.stem) and _ctime(p) < cutoff]
        ids = {uuid.UUID(p.stem) for p in old}
        named = set(session.scalars(select(Attachment.id).where(Attachment.id.in_(ids)))) if ids else set()
        found += [p for p in old if p.suffix == ".tmp" or uuid.UUID(p.stem) not in named]
    quarantine = blob_dir / QUARANTINE
    expired = (now - timedelta(days=QUARANTINE_DAYS)).timestamp()
    for path in _entries(quarantine):  # first: the brake below must not keep them for ever
        if _ctime(path) < expired:
            path.unlink(missing_ok=True)
    if len(found) > ORPHAN_BRAKE:
        log.warning("%d attachment files have no case in this database: is it the database they belong to? "
                    "None was moved", len(found))
        return 0
    for path in found:
        quarantine.mkdir(mode=0o700, exist_ok=True)
        folder_times = path.parent.stat()
        try:
            os.replace(path, quarantine / path.name)
        except OSError:
            continue  # gone meanwhile (a rollback's own deletion), or not ours to move: next run
        os.utime(path.parent, ns=(folder_times.st_atime_ns, folder_times.st_mtime_ns))
    return len(found)


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _ctime(path: Path) -> float:
    try:
        return path.stat().st_ctime
    except OSError:
        return float("inf")  # gone: never old enough


def _is_id(stem: str) -> bool:
    try:
        return uuid.UUID(stem).hex == stem
    except ValueError:
        return False
