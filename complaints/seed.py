"""The demo organization ``complaints init`` creates, and the demo filings of ``complaints demo``."""
from __future__ import annotations

import random
from dataclasses import asdict
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints import demo_data
from complaints.models import Category, OfficeHolder, Organization, Unit
from complaints.workflow.intake import Filing, file_complaint

STORY_FIELDS = ("subject", "description", "place", "accused", "accused_unit", "when", "evidence",
                "witnesses", "remedy")
DEMO_SOURCES = ("web", "web", "web", "walk_in", "phone", "letter", "po_box", "social_media")


def ensure_demo_org(session: Session, slug: str = "demo") -> tuple[Organization, bool]:
    """The demo organization with its units, categories and office holders; created only if missing."""
    org = session.scalar(select(Organization).where(Organization.slug == slug))
    if org is not None:
        return org, False
    org = Organization(**{**demo_data.DEMO_ORG, "slug": slug})
    session.add(org)
    session.flush()
    session.add_all(
        Unit(org_id=org.id, code=u.code, name_th=u.name_th, name_en=u.name_en,
             handles_corruption=u.handles_corruption, receives_general=u.code == "office",
             responsible_th=u.responsible_th or None, responsible_en=u.responsible_en or None,
             phone=u.phone or None)
        for u in demo_data.DEMO_UNITS
    )
    session.add_all(
        Category(org_id=org.id, channel=c.channel, code=c.code, name_th=c.name_th, name_en=c.name_en,
                 examples_th=c.examples_th or None, examples_en=c.examples_en or None)
        for c in demo_data.DEMO_CATEGORIES
    )
    session.add_all(OfficeHolder(org_id=org.id, name_th=name, position_th=position)
                    for name, position in demo_data.DEMO_OFFICE_HOLDERS)
    session.flush()
    return org, True


def file_demo_complaints(
    session: Session, org: Organization, count: int, now: datetime, *, seed: int = 0
) -> list[Filing]:
    """File ``count`` sample complaints through the real filing function, spread over 60 days.

    Receipt times ascend, so case numbers follow the order of receipt as they would in life.
    """
    rng = random.Random(seed)
    categories = {(c.channel, c.code): c for c in session.scalars(
        select(Category).where(Category.org_id == org.id))}
    # The samples name a unit by its code; a reporter writes its name.
    unit_names = {u.code: u.name_th for u in session.scalars(select(Unit).where(Unit.org_id == org.id))}
    offsets = sorted((rng.uniform(0, 60 * 24 * 3600) for _ in range(count)), reverse=True)
    filings = []
    for i, offset in enumerate(offsets):
        sample, identity = demo_data.pick(i)
        story = {k: v for k, v in asdict(sample).items() if k in STORY_FIELDS and v}
        if "accused_unit" in story:
            story["accused_unit"] = unit_names.get(story["accused_unit"], story["accused_unit"])
        source = "web" if sample.channel == "corruption" else rng.choice(DEMO_SOURCES)
        filings.append(file_complaint(
            session, org, sample.channel, sample.kind, source, story, identity, [],
            now - timedelta(seconds=offset),
            category=categories.get((sample.channel, sample.category)),
            names_executive=sample.names_executive,
        ))
    return filings
