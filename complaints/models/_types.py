"""Column helpers shared by the model modules."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import CheckConstraint


def one_of(column: str, values: Iterable[str], name: str) -> CheckConstraint:
    """A CHECK that keeps a vocabulary column inside its closed list on both databases."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)
