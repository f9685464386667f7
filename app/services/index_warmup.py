"""Build the saved duplication index in the background, so that no request waits for it.

A SQLite store saves its duplication index beside its file (:mod:`queries.saved_indexes`);
after any change of the store the first duplication query builds it again (11.6 s at
100,000 instruments). The server starts that build itself when it starts and after it
records verdicts, in a thread of lower priority, if the index of the current content is not
saved yet. Start-up and requests never wait for it; a duplication request that arrives while
it runs waits for it (same content) or builds the index of the newer content (the store
changed meanwhile): never an index of older content. Builds beside one store take turns,
across the processes of a server too. A store that saves no index (Neo4j) is left alone.
``TEJIDO_WARM_INDEXES=0`` turns it off.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext

from graph.stores import Store
from queries.duplication import duplication_index
from queries.saved_indexes import folder_of

log = logging.getLogger(__name__)

INDEX = "duplication"
NICENESS = 10  # added to the thread's scheduling priority (Linux): requests come first


def _announce() -> None:
    """Make this module's lines visible when nothing configured logging (``tejido serve``
    sets only the server's own loggers)."""
    if log.hasHandlers():
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def _lower_priority() -> None:
    """Lower the calling thread's scheduling priority where the system allows it (on Linux
    a thread id is accepted as a process id)."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICENESS)


def warm(store: Callable[[], Store | None],
         guard: Callable[[], AbstractContextManager[object]] = nullcontext) -> float | None:
    """Build and save the duplication index of the current content of the store ``store()``
    gives, unless it is saved already; returns the seconds it took, or None when there was
    nothing to do (no open store, a store that saves no index, an index saved already).

    The store is used only inside ``guard()`` (the build itself reads the graph in memory),
    so that whoever closes the store can wait for that, not for the build."""
    with guard():
        db = store()
        if db is None:  # not open: the first request that needs it opens it
            return None
        locate = getattr(db, "saved_indexes", None)
        saved = locate() if callable(locate) else None
        if saved is None or folder_of(saved, INDEX).is_dir():
            return None
        log.info("building the %s index of %s in the background", INDEX, saved.folder)
        started = time.perf_counter()
        graph = db.view()
    index = duplication_index(graph)
    took = time.perf_counter() - started
    log.info("%s index of %s ready (%d instruments) in %.1f s",
             INDEX, saved.folder, index.size, took)
    return took


class _Stopped(Exception):
    """The server is stopping: its store must not be used any more."""


class IndexWarmer:
    """Runs :func:`warm` in one background thread at a time; a call to :meth:`start` while
    it runs makes it check again when it ends (the store may have changed since)."""

    def __init__(self, store: Callable[[], Store | None], enabled: bool = True) -> None:
        self._store = store
        self.enabled = enabled
        self._lock = threading.Lock()
        self._using = threading.Lock()  # held while the thread uses the store
        self._thread: threading.Thread | None = None
        self._again = False
        self._stopped = False

    def start(self) -> None:
        """Check (and build) the saved index in the background; returns at once."""
        if not self.enabled:
            return
        with self._lock:
            if self._stopped:
                return
            if self._thread is not None:
                self._again = True
                return
            _announce()
            self._thread = threading.Thread(target=self._run, name="tejido-index-warmup",
                                            daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Start nothing more and stop using the store (waits while the thread reads it,
        not for a build in progress, which ends on its own): the store may then be
        closed."""
        with self._using, self._lock:
            self._stopped = True
            self._again = False

    @contextlib.contextmanager
    def _store_use(self) -> Iterator[None]:
        with self._using:
            if self._stopped:
                raise _Stopped
            yield

    def join(self, timeout: float | None = None) -> None:
        """Wait for the thread in progress, if any."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        _lower_priority()
        while True:
            try:
                warm(self._store, self._store_use)
            except _Stopped:
                pass
            except Exception as exc:  # a store that went away, a full disk: requests build
                log.warning("the %s index was not built in the background: %s", INDEX, exc)
            with self._lock:
                if not self._again or self._stopped:
                    self._thread = None
                    return
                self._again = False

