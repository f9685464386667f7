"""Opening the store for a command: a clear message and exit code 2 when it cannot be opened,
closed however the command ends, and refused operations reported as exit code 1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer

from app.i18n import t

if TYPE_CHECKING:
    from graph.stores import Store


class _LazyConsole:
    """A rich Console made on first use, so that ``tejido --help`` never imports rich."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Any = None

    def get(self) -> Any:
        """The rich Console itself."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)


console: Any = _LazyConsole(stderr=True)
out: Any = _LazyConsole()


def require_store(url: str | None) -> str:
    """The store URL ``url`` (or TEJIDO_STORE, or the default) resolves to; exit code 2 with
    a message in the command line's language, naming the file, when it is an SQLite store
    file that does not exist (a typo would otherwise create an empty store)."""
    from rich.markup import escape

    from graph.stores.factory import resolve_store_url, sqlite_file

    resolved = resolve_store_url(url)
    path = sqlite_file(resolved)
    if path is not None and not path.is_file():
        where = escape(str(path.resolve()))
        console.print(f"[red]{t('cli.error')}:[/red] {t('cli.no_store', where=where)}",
                      soft_wrap=True)
        raise typer.Exit(2)
    return resolved


def open_store_or_exit(url: str | None, must_exist: bool = True) -> Store:
    """Open the store named by ``url`` (or TEJIDO_STORE), or exit with a clear message; with
    ``must_exist`` (every command but ingest), a store file that does not exist is refused
    rather than created empty (:func:`require_store`)."""
    from graph.stores import StoreError, StoreUnavailable, open_store

    if must_exist:
        url = require_store(url)
    try:
        return open_store(url, must_exist=must_exist)
    except (StoreUnavailable, StoreError, ValueError) as exc:
        console.print(f"[red]error:[/red] cannot open the store: {exc}")
        raise typer.Exit(2) from exc


@contextmanager
def opened_store(url: str | None, refuse: tuple[type[Exception], ...] = (),
                 must_exist: bool = True) -> Iterator[Store]:
    """The store for the duration of a command; an exception of a ``refuse`` type raised
    inside is printed as an error and ends the command with exit code 1."""
    db = open_store_or_exit(url, must_exist)
    refuse = tuple(refuse)
    try:
        yield db
    except refuse as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    finally:
        db.close()
