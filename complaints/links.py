"""Which link addresses in an uploaded PDF may stay: public web pages and mail addresses only.

A link in a document saved from an office suite can point into its author's own folders: a
``file:`` path under ``C:\\Users\\<login>``, a OneDrive for Business address
(``<tenant>-my.sharepoint.com/personal/<login>_…``), a share on an office server named by one
word, a private network address, or an address with a user name in it. Each of these says who
made the file or where; the link is made inert (its rectangle stays, it opens nothing).

So is a web address with a query string or a fragment: a mail program's link wrapper carries the
reader's mail address there (Outlook's Safe Links ``data=``), as do ``authuser=`` and sharing
tokens. And so is a link to a file in a personal cloud store (Google Docs and Drive, OneDrive,
Dropbox): whoever can ask the store can learn whose file it is. The address, where the page
shows it, is still there to read.
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

_WEB = ("http://", "https://")
_MAIL = "mailto:"
# OneDrive for Business: each person's files live under their login on this host.
_PERSONAL_HOST_SUFFIX = "-my.sharepoint.com"
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")
# Personal file stores: a link's path names one person's document or folder.
_PERSONAL_STORES = ("docs.google.com", "drive.google.com", "onedrive.live.com", "1drv.ms", "dropbox.com",
                    "www.dropbox.com", "dl.dropboxusercontent.com")


def _private_host(host: str) -> bool:
    # One word ("fileserver", "localhost") names a machine on the author's own network.
    if "." not in host or host.endswith(_PERSONAL_HOST_SUFFIX) or host.endswith(_LOCAL_SUFFIXES) \
            or host in _PERSONAL_STORES:
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False  # a name, not an address


def public_address(address: str) -> bool:
    """True for a mail address, or a web address on a public host with no user name, query
    string or fragment in it."""
    address = address.strip()
    lowered = address.lower()
    if lowered.startswith(_MAIL):
        return True
    if not lowered.startswith(_WEB):
        return False
    try:
        parts = urlsplit(address)
        host = parts.hostname
        has_credentials = parts.username is not None or parts.password is not None
    except ValueError:  # a malformed address (bad port, brackets) is not kept
        return False
    if has_credentials or "?" in address or "#" in address:  # even an empty query or fragment
        return False
    return host is not None and host != "" and not _private_host(host.rstrip("."))
