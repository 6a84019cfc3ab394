"""The organization and what its administrator configures: units, categories, staff, days off."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from complaints.db import Base, UTCDateTime
from complaints.models._types import one_of
from complaints.vocab import CHANNELS, ROLES


class Organization(Base):
    """A เทศบาล or อบต.; one deployment serves one by default and can host many."""

    __tablename__ = "organization"
    __table_args__ = (one_of("kind", ("municipality", "sao", "other"), "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="municipality")
    # Case-number prefixes (เลขรับ), e.g. "รท 2569/0123" and "ทจ 2569/0007".
    prefix_general: Mapped[str] = mapped_column(String(10), default="รท")
    prefix_corruption: Mapped[str] = mapped_column(String(10), default="ทจ")
    notice_days: Mapped[int] = mapped_column(Integer, default=15)
    progress_days: Mapped[int] = mapped_column(Integer, default=15)
    working_days: Mapped[bool] = mapped_column(Boolean, default=False)
    thai_digits: Mapped[bool] = mapped_column(Boolean, default=False)
    satisfaction_target: Mapped[int] = mapped_column(Integer, default=80)
    # Published in the guides: where and when people can complain other than online.
    address_th: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(60))
    office_hours_th: Mapped[str | None] = mapped_column(String(200))
    office_hours_en: Mapped[str | None] = mapped_column(String(200))
    po_box_th: Mapped[str | None] = mapped_column(String(200))
    # The data protection officer's contact, given in the privacy notice of both channels.
    dpo_contact: Mapped[str | None] = mapped_column(String(300))

    units: Mapped[list[Unit]] = relationship(back_populates="organization", order_by="Unit.id")
    categories: Mapped[list[Category]] = relationship(order_by="Category.id")
    office_holders: Mapped[list[OfficeHolder]] = relationship(order_by="OfficeHolder.id")

    @property
    def office_holder_names(self) -> tuple[str, ...]:
        """The names of its political office holders, present and former (a report naming one is
        flagged: NACC takes reports on a former holder's time in office too)."""
        return tuple(holder.name_th for holder in self.office_holders)

    def prefix(self, channel: str) -> str:
        """Case-number prefix of a channel."""
        return self.prefix_corruption if channel == "corruption" else self.prefix_general


class Unit(Base):
    """A unit of the organization (กองช่าง, งานนิติการ …): data, because names differ everywhere."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("org_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    code: Mapped[str] = mapped_column(String(40))
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    handles_corruption: Mapped[bool] = mapped_column(Boolean, default=False)
    # The complaint centre (ศูนย์รับเรื่องร้องเรียน) that receives general-channel cases.
    receives_general: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The responsible officer, by position (names change, positions stay), and the unit's phone.
    responsible_th: Mapped[str | None] = mapped_column(String(200))
    responsible_en: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(60))

    organization: Mapped[Organization] = relationship(back_populates="units")


class OfficeHolder(Base):
    """One of the organization's political office holders: the chief executive, a deputy, their
    political staff or a council member. Public knowledge (the office publishes them), kept so a
    corruption report that names one, with or without the title, is flagged (DESIGN.md §4)."""

    __tablename__ = "office_holder"
    __table_args__ = (UniqueConstraint("org_id", "name_th"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    name_th: Mapped[str] = mapped_column(String(200))
    position_th: Mapped[str] = mapped_column(String(200))
    # False once the term has ended. A report naming a former holder is still flagged: it is most
    # likely about their time in office, and their people may still be on the staff.
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Category(Base):
    """A complaint category of one channel, from the organization's own list."""

    __tablename__ = "category"
    __table_args__ = (
        UniqueConstraint("org_id", "channel", "code"),
        one_of("channel", CHANNELS, "channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    channel: Mapped[str] = mapped_column(String(12))
    code: Mapped[str] = mapped_column(String(40))
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    # What a citizen would file under it ("ถนน ไฟฟ้าส่องสว่าง ท่อระบายน้ำ"): a name such as
    # "ด้านโครงสร้างพื้นฐาน" does not tell someone with a broken street light which to choose.
    examples_th: Mapped[str | None] = mapped_column(String(300))
    examples_en: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StaffUser(Base):
    """A staff account. Only an Argon2id hash of the password is stored."""

    __tablename__ = "staff_user"
    __table_args__ = (UniqueConstraint("org_id", "username"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    username: Mapped[str] = mapped_column(String(80))
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    # TOTP secret, sealed under the root-derived key when the console adds two-factor login.
    totp_secret_ct: Mapped[bytes | None] = mapped_column(LargeBinary)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    role_rows: Mapped[list[StaffRole]] = relationship(cascade="all, delete-orphan")

    @property
    def roles(self) -> frozenset[str]:
        """The roles this account holds."""
        return frozenset(r.role for r in self.role_rows)


class StaffRole(Base):
    """One role held by a staff account; a table, so sweeps can find supervisors in SQL."""

    __tablename__ = "staff_role"
    __table_args__ = (one_of("role", ROLES, "role"),)

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class Holiday(Base):
    """An organization's own day off (or a cancelled one) on top of the national calendar."""

    __tablename__ = "holiday"
    __table_args__ = (
        UniqueConstraint("org_id", "day"),
        one_of("kind", ("day_off", "working_day"), "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    day: Mapped[date] = mapped_column(Date)
    name_th: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12), default="day_off")
