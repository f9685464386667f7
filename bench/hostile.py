"""Hostile and large inputs, measured in one run: time and peak memory of each, each in its
own process, against what issue "Hostile and large inputs" expects.

    .venv/bin/python -m bench.hostile [--quick]

Every input is built on the spot by :mod:`bench.hostile_inputs`. Each case runs in a child
process (``python -m bench.hostile --case NAME DIR``) that does what a user would (mostly
``tejido ingest`` through :func:`loaders.ingest.ingest` into a fresh SQLite store, or
``POST /ingest`` through the application) and prints what happened as JSON; the parent
takes its wall time, the child reports its CPU time and peak resident memory. The
limits are the defaults of :mod:`loaders.limits`. ``--quick`` builds small inputs (a smoke
run, not the figures). Also measured here, since tests no longer assert wall-clock times:
writing 5,000 entities and 10,000 relations to SQLite, and reading a text of one 5 MB line.

Results go to ``bench/results/hostile.json`` and ``bench/results/hostile.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import hostile_inputs as hostile

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
MEMORY_TARGET_MB = 1024
SECONDS_TARGET = 30
"""CPU seconds within which an input expected to take "seconds" is done (CPU, not wall time:
the cores are shared while this runs)."""
TOKEN = "s3cret"

Case = Callable[[Path, bool], dict[str, Any]]


# --------------------------------------------------------------------------- child cases


def _ingest(paths: list[Path], folder: Path) -> dict[str, Any]:
    from graph.stores.sqlite_store import SQLiteStore
    from loaders.ingest import ingest

    store = SQLiteStore(f"sqlite:///{folder / 'tejido.db'}")
    notes: list[str] = []
    try:
        summary = ingest(paths, store, on_progress=lambda _path, note: notes.append(note))
    finally:
        store.close()
    return {
        "documents": summary.documents,
        "failures": {Path(f.path).name: f.reason for f in summary.failures},
        "progress_notes": len(notes),
    }


def case_repeated_lines(folder: Path, quick: bool) -> dict[str, Any]:
    """200,000 copies of one line (17 MB), ingested; then 5k/10k/20k lines for the growth."""
    from loaders.extract.lexicon import default_lexicon
    from loaders.ingest import extract_file
    from loaders.read import read

    path = hostile.repeated_lines(folder / "repetido.txt", 20_000 if quick else 200_000)
    result = _ingest([path], folder) | {"bytes": path.stat().st_size}
    lexicon = default_lexicon()
    cpu = {}
    for lines in (5_000, 10_000, 20_000):
        document = read(hostile.repeated_lines(folder / f"{lines}.txt", lines))
        started = time.process_time()
        extract_file(document, lexicon)
        cpu[f"{lines:,}"] = round(time.process_time() - started, 2)
    result["extraction_cpu_s"] = cpu
    return result


def case_repeated_lines_upload(folder: Path, quick: bool) -> dict[str, Any]:
    """The same 200,000 lines uploaded to ``POST /ingest`` (the application, in process)."""
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import Settings

    path = hostile.repeated_lines(folder / "repetido.txt", 20_000 if quick else 200_000)
    settings = Settings(store=f"sqlite:///{folder / 'tejido.db'}", api_token=TOKEN,
                        max_upload_bytes=50_000_000, gazetteer_paths=[], cors_origins=[])
    with TestClient(create_app(settings=settings)) as client, path.open("rb") as handle:
        response = client.post("/ingest", headers={"Authorization": f"Bearer {TOKEN}"},
                               files={"files": (path.name, handle, "text/plain")})
    body = response.json()
    return {"status": response.status_code, "documents": body.get("documents"),
            "bytes": path.stat().st_size}


def case_tall_xlsx(folder: Path, quick: bool) -> dict[str, Any]:
    """An inventory XLSX of 1,000,000 rows."""
    path = hostile.tall_xlsx(folder / "alto.xlsx", 100_000 if quick else 1_000_000)
    return _ingest([path], folder) | {"bytes": path.stat().st_size}


def case_wide_xlsx(folder: Path, quick: bool) -> dict[str, Any]:
    """A sheet of 50 × 16,384 cells."""
    path = hostile.wide_xlsx(folder / "ancho.xlsx", rows=50, columns=16_384)
    return _ingest([path], folder) | {"bytes": path.stat().st_size}


def case_docx_bomb(folder: Path, quick: bool) -> dict[str, Any]:
    """A DOCX whose XML unpacks to 200 MB."""
    path = hostile.docx_bomb(folder / "bomba.docx", 20_000_000 if quick else 200_000_000)
    return _ingest([path], folder) | {"bytes": path.stat().st_size}


def case_symlink_loops(folder: Path, quick: bool) -> dict[str, Any]:
    """A folder with two file links pointing at each other and a link to its parent, plus a
    good file; then the loop given directly on the command line."""
    docs = folder / "docs"
    file_loop, _ = hostile.symlink_loops(docs)
    (docs / "bueno.txt").write_text(
        "La Corporación de Fomento de la Producción coordina con el Gobierno Regional.\n",
        encoding="utf-8")
    result = _ingest([docs], folder)
    direct = subprocess.run(
        [str(Path(sys.executable).with_name("tejido")), "ingest", str(file_loop), "--store",
         f"sqlite:///{folder / 'directo.db'}"], capture_output=True, text=True, check=False,
    )
    result["direct"] = "symbolic link loop" in direct.stdout + direct.stderr
    return result


def case_csv_injection(folder: Path, quick: bool) -> dict[str, Any]:
    """Inventory names starting with =, +, -, @: CLI CSV export and ?format=csv."""
    import csv
    import io

    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import Settings

    path = hostile.formula_inventory_csv(folder / "inventario.csv")
    url = f"sqlite:///{folder / 'tejido.db'}"
    tejido = str(Path(sys.executable).with_name("tejido"))
    subprocess.run([tejido, "ingest", str(path), "--store", url], capture_output=True,
                   check=True)
    subprocess.run([tejido, "export", "--format", "csv", "--store", url, "--out",
                    str(folder / "csv")], capture_output=True, check=True)
    texts = [(folder / "csv" / name).read_text(encoding="utf-8")
             for name in ("nodes.csv", "edges.csv")]
    settings = Settings(store=url, api_token=None, gazetteer_paths=[], cors_origins=[])
    with TestClient(create_app(settings=settings)) as client:
        for endpoint in ("/analysis/duplication?min_score=0&format=csv",
                         "/analysis/overlap?format=csv", "/analysis/gaps?format=csv"):
            texts.append(client.get(endpoint).text)
    cells = [cell for text in texts for row in csv.reader(io.StringIO(
        "".join(line for line in text.splitlines(True) if not line.startswith("# "))))
        for cell in row]
    return {
        "formula_cells_as_is": sum(cell.startswith(("=", "+", "-", "@")) for cell in cells),
        "defused_cells": sum(cell.startswith(("'=", "'+", "'-", "'@")) for cell in cells),
    }


def case_corrupt_docx(folder: Path, quick: bool) -> dict[str, Any]:
    """Five damaged DOCX files: the reasons given."""
    paths = []
    for number, data in enumerate(hostile.corrupt_docx_variants().values()):
        paths.append(folder / f"danado{number}.docx")
        paths[-1].write_bytes(data)
    return _ingest(paths, folder)


def case_reverted_edit(folder: Path, quick: bool) -> dict[str, Any]:
    """A file, an edit naming three more bodies, the file again: entities left unsupported."""
    import sqlite3

    first = ("El Ministerio de Economía coordina con la Corporación de Fomento de la "
             "Producción el programa regional.\n")
    edit = first + ("También participa el Servicio de Cooperación Técnica en coordinación con "
                    "la Municipalidad de Talca y el Instituto Nacional de Desarrollo "
                    "Agropecuario.\n")
    path = folder / "docs" / "acta.txt"
    path.parent.mkdir()
    for version in (first, edit, first):
        path.write_text(version, encoding="utf-8")
        _ingest([path], folder)
    with sqlite3.connect(folder / "tejido.db") as conn:
        unsupported = [row[0] for row in conn.execute(
            "SELECT id FROM entities e WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE "
            "m.entity_id = e.id) AND NOT EXISTS (SELECT 1 FROM relations r WHERE e.id IN "
            "(r.source, r.target))")]
    return {"unsupported_entities": unsupported}


def case_bearer_spaces(folder: Path, quick: bool) -> dict[str, Any]:
    """``Authorization: Bearer  s3cret `` (two spaces, one trailing) on a write endpoint."""
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import Settings

    settings = Settings(store=f"sqlite:///{folder / 'tejido.db'}", api_token=TOKEN,
                        gazetteer_paths=[], cors_origins=[])
    with TestClient(create_app(settings=settings)) as client:
        spaced = client.post("/unmerge", json={"merge_id": 1},
                             headers={"Authorization": f"Bearer  {TOKEN} "})
        exact = client.post("/unmerge", json={"merge_id": 1},
                            headers={"Authorization": f"Bearer {TOKEN}"})
    return {"spaced_status": spaced.status_code, "exact_status": exact.status_code}


def case_script_in_text(folder: Path, quick: bool) -> dict[str, Any]:
    """A .txt holding ``<script>…</script>``: is the stored text the file's text?"""
    from loaders.extract.lexicon import default_lexicon
    from loaders.ingest import extract_file
    from loaders.read import read

    line = "Nota: <script>alert('CORFO')</script> quedó en el acta de la Municipalidad de Talca."
    path = folder / "acta.txt"
    path.write_text(line + "\n", encoding="utf-8")
    extraction, _ = extract_file(read(path), default_lexicon())
    return {"kept": line in extraction.document.text}


