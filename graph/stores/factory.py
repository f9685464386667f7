"""Open the store named by a URL: the embedded SQLite file or a Neo4j server.

``open_store()`` with no argument reads ``TEJIDO_STORE`` and falls back to the embedded
store in ``data/tejido.db``. Neo4j credentials come from ``NEO4J_USER``,
``NEO4J_PASSWORD`` and, optionally, ``NEO4J_DATABASE``.
"""

from __future__ import annotations

import os
from pathlib import Path

from graph.stores.base import Store, StoreUnavailable

DEFAULT_STORE_URL = "sqlite:///data/tejido.db"
SQLITE_PREFIX = "sqlite:///"
NEO4J_SCHEMES: tuple[str, ...] = ("neo4j", "neo4j+s", "bolt", "bolt+s")
ACCEPTED_SCHEMES: tuple[str, ...] = ("sqlite", *NEO4J_SCHEMES)


def resolve_store_url(url: str | None = None) -> str:
    """Return ``url``, else ``TEJIDO_STORE``, else :data:`DEFAULT_STORE_URL`."""
    return url or os.environ.get("TEJIDO_STORE") or DEFAULT_STORE_URL


def sqlite_file(url: str | None = None) -> Path | None:
    """The file of an embedded store URL (None for a server or an in-memory store)."""
    resolved = resolve_store_url(url)
    if not resolved.startswith(SQLITE_PREFIX):
        return None
    path = resolved[len(SQLITE_PREFIX):].split("?", 1)[0]
    return None if not path or path == ":memory:" else Path(path)


def require_existing(url: str | None = None) -> None:
    """Refuse an embedded store whose file does not exist (a typo would otherwise create
    an empty store): :class:`StoreUnavailable` naming the path."""
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        where = path if path.is_absolute() else f"{path} (in {Path.cwd()})"
        raise StoreUnavailable(
            f"no store at {where}: check the path, or create the store with tejido ingest"
        )


def open_store(url: str | None = None, *, must_exist: bool = False) -> Store:
    """Open the store at ``url`` (see the module docstring for defaults).

    ``sqlite:///relative/path.db`` and ``sqlite:////absolute/path.db`` open a
    :class:`~graph.stores.sqlite_store.SQLiteStore`; ``neo4j://``, ``neo4j+s://``,
    ``bolt://`` and ``bolt+s://`` open a :class:`~graph.stores.neo4j_store.Neo4jStore`.
    Any other URL raises ``ValueError`` naming the accepted schemes. With ``must_exist``,
    an embedded store whose file does not exist is refused (see :func:`require_existing`).
    """
    resolved = resolve_store_url(url)
    if must_exist:
        require_existing(resolved)
    scheme = resolved.partition("://")[0].lower() if "://" in resolved else ""
    if resolved.startswith(SQLITE_PREFIX):
        from graph.stores.sqlite_store import SQLiteStore

        return SQLiteStore(resolved)
    if scheme == "sqlite":
        raise ValueError(
            f"malformed SQLite store URL {resolved!r}: write sqlite:///relative/path.db "
            "or sqlite:////absolute/path.db"
        )
    if scheme in NEO4J_SCHEMES:
        from graph.stores.neo4j_store import Neo4jStore

        return Neo4jStore(
            resolved,
            os.environ.get("NEO4J_USER"),
            os.environ.get("NEO4J_PASSWORD"),
            database=os.environ.get("NEO4J_DATABASE") or None,
        )
    accepted = ", ".join(f"{s}://" for s in ACCEPTED_SCHEMES)
    raise ValueError(
        f"unsupported store URL {resolved!r}: expected one of {accepted} "
        f"(for example {DEFAULT_STORE_URL!r} or 'neo4j://localhost:7687')"
    )
