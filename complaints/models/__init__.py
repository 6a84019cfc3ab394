"""Typed SQLAlchemy 2 models. Every schema change is an Alembic migration (complaints/migrations)."""
from complaints.db import Base
from complaints.models.audit import AccessLog, CaseEvent, PublishedStats
from complaints.models.case import Attachment, Case, CaseAlert, CaseCounter, FormDraft, Message, SpentFormToken
from complaints.models.org import (
    Category,
    Holiday,
    OfficeHolder,
    Organization,
    StaffRole,
    StaffUser,
    Unit,
)

__all__ = [
    "AccessLog",
    "Attachment",
    "Base",
    "Case",
    "CaseAlert",
    "CaseCounter",
    "CaseEvent",
    "Category",
    "Holiday",
    "Message",
    "OfficeHolder",
    "Organization",
    "PublishedStats",
    "SpentFormToken",
    "FormDraft",
    "StaffRole",
    "StaffUser",
    "Unit",
]
