"""The upload cleaner's child gives up, with Landlock, every right a parser exploit would want.

Each test runs the real child (``complaints.sandbox``'s entry point, its limits and environment)
with the picture parser replaced by code doing what an exploit would, and checks the child
answers "damaged" because the kernel refused, not with what the code tried to take.
"""
from __future__ import annotations

import os
import platform
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from complaints import create_app, syscallfilter
from complaints.confine import landlock_abi, readable_roots
from complaints.sandbox import Limits, child_environment

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Landlock is a Linux feature")


def _child_answer(parser_body: str) -> bytes:
    """Run the cleaner's child on a one-byte "picture" whose parser is ``parser_body``."""
    code = "\n".join([
        "import complaints.imageclean as imageclean",
        "def parser(data, content_type):",
        *(f"    {line}" for line in parser_body.splitlines()),
        "imageclean.strip_image = parser",
        "import runpy",
        "runpy.run_module('complaints.sandbox', run_name='__main__')",
    ])
    limits = Limits()
    done = subprocess.run([sys.executable, "-c", code, "image/png", str(limits.seconds), str(limits.memory_bytes),
                           str(limits.output_bytes)],
                          input=b"x", capture_output=True, env=child_environment(), timeout=30, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def test_this_kernel_has_landlock() -> None:
    # Without it every test below would be checking the kernel, not the child: fail loudly.
    assert landlock_abi() >= 4, "Landlock with TCP rules (Linux 6.7+) is needed for these tests"


def test_the_child_still_imports_what_it_needs_after_giving_up_its_rights() -> None:
    # pypdf, pdfclean and Pillow's plugins are imported lazily, after the child is confined.
    assert _child_answer("import xml.dom.minidom\nreturn b'imported'") == b"Kimported"


def test_a_parser_cannot_read_a_key_file(tmp_path: Path) -> None:
    key = tmp_path / "keys" / "identity.key"
    key.parent.mkdir()
    key.write_bytes(b"KEY-MATERIAL-0123456789")
    answer = _child_answer(f"return open({str(key)!r}, 'rb').read()")
    assert answer == b"Rdamaged" and b"KEY-MATERIAL" not in answer


def test_a_parser_cannot_write_or_create_a_file(tmp_path: Path) -> None:
    target = tmp_path / "dropped.txt"
    assert _child_answer(f"open({str(target)!r}, 'wb').write(b'x')\nreturn b'written'") == b"Rdamaged"
    assert not target.exists()


def test_a_parser_cannot_run_a_program(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    body = f"import subprocess\nsubprocess.run(['/bin/sh', '-c', 'echo > {marker}'], check=True)\nreturn b'ran'"
    assert _child_answer(body) == b"Rdamaged"
    assert not marker.exists()


def test_a_parser_cannot_connect_to_the_database_or_anything_else_over_tcp() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        body = f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=2).close()\nreturn b'connected'"
        assert _child_answer(body) == b"Rdamaged"
        listener.settimeout(0.3)
        with pytest.raises(TimeoutError):
            listener.accept()


def test_a_parser_cannot_reach_a_unix_socket_by_its_path(tmp_path: Path) -> None:
    # As PostgreSQL's socket, which may let the service's own user in without a password.
    path = tmp_path / ".s.PGSQL.5432"
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(path))
        listener.listen()
        body = f"import socket\ns = socket.socket(socket.AF_UNIX)\ns.connect({str(path)!r})\nreturn b'connected'"
        assert _child_answer(body) == b"Rdamaged"
        listener.settimeout(0.3)
        with pytest.raises(TimeoutError):
            listener.accept()


def test_a_parser_cannot_send_over_udp() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind(("127.0.0.1", 0))
        port = receiver.getsockname()[1]
        body = (f"import socket\nsocket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'upload', ('127.0.0.1', {port}))"
                "\nreturn b'sent'")
        assert _child_answer(body) == b"Rdamaged"
        receiver.settimeout(0.3)
        with pytest.raises(TimeoutError):
            receiver.recv(100)


def test_a_parser_cannot_read_the_web_workers_environment() -> None:
    # /proc/<parent>/environ and mem: the worker holds the keys in memory.
    for name in ("environ", "mem"):
        assert _child_answer(f"return open('/proc/{os.getpid()}/{name}', 'rb').read(64)") == b"Rdamaged"


@pytest.mark.skipif(platform.machine() != "x86_64" or not shutil.which("gcc"), reason="x86_64 calling conventions")
def test_the_socket_filter_cannot_be_passed_by_another_calling_convention(tmp_path: Path) -> None:
    # A 32-bit int 0x80 socket (i386 call 359) and an x32 socket (41 | 0x40000000): both refused
    # by the filter (EACCES), though the filter lists only x86_64's own socket numbers.
    source = tmp_path / "compat.c"
    source.write_text("""#include <stdio.h>
#include <errno.h>
#include <unistd.h>
int main(void) {
    long i386;
    __asm__ volatile ("push %%rbx; mov %2, %%ebx; int $0x80; pop %%rbx"
                      : "=a"(i386) : "a"(359L), "r"(2), "c"(2), "d"(0) : "memory");
    long x32 = syscall(41 | 0x40000000, 2, 2, 0);
    printf("%ld %ld\\n", i386, x32 < 0 ? -errno : x32);
    return 0;
}
""")
    program = tmp_path / "compat"
    subprocess.run(["gcc", "-O0", "-o", str(program), str(source)], check=True)
    unfiltered = subprocess.run([str(program)], capture_output=True, text=True, check=True).stdout.split()
    assert int(unfiltered[0]) >= 0  # the 32-bit call does make a socket here
    filtered = subprocess.run([sys.executable, "-c", "import os, sys\nfrom complaints import syscallfilter\n"
                               "assert syscallfilter.install()\nos.execv(sys.argv[1], sys.argv[1:])", str(program)],
                              capture_output=True, text=True, check=True).stdout.split()
    assert filtered == [str(-13), str(-13)]


