"""Request dependencies: the shared store, the settings and the workspace of the use cases.

The store is opened once when the application starts and shared by every request. When it
cannot be opened (a Neo4j server still starting, a file that is not a store), the service
still starts; each request that needs the store tries again and, failing, answers 503 with
the reason.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

from fastapi import Request

from app.services.workspace import Workspace
from app.settings import Settings
from graph.stores import Store, StoreUnavailable, open_store


class StoreHolder:
    """Opens the store on first need, keeps it, and closes it at shutdown."""

    def __init__(self, url: str, opener: Callable[[str], Store] = open_store) -> None:
        self.url = url
        self._opener = opener
        self._store: Store | None = None
        self._error: str | None = None
        self._lock = threading.Lock()

    @property
    def error(self) -> str | None:
        """Why the last attempt to open the store failed (None once it is open)."""
        return self._error

    def get(self) -> Store:
        """The open store; raises :class:`StoreUnavailable` with the reason if it cannot be."""
        store = self._store
        if store is not None:
            return store
        with self._lock:
            if self._store is None:
                try:
                    self._store = self._opener(self.url)
                except StoreUnavailable as exc:
                    self._error = str(exc)
                    raise
                except ValueError as exc:  # a malformed or unsupported store URL
                    self._error = str(exc)
                    raise StoreUnavailable(str(exc)) from exc
                self._error = None
            return self._store

    def opened(self) -> Store | None:
        """The store if it is open, else None (it never tries to open it)."""
        return self._store

    def revision(self) -> int | None:
        """The open store's revision, or None when it is not open or cannot be reached now.

        It never opens the store itself: the request that needs the store does, so a store
        that cannot be reached is tried once per request, not twice."""
        store = self._store
        if store is None:
            return None
        try:
            return store.revision()
        except StoreUnavailable:
            return None
        except Exception:  # a failing store answers through the application's handlers
            return None

    def try_open(self) -> None:
        """Open the store now if possible; a failure is remembered, not raised."""
        with contextlib.suppress(StoreUnavailable):
            self.get()

    def close(self) -> None:
        """Close the store if it was opened."""
        with self._lock:
            store, self._store = self._store, None
        if store is not None:
            store.close()


def get_settings(request: Request) -> Settings:
    """The settings the application was created with."""
    return request.app.state.settings


def get_store(request: Request) -> Store:
    """The shared store (503 through the app's handler when it is unavailable)."""
    holder: StoreHolder = request.app.state.store_holder
    return holder.get()


def get_workspace(request: Request) -> Workspace:
    """What the use cases work on: the shared store, the application's per-revision cache
    and the node cap of views (503 through the app's handler when the store is down)."""
    store = get_store(request)
    state = request.app.state
    workspace: Workspace | None = getattr(state, "workspace", None)
    if workspace is None or workspace.store is not store:
        with _WORKSPACE_LOCK:
            workspace = getattr(state, "workspace", None)
            if workspace is None or workspace.store is not store:
                workspace = Workspace(store=store,
                                      max_view_nodes=state.settings.max_view_nodes)
                state.workspace = workspace
    return workspace


_WORKSPACE_LOCK = threading.Lock()
