"""The ``tejido`` command line: ingest, inspect, delete, serve, stats, export, evaluate, review,
merge, unmerge."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from app.cli_inventory import MappingOption, inspect_command, user_mappings
from app.cli_store import console, opened_store, out
from app.cli_views import export_view_command, report_command
from app.i18n import t
from app.query_cli import query_command

app = typer.Typer(
    help="Who does what, at which level of government, and where they overlap.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain help: readable, and no rich import before it is needed
    pretty_exceptions_enable=False,
)
WARNINGS_SHOWN = 30  # warnings printed after an ingestion summary (at most 20 per file)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("tejido")
        except PackageNotFoundError:
            number = "unknown (not installed)"
        typer.echo(f"tejido {number}")
        raise typer.Exit()


@app.callback()
def main_options(
    show_version: Annotated[bool, typer.Option(
        "--version", help="print the version and exit", callback=_version, is_eager=True,
    )] = False,
) -> None:
    """Who does what, at which level of government, and where they overlap."""

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="sqlite:///path.db (default data/tejido.db) or neo4j://host:7687;"
        " also from TEJIDO_STORE",
        show_default=False,
    ),
]


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders to ingest")],
    store: StoreOption = None,
    strict: Annotated[bool, typer.Option(help="exit non-zero if any file fails")] = False,
    max_mb: Annotated[float, typer.Option(help="size limit per file, in MB")] = 50.0,
    mapping: MappingOption = None,
) -> None:
    """Read documents and inventories, extract the graph and write it to the store."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from app.services.ingest import ingest_paths
    from loaders.read import is_link_loop, iter_files

    missing = [p for p in paths if not p.exists() and not is_link_loop(p)]
    for p in missing:
        console.print(f"[red]error:[/red] {p}: no such file or folder")
    files = list(iter_files([p for p in paths if p not in missing]))
    lexicon = _load_lexicon()
    mappings = user_mappings(mapping)
    with (
        opened_store(store, must_exist=False) as db,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console.get(),
            transient=False,
        ) as progress,
    ):
        task = progress.add_task("ingesting", total=len(files))

        def step(path: Path, status: str) -> None:
            progress.update(task, advance=1, description=f"{status:>9} {path.name[:40]}")

        def reading(path: Path, note: str) -> None:
            progress.update(task, description=f"  reading {path.name[:30]}: {note}")

        summary = ingest_paths(
            db, files, lexicon=lexicon, max_bytes=int(max_mb * 1_000_000), on_file=step,
            on_progress=reading, mappings=mappings,
        )
    _print_summary(summary)
    failed = bool(summary.failures) or bool(missing)
    if not summary.ok or (strict and failed):
        raise typer.Exit(1)


app.command("inspect")(inspect_command)


def _load_lexicon():  # type: ignore[no-untyped-def]
    """The gazetteer compiled for matching, with users' files from TEJIDO_GAZETTEER (a
    path list separated by the OS path separator); a broken file is a clear error."""
    from app.services.ingest import LexiconError, lexicon_for

    extra = tuple(p for p in os.environ.get("TEJIDO_GAZETTEER", "").split(os.pathsep) if p)
    try:
        return lexicon_for(extra)
    except LexiconError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _print_summary(summary) -> None:  # type: ignore[no-untyped-def]
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=t("cli.summary"), show_header=False)
    table.add_row(t("cli.documents"), str(summary.documents))
    table.add_row(t("cli.unchanged"), str(summary.unchanged))
    table.add_row(t("cli.replaced"), str(summary.replaced))
    for label, n in sorted(summary.entities.items()):
        table.add_row(t("cli.entities", label=label), str(n))
    table.add_row(t("cli.relations"), str(sum(summary.relations.values())))
    table.add_row(t("cli.evidence"), str(summary.evidence))
    if summary.skipped_rows:
        table.add_row(t("cli.skipped_rows"), str(summary.skipped_rows))
    table.add_row(t("cli.failures"), str(len(summary.failures)))
    console.print(table)
    for warning in summary.warnings[:WARNINGS_SHOWN]:
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}", soft_wrap=True)
    if len(summary.warnings) > WARNINGS_SHOWN:
        more = len(summary.warnings) - WARNINGS_SHOWN
        console.print(f"[yellow]… and {more} more warnings[/yellow]")
    for failure in summary.failures:
        console.print(f"[red]failed:[/red] {escape(failure.path)}: {escape(failure.reason)}")


