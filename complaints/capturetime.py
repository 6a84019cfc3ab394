"""The moment a camera, phone, messenger, screenshot tool or scanner wrote into a file's name.

``IMG_20251124_093012.jpg``, ``PXL_20251124_023012345.jpg``, ``WhatsApp Image 2025-11-24 at
09.30.12.jpeg``, ``Screenshot 2025-11-24 at 09.30.12.png``, ``signal-2025-11-24-093012.jpg``,
``Scan_20251124_093012.pdf``: the name holds the second the picture was taken, which is what
removing its EXIF data is for. For a whistleblower, when they stood in the procurement office
with a camera can say who they are. So a date run into a time of day is taken out of the names
kept; a name that held nothing else becomes the generic one. A date alone ("ประชุม 2568-03-15",
a name a person gave) stays, and so does an iPhone's counter (``IMG_1234``).
"""
from __future__ import annotations

import re

# Year first (2025-11-24, 20251124, 2025_11_24; a Buddhist Era 2568 too), or day and month
# around a four-digit year (24-11-2025, 11.24.2025), as people and apps write dates.
_DATE = (r"(?:(?:19|20|25)\d\d[-_.]?(?:0[1-9]|1[0-2])[-_.]?(?:0[1-9]|[12]\d|3[01])"
         r"|\d\d[-_.]\d\d[-_.](?:19|20|25)\d\d)")
# A time of day with minutes, seconds if given and a camera's milliseconds; or an hour of one
# digit between separators, with AM or PM (older macOS: "at 3.04.11 PM").
_TIME = (r"(?:(?:[01]\d|2[0-3])[-_.:h]?[0-5]\d(?:[-_.:m]?[0-5]\d)?(?:[-_.]?\d{1,3})?"
         r"|\d[.:][0-5]\d(?:[.:][0-5]\d)?)(?:\s*[AP]M\b)?")
_STAMP = re.compile(rf"{_DATE}(?:\s*at\s*|[-_. T]+)?{_TIME}", re.IGNORECASE)
# What the apps put around the moment; a name of these alone says nothing else.
_APP_WORDS = frozenset({
    "img", "vid", "pxl", "dsc", "dscn", "dscf", "mvimg", "burst", "pano", "screenshot", "screen", "shot",
    "screenrecording", "recording", "whatsapp", "image", "video", "photo", "photos", "picture", "signal",
    "line", "p", "album", "scan", "scanned", "camscanner", "document", "doc", "telegram", "messenger",
    "received", "at", "edited", "edit", "copy", "cover", "portrait", "night",
})


def without_capture_time(stem: str) -> str:
    """``stem`` without a date-and-time stamp; "" when the stamp and the app's words were all of it."""
    stripped = _STAMP.sub(" ", stem)
    if stripped == stem:
        return stem
    words = [w for w in re.split(r"[\W_]+", stripped) if w]
    if all(w.isdigit() or w.lower() in _APP_WORDS for w in words):
        return ""
    return re.sub(r"\s+", " ", re.sub(r"([-_. ])[-_. ]+", r"\1", stripped)).strip(" ._-")
