"""PDF colour spaces without the ICC profiles that can name the device that made a page.

An ICC profile is a stream of its own. Scanners, copiers and their drivers write their own, and
its header keeps the date it was made while its description names the device, down to the
office copier ("Canon-iR-ADV-C5535-LEGAL-3F") that scanned a report. Each ICC-based colour
space is therefore replaced by the device space with its number of colour components
(DeviceGray, DeviceRGB, DeviceCMYK): every reader knows those, the profile is left behind, and
an sRGB or printer profile looks the same or nearly so, as readers treat device colours as sRGB
and their own standard CMYK.
"""
from __future__ import annotations

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject, StreamObject

_DEVICE = {1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}
# The data colour space in a profile's header (bytes 16-19), for a stream that does not say /N.
_PROFILE_COMPONENTS = {b"GRAY": 1, b"RGB ": 3, b"CMYK": 4}


def _resolved(value: PdfObject | None) -> PdfObject | None:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _components(profile: StreamObject) -> int | None:
    count = _resolved(profile.get("/N"))
    if isinstance(count, int) and count in _DEVICE:
        return count
    alternate = _resolved(profile.get("/Alternate"))
    for components, name in _DEVICE.items():  # the device space a reader falls back to, if one
        if alternate == name:
            return components
    return _PROFILE_COMPONENTS.get(profile.get_data()[16:20])


def device_space(value: PdfObject | None) -> NameObject | None:
    """The device colour space standing in for ``value`` when it is an ICC-based colour space
    (``[/ICCBased profile]``, given directly or by reference), else None.

    The space has as many components as the profile stream's /N says (which its /Alternate, if
    a device space, must match), or else as its /Alternate or the profile's header. Raises
    ValueError when none of these tells, so no profile is kept for want of a replacement.
    """
    space = _resolved(value)
    if not isinstance(space, ArrayObject) or not space or _resolved(space[0]) != "/ICCBased":
        return None
    profile = _resolved(space[1]) if len(space) > 1 else None
    components = _components(profile) if isinstance(profile, StreamObject) else None
    if components is None:
        raise ValueError("ICC-based colour space of unknown components")
    return NameObject(_DEVICE[components])


def replace_profiles(container: DictionaryObject | ArrayObject) -> None:
    """Replace each ICC-based colour space that ``container`` holds as a value or item by its
    device space, in place.

    Run on every dictionary and array of a page, this reaches colour spaces wherever they
    occur, without a list of places: resources (named ones, /DefaultRGB and the like), images,
    shadings, transparency groups, and the base of /Indexed, /Separation, /DeviceN and /Pattern
    spaces. The profile streams are then no longer referred to, so the rebuild leaves them out.
    """
    items = container.items() if isinstance(container, DictionaryObject) else enumerate(container)
    replaced = [(key, device_space(value)) for key, value in items]
    for key, device in replaced:
        if device is not None:
            container[key] = device
