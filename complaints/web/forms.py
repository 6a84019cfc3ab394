"""The two filing forms (Flask-WTF, CSRF on by default) and the input rules shared by both.

Labels, choices and the forms' own messages are Thai message ids translated by Babel, so each page
is in its own language; what the workflow and the upload checks refuse comes Thai first, then
English, as they know no request. Digits typed in Thai (๐–๙) are accepted and stored
as ASCII; control characters are refused rather than silently dropped, so nothing typed is lost
without the user knowing.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import StopValidation
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    Regexp,
)

from complaints import thaidate
from complaints.vocab import KINDS_BY_CHANNEL
from complaints.workflow.intake_rules import CONTACT_FIELDS, blank

# C0/C1 controls except tab and newlines, plus bidi overrides that can disguise text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: Any) -> Any:
    """NFC, CRLF to LF, outer space trimmed; the citizen's own words keep their digits."""
    if not isinstance(value, str):
        return value
    return unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n").strip()


def without_invisible(value: Any) -> Any:
    """For a number, a code or an e-mail address: invisible format characters (zero-width spaces
    and joiners, direction marks, a soft hyphen) dropped. A number copied from a phone's contacts
    comes wrapped in direction marks; they mean nothing there, and the number was refused as
    "not a phone number" with nothing to see that was wrong."""
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if unicodedata.category(ch) != "Cf")


def one_line(value: Any) -> Any:
    """For a one-line field: any run of spaces, tabs or line separators (U+2028) becomes one space,
    as the field shows it, so "สมใจ\tทดสอบ" is stored as the name it looks like."""
    return " ".join(value.split()) if isinstance(value, str) else value


def ascii_digits(value: Any) -> Any:
    """For numbers people type in either script (phone, village no.): Thai digits to ASCII."""
    return thaidate.to_ascii_digits(value) if isinstance(value, str) else value


# What people write before the number itself: "โทร 081…", "Tel: 081…", "หมู่ 5", "ม.5". The
# field's label already says it, so the word is dropped rather than refusing the number.
_PHONE_WORD = re.compile(r"\A(?:โทร(?:ศัพท์)?|มือถือ|tel|phone|mobile)\s*[.:]?\s*(?=[0-9+(])", re.IGNORECASE)
_VILLAGE_WORD = re.compile(r"\A(?:หมู่(?:ที่)?|ม\.|moo|mu)\s*[.:]?\s*(?=[0-9])", re.IGNORECASE)


def phone_without_word(value: Any) -> Any:
    """A phone number without the "โทร" or "Tel:" typed before it."""
    return _PHONE_WORD.sub("", value) if isinstance(value, str) else value


def village_without_word(value: Any) -> Any:
    """A village number without the "หมู่", "หมู่ที่" or "ม." typed before it."""
    return _VILLAGE_WORD.sub("", value) if isinstance(value, str) else value


def no_control_characters(_form: FlaskForm, field: Field) -> None:
    """Refuse invisible control characters (they hide text from the officer who reads it)."""
    if isinstance(field.data, str) and _CONTROL.search(field.data):
        raise ValidationError(_("มีอักขระพิเศษที่มองไม่เห็นซึ่งใช้ไม่ได้ กรุณาลบหรือพิมพ์ข้อความนี้ใหม่"))


class VisibleRequired(DataRequired):
    """DataRequired that also refuses text made only of invisible characters (zero-width spaces,
    bidi marks, soft hyphens): they pass ``strip()`` and would file a case with no name or story."""

    def __call__(self, form: FlaskForm, field: Field) -> None:
        """Stop validation with the message when the field shows nothing."""
        if isinstance(field.data, str) and blank(field.data):
            field.errors[:] = []
            raise StopValidation(self.message)
        super().__call__(form, field)


def category_id(value: Any) -> int | None:
    """A category choice as its id; the blank first choice ("choose…") is None."""
    return None if value in ("", None) else int(value)


def _length(maximum: int) -> Length:
    return Length(max=maximum, message=_("ยาวเกิน %(n)s ตัวอักษร", n=maximum))


