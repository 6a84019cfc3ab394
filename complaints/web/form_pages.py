"""The two filing forms' pages: rendered with the organization's categories, kept out of the
browser's cache, and padded as if both were the same size.

Padding every page to whole blocks (``padding``) makes the blank forms one size on the wire, but
a refused form comes back with the words typed in it. The corruption form is some 5 KB longer
than the general one (its safety notes), so the same 3,000 Thai characters took it into a second
block and left the general one in its first: the size said which form it was. Each form is
therefore padded as if it were as long as the longer of the two blank forms, in the page's
language: for the same words, both come out in the same number of blocks.
"""
from __future__ import annotations

from typing import Any

from flask import render_template

from complaints.web.forms import KIND_MEANINGS, CorruptionForm, FilingForm, GeneralForm
from complaints.web.i18n import current_lang
from complaints.web.orgcache import OrgSnapshot
from complaints.web.padding import pad_as_if_longer
from complaints.web.public import channel_privacy_notice
from complaints.web.security import NO_STORE

# endpoint: (form, channel, template)
PAGES: dict[str, tuple[type[FilingForm], str, str]] = {
    "filing.general_new": (GeneralForm, "general", "file_general.html"),
    "filing.corruption_new": (CorruptionForm, "corruption", "file_corruption.html"),
}


def with_choices(form: FilingForm, org: OrgSnapshot, channel: str) -> FilingForm:
    """``form`` offering the channel's categories, in the page's language."""
    form.category.choices = org.choices(channel, english=current_lang() == "en")
    return form


def _render(form: FilingForm, org: OrgSnapshot, channel: str, template: str) -> str:
    return render_template(template, form=form, org=org, privacy=channel_privacy_notice(org, channel),
                           kind_meanings=KIND_MEANINGS[channel])


def _blank_sizes(org: OrgSnapshot) -> dict[str, int]:
    # Measured once per snapshot and language: the categories, their examples and the time frames
    # the forms show all come from it.
    language = current_lang()
    sizes = org.page_sizes.get(language)
    if sizes is None:  # two threads may both measure; they find the same sizes
        sizes = {channel: len(_render(with_choices(form_cls(formdata=None), org, channel), org, channel,
                                      template).encode())
                 for form_cls, channel, template in PAGES.values()}
        org.page_sizes[language] = sizes
    return sizes


def form_page(form: FilingForm, org: OrgSnapshot, channel: str, template: str, status: int) -> Any:
    """The filing form page as an answer: blank, or with a refused report's words and errors."""
    page = _render(form, org, channel, template)
    sizes = _blank_sizes(org)
    pad_as_if_longer(max(sizes.values()) - sizes[channel])
    # Not kept by the browser: a report (or the typed-in one after an error) must not come back
    # from the cache or history to whoever uses the computer next.
    return page, status, NO_STORE
