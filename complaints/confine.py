"""Confine the process that parses uploaded files, with Linux's Landlock, before it reads a byte.

The upload cleaner's child (complaints.sandbox) runs pypdf and Pillow on hostile input. Its
empty environment keeps the keys and the database address out of its memory, but a parser bug
that let a file run code could still open ``instance/keys`` or connect to the database. Landlock
lets an unprivileged process give those rights up for good: after ``confine`` the child may only
read the files Python, the cleaner and the system's shared libraries are made of, and may not open
anything else, write or create a file anywhere, run a program, make or accept a TCP connection,
reach an abstract UNIX socket or signal a process outside itself. What it has already opened (the
pipes to its parent) keeps working. ``py-landlock`` drops, on an older kernel, the rights the
kernel cannot yet take away.

What Landlock does not cover (sockets other than TCP, the web worker's memory, file modes and
owners, forking, shared memory, and on older kernels truncation and signals) a seccomp filter
refuses (complaints.syscallfilter).
"""
from __future__ import annotations

import sysconfig
from pathlib import Path

import complaints
from complaints import syscallfilter


# Where the dynamic linker finds the shared libraries a lazily imported extension needs
# (cryptography's, which pypdf loads for an encrypted PDF, needs libgcc_s), and its cache.
_SYSTEM_LIBRARIES = ("/etc/ld.so.cache", "/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib")


def readable_roots() -> list[Path]:
    """What the child may read: the standard library, the installed packages, this package's own
    code and the system's shared libraries. Not the project root or the installation prefix as a
    whole, because Flask puts an installed application's instance folder (and so its keys) under
    the prefix."""
    paths = sysconfig.get_paths()
    roots = {Path(paths[name]) for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    roots.add(Path(complaints.__file__).parent)
    roots.update(Path(library) for library in _SYSTEM_LIBRARIES)
    return sorted({root.resolve() for root in roots if root.exists()})


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, or 0 where Landlock is missing or disabled."""
    try:
        from py_landlock import LandlockError, get_abi_version
    except ImportError:  # not Linux: the dependency is installed on Linux only
        return 0
    try:
        return int(get_abi_version())
    except LandlockError:
        return 0


def fully_confinable() -> bool:
    """True when this machine can both keep the child to its own files (Landlock) and refuse the
    calls Landlock leaves open (the seccomp filter): what ``UPLOAD_CONFINEMENT = "required"`` asks."""
    return landlock_abi() > 0 and syscallfilter.supported()


def confine(roots: list[Path]) -> int:
    """Take away from this process and its children every right but reading ``roots`` (files,
    and folders with what is under them), and the system calls ``syscallfilter`` refuses.

    Returns the Landlock ABI the kernel applied, or 0 when it has no Landlock: the caller then
    runs with its other limits only (``sandbox`` still limits time, memory and environment).
    """
    abi = landlock_abi()
    if abi:
        from py_landlock import AccessFs, Landlock

        # strict=False: on a kernel older than ABI 6 (scopes) or 4 (TCP) the rest still applies.
        landlock = Landlock(strict=False)
        for root in roots:  # a folder may be listed too; a file only read
            folder = AccessFs.READ_DIR if root.is_dir() else AccessFs(0)
            landlock.add_path_rule(root, access=AccessFs.READ_FILE | folder)
        landlock.apply()
    syscallfilter.install()
    return abi