REQUIRED = _("กรุณากรอกข้อมูลนี้")
CHOOSE_CATEGORY = _("กรุณาเลือกหมวดเรื่อง")  # a list is chosen from, not typed in
# WTForms' own message for a value not on the list is English only (it has no Thai catalogue).
NOT_A_CHOICE = _("กรุณาเลือกจากรายการ")
FILTERS = [clean_text]
ONE_LINE_FILTERS = [clean_text, one_line]
NUMBER_FILTERS = [without_invisible, clean_text, one_line, ascii_digits]
EMAIL_FILTERS = [without_invisible, clean_text]
PHONE_FILTERS = [*NUMBER_FILTERS, phone_without_word]
VILLAGE_FILTERS = [*NUMBER_FILTERS, village_without_word]
# At least nine digits (a Bangkok landline has nine): "---------" is no way to call anyone. An
# office number may end with its extension ("ต่อ 12", "ext. 12", "x12").
# [0-9], not \d: that takes any script's digits (Arabic-Indic ones in an extension were stored as typed).
PHONE = Regexp(r"^(?=(?:[^0-9]*[0-9]){9})[0-9+()\- ]{9,20}(?:\s*(?:ต่อ|ext\.?|x)\s*[0-9]{1,5})?$", message=_("หมายเลขโทรศัพท์ไม่ถูกต้อง (ตัวเลข 9–10 หลัก เช่น 081-234-5678)"))
EMAIL = Email(message=_("อีเมลไม่ถูกต้อง"), check_deliverability=False)


def text(label: str, maximum: int, *required: Any, area: bool = False, autocomplete: str | None = None) -> Field:
    """A cleaned text field with a length cap and the control-character check."""
    kind = TextAreaField if area else StringField
    validators = [*(required or [Optional()]), _length(maximum), no_control_characters]
    render_kw = {"autocomplete": autocomplete} if autocomplete else None
    return kind(label, validators=validators, filters=FILTERS if area else ONE_LINE_FILTERS, render_kw=render_kw)


DESCRIPTION_MAX = 10_000  # characters; also said on the "too large" page (web/public)


class TextForm(FlaskForm):
    """A form that reads only the posted text fields (``request.form``).

    Flask-WTF merges ``request.files`` (and a JSON body) into the form data, so a file part or a
    JSON number sent under a text field's name reached validators that expect a string, and the
    page failed with a 500. Attachments are read from ``request.files`` by the view.
    """

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:  # noqa: D102 - Flask-WTF hook
            merged = super().wrap_formdata(form, formdata)
            return request.form if merged is not None and merged is not formdata else merged


class FilingForm(TextForm):
    """Fields both channels share."""

    category = SelectField(_("หมวดเรื่อง"), coerce=category_id, validators=[InputRequired(CHOOSE_CATEGORY)],
                           invalid_choice_message=NOT_A_CHOICE, invalid_value_message=NOT_A_CHOICE)
    description = text(_("รายละเอียด"), DESCRIPTION_MAX, VisibleRequired(REQUIRED), area=True)
    place = text(_("สถานที่"), 300)
    # "accept" lets a phone offer only these, and makes an iPhone send its HEIC photos as JPEG.
    attachments = MultipleFileField(_("เอกสารหรือภาพประกอบ (PDF, JPEG, PNG)"),
                                    render_kw={"accept": "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"})
    # One-time token: a replayed or double-submitted form is refused instead of filed twice.
    form_nonce = HiddenField(validators=[VisibleRequired(REQUIRED), Length(max=64)])

    # The fields in the order the page shows them (the class declares the shared ones first).
    page_order: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "Give one way to reach you" is an error of the contact fields together, not of one.
        self.contact_errors: list[str] = []

    def page_fields(self) -> list[Field]:
        """The visible fields in page order, for the error summary."""
        return [self[name] for name in self.page_order]

    def contact_fields(self) -> list[Field]:
        """The fields of this form that the filing rule counts as a way to reach the complainant
        (``intake_rules.CONTACT_FIELDS``), in page order: where ``contact_errors`` are shown."""
        return [self[name] for name in self.page_order if name in CONTACT_FIELDS]


KIND_LABELS = {"complaint": _("ร้องเรียน"), "grievance": _("ร้องทุกข์"),
               "tip": _("แจ้งเบาะแส")}
# What each kind means, shown under its own choice: the words alone do not tell a citizen which to
# pick, and a complaint means a different thing on the corruption channel.
KIND_MEANINGS = {
    "general": {"complaint": _("ไม่พอใจการปฏิบัติงานของหน่วยงานหรือเจ้าหน้าที่"),
                "grievance": _("ได้รับความเดือดร้อนและขอความช่วยเหลือ")},
    "corruption": {"complaint": _("ท่านได้รับความเสียหายจากการทุจริตหรือการประพฤติมิชอบ"),
                   "tip": _("พบเห็นการทุจริตหรือการประพฤติมิชอบ และแจ้งให้ตรวจสอบ")},
}


