"""Key rotation without downtime: new KEKs, then every DEK re-wrapped in small transactions.

Readers find each DEK's KEK by the id stored beside it and reload the key ring on an unknown id,
so a running server keeps reading old and new rows throughout. Story and identity ciphertexts
and attachment files are untouched: only the wrapped DEKs change.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from complaints.models import Case
from complaints.store import Vault
from complaints.vocab import CHANNELS, PURPOSES

# Longer than a filing can hold its wrapped DEK before committing: a lock wait is cut off after
# db.LOCK_WAIT_SECONDS on both databases, plus the statements themselves.
SETTLE_SECONDS = 60.0


@dataclass(frozen=True)
class RotationReport:
    """What a rotation did: new key files and the number of cases re-wrapped."""

    new_keys: list[str]
    rewrapped: int
    remaining: int


def stale_filter(vault: Vault, channel: str):  # type: ignore[no-untyped-def]
    """SQL condition: a case of ``channel`` with a DEK not wrapped by that channel's current KEK."""
    story_kid = vault.keyring.current(channel, "story")[0]
    identity_kid = vault.keyring.current(channel, "identity")[0]
    return (Case.channel == channel) & or_(
        Case.story_kek_id != story_kid,
        (Case.identity_kek_id.is_not(None)) & (Case.identity_kek_id != identity_kid),
    )


def _rewrap_stale(sessions: sessionmaker[Session], vault: Vault, batch: int) -> int:
    rewrapped = 0
    for channel in CHANNELS:
        last_id = None
        while True:
            with sessions() as session, session.begin():
                query = select(Case).where(stale_filter(vault, channel)).order_by(Case.id).limit(batch)
                if last_id is not None:
                    query = query.where(Case.id > last_id)  # keyset: never revisit a row
                cases = session.scalars(query.with_for_update()).all()
                for case in cases:
                    rewrapped += vault.rewrap(case)
            if len(cases) < batch:
                break
            last_id = cases[-1].id
    return rewrapped


def rotate_keys(sessions: sessionmaker[Session], vault: Vault, *, batch: int = 500,
                settle_seconds: float = SETTLE_SECONDS, wait: Callable[[float], None] = time.sleep) -> RotationReport:
    """Create a new KEK for every family and re-wrap all DEKs under it, ``batch`` cases a commit.

    A filing that wrapped its DEK under the old KEK just before the new one was written may
    commit after the first pass has gone by. So the pass runs again after ``settle_seconds``,
    and only then is "0 still under an older key" (old key files may go) reported.
    """
    new_keys = [vault.keyring.add_kek(c, p) for c in CHANNELS for p in PURPOSES]
    vault.keyring.reload()
    rewrapped = _rewrap_stale(sessions, vault, batch)
    wait(settle_seconds)
    rewrapped += _rewrap_stale(sessions, vault, batch)
    with sessions() as session:
        remaining = sum(
            session.scalar(select(func.count()).select_from(Case).where(stale_filter(vault, c))) or 0
            for c in CHANNELS
        )
    return RotationReport(new_keys=new_keys, rewrapped=rewrapped, remaining=remaining)
