"""The organization's units and complaint categories, as its office keeps them.

The guides publish each channel's responsible units (with the responsible officer's position and
phone) and the forms offer the categories, so an office replaces the demo's with its own here
(``complaints unit``, ``complaints category``). A category in use is retired, never deleted: the
cases filed under it keep it.
"""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from complaints.models import Category, Unit
from complaints.vocab import CHANNELS
from complaints.workflow.org_settings import SettingError, checked_value

UNIT_TEXTS: dict[str, int | None] = {"name_th": 200, "name_en": 200, "responsible_th": 200,
                                     "responsible_en": 200, "phone": 60}
# A category's examples: a line of what people file under it, not a description to read through.
CATEGORY_EXAMPLES: dict[str, int | None] = {"examples_th": 300, "examples_en": 300}
# Which units the guides name: the corruption channel's (legal) and the general channel's centre.
UNIT_FLAGS = ("handles_corruption", "receives_general")
CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


def _code(code: str) -> str:
    if not CODE.fullmatch(code):
        raise SettingError(f"a code is 1 to 40 of a-z, 0-9, _ and -, starting with a letter or digit, not {code!r}")
    return code


def units(session: Session, org_id: int) -> list[Unit]:
    """The organization's units, in the order they were added."""
    return list(session.scalars(select(Unit).where(Unit.org_id == org_id).order_by(Unit.id)))


def _unit(session: Session, org_id: int, code: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.org_id == org_id, Unit.code == code))
    if unit is None:
        raise SettingError(f"no unit {code!r}; 'complaints unit list' shows the codes")
    return unit


def add_unit(session: Session, org_id: int, code: str, name_th: str, name_en: str) -> Unit:
    """A new unit; its flags and contacts are set afterwards (``set_unit_setting``)."""
    if session.scalar(select(Unit.id).where(Unit.org_id == org_id, Unit.code == _code(code))) is not None:
        raise SettingError(f"there is already a unit {code!r}")
    unit = Unit(org_id=org_id, code=code, handles_corruption=False, receives_general=False)
    for name, value in (("name_th", name_th), ("name_en", name_en)):
        setattr(unit, name, checked_value(name, value, UNIT_TEXTS, UNIT_FLAGS))
    session.add(unit)
    return unit


def set_unit_setting(session: Session, org_id: int, code: str, name: str, value: str) -> object:
    """Check and store one setting of a unit; a channel is never left with no unit named for it."""
    unit = _unit(session, org_id, code)
    stored = checked_value(name, value, UNIT_TEXTS, UNIT_FLAGS)
    if name in UNIT_FLAGS and stored is False and getattr(unit, name):
        flag = getattr(Unit, name)
        others = session.scalar(select(Unit.id).where(Unit.org_id == org_id, Unit.id != unit.id, flag.is_(True)))
        if others is None:
            raise SettingError(f"{code} is the only unit with {name}: set it on another unit first")
    setattr(unit, name, stored)
    return stored


def categories(session: Session, org_id: int) -> list[Category]:
    """The organization's categories of both channels, retired ones too."""
    query = select(Category).where(Category.org_id == org_id).order_by(Category.channel, Category.id)
    return list(session.scalars(query))


def add_category(session: Session, org_id: int, channel: str, code: str, name_th: str, name_en: str) -> Category:
    """A new category of ``channel`` on the form, or a retired one back under these names."""
    if channel not in CHANNELS:
        raise SettingError(f"the channel is one of {', '.join(CHANNELS)}")
    category = session.scalar(select(Category).where(
        Category.org_id == org_id, Category.channel == channel, Category.code == _code(code)))
    if category is not None and category.active:
        raise SettingError(f"there is already a {channel} category {code!r}")
    if category is None:
        category = Category(org_id=org_id, channel=channel, code=code)
        session.add(category)
    category.name_th = str(checked_value("name_th", name_th, UNIT_TEXTS, ()))
    category.name_en = str(checked_value("name_en", name_en, UNIT_TEXTS, ()))
    category.active = True
    return category


def set_category_examples(session: Session, org_id: int, channel: str, code: str,
                          examples_th: str, examples_en: str | None = None) -> Category:
    """What a citizen would file under the category ``code`` of ``channel`` ("ถนน ไฟฟ้าส่องสว่าง
    ท่อระบายน้ำ"), which the form and the guide list beside the names.

    ``examples_en`` None keeps the English ones. An empty ``examples_th`` clears both: a page in
    Thai lists none, so English ones alone would be shown only in English (an English page shows
    the Thai when there is no English).
    """
    category = session.scalar(select(Category).where(
        Category.org_id == org_id, Category.channel == channel, Category.code == code))
    if category is None:
        raise SettingError(f"no {channel} category {code!r}; 'complaints category list' shows them")
    thai = _examples("examples_th", examples_th)
    english = category.examples_en if examples_en is None else _examples("examples_en", examples_en)
    if thai is None:
        if examples_en:
            raise SettingError("examples_en needs examples_th: the Thai page lists the Thai ones")
        english = None
    category.examples_th, category.examples_en = thai, english
    return category


def _examples(name: str, value: str) -> str | None:
    checked = checked_value(name, value, CATEGORY_EXAMPLES, ())
    return None if checked is None else str(checked)


def retire_category(session: Session, org_id: int, channel: str, code: str) -> Category:
    """Take a category off the form; cases filed under it keep it. The last one of a channel stays."""
    category = session.scalar(select(Category).where(
        Category.org_id == org_id, Category.channel == channel, Category.code == code, Category.active.is_(True)))
    if category is None:
        raise SettingError(f"no {channel} category {code!r} on the form; 'complaints category list' shows them")
    left = session.scalar(select(Category.id).where(
        Category.org_id == org_id, Category.channel == channel, Category.active.is_(True), Category.id != category.id))
    if left is None:
        raise SettingError(f"{code} is the last {channel} category on the form: add another first")
    category.active = False
    return category