def _kind_field(channel: str) -> RadioField:
    # The kinds a channel accepts are the workflow's rule (vocab.KINDS_BY_CHANNEL); the form offers those.
    return RadioField(_("ประเภท"), choices=[SelectChoice(k, KIND_LABELS[k]) for k in KINDS_BY_CHANNEL[channel]],
                      default="complaint", validators=[InputRequired(REQUIRED)],
                      invalid_choice_message=NOT_A_CHOICE, invalid_value_message=NOT_A_CHOICE)


class GeneralForm(FilingForm):
    """General complaint or grievance: the complainant is named and can be answered."""

    page_order = ("kind", "name", "phone", "email", "address", "category", "subject", "accused", "village_no",
                  "community", "place", "description", "remedy", "evidence", "attachments", "declaration")

    kind = _kind_field("general")
    # A named complainant's own details may be filled in by the browser (WCAG 1.3.5), and a phone
    # offers its number pad and "@" key. The corruption form keeps these off: a browser that saves
    # a name or number typed there links its owner to the report.
    name = text(_("ชื่อ-นามสกุล"), 200, VisibleRequired(REQUIRED), autocomplete="name")
    phone = TelField(_("โทรศัพท์"), validators=[Optional(), PHONE], filters=PHONE_FILTERS,
                     render_kw={"autocomplete": "tel"})
    email = EmailField(_("อีเมล"), validators=[Optional(), EMAIL, _length(200)], filters=EMAIL_FILTERS,
                       render_kw={"autocomplete": "email"})
    address = text(_("ที่อยู่"), 500, area=True, autocomplete="street-address")
    village_no = StringField(
        _("หมู่ที่"),
        validators=[Optional(), Regexp(r"^[0-9]{1,3}$", message=_("หมู่ที่ต้องเป็นตัวเลข"))],
        filters=VILLAGE_FILTERS, render_kw={"inputmode": "numeric"},
    )
    community = text(_("ชุมชน"), 200)
    subject = text(_("เรื่อง"), 200, VisibleRequired(REQUIRED))
    remedy = text(_("สิ่งที่ต้องการให้ดำเนินการ"), 2_000, area=True)
    # What the regulation's wording asks a complaint to name, where there is one (rules.md R3).
    accused = text(_("ผู้ถูกร้องเรียน (บุคคลหรือหน่วยงาน ถ้ามี)"), 300)
    evidence = text(_("หลักฐานหรือพยาน (ถ้ามี) เช่น เอกสาร ภาพถ่าย ผู้ที่เห็นเหตุการณ์"), 3_000, area=True)
    declaration = BooleanField(
        _("ข้าพเจ้าขอรับรองว่าข้อความข้างต้นเป็นความจริง"),
        # A browser sends "y" for a ticked box and nothing otherwise; other clients' "no" is no.
        false_values=(False, "false", "", "0", "off", "no", "n"),
        validators=[DataRequired(_("กรุณาทำเครื่องหมายรับรองว่าข้อความเป็นความจริง"))],
    )


class CorruptionForm(FilingForm):
    """Report of corruption or misconduct by officials: identity optional, specifics asked for."""

    page_order = ("kind", "category", "accused", "accused_unit", "description", "when", "place", "evidence",
                  "witnesses", "names_executive", "attachments", "name", "phone", "email")

    kind = _kind_field("corruption")
    accused = text(_("ผู้ถูกกล่าวหา (ชื่อหรือตำแหน่ง)"), 300)
    accused_unit = text(_("สังกัด/หน่วยงาน"), 200)
    when = text(_("เมื่อใด"), 200)
    evidence = text(_("หลักฐาน เช่น เอกสาร ภาพถ่าย สลิปโอนเงิน"), 3_000, area=True)
    witnesses = text(_("พยานบุคคล (ผู้ที่รู้เห็นเหตุการณ์)"), 1_000, area=True)
    names_executive = BooleanField(_("เรื่องนี้เกี่ยวกับนายก รองนายก หรือสมาชิกสภาท้องถิ่น"))
    name = text(_("ชื่อ (ไม่บังคับ)"), 200)
    # Plain text inputs, so no browser offers to save them; inputmode still brings up the
    # number pad or the "@" key, which saves nothing.
    phone = StringField(_("โทรศัพท์ (ไม่บังคับ)"), validators=[Optional(), PHONE],
                        filters=PHONE_FILTERS, render_kw={"inputmode": "tel"})
    email = StringField(_("อีเมล (ไม่บังคับ)"), validators=[Optional(), EMAIL, _length(200)],
                        filters=EMAIL_FILTERS, render_kw={"inputmode": "email"})
