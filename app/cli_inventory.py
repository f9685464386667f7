"""``tejido inspect FILE``: how an inventory would be read (header row, columns, samples)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from app.cli_store import console, out

if TYPE_CHECKING:  # imported when a command runs: tejido --help stays quick
    from loaders.catalog_mapping import ColumnMapping

SKIPPED_SHOWN = 20

MappingOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--mapping",
        help="a YAML column mapping to read inventories with (repeatable); it overrides the"
        " guess for files whose headers it matches",
        show_default=False,
    ),
]


def user_mappings(paths: list[Path] | None) -> list[ColumnMapping]:
    """The column mappings in ``paths``; a broken file ends the command with exit code 2."""
    from rich.markup import escape

    from loaders.catalog_mapping import MappingError, load_mapping

    mappings: list[ColumnMapping] = []
    for path in paths or ():
        try:
            mappings.append(load_mapping(path))
        except MappingError as exc:
            console.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(2) from exc
    return mappings


def inspect_command(
    path: Annotated[Path, typer.Argument(help="a CSV, TSV or XLSX inventory")],
    mapping: MappingOption = None,
    max_mb: Annotated[float, typer.Option(help="size limit of the file, in MB")] = 50.0,
) -> None:
    """Show the header row found, each column's field and why, and three sample programmes."""
    from rich.markup import escape
    from rich.table import Table

    from loaders.document import ReadError
    from loaders.inventory_inspect import inspect_inventory
    from loaders.read import read

    mappings = user_mappings(mapping)
    try:
        document = read(path, max_bytes=int(max_mb * 1_000_000))
    except ReadError as exc:
        console.print(f"[red]error:[/red] {escape(str(path))}: {escape(exc.reason)}")
        raise typer.Exit(2) from exc
    report = inspect_inventory(document, mappings)
    if report is None:
        console.print(
            f"[red]error:[/red] {escape(str(path))}: no row of column names naming the"
            " programme (nombre, programa, título, name...) in the first rows of its tables;"
            " give a column mapping with --mapping"
        )
        raise typer.Exit(1)
    if mappings and report.mapping not in {m.name for m in mappings}:
        console.print(
            f"[yellow]warning:[/yellow] {escape(str(path))}: the headers of the given mapping"
            f" were not found; read with mapping {report.mapping!r} instead"
        )
    out.print(f"[bold]{escape(str(path))}[/bold]: mapping {report.mapping!r}"
              f" ({escape(report.mapping_description)})")
    for table in report.tables:
        where = f"sheet {table.sheet}, " if table.sheet else ""
        if table.header_row is None:
            out.print(f"{escape(where)}no header row matching the mapping: not read")
            continue
        grid = Table(title=f"{where}header row {table.header_row}")
        for title in ("column", "header", "read as", "why"):
            grid.add_column(title)
        for column in table.columns:
            grid.add_row(str(column.column), escape(column.header), column.field or "—",
                         escape(column.reason))
        out.print(grid)
    out.print(f"{report.programmes} programmes, {report.institutions} institutions,"
              f" {len(report.skipped)} rows skipped")
    for number, sample in enumerate(report.samples, start=1):
        out.print(f"[bold]sample {number}[/bold]")
        for name, value in sample.items():
            out.print(f"  {name}: {escape(value[:200])}", soft_wrap=True)
    for skipped in report.skipped[:SKIPPED_SHOWN]:
        where = f"sheet {skipped.sheet}, " if skipped.sheet else ""
        out.print(f"[yellow]skipped:[/yellow] {escape(where)}row {skipped.row}: "
                  f"{escape(skipped.reason)}")
    if len(report.skipped) > SKIPPED_SHOWN:
        out.print(f"… and {len(report.skipped) - SKIPPED_SHOWN} more rows skipped")
    for warning in report.warnings[:SKIPPED_SHOWN]:
        out.print(f"[yellow]warning:[/yellow] {escape(warning)}", soft_wrap=True)