def default_workers() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@app.command()
def serve(
    store: StoreOption = None,
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port", envvar="PORT")] = 8000,
    workers: Annotated[int | None, typer.Option(
        min=1, max=64, help="server processes (default: the number of cores; also "
        "TEJIDO_WORKERS)", show_default=False, envvar="TEJIDO_WORKERS")] = None,
) -> None:
    """Serve the JSON API and the HTML views (several processes share the port)."""
    import uvicorn

    from app.cli_store import require_store

    url = require_store(store)
    import tempfile

    count = workers or default_workers()
    os.environ["TEJIDO_STORE"] = url  # every worker process builds its app from it
    console.print(t("cli.serving", host=host, port=port, store=url, count=count))
    with tempfile.TemporaryDirectory(prefix="tejido-serve-") as folder:
        # the workers share their answers, each computed once per store revision
        os.environ["TEJIDO_ANSWER_CACHE"] = str(Path(folder) / "answers.db")
        uvicorn.run("app.main:create_app", factory=True, host=host, port=port,
                    workers=count, log_level="warning", timeout_keep_alive=30, backlog=4096)


@app.command()
def stats(store: StoreOption = None) -> None:
    """Counts of documents, entities per type, relations per type, evidence."""
    with opened_store(store) as db:
        s = db.stats()
    out.print_json(s.model_dump_json())


class ExportFormat(StrEnum):
    graphml = "graphml"
    gexf = "gexf"
    json = "json"
    csv = "csv"


export_app = typer.Typer(
    help="Export the entity graph (--format) or one view as a standalone HTML file (view).",
    invoke_without_command=True,
)


@export_app.callback()
def export(
    ctx: typer.Context,
    format: Annotated[
        ExportFormat | None, typer.Option("--format", help="graphml, gexf, json or csv")
    ] = None,
    out_path: Annotated[Path | None, typer.Option("--out", help="file (csv: a folder)")] = None,
    store: StoreOption = None,
) -> None:
    """Export the entity graph for Gephi, yEd, Cytoscape, spreadsheets or other tools."""
    if ctx.invoked_subcommand is not None:
        return
    if format is None:
        console.print("[red]error:[/red] give --format graphml|gexf|json|csv, or use 'export view'")
        raise typer.Exit(2)
    from app.services.exports import export_store
    from app.services.workspace import Workspace

    with opened_store(store) as db:
        target = export_store(Workspace(store=db), format.value, out_path)
    console.print(t("cli.wrote", path=target))


