"""A seccomp filter for the upload cleaner's child: the system calls Landlock leaves open.

Landlock (complaints.confine) decides which files the child may read and stops TCP and signals
on recent kernels. It has no say over much else a parser exploit would use: creating a socket
(a UNIX socket reached by its path, such as PostgreSQL's, or UDP), reading or steering the web
worker (ptrace, process_vm_readv, pidfd_getfd, kill on a kernel before 6.12), changing files'
modes, owners, times and extended attributes (which Landlock does not cover), truncating files (not
covered before 6.2), forking a process that outlives the cleaning, shared memory and message
queues, the kernel keyring, namespaces and mounts. This filter makes those calls fail, and
refuses every call made through another calling convention (x32, or a 32-bit ``int 0x80`` on
x86_64), whose numbers differ. A cleaner needs none of them. Threads stay possible (``clone``
with CLONE_THREAD; ``clone3``, whose flags a filter cannot read, answers ENOSYS, so the C library
falls back to ``clone``).
"""
from __future__ import annotations

import ctypes
import errno
import platform

# name: (x86_64, aarch64); None where the machine has no such call. Checked against the kernel
# headers by tests/test_confine.py.
_CALLS: dict[str, tuple[int | None, int | None]] = {
    "socket": (41, 198), "socketpair": (53, 199), "io_uring_setup": (425, 425),
    "ptrace": (101, 117), "process_vm_readv": (310, 270), "process_vm_writev": (311, 271),
    "pidfd_open": (434, 434), "pidfd_getfd": (438, 438), "pidfd_send_signal": (424, 424),
    "kill": (62, 129), "tkill": (200, 130), "tgkill": (234, 131),
    "rt_sigqueueinfo": (129, 138), "rt_tgsigqueueinfo": (297, 240),
    "truncate": (76, 45), "ftruncate": (77, 46),
    "chmod": (90, None), "fchmod": (91, 52), "fchmodat": (268, 53), "fchmodat2": (452, 452),
    "chown": (92, None), "fchown": (93, 55), "lchown": (94, None), "fchownat": (260, 54),
    "utime": (132, None), "utimes": (235, None), "futimesat": (261, None), "utimensat": (280, 88),
    "setxattr": (188, 5), "lsetxattr": (189, 6), "fsetxattr": (190, 7), "setxattrat": (463, 463),
    "removexattr": (197, 14), "lremovexattr": (198, 15), "fremovexattr": (199, 16),
    "removexattrat": (466, 466),
    "inotify_init": (253, None), "inotify_init1": (294, 26), "inotify_add_watch": (254, 27),
    "fanotify_init": (300, 262), "fanotify_mark": (301, 263),
    "fork": (57, None), "vfork": (58, None), "setsid": (112, 157), "setpgid": (109, 154),
    "shmget": (29, 194), "shmat": (30, 196), "shmctl": (31, 195), "shmdt": (67, 197),
    "semget": (64, 190), "semop": (65, 193), "semctl": (66, 191), "semtimedop": (220, 192),
    "msgget": (68, 186), "msgsnd": (69, 189), "msgrcv": (70, 188), "msgctl": (71, 187),
    "keyctl": (250, 219), "add_key": (248, 217), "request_key": (249, 218),
    "perf_event_open": (298, 241), "bpf": (321, 280), "unshare": (272, 97), "setns": (308, 268),
    "mount": (165, 40), "umount2": (166, 39), "pivot_root": (155, 41), "chroot": (161, 51),
    "mknod": (133, None), "mknodat": (259, 33),
}
_CLONE, _CLONE3, _SECCOMP = {"x86_64": 56, "aarch64": 220}, 435, {"x86_64": 317, "aarch64": 277}
_ARCH = {"x86_64": (0xC000003E, 0), "aarch64": (0xC00000B7, 1)}  # AUDIT_ARCH_*, column in _CALLS
_X32_BIT, _CLONE_THREAD = 0x40000000, 0x00010000
# BPF_LD|W|ABS, JMP|JEQ|K, JMP|JGE|K, JMP|JSET|K, RET|K; seccomp_data offsets: nr, arch, args[0] low
_LOAD, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06
_NR, _ARCH_AT, _ARG0 = 0, 4, 16
_ALLOW = 0x7FFF0000


class _Instruction(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint32)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Instruction))]


def supported() -> bool:
    """True on the machines whose call numbers this module knows."""
    return platform.machine() in _ARCH


def denied_calls(machine: str) -> dict[str, int]:
    """The calls the filter refuses on ``machine``, by name."""
    column = _ARCH[machine][1]
    found = {name: numbers[column] for name, numbers in _CALLS.items()}
    return {name: number for name, number in found.items() if number is not None}


# (label, code, k, label to jump to if true, if false); no label: the next instruction
_Op = tuple[str | None, int, int, str | None, str | None]


def _op(code: int, k: int, true: str | None = None, false: str | None = None, label: str | None = None) -> _Op:
    return (label, code, k, true, false)


def _program(machine: str) -> list[_Op]:
    deny, nosys = 0x00050000 | errno.EACCES, 0x00050000 | errno.ENOSYS  # SECCOMP_RET_ERRNO
    return [
        _op(_LOAD, _ARCH_AT), _op(_JEQ, _ARCH[machine][0], false="deny"),
        _op(_LOAD, _NR), _op(_JGE, _X32_BIT, true="deny"),
        _op(_JEQ, _CLONE3, true="nosys"), _op(_JEQ, _CLONE[machine], true="clone"),
        *(_op(_JEQ, number, true="deny") for number in denied_calls(machine).values()),
        _op(_RET, _ALLOW),
        _op(_LOAD, _ARG0, label="clone"), _op(_JSET, _CLONE_THREAD, true="allow", false="deny"),
        _op(_RET, _ALLOW, label="allow"), _op(_RET, nosys, label="nosys"), _op(_RET, deny, label="deny"),
    ]


def _assemble(program: list[_Op]) -> list[_Instruction]:
    # BPF jumps only forward, by a count of instructions after the next one.
    labels = {op[0]: index for index, op in enumerate(program) if op[0]}

    def offset(index: int, label: str | None) -> int:
        return 0 if label is None else labels[label] - index - 1

    return [_Instruction(code, offset(i, true), offset(i, false), k)
            for i, (_, code, k, true, false) in enumerate(program)]


def install() -> bool:
    """Load the filter into this process, every thread of it (TSYNC) and its future children.

    Returns False where the machine is not known. Refused calls fail with EACCES.
    """
    machine = platform.machine()
    if machine not in _ARCH:
        return False
    code = _assemble(_program(machine))
    program = _Program(len(code), (_Instruction * len(code))(*code))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    libc.syscall.argtypes = [ctypes.c_long, ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p]
    # PR_SET_NO_NEW_PRIVS, then seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &program)
    if libc.prctl(38, 1, 0, 0, 0) or libc.syscall(_SECCOMP[machine], 1, 1, ctypes.byref(program)):
        raise OSError(ctypes.get_errno(), "seccomp filter refused")
    return True
