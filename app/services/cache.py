"""Answers kept by store revision: every analysis, view and page body is computed once per
revision of the store and key, whichever entry point asks for it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


# --------------------------------------------------------------------------- cache


class ResultCache:
    """Answers by (store revision, key), the most recent :attr:`capacity` kept.

    When a newer revision is seen, every answer of older revisions is dropped: they can
    never be asked for again.
    """

    def __init__(self, capacity: int = 256) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[tuple[int, Hashable], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._revision: int | None = None
        self.hits = 0
        self.misses = 0

    def get(self, revision: int, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer of ``key`` at ``revision``, computed with ``compute()`` on a miss."""
        full = (revision, key)
        with self._lock:
            if self._revision is None or revision > self._revision:
                self._entries = OrderedDict(
                    (k, v) for k, v in self._entries.items() if k[0] >= revision
                )
                self._revision = revision
            if full in self._entries:
                self._entries.move_to_end(full)
                self.hits += 1
                return self._entries[full]
            self.misses += 1
        value = compute()
        with self._lock:
            self._entries[full] = value
            self._entries.move_to_end(full)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every answer."""
        with self._lock:
            self._entries.clear()
            self._revision = None


_CACHE_LOCK = threading.Lock()


def app_cache(state: Any) -> ResultCache:
    """The :class:`ResultCache` kept on an application's ``state`` (made on first use)."""
    cache = getattr(state, "analysis_cache", None)
    if cache is None:
        with _CACHE_LOCK:
            cache = getattr(state, "analysis_cache", None)
            if cache is None:
                cache = ResultCache()
                state.analysis_cache = cache
    return cache
