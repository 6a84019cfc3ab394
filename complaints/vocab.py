"""Closed vocabularies stored in clear, because workflow and statistics need them.

Units, categories and role holders differ between the 7,850 organizations and are data;
only what the law and the design fix for everyone is listed here.
"""
from __future__ import annotations

CHANNELS = ("general", "corruption")
KINDS = ("complaint", "grievance", "tip")
# Which kinds each channel accepts: a grievance (ร้องทุกข์) is a general matter, a tip (เบาะแส) a corruption one.
KINDS_BY_CHANNEL = {"general": ("complaint", "grievance"), "corruption": ("complaint", "tip")}
SOURCES = (
    "web",
    "walk_in",
    "phone",
    "letter",
    "po_box",
    "social_media",
    "mobile_unit",
    "referral",
)
PURPOSES = ("story", "identity")
ROLES = ("intake", "legal", "unit", "supervisor", "admin")
MESSAGE_KINDS = ("receipt", "progress", "result", "forwarded", "not_accepted", "question", "reply")
ACTOR_KINDS = ("system", "staff", "complainant")