export_app.command("view")(export_view_command)
app.add_typer(export_app, name="export")
app.command("report")(report_command)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Option(help="folder of gold YAML files")],
    docs: Annotated[Path, typer.Option(help="folder of the documents they annotate")],
    json_path: Annotated[
        Path | None, typer.Option("--json", help="write the scores as JSON")
    ] = None,
) -> None:
    """Score extraction against gold annotations (rules in the gold folder's README)."""
    from evaluation.hooks import evaluation_hooks
    from evaluation.render import render_tables
    from evaluation.scores import evaluate as run_evaluate

    extract, duplicates, overlaps = evaluation_hooks()
    report = run_evaluate(gold, docs, extract, duplicates=duplicates, overlaps=overlaps)
    for table in render_tables(report):
        out.print(table)
    if json_path is not None:
        json_path.write_text(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        console.print(t("cli.wrote", path=json_path))


@app.command()
def review(
    store: StoreOption = None,
    limit: Annotated[int, typer.Option(help="rows to show")] = 50,
    label: Annotated[str, typer.Option(help="entity label to review")] = "Institution",
) -> None:
    """List possible duplicates: shared names or acronyms, near-identical names."""
    from rich.table import Table

    from graph.review import possible_duplicates

    with opened_store(store) as db:
        pairs = {(c.a, c.b): c for c in possible_duplicates(db.entities(label))}
        for c in db.merge_candidates():
            pairs.setdefault((c.a, c.b), c)
        rows = sorted(pairs.values(), key=lambda c: (-c.score, c.a))[:limit]
        table = Table(
            title=f"Possible duplicates among {label} ({len(pairs)}; "
            "tejido merge KEPT MERGED to merge)"
        )
        for col in ("a", "b", "score", "reason"):
            table.add_column(col)
        for c in rows:
            ea, eb = db.get_entity(c.a), db.get_entity(c.b)
            table.add_row(
                f"{c.a}\n{ea.name if ea else ''}",
                f"{c.b}\n{eb.name if eb else ''}",
                f"{c.score:.2f}",
                c.reason,
            )
        out.print(table)
        merges = db.merges()
        if merges:
            mt = Table(title="Recorded merges (tejido unmerge ID to undo)")
            for col in ("id", "kept", "merged", "undone"):
                mt.add_column(col)
            for m in merges:
                mt.add_row(str(m.id), m.kept_id, m.merged_id, "yes" if m.undone else "")
            out.print(mt)


@app.command()
def delete(
    documents: Annotated[list[str], typer.Argument(help="document ids or ingested file paths")],
    store: StoreOption = None,
) -> None:
    """Delete documents, by id or by the path they were ingested from, as if they had never
    been ingested (what other documents support stays, rebuilt from what they said)."""
    from rich.markup import escape

    from graph.stores import StoreError

    with opened_store(store, refuse=(StoreError,)) as db:
        ids = document_ids_named(db, documents)
        for document_id in ids:
            result = db.delete_document(document_id)
            console.print(
                f"deleted {escape(result.path)} ({document_id[:12]}): "
                f"{result.entities_removed} entities and {result.relations_removed} "
                "relations no other document supports went with it"
            )


def document_ids_named(db, names: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """The ids of the stored documents ``names`` designate: an id (or its first 12 or more
    characters), or the path a document was ingested from, as given or resolved.

    Raises StoreError naming what matches no document, before anything is deleted.
    """
    documents = db.documents()
    found: list[str] = []
    missing: list[str] = []
    for name in names:
        resolved = str(Path(name).resolve())
        matches = [
            d.id for d in documents
            if (len(name) >= 12 and d.id.startswith(name.lower()))
            or d.path == name or str(Path(d.path).resolve()) == resolved
        ]
        if matches:
            found += [m for m in matches if m not in found]
        else:
            missing.append(name)
    if missing:
        from graph.stores import StoreError

        raise StoreError(f"no stored document has the id or path {', '.join(missing)}")
    return found


@app.command()
def merge(
    kept: str,
    merged: str,
    store: StoreOption = None,
    reason: Annotated[str, typer.Option(help="why, for the record")] = "",
) -> None:
    """Merge entity MERGED into entity KEPT (recorded; undo with unmerge)."""
    from graph.stores import StoreError

    with opened_store(store, refuse=(StoreError,)) as db:
        record = db.merge(kept, merged, reason)
    console.print(f"merged {merged} into {kept} (merge id {record.id})")


@app.command()
def unmerge(merge_id: int, store: StoreOption = None) -> None:
    """Undo a recorded merge."""
    from graph.stores import StoreError

    with opened_store(store, refuse=(StoreError,)) as db:
        record = db.unmerge(merge_id)
    console.print(f"undid merge {record.id}: {record.merged_id} is separate again")


@app.command()
def verdict(
    members: Annotated[list[str] | None, typer.Argument(
        help="two or more entity ids: a pair, or every pair of a cluster", show_default=False,
    )] = None,
    value: Annotated[str, typer.Option(
        "--is", help="duplicate, not_duplicate, or none to forget the verdict")] = "duplicate",
    note: Annotated[str, typer.Option(help="why, for the record")] = "",
    store: StoreOption = None,
) -> None:
    """Record a reviewer's verdict on duplicate programmes (list them all without ids)."""
    from app.services.verdicts import judge
    from graph.stores import StoreError

    with opened_store(store, refuse=(StoreError,)) as db:
        if not members:
            for item in db.verdicts():
                console.print(f"{item.a}\t{item.b}\t{item.verdict}\t{item.note}",
                              markup=False, highlight=False)
            return
        recorded = judge(db, members, value, note)
    console.print(t("cli.verdicts", count=len(recorded)) if recorded
                  else t("cli.verdicts_cleared"))


app.command("query")(query_command)


def readable_help(command: Any) -> Any:
    """Give every option and argument of ``command`` (and its subcommands) a metavar that
    reads as what to type (``--store URL``, ``--top N``, ``--format [table|json|csv]``)
    rather than a type name such as ``<str>``."""
    from enum import Enum

    for param in command.params:
        if getattr(param, "param_type_name", "") == "argument":
            param.display_type = lambda ctx: ""  # its metavar already says it
        if getattr(param, "is_flag", False) or param.metavar is not None:
            continue
        annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            param.metavar = f"[{'|'.join(str(m.value) for m in annotation)}]"
        elif annotation is int:
            param.metavar = "N"
        elif annotation is float:
            param.metavar = "NUMBER"
        elif annotation is Path:
            param.metavar = "PATH"
        elif annotation is bool:
            continue
        else:
            param.metavar = "URL" if param.name == "store" else (param.name or "").upper()
    for sub in getattr(command, "commands", {}).values():
        readable_help(sub)
    return command


def main() -> None:
    """Entry point of the ``tejido`` console script."""
    try:
        readable_help(typer.main.get_command(app))(prog_name="tejido")
    except Exception as exc:
        # the store's classes are imported only when one failed: --help stays light
        from graph.stores.base import StoreUnavailable

        if not isinstance(exc, StoreUnavailable):
            raise
        console.print(f"[red]error:[/red] store unavailable: {exc}")
        sys.exit(2)


if __name__ == "__main__":
    main()
