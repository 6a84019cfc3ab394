"""A per-process snapshot of the organization's public settings: names, time frames, categories,
working calendar and the office holders a report may name.

Every public page and every filing needs them. Reading them on each request cost three queries
and, on SQLite, a write-locked transaction before the filing's own; a filing POST now opens one
transaction, for the filing. Settings change rarely and only by an administrator, so a snapshot
lives ``ORG_CACHE_SECONDS`` (default 30). Code that changes them (the staff console, when it
comes) calls ``invalidate`` so its own process sees the change at once; other worker processes
see it when their snapshot ages out. A filing's deadlines are computed from the snapshot, so a
changed time frame applies to filings from then on, as it would a moment after the change anyway.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms.fields.choices import SelectChoice

from complaints.models import Category, OfficeHolder, Organization
from complaints.workflow.deadlines import WorkCalendar, calendar_for


@dataclass(frozen=True)
class CategoryChoice:
    """One category offered on a filing form."""

    id: int
    org_id: int
    channel: str
    name_th: str
    name_en: str
    examples_th: str | None = None
    examples_en: str | None = None


@dataclass(frozen=True)
class OrgSnapshot:
    """What the public side reads of an organization; immutable, so threads can share it."""

    id: int
    slug: str
    name_th: str
    name_en: str
    notice_days: int
    progress_days: int
    working_days: bool
    categories: tuple[CategoryChoice, ...]
    calendar: WorkCalendar
    address_th: str | None = None
    phone: str | None = None
    office_hours_th: str | None = None
    office_hours_en: str | None = None
    po_box_th: str | None = None
    dpo_contact: str | None = None
    thai_digits: bool = False
    office_holder_names: tuple[str, ...] = ()

    _choices: dict[tuple[str, bool], tuple[SelectChoice, ...]] = field(
        default_factory=dict, init=False, compare=False, repr=False)
    # The blank filing forms' sizes by language, which the padding evens out (web.form_pages).
    page_sizes: dict[str, dict[str, int]] = field(default_factory=dict, init=False, compare=False, repr=False)

    def choices(self, channel: str, english: bool) -> list[SelectChoice]:
        """A channel's categories as a form's choices in one language (made once per snapshot)."""
        key = (channel, english)
        if key not in self._choices:  # a race makes the same tuple twice, harmlessly
            # A blank first choice: someone who skips the list is asked, not filed under the first.
            blank = SelectChoice("", "— choose —" if english else "— เลือก —")
            self._choices[key] = (blank, *(SelectChoice(str(c.id), c.name_en if english else c.name_th)
                                           for c in self.categories_of(channel)))
        return list(self._choices[key])

    def categories_of(self, channel: str) -> tuple[CategoryChoice, ...]:
        """Active categories of a channel, in the organization's order."""
        return tuple(c for c in self.categories if c.channel == channel)

    def category(self, channel: str, category_id: object) -> CategoryChoice | None:
        """The active category with this id in this channel, or None."""
        return next((c for c in self.categories_of(channel) if c.id == category_id), None)


def load_snapshot(session: Session, slug: str) -> OrgSnapshot | None:
    """Read an organization's snapshot (four small queries), or None when it does not exist."""
    org = session.scalar(select(Organization).where(Organization.slug == slug))
    if org is None:
        return None
    rows = session.scalars(select(Category).where(Category.org_id == org.id, Category.active)
                           .order_by(Category.id))
    return OrgSnapshot(
        id=org.id, slug=org.slug, name_th=org.name_th, name_en=org.name_en, notice_days=org.notice_days,
        progress_days=org.progress_days, working_days=org.working_days,
        categories=tuple(CategoryChoice(c.id, c.org_id, c.channel, c.name_th, c.name_en, c.examples_th, c.examples_en)
                         for c in rows),
        calendar=calendar_for(session, org.id),
        address_th=org.address_th, phone=org.phone, office_hours_th=org.office_hours_th,
        office_hours_en=org.office_hours_en, po_box_th=org.po_box_th, dpo_contact=org.dpo_contact,
        thai_digits=bool(org.thai_digits),
        office_holder_names=tuple(session.scalars(
            select(OfficeHolder.name_th).where(OfficeHolder.org_id == org.id).order_by(OfficeHolder.id))),
    )


class OrgCache:
    """Snapshots by slug, each kept ``ttl`` seconds (0 reads on every call).

    A miss reads through a short session of its own, so call ``get`` before the request's own
    session opens a transaction: on SQLite every transaction takes the write lock.
    """

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, OrgSnapshot]] = {}
        self._generation = 0  # bumped by invalidate: a read begun before it is not kept

    def get(self, open_session: Callable[[], Session], slug: str) -> OrgSnapshot | None:
        """The snapshot of ``slug``, read again when older than the time to live."""
        now = self._clock()
        entry = self._entries.get(slug)
        if entry is not None and now - entry[0] < self.ttl:
            return entry[1]
        generation = self._generation
        with open_session() as session, session.begin():
            snapshot = load_snapshot(session, slug)
        if snapshot is not None:
            with self._lock:
                if generation == self._generation:
                    self._entries[slug] = (now, snapshot)
        return snapshot

    def invalidate(self) -> None:
        """Forget every snapshot; whoever changes settings, categories or days off calls this."""
        with self._lock:
            self._generation += 1
            self._entries.clear()
