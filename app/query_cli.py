"""``tejido query``: the analyses from the command line, as a table, JSON or CSV."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from app.cli_store import opened_store
from queries.tabular import to_csv, to_rows


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


def _level_pair(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2:
        raise typer.BadParameter("give two levels separated by a comma, e.g. national,regional")
    return parts[0], parts[1]


def run_query(
    graph,
    analysis: str,
    *,
    level_pair=None,
    country=None,
    theme=None,  # type: ignore[no-untyped-def]
    top: int = 20,
    min_score: float = 0.0,
    institutions: str = "any",
) -> list:
    """Run one analysis over a projected graph and return its result items.

    ``institutions`` (duplication only): ``different`` keeps pairs run by different
    institutions, ``same`` variants inside one institution, ``any`` both.
    """
    from queries import coordination, duplication, overlap

    if analysis == "coordination":
        return coordination.find_ties(graph, level_pair=level_pair, country=country)[:top]
    if analysis == "matrix":
        return coordination.level_matrix(graph).cells
    if analysis == "gaps":
        return coordination.find_gaps(
            graph,
            top=top,
            min_overlap=min_score or 0.2,
            level_pair=level_pair,
            country=country,
            theme=theme,
        )
    if analysis == "brokers":
        return coordination.find_brokers(graph, top=top)
    if analysis == "overlap":
        return overlap.find_overlaps(
            graph, top=top, min_score=min_score, level_pair=level_pair, country=country, theme=theme
        ).pairs
    if analysis == "duplication":
        return duplication.find_duplicates(
            graph,
            top=top,
            min_score=min_score,
            level_pair=level_pair,
            country=country,
            theme=theme,
            institutions=institutions,
        ).pairs
    raise ValueError(f"unknown analysis {analysis!r}")


_TABLE_COLUMNS = {
    "coordination": ["name_a", "level_a", "name_b", "level_b", "channels"],
    "matrix": [
        "level_a",
        "level_b",
        "institution_pairs",
        "tied_pairs",
        "sharing_field",
        "tied_and_sharing",
        "coordination_rate",
    ],
    "gaps": ["name_a", "level_a", "name_b", "level_b", "overlap", "reasons"],
    "brokers": ["name", "level", "score"],
    "overlap": ["name_a", "level_a", "name_b", "level_b", "score", "explicit", "shared"],
    "duplication": ["name_a", "name_b", "score", "cross_level", "same_institution", "shared"],
}


def query_command(
    analysis: Annotated[Analysis, typer.Argument(help="which analysis")],
    store: Annotated[
        str | None, typer.Option("--store", help="store URL (or TEJIDO_STORE)")
    ] = None,
    level_pair: Annotated[
        str | None, typer.Option(help="two levels, e.g. national,regional")
    ] = None,
    country: Annotated[str | None, typer.Option(help="ISO country code, e.g. CL")] = None,
    theme: Annotated[str | None, typer.Option(help="theme id, e.g. sme_development")] = None,
    top: Annotated[int, typer.Option(min=1, max=5000, help="how many results")] = 20,
    min_score: Annotated[float, typer.Option(min=0.0, max=1.0, help="lowest score")] = 0.0,
    institutions: Annotated[
        str, typer.Option(help="duplication: any, different (across agencies) or same")
    ] = "any",
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table, json or csv")
    ] = OutputFormat.table,
) -> None:
    """Coordination ties, the level matrix, gaps, brokers, overlaps or duplicates."""
    with opened_store(store) as db:
        try:
            items = run_query(
                db.view(),
                analysis.value,
                level_pair=_level_pair(level_pair),
                country=country,
                theme=theme,
                top=top,
                min_score=min_score,
                institutions=institutions,
            )
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
    console = Console()
    if output is OutputFormat.json:
        console.print_json(
            json.dumps([i.model_dump(mode="json") for i in items], ensure_ascii=False)
        )
        return
    rows = to_rows(items)
    if output is OutputFormat.csv:
        typer.echo(to_csv(rows), nl=False)
        return
    table = Table(title=f"{analysis.value} ({len(rows)})")
    columns = _TABLE_COLUMNS[analysis.value]
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c))[:80] for c in columns))
    console.print(table)
