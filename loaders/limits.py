"""What reading one file may cost: the limit policy of ingestion, in one place.

Every limit has a name. A file that passes one is refused with a :class:`LimitExceeded` whose
reason starts with ``limit NAME`` and says by how much; the rest of the folder is ingested.

=====================  =============  ==========================================================
name                   default        what it bounds
=====================  =============  ==========================================================
``file_bytes``         50,000,000     the size of the file on disk (``tejido ingest --max-mb``)
``unpacked_ratio``     100            a DOCX or XLSX: unpacked size ÷ file size (zip bombs),
                                      judged once the unpacked size passes 10 MB
``unpacked_bytes``     200,000,000    a DOCX or XLSX: the unpacked size of the members parsed
                                      whole (an XLSX's worksheets stream row by row and are
                                      held to ``sheet_rows`` and ``sheet_cells`` instead)
``sheet_rows``         30,000         rows of one worksheet or CSV table
``sheet_cells``        300,000        cells of one worksheet or CSV table
``text_lines``         1,000,000      lines of the text read from one file
``seconds``            300            CPU seconds of reading and extracting one file
=====================  =============  ==========================================================

The defaults keep the peak memory of one file under 1 GB on the inputs measured by
``bench/hostile.py`` (the README quotes them).
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from loaders.document import ReadError

UNPACKED_RATIO_FLOOR = 10_000_000
"""Below this unpacked size a package's ratio is not judged (small files compress freely)."""


@dataclass(frozen=True)
class Limits:
    """The limit policy (see the module docstring); one instance per ingestion run."""

    file_bytes: int = 50_000_000
    unpacked_ratio: int = 100
    unpacked_bytes: int = 200_000_000
    sheet_rows: int = 30_000
    sheet_cells: int = 300_000
    text_lines: int = 1_000_000
    seconds: float = 300.0


DEFAULT_LIMITS = Limits()


class LimitExceeded(ReadError):
    """A file passed one of the :class:`Limits`; ``limit`` is the limit's name."""

    def __init__(self, path: str, limit: str, detail: str) -> None:
        super().__init__(path, f"limit {limit} exceeded: {detail}")
        self.limit = limit


class TimeLimitReached(Exception):
    """Raised into the thread working on a file when the ``seconds`` limit passes."""


def seconds_exceeded(path: str, limits: Limits) -> LimitExceeded:
    """The error reported for a file whose reading and extraction took too long."""
    return LimitExceeded(
        path, "seconds", f"reading and extracting it took over {limits.seconds:g} s of CPU time"
    )


def _cpu_clock(thread_id: int) -> Callable[[], float]:
    """The CPU seconds a thread has used so far, as a function (wall seconds where the
    platform has no per-thread CPU clock)."""
    try:
        clock = time.pthread_getcpuclockid(thread_id)
        time.clock_gettime(clock)
    except (AttributeError, OSError):
        return time.monotonic
    return partial(time.clock_gettime, clock)


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeLimitReached` in the calling thread once its block has used
    ``seconds`` of CPU time.

    CPU time, not wall time: a file is judged by the work it costs, not by how busy the
    machine is while it is read. A watching thread sleeps until the block could have used
    its seconds (a thread's CPU time never runs faster than the clock), looks, and sleeps
    again for what is left; once they are used it raises the exception asynchronously
    (``PyThreadState_SetAsyncExc``), which works in any thread (a signal would only reach the
    main thread, and uploads are ingested in a worker thread). The exception arrives between
    two Python instructions, so context managers and ``finally`` blocks still run; a long call
    into C finishes first.
    """
    target = threading.get_ident()
    used = _cpu_clock(target)
    started = used()
    guard = threading.Lock()
    done = threading.Event()
    fired = threading.Event()

    def watch() -> None:
        while not done.wait(max(seconds - (used() - started), 0.01)):
            if used() - started >= seconds:
                with guard:
                    if not done.is_set():
                        fired.set()
                        ctypes.pythonapi.PyThreadState_SetAsyncExc(
                            ctypes.c_ulong(target), ctypes.py_object(TimeLimitReached)
                        )
                return

    watcher = threading.Thread(target=watch, name="time-limit", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        with guard:
            done.set()
            if fired.is_set():
                # an interruption not delivered yet is dropped: the block is over. Only then:
                # clearing signals the interpreter's eval breaker, which then stays set (on
                # CPython 3.11 a profiler or tracer, cProfile or coverage, loops forever on it)
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)
        watcher.join()
