"""Confine the process that parses uploaded files, with Linux's Landlock, before it reads a byte.

The upload cleaner's child (complaints.sandbox) runs pypdf and Pillow on hostile input. Its
empty environment keeps the keys and the database address out of its memory, but a parser bug
that let a file run code could still open ``instance/keys`` or connect to the database. Landlock
lets an unprivileged process give those rights up for good: after ``confine`` the child may only
read the files Python and the cleaner are made of, so lazy imports still work, and may not open
anything else, write or create a file anywhere, run a program, make or accept a TCP connection,
reach an abstract UNIX socket or signal a process outside itself. What it has already opened (the
pipes to its parent) keeps working. ``py-landlock`` drops, on an older kernel, the rights the
kernel cannot yet take away.

Landlock does not cover connecting to a UNIX socket by its path (PostgreSQL's, which may let the
service's own user in without a password) or UDP, so ``refuse_sockets`` adds a seccomp filter
that makes the child's every attempt to create a socket fail.
"""
from __future__ import annotations

import ctypes
import errno
import platform
import sysconfig
from pathlib import Path

import complaints


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


def confine(roots: list[Path]) -> int:
    """Take away every right but reading ``roots`` (files, and folders with what is under them) from this process and its children, and
    the making of sockets (``refuse_sockets``).

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
    refuse_sockets()
    return abi


# The calls that create a socket, by machine: socket, socketpair, and io_uring_setup, whose
# rings can make sockets without calling socket (numbers from the kernel's syscall tables).
_SOCKET_CALLS = {"x86_64": (0xC000003E, (41, 53, 425)), "aarch64": (0xC00000B7, (198, 199, 425))}
_X32_BIT = 0x40000000  # x86_64's x32 calls, which have their own numbers: refused wholesale


class _Instruction(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint32)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Instruction))]


def socket_filter_supported() -> bool:
    """True on the machines ``refuse_sockets`` knows the call numbers of."""
    return platform.machine() in _SOCKET_CALLS


def refuse_sockets() -> bool:
    """Make every later attempt of this process (and its children) to create a socket fail with
    EACCES, and every system call made through another machine's calling convention (a 32-bit
    ``socketcall`` on x86_64) too. Returns False where the machine is not known."""
    if not socket_filter_supported():
        return False
    arch, calls = _SOCKET_CALLS[platform.machine()]
    load, jump_eq, jump_ge, ret = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, JMP|JEQ|K, JMP|JGE|K, RET|K
    deny = 4 + len(calls) + 1  # the last instruction's index: four to load and test, one per call, allow
    program = [_Instruction(load, 0, 0, 4),  # seccomp_data.arch
               _Instruction(jump_eq, 0, deny - 2, arch),
               _Instruction(load, 0, 0, 0),  # seccomp_data.nr
               _Instruction(jump_ge, deny - 4, 0, _X32_BIT)]
    program += [_Instruction(jump_eq, deny - 5 - i, 0, nr) for i, nr in enumerate(calls)]  # jumps count
    # from the next instruction
    program += [_Instruction(ret, 0, 0, 0x7FFF0000),  # SECCOMP_RET_ALLOW
                _Instruction(ret, 0, 0, 0x00050000 | errno.EACCES)]  # SECCOMP_RET_ERRNO
    code = (_Instruction * len(program))(*program)
    libc = ctypes.CDLL(None, use_errno=True)
    prctl = libc.prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    # PR_SET_NO_NEW_PRIVS, then PR_SET_SECCOMP with SECCOMP_MODE_FILTER
    if prctl(38, 1, None, 0, 0) or prctl(22, 2, ctypes.cast(ctypes.pointer(_Program(len(program), code)),
                                                              ctypes.c_void_p), 0, 0):
        raise OSError(ctypes.get_errno(), "seccomp filter refused")
    return True
