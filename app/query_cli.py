"""``tejido query``: the analyses from the command line, as a table, JSON or CSV."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Any

import typer

from app.cli_filters import filter_options, filters_or_exit
from app.cli_store import opened_store
from app.services.filters import PARAMETERS


class Analysis(str, Enum):  # noqa: UP042 - typer needs a str Enum for choices
    coordination = "coordination"
    matrix = "matrix"
    gaps = "gaps"
    brokers = "brokers"
    overlap = "overlap"
    duplication = "duplication"


class OutputFormat(str, Enum):  # noqa: UP042 - typer needs a str Enum for choices
    table = "table"
    json = "json"
    csv = "csv"


ALL_FILTERS = tuple(dict.fromkeys(name for names in PARAMETERS.values() for name in names))


@filter_options(ALL_FILTERS, defaults={"top": 20})
def query_command(
    analysis: Annotated[Analysis, typer.Argument(help="which analysis")],
    filters: dict[str, Any],
    store: Annotated[
        str | None, typer.Option("--store", help="store URL (or TEJIDO_STORE)",
                                 show_default=False)
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table, json or csv")
    ] = OutputFormat.table,
) -> None:
    """Coordination ties, the level matrix, gaps, brokers, overlaps or duplicates, with the
    filters of the API (each analysis reads those it takes)."""
    from rich.console import Console

    from app.analysis_csv import named_rows, safe_csv
    from app.cli_tables import print_table, table_cells
    from app.services.analyses import ANALYSES
    from queries.tabular import to_rows

    with opened_store(store) as db:
        graph = db.view()
        given = {k: v for k, v in filters.items() if k in PARAMETERS[analysis.value]}
        chosen = filters_or_exit(given, PARAMETERS[analysis.value], graph)
        items = ANALYSES[analysis.value].items(graph, chosen)
        rows = named_rows(to_rows(items), graph)
    console = Console()
    if output is OutputFormat.json:
        console.print_json(
            json.dumps([i.model_dump(mode="json") for i in items], ensure_ascii=False)
        )
        return
    if output is OutputFormat.csv:
        typer.echo(safe_csv(rows), nl=False)
        return
    headers, cells = table_cells(analysis.value, items, graph)
    print_table(f"{analysis.value} ({len(cells)})", headers, cells)
