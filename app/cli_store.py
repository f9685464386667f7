"""Opening the store for a command: a clear message and exit code 2 when it cannot be opened,
closed however the command ends, and refused operations reported as exit code 1."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from graph.stores import Store, StoreError, StoreUnavailable, open_store

console = Console(stderr=True)


def open_store_or_exit(url: str | None) -> Store:
    """Open the store named by ``url`` (or TEJIDO_STORE), or exit with a clear message."""
    try:
        return open_store(url)
    except (StoreUnavailable, StoreError, ValueError) as exc:
        console.print(f"[red]error:[/red] cannot open the store: {exc}")
        raise typer.Exit(2) from exc


@contextmanager
def opened_store(url: str | None, refuse: tuple[type[Exception], ...] = ()) -> Iterator[Store]:
    """The store for the duration of a command; an exception of a ``refuse`` type raised
    inside is printed as an error and ends the command with exit code 1."""
    db = open_store_or_exit(url)
    try:
        yield db
    except refuse as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    finally:
        db.close()