def case_store_write(folder: Path, quick: bool) -> dict[str, Any]:
    """5,000 entities and 10,000 relations written to SQLite in one transaction."""
    from graph.stores.sqlite_store import SQLiteStore
    from tests.test_store_sqlite import _large_extraction

    extraction = _large_extraction(5_000, 10_000)
    store = SQLiteStore(f"sqlite:///{folder / 'tejido.db'}")
    started = time.perf_counter()
    result = store.write(extraction)
    seconds = time.perf_counter() - started
    store.close()
    return {"write_s": round(seconds, 2), "relations": result.relations}


def case_long_line(folder: Path, quick: bool) -> dict[str, Any]:
    """A text of one 5 MB line, read."""
    from loaders.read import read

    unit = "Programa de fomento de la región de Ñuble, "
    path = folder / "linea.txt"
    path.write_text(unit * (5_000_000 // len(unit)), encoding="utf-8")
    started = time.perf_counter()
    document = read(path)
    return {"read_s": round(time.perf_counter() - started, 2), "chars": len(document.text)}


CASES: dict[str, tuple[str, str, Case]] = {
    "repeated_lines": ("a 17 MB .txt of 200,000 repeated lines, tejido ingest",
                       "linear time", case_repeated_lines),
    "repeated_lines_upload": ("the same through POST /ingest", "linear time",
                              case_repeated_lines_upload),
    "tall_xlsx": ("an XLSX of 1,000,000 rows",
                  "streamed, under 1 GB, progress shown; refused by name past sheet_rows",
                  case_tall_xlsx),
    "wide_xlsx": ("an XLSX 50 × 16,384 cells", "seconds (< 30 s CPU), bounded memory",
                  case_wide_xlsx),
    "docx_bomb": ("a DOCX whose XML unpacks to 200 MB", "refused with a clear reason",
                  case_docx_bomb),
    "symlink_loops": ("a folder holding symlink loops; a loop given directly",
                      "named: symbolic link loop", case_symlink_loops),
    "csv_injection": ("inventory cells starting with =, +, -, @; every CSV export",
                      "neutralised", case_csv_injection),
    "corrupt_docx": ("five damaged DOCX files", "reasons a user understands",
                     case_corrupt_docx),
    "reverted_edit": ("an edit reverted and re-ingested", "nothing left behind",
                      case_reverted_edit),
    "bearer_spaces": ("`Bearer  s3cret ` with spaces", "refused", case_bearer_spaces),
    "script_in_text": ("a .txt containing <script>…</script>", "text kept",
                       case_script_in_text),
    "store_write": ("SQLite write of 5,000 entities and 10,000 relations", "(timing)",
                    case_store_write),
    "long_line": ("reading a text of one 5 MB line", "(timing)", case_long_line),
}


# --------------------------------------------------------------------------- the parent


def run_case(name: str, quick: bool) -> dict[str, Any]:
    """Run one case in a child process; its result with wall time, CPU time and peak RSS."""
    with tempfile.TemporaryDirectory(prefix=f"hostile-{name}-") as folder:
        command = [sys.executable, "-m", "bench.hostile", "--case", name, folder]
        if quick:
            command.append("--quick")
        started = time.perf_counter()
        child = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
    if child.returncode != 0:
        return {"error": child.stderr[-2000:], "wall_s": round(wall, 1)}
    result = json.loads(child.stdout.strip().splitlines()[-1])
    result["wall_s"] = round(wall, 1)
    return result


def _child(name: str, folder: str, quick: bool) -> None:
    import resource

    result = CASES[name][2](Path(folder), quick)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 1)
    result["peak_mb"] = round(usage.ru_maxrss / 1024)
    print(json.dumps(result, ensure_ascii=False))


def _verdict(name: str, result: dict[str, Any]) -> bool:
    failures = result.get("failures", {})
    first = next(iter(failures.values()), "")
    checks: dict[str, Callable[[], bool]] = {
        "repeated_lines": lambda: result["documents"] == 1 and all(
            result["extraction_cpu_s"][b] < 3 * result["extraction_cpu_s"][a]
            for a, b in (("5,000", "10,000"), ("10,000", "20,000"))),
        "repeated_lines_upload": lambda: result["status"] == 200 and result["documents"] == 1,
        "tall_xlsx": lambda: first.startswith("limit sheet_rows")
        and result["progress_notes"] >= 1,
        "wide_xlsx": lambda: first.startswith("limit sheet_cells")
        and result["cpu_s"] < SECONDS_TARGET,
        "docx_bomb": lambda: first.startswith("limit unpacked_"),
        "symlink_loops": lambda: result["direct"] and result["documents"] == 1 and set(
            failures.values()) == {"symbolic link loop"},
        "csv_injection": lambda: result["formula_cells_as_is"] == 0
        and result["defused_cells"] > 0,
        "corrupt_docx": lambda: all(r.startswith("damaged DOCX file") and "Error:" not in r
                                    for r in failures.values()) and len(failures) == 5,
        "reverted_edit": lambda: result["unsupported_entities"] == [],
        "bearer_spaces": lambda: result["spaced_status"] == 401
        and result["exact_status"] != 401,
        "script_in_text": lambda: result["kept"],
    }
    within = checks.get(name, lambda: True)()
    return bool(within and result.get("peak_mb", 0) < MEMORY_TARGET_MB)


def render_markdown(results: dict[str, Any]) -> str:
    """The results as the Markdown table the README quotes."""
    lines = [
        "# Hostile and large inputs",
        "",
        f"Run {results['date']} on {results['machine']} (`python -m bench.hostile"
        f"{' --quick' if results['quick'] else ''}`); each input in its own process, default "
        "limits (`loaders/limits.py`). Wall and CPU seconds, peak resident memory of the "
        "process. Other work shared the 2 cores while this ran (wall times are several "
        "times the CPU times)."
        + (f" This run remeasured {', '.join(results['rerun'])}; the other rows are from the "
           "previous full run." if results.get("rerun") else ""),
        "",
        "| input | expected | wall s | CPU s | peak MB | what happened | within |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, result in results["cases"].items():
        label, expected, _ = CASES[name]
        shown = {k: v for k, v in result.items() if k not in ("wall_s", "cpu_s", "peak_mb")}
        lines.append(
            f"| {label} | {expected} | {result.get('wall_s', '')} | {result.get('cpu_s', '')} "
            f"| {result.get('peak_mb', '')} | {_describe(shown)} | "
            f"{'yes' if result.get('within') else 'no'} |"
        )
    return "\n".join(lines) + "\n"


def _describe(shown: dict[str, Any]) -> str:
    shown = {k: v for k, v in shown.items() if k != "within"}
    return json.dumps(shown, ensure_ascii=False).replace("|", "\\|")[:400]


def main(argv: list[str] | None = None) -> None:
    """Run every case (or one, in a child) and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small inputs (smoke run)")
    parser.add_argument("--case", nargs=2, metavar=("NAME", "DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--only", nargs="*", choices=sorted(CASES), help="run these cases")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results folder")
    args = parser.parse_args(argv)
    if args.case:
        _child(args.case[0], args.case[1], args.quick)
        return
    cases: dict[str, Any] = {}
    for name in args.only or CASES:
        result = run_case(name, args.quick)
        result["within"] = "error" not in result and _verdict(name, result)
        cases[name] = result
        print(f"{name}: {json.dumps(result, ensure_ascii=False)[:300]}", flush=True)
    suffix = "-quick" if args.quick else ""
    earlier = args.out / f"hostile{suffix}.json"
    if args.only and earlier.exists():  # the other cases keep their last figures
        last = json.loads(earlier.read_text(encoding="utf-8"))["cases"]
        cases = {name: cases.get(name, last.get(name, {})) for name in CASES
                 if name in cases or name in last}
    results = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "quick": args.quick,
        "rerun": sorted(args.only or []),
        "cases": cases,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"hostile{suffix}.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (args.out / f"hostile{suffix}.md").write_text(render_markdown(results), encoding="utf-8")


if __name__ == "__main__":
    main()
