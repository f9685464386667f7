"""``tejido query``: the analyses from the command line, as a table, JSON or CSV."""

from __future__ import annotations

import json
from dataclasses import replace
from enum import Enum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from app.analyses import ANALYSES, AnalysisFilters, FilterError, parse_filters
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


def query_filters(
    graph,  # type: ignore[no-untyped-def]
    *,
    level_pair: str | None,
    country: str | None,
    theme: str | None,
    top: int,
    min_score: float,
    institutions: str,
    territory: str | None = None,
) -> AnalysisFilters:
    """The command's options as the filters the API reads, validated by the same parsers."""
    parsed = parse_filters(
        {
            "level_pair": level_pair,
            "country": country,
            "theme": theme,
            "min_score": None if min_score == 0.0 else min_score,
            "institutions": institutions,
            "territory": territory,
        },
        graph,
    )
    # the command line may ask for more rows than one API page holds
    return replace(parsed, top=top)


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
    "duplication": ["name_a", "name_b", "score", "category", "criteria", "same_institution",
                    "cluster", "shared"],
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
    territory: Annotated[
        str | None,
        typer.Option(help="overlap, duplication: a state, region or municipality, e.g. Oaxaca"),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table, json or csv")
    ] = OutputFormat.table,
) -> None:
    """Coordination ties, the level matrix, gaps, brokers, overlaps or duplicates."""
    with opened_store(store) as db:
        graph = db.view()
        try:
            filters = query_filters(
                graph,
                level_pair=level_pair,
                country=country,
                theme=theme,
                top=top,
                min_score=min_score,
                institutions=institutions,
                territory=territory,
            )
        except FilterError as exc:
            option = "--" + exc.parameter.replace("_", "-")
            raise typer.BadParameter(exc.message, param_hint=option) from exc
        items = ANALYSES[analysis.value].items(graph, filters)
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