def test_a_parser_cannot_signal_the_web_worker() -> None:
    # Signal 0 only asks whether a signal would be allowed, so the test's own process is safe.
    assert _child_answer(f"import os\nos.kill({os.getpid()}, 0)\nreturn b'reachable'") == b"Rdamaged"


def test_the_readable_folders_hold_no_instance_folder(tmp_path: Path) -> None:
    # Flask's instance folder for this checkout, and for an installed package (under the prefix).
    app = create_app({"INSTANCE_PATH": None, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'db'}"})
    instances = [Path(app.instance_path).resolve(), Path(sys.prefix, "var", "complaints-instance").resolve()]
    roots = readable_roots()
    assert Path(__file__).resolve().parents[1] / "complaints" in roots
    for root in roots:
        assert not any(instance.is_relative_to(root) for instance in instances), root


_PROBES = r"""
import ctypes, json, os, sys, threading
from complaints import syscallfilter
libc = ctypes.CDLL(None, use_errno=True)
target, parent = sys.argv[1], int(sys.argv[2])
assert syscallfilter.install()
def attempt(call):
    try:
        result = call()
    except OSError as exc:
        return exc.errno
    return ctypes.get_errno() if isinstance(result, int) and result < 0 else "done"  # libc: -1 and errno
ran = []
thread = threading.Thread(target=lambda: ran.append(1)); thread.start(); thread.join()
print(json.dumps({
    "thread": ran == [1],
    "truncate": attempt(lambda: os.truncate(target, 0)),
    "chmod": attempt(lambda: os.chmod(target, 0o666)),
    "chown": attempt(lambda: os.chown(target, os.getuid(), os.getgid())),
    "utime": attempt(lambda: os.utime(target, (0, 0))),
    "setxattr": attempt(lambda: os.setxattr(target, "user.x", b"1")),
    "fork": attempt(lambda: os._exit(0) if os.fork() == 0 else None),
    "setsid": attempt(os.setsid),
    "kill": attempt(lambda: os.kill(parent, 0)),
    "pidfd_open": attempt(lambda: os.pidfd_open(parent)),
    # Harmless if let through: no such process to attach to, no such segment to open.
    "ptrace": attempt(lambda: libc.ptrace(16, 0x7FFFFFF0, None, None)),
    "shmget": attempt(lambda: libc.shmget(0x5EC0DE, 4096, 0o600)),
    "keyctl": attempt(lambda: libc.syscall(250 if os.uname().machine == "x86_64" else 219, 0, -3, 0)),
    "inotify": attempt(lambda: libc.inotify_init()),
}))
"""


@pytest.mark.skipif(not syscallfilter.supported(), reason="call numbers unknown for this machine")
def test_the_syscall_filter_alone_refuses_what_landlock_leaves_open(tmp_path: Path) -> None:
    # Without Landlock (an older kernel, or none): what a parser exploit would still do to the
    # files it can reach and to the web worker. Threads still start (clone with CLONE_THREAD).
    target = tmp_path / "identity.key"
    target.write_bytes(b"KEY")
    target.chmod(0o600)
    done = subprocess.run([sys.executable, "-c", _PROBES, str(target), str(os.getpid())], capture_output=True,
                          text=True, check=True, env=child_environment())
    import json

    results = json.loads(done.stdout)
    assert results.pop("thread") is True
    assert results == dict.fromkeys(results, 13), results  # EACCES, each one
    assert target.read_bytes() == b"KEY" and target.stat().st_mode & 0o777 == 0o600


def _header_numbers(path: str) -> dict[str, int]:
    import re

    text = Path(path).read_text()
    numbers = {m[0]: int(m[1]) for m in re.findall(r"#define __NR_(\w+) (\d+)", text)}
    numbers.update({m[0]: int(m[1]) for m in re.findall(r"#define __NR3264_(\w+) (\d+)", text)})
    return numbers


@pytest.mark.parametrize("machine, header", [("x86_64", "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"),
                                             ("aarch64", "/usr/include/asm-generic/unistd.h")])
def test_the_filter_has_the_kernels_call_numbers(machine: str, header: str) -> None:
    if not os.path.exists(header):
        pytest.skip(f"{header} not installed (linux-libc-dev)")
    known = _header_numbers(header)
    checked = {name: number for name, number in syscallfilter.denied_calls(machine).items() if name in known}
    assert checked == {name: known[name] for name in checked}
    assert len(checked) >= len(syscallfilter.denied_calls(machine)) - 4  # newer than the headers: fchmodat2, *xattrat
