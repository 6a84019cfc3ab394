"""Running a test's workers at once, for the races that filing, numbering and the sweep must win."""
from __future__ import annotations

import threading
from collections.abc import Callable


def run_in_threads(target: Callable[[], None], count: int, timeout: float) -> None:
    """Run ``target`` in ``count`` threads and wait for all; fails if one is still running after
    ``timeout`` seconds (a deadlock), instead of hanging the suite."""
    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a worker is still running: deadlock?"
