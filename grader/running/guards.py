"""Limits that keep learner code from hanging or exhausting a check, and words for when it tries.

An infinite loop fails its test after a limit of CPU time; unbounded allocation hits an address-space
limit and fails with MemoryError. Both are explained to the learner in one sentence.
"""
from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


class TestTimeout(BaseException):  # noqa: N818 - reads best in a learner's failure report
    """Raised inside a test that ran past its limit.

    A BaseException, so neither Hypothesis nor learner code (`except Exception`) swallows it and
    runs the endless loop again while shrinking.
    """


_memory_limit_gib = 0.0


def limit_memory(gib: float) -> None:
    """Cap this process's address space (POSIX only; a no-op elsewhere or when 0)."""
    global _memory_limit_gib
    if gib <= 0:
        return
    try:
        import resource

        limit = int(gib * (1 << 30))
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
            _memory_limit_gib = gib
    except (ImportError, ValueError, OSError):
        pass


# A test that waits without using the CPU (a deadlock, a blocking read, a sleep) is stopped after this
# many times the limit in wall time.
WALL_FACTOR = 5


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Stop the body after `seconds` of this process's CPU time, or `WALL_FACTOR` times that in wall time.

    The limit is CPU time because an endless loop burns CPU while a test that is merely slow on a busy
    machine waits for it: a wall-clock limit failed a benchmark that took 7 s alone and over 60 s
    while other jobs ran (a verify shard at load 10), and CI must not fail because the machine is busy.
    """
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def cpu_expired(signum: int, frame: object) -> None:
        raise TestTimeout(f"this test used more than {seconds:g} s of CPU time and was stopped: an infinite loop, "
                          "or a loop that never reaches its stopping condition, in your code?")

    def wall_expired(signum: int, frame: object) -> None:
        raise TestTimeout(f"this test waited {seconds * WALL_FACTOR:g} s without finishing and was stopped: is your "
                          "code blocked, waiting for a process, a lock or input that never comes?")

    previous = signal.signal(signal.SIGPROF, cpu_expired), signal.signal(signal.SIGALRM, wall_expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    signal.setitimer(signal.ITIMER_REAL, seconds * WALL_FACTOR)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, previous[0])
        signal.signal(signal.SIGALRM, previous[1])


def explain(exc: BaseException) -> str:
    """The one-line description of an exception for a learner's report."""
    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, MemoryError):
        limit = f" (the check is limited to {_memory_limit_gib:g} GiB)" if _memory_limit_gib else ""
        return f"MemoryError: your code ran out of memory{limit}: does it allocate without bound, or build a far larger array than the inputs need?"
    if isinstance(exc, SystemExit):
        return f"SystemExit: your code called sys.exit({exc.code!r}); return a value or raise an exception instead"
    return text
