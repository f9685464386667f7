"""Ingestion benchmark: the real bulk corpus ingested end to end into a fresh SQLite store,
extraction throughput, gazetteer compilation, a 20 MB folder of varied copies, peak memory,
and where the time goes.

    .venv/bin/python -m bench.ingest [--bulk ../shared/bulk] [--limit N] [--bulk-only]
        [--corpus ../shared/corpus] [--size-mb 20] [--repeats 5]

The headline figure is the bulk corpus (``../shared/bulk``, 2,093 real laws and ordinances):
every file under it ingested as ``tejido ingest`` does (read, extract, resolve, write into a
fresh SQLite store, one transaction per file), in KB of input file per CPU second of the process
(its children included), with wall time, peak RSS, the machine's load average and the
entities, relations (by type) and evidence of the resulting store; also the throughput of
each quarter of the files, which shows whether ingestion slows as the store fills.
``--limit N`` ingests only the first N files (a quick run); ``--bulk-only`` skips the other
phases and keeps their last results in the JSON.

Then, on one core (the process is pinned to one CPU where the OS allows it):

1. gazetteer compilation: reading and validating the shipped YAML, then compiling the phrase
   matchers (reported apart from extraction, since a process pays it once);
2. extraction on the sample corpus (``loaders.ingest.extract_file``, layout clean-up to
   entities, relations and evidence): the first pass (cold caches) and the median of the next
   passes, in KB of document text per second (KB = 1,024 bytes of UTF-8 text as read);
3. a folder of about 20 MB built in a temporary directory by repeating the corpus with varied
   names: institution names swapped for other gazetteer institutions or given a place, places
   swapped for other gazetteer territories, every number redrawn with the same digit count;
   so that no two files are equal and resolution meets new entities as it would on real data.
   On that folder: extraction alone, then the whole ingestion (read, extract, resolve, write)
   into a fresh SQLite store;
4. peak memory: the process's resident set size (psutil), sampled every 10 ms;
5. cProfile: the top 15 functions by own time for extraction on the corpus and for ingesting
   eight more varied copies of the corpus into the store that already holds the folder (where
   resolution and writes meet a full store), printed so that the owner of the pipeline can see
   where time goes.

Targets: at least 300 KB per CPU second, peak memory under 1 GB. Results are written to
``bench/results/ingest.json`` and ``bench/results/ingest.md``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_IMPORTS_START = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


from bench.ingest_bulk import measure_bulk, render_bulk  # noqa: E402
from bench.machine import MemorySampler, load_average  # noqa: E402
from graph.gazetteer import build_gazetteer, shipped_files  # noqa: E402
from graph.stores.sqlite_store import SQLiteStore  # noqa: E402
from loaders.document import Document  # noqa: E402
from loaders.extract.lexicon import Lexicon, lexicon_from_gazetteer, make_doc  # noqa: E402
from loaders.extract.patterns import find_head_names  # noqa: E402
from loaders.ingest import extract_file, ingest  # noqa: E402
from loaders.read import iter_files, read  # noqa: E402

IMPORTS_SECONDS = time.perf_counter() - _IMPORTS_START

TARGET_KB_PER_S = 300.0
TARGET_PEAK_MB = 1024.0
KB = 1024
MB = 1024 * 1024
SHARED = Path(os.environ.get("TEJIDO_SHARED", ROOT / ".." / "shared"))
DEFAULT_CORPUS = SHARED / "corpus"
DEFAULT_BULK = SHARED / "bulk"
RESULTS = ROOT / "bench" / "results"


# --------------------------------------------------------------------------- measurement


def pin_to_one_core() -> int | None:
    """Run on a single CPU where the OS allows it; return that CPU's number."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


@dataclass
class Phase:
    """One measured phase: wall time, amount of text, peak RSS."""

    name: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    text_bytes: int = 0
    files: int = 0
    peak_rss_mb: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kb_per_s(self) -> float | None:
        """Throughput in KB of text per wall-clock second, when the phase processed text."""
        if not self.text_bytes or not self.seconds:
            return None
        return self.text_bytes / KB / self.seconds

    @property
    def kb_per_cpu_s(self) -> float | None:
        """Throughput in KB of text per second of this process's CPU time."""
        if not self.text_bytes or not self.cpu_seconds:
            return None
        return self.text_bytes / KB / self.cpu_seconds

    def to_json(self) -> dict[str, Any]:
        """The phase as a JSON object."""
        out: dict[str, Any] = {
            "seconds": round(self.seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
        }
        if self.text_bytes:
            out["text_kb"] = round(self.text_bytes / KB, 1)
            out["kb_per_s"] = round(self.kb_per_s or 0.0, 1)
            out["kb_per_cpu_s"] = round(self.kb_per_cpu_s or 0.0, 1)
        if self.files:
            out["files"] = self.files
        out.update(self.extra)
        return out


@contextmanager
def phase(name: str, sampler: MemorySampler, phases: dict[str, Phase]) -> Iterator[Phase]:
    """Time a block and record its peak RSS under ``name``."""
    record = Phase(name)
    sampler.reset_peak()
    start = time.perf_counter()
    cpu_start = time.process_time()
    try:
        yield record
    finally:
        record.seconds = time.perf_counter() - start
        record.cpu_seconds = time.process_time() - cpu_start
        record.peak_rss_mb = max(sampler.peak, sampler.sample()) / MB
        phases[name] = record
        speed = (
            f", {record.kb_per_s:.0f} KB/s wall, {record.kb_per_cpu_s:.0f} KB/s CPU"
            if record.kb_per_s and record.kb_per_cpu_s else ""
        )
        print(f"  {name}: {record.seconds:.2f} s (CPU {record.cpu_seconds:.2f} s){speed}, "
              f"peak RSS {record.peak_rss_mb:.0f} MB", flush=True)





def text_size(doc: Document) -> int:
    """Bytes of UTF-8 text of a read document (what the pipeline works on)."""
    return len(doc.text.encode("utf-8"))


def profile_top(func: Callable[[], object], limit: int = 15) -> tuple[str, list[dict[str, Any]]]:
    """Run ``func`` under cProfile; return the printed top ``limit`` by own time and rows."""
    profiler = cProfile.Profile()
    profiler.enable()
    func()
    profiler.disable()
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer).sort_stats(pstats.SortKey.TIME)
    stats.print_stats(limit)
    rows = []
    entries = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:limit]
    for (filename, line, name), (_cc, ncalls, tottime, cumtime, _callers) in entries:
        rows.append({
            "function": f"{_short_path(filename)}:{line}({name})",
            "ncalls": ncalls,
            "tottime_s": round(tottime, 4),
            "cumtime_s": round(cumtime, 4),
        })
    return buffer.getvalue(), rows


def _short_path(filename: str) -> str:
    path = Path(filename)
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        parts = path.parts
        return "/".join(parts[-2:]) if len(parts) >= 2 else filename


# --------------------------------------------------------------------------- the varied folder


@dataclass
class Variation:
    """What a copy of the corpus may swap: names found in it and the pools to draw from."""

    institution_names: list[str]
    place_names: list[str]
    institution_pool: list[str]
    place_pool: list[str]
    pattern: re.Pattern[str]


def plan_variation(docs: list[Document], lexicon: Lexicon, gazetteer: Any) -> Variation:
    """Collect the institution and place names the corpus contains (gazetteer matches and
    head-noun names) and the gazetteer names that may replace them."""
    institutions: set[str] = set()
    places: set[str] = set()
    for doc in docs:
        for cand in lexicon.match(make_doc(doc.text)):
            surface = doc.text[cand.start : cand.end]
            if len(surface) < 4 or surface.isupper():
                continue  # acronyms and short forms stay: they are defined in the text
            if cand.label == "Territory":
                places.add(surface)
            elif cand.label == "Institution":
                institutions.add(surface)
        for cand in find_head_names(doc.text):
            if cand.label == "Institution" and "\n" not in cand.name and len(cand.name) > 10:
                institutions.add(cand.name)
    institution_pool = sorted(
        {e.name for e in gazetteer.institutions if 10 <= len(e.name) <= 80 and "\n" not in e.name}
    )
    place_pool = sorted(
        {t.name for t in gazetteer.territories if 4 <= len(t.name) <= 40 and "\n" not in t.name}
    )
    names = sorted(institutions | places, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w])"
    )
    return Variation(sorted(institutions), sorted(places), institution_pool, place_pool, pattern)


_DIGITS = re.compile(r"\d+")


def vary(text: str, variation: Variation, rng: random.Random) -> str:
    """One varied copy of ``text``: names and places swapped consistently, numbers redrawn."""
    swaps: dict[str, str] = {}
    institution_names = set(variation.institution_names)
    for name in variation.institution_names:
        if rng.random() < 0.5:
            swaps[name] = rng.choice(variation.institution_pool)
        else:
            swaps[name] = f"{name} de {rng.choice(variation.place_pool)}"
    for name in variation.place_names:
        if name not in institution_names:
            swaps[name] = rng.choice(variation.place_pool)
    text = variation.pattern.sub(lambda m: swaps.get(m.group(), m.group()), text)

    def redraw(match: re.Match[str]) -> str:
        digits = match.group()
        first = str(rng.randint(1, 9)) if len(digits) > 1 else str(rng.randint(0, 9))
        return first + "".join(str(rng.randint(0, 9)) for _ in digits[1:])

    return _DIGITS.sub(redraw, text)


def build_folder(
    docs: list[Document], variation: Variation, folder: Path, size_bytes: int, seed: int
) -> tuple[int, int]:
    """Write varied copies of ``docs`` into ``folder`` until ``size_bytes``; return the number
    of files and their total size."""
    total = 0
    files = 0
    copy = 0
    while total < size_bytes:
        for doc in docs:
            rng = random.Random(f"{seed}:{copy}:{doc.sha256}")
            text = vary(doc.text, variation, rng)
            stem = Path(doc.path).stem
            path = folder / f"{copy:04d}" / f"{stem}_{copy:04d}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            data = text.encode("utf-8")
            path.write_bytes(data)
            total += len(data)
            files += 1
            if total >= size_bytes:
                break
        copy += 1
    return files, total


# --------------------------------------------------------------------------- the benchmark


def _machine(cpu: int | None, load_start: list[float] | None) -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": platform.processor() or platform.machine(),
        "pinned_cpu": cpu,
        "logical_cpus": os.cpu_count(),
        "load_average_start": load_start,
        "load_average_end": load_average(),
    }


def _write(results: dict[str, Any], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "ingest.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (out_dir / "ingest.md").write_text(render_markdown(results), encoding="utf-8")


def run_bulk_only(bulk: Path, limit: int | None, out_dir: Path) -> dict[str, Any]:
    """Measure the bulk corpus only; the other phases keep their last results (if any)."""
    cpu = pin_to_one_core()
    previous = out_dir / "ingest.json"
    results = json.loads(previous.read_text(encoding="utf-8")) if previous.is_file() else {}
    with MemorySampler() as sampler:
        lexicon = lexicon_from_gazetteer(build_gazetteer(shipped_files()))
        print(f"bulk: {bulk}")
        results["bulk"] = measure_bulk(bulk, lexicon, sampler, limit)
        results["bulk"]["machine"] = _machine(cpu, results["bulk"]["load_average_start"])
    results.setdefault("targets", {"kb_per_s": TARGET_KB_PER_S, "peak_rss_mb": TARGET_PEAK_MB})
    _write(results, out_dir)
    return results


def run(
    corpus: Path, size_mb: float, repeats: int, seed: int, out_dir: Path,
    bulk: Path | None = None, limit: int | None = None,
) -> dict[str, Any]:
    """Run every phase and return the results (also written to ``out_dir``)."""
    cpu = pin_to_one_core()
    load_start = load_average()
    phases: dict[str, Phase] = {}
    profiles: dict[str, list[dict[str, Any]]] = {}
    corpus_files = sorted(iter_files([corpus]))
    if not corpus_files:
        raise SystemExit(f"{corpus}: no documents to benchmark")
    print(f"corpus: {corpus} ({len(corpus_files)} files); pinned to CPU {cpu}")

    with MemorySampler() as sampler:
        start_rss = sampler.sample() / MB
        print("gazetteer")
        with phase("gazetteer_load", sampler, phases) as p:
            gazetteer = build_gazetteer(shipped_files())
            p.extra["entries"] = len(gazetteer.entries)
            p.extra["territories"] = len(gazetteer.territories)
        with phase("gazetteer_compile", sampler, phases) as p:
            lexicon = lexicon_from_gazetteer(gazetteer)
            p.extra["patterns"] = len(lexicon.entries)

        bulk_results = None
        if bulk is not None:
            print(f"bulk: {bulk}")
            bulk_results = measure_bulk(bulk, lexicon, sampler, limit)

        print("sample corpus")
        with phase("corpus_read", sampler, phases) as p:
            docs = [read(path) for path in corpus_files]
            p.files = len(docs)
            p.text_bytes = sum(text_size(d) for d in docs)
        corpus_bytes = phases["corpus_read"].text_bytes
        per_pass: list[float] = []
        per_pass_cpu: list[float] = []
        per_doc: dict[str, list[float]] = {Path(d.path).name: [] for d in docs}
        for index in range(max(2, repeats + 1)):
            name = "corpus_extract_cold" if index == 0 else f"corpus_extract_pass_{index}"
            with phase(name, sampler, phases) as p:
                for doc in docs:
                    t0 = time.perf_counter()
                    extract_file(doc, lexicon)
                    per_doc[Path(doc.path).name].append(time.perf_counter() - t0)
                p.files = len(docs)
                p.text_bytes = corpus_bytes
            per_pass.append(phases[name].seconds)
            per_pass_cpu.append(phases[name].cpu_seconds)
        warm_seconds = statistics.median(per_pass[1:])
        warm_cpu_seconds = statistics.median(per_pass_cpu[1:])
        corpus_docs = [
            {
                "file": Path(d.path).name,
                "text_kb": round(text_size(d) / KB, 1),
                "seconds_warm_median": round(statistics.median(per_doc[Path(d.path).name][1:]), 4),
                "kb_per_s_warm": round(
                    text_size(d) / KB / statistics.median(per_doc[Path(d.path).name][1:]), 1
                ),
            }
            for d in docs
        ]
        print("profile: extraction on the corpus")
        text, profiles["corpus_extraction"] = profile_top(
            lambda: [extract_file(doc, lexicon) for doc in docs]
        )
        print(text)

        with tempfile.TemporaryDirectory(prefix="tejido-bench-") as tmp:
            folder = Path(tmp) / "docs"
            folder.mkdir()
            print(f"building a {size_mb:g} MB folder of varied copies")
            with phase("folder_build", sampler, phases) as p:
                variation = plan_variation(docs, lexicon, gazetteer)
                files, written = build_folder(docs, variation, folder, int(size_mb * MB), seed)
                p.files = files
                p.extra["bytes_written"] = written
                p.extra["names_varied"] = len(variation.institution_names)
                p.extra["places_varied"] = len(variation.place_names)
            folder_files = sorted(iter_files([folder]))

            print("folder: extraction only")
            with phase("folder_extract", sampler, phases) as p:
                for path in folder_files:
                    doc = read(path)
                    p.text_bytes += text_size(doc)
                    extract_file(doc, lexicon)
                p.files = len(folder_files)
            folder_bytes = phases["folder_extract"].text_bytes

            print("folder: ingestion into a fresh SQLite store")
            db_path = Path(tmp) / "store" / "tejido.db"
            store = SQLiteStore(f"sqlite:///{db_path}")
            try:
                with phase("folder_ingest_sqlite", sampler, phases) as p:
                    summary = ingest([folder], store, lexicon=lexicon)
                    p.files = summary.documents
                    p.text_bytes = folder_bytes
                stats = store.stats()
                phases["folder_ingest_sqlite"].extra.update({
                    "failures": len(summary.failures),
                    "store_mb": round(
                        sum(f.stat().st_size for f in db_path.parent.iterdir()) / MB, 1
                    ),
                    "entities": sum(stats.entities.values()),
                    "relations": sum(stats.relations.values()),
                    "evidence": stats.evidence,
                    "passages": stats.passages,
                })
            finally:
                store.close()

            print("profile: ingesting 8 more varied copies of the corpus into the full store")
            extra = Path(tmp) / "more"
            extra.mkdir()
            build_folder(docs, variation, extra, 8 * corpus_bytes, seed + 1)
            full_store = SQLiteStore(f"sqlite:///{db_path}")
            try:
                text, profiles["ingest_into_full_store"] = profile_top(
                    lambda: ingest([extra], full_store, lexicon=lexicon)
                )
            finally:
                full_store.close()
            print(text)
            shutil.rmtree(folder, ignore_errors=True)
        overall_peak = sampler.overall_peak / MB

    corpus_kb_s = corpus_bytes / KB / warm_seconds
    corpus_kb_cpu_s = corpus_bytes / KB / warm_cpu_seconds
    folder = phases["folder_extract"]
    ingested = phases["folder_ingest_sqlite"]
    results: dict[str, Any] = {
        "machine": _machine(cpu, load_start),
        "corpus": {"path": str(corpus), "files": len(docs), "text_kb": round(corpus_bytes / KB, 1)},
        "targets": {"kb_per_s": TARGET_KB_PER_S, "peak_rss_mb": TARGET_PEAK_MB},
        "summary": {
            "imports_s": round(IMPORTS_SECONDS, 3),
            "gazetteer_compile_s": round(
                phases["gazetteer_load"].seconds + phases["gazetteer_compile"].seconds, 3
            ),
            "corpus_extract_cold_kb_per_s": round(phases["corpus_extract_cold"].kb_per_s or 0, 1),
            "corpus_extract_warm_kb_per_s": round(corpus_kb_s, 1),
            "corpus_extract_warm_kb_per_cpu_s": round(corpus_kb_cpu_s, 1),
            "folder_extract_kb_per_s": round(folder.kb_per_s or 0.0, 1),
            "folder_extract_kb_per_cpu_s": round(folder.kb_per_cpu_s or 0.0, 1),
            "folder_ingest_sqlite_kb_per_s": round(ingested.kb_per_s or 0.0, 1),
            "folder_ingest_sqlite_kb_per_cpu_s": round(ingested.kb_per_cpu_s or 0.0, 1),
            "folder_ingest_sqlite_s": round(ingested.seconds, 1),
            "peak_rss_mb": round(overall_peak, 1),
            "start_rss_mb": round(start_rss, 1),
            "meets_throughput_target": min(corpus_kb_cpu_s, folder.kb_per_cpu_s or 0.0)
            >= TARGET_KB_PER_S,
            "meets_memory_target": overall_peak < TARGET_PEAK_MB,
        },
        "phases": {name: p.to_json() for name, p in phases.items()},
        "corpus_documents": corpus_docs,
        "profiles_top15_by_own_time": profiles,
    }
    if bulk_results is not None:
        bulk_results["machine"] = results["machine"]
        results["bulk"] = bulk_results
    _write(results, out_dir)
    return results


def _verdict(ok: bool) -> str:
    return "meets target" if ok else "**below target**"


def render_markdown(results: dict[str, Any]) -> str:
    """A short report: the bulk corpus end to end, the summary table of the other phases, the
    corpus per document, the profile heads."""
    head = ["# Ingestion benchmark", ""]
    if "bulk" in results:
        t = results.get("targets", {})
        head += render_bulk(results["bulk"], t.get("kb_per_s", TARGET_KB_PER_S),
                            t.get("peak_rss_mb", TARGET_PEAK_MB))
        head += [""]
    if "summary" not in results:
        return "\n".join(head) + "\n"
    return "\n".join(head) + "\n" + _render_phases(results)


def _render_phases(results: dict[str, Any]) -> str:
    s = results["summary"]
    ph = results["phases"]
    t = results["targets"]
    folder = ph["folder_ingest_sqlite"]
    corpus_ok = _verdict(s["corpus_extract_warm_kb_per_cpu_s"] >= t["kb_per_s"])
    folder_ok = _verdict(s["folder_extract_kb_per_cpu_s"] >= t["kb_per_s"])
    folder_mb = ph["folder_extract"]["text_kb"] / 1024
    machine = results["machine"]
    lines = [
        "## Extraction and a varied folder (one core)",
        "",
        f"Written by `bench/ingest.py` on {machine['platform']}, Python {machine['python']}, "
        f"pinned to one CPU of {machine['logical_cpus']}; load average "
        f"{machine['load_average_start']} at the start, {machine['load_average_end']} at the "
        "end. KB = 1,024 bytes of document text. Throughput is given per second of the "
        "process's CPU time (the work of one core, what the target is about) and per "
        "wall-clock second (which also counts time the CPU was busy with other processes).",
        "",
        "| measure | CPU time | wall clock | target |",
        "|---|---:|---:|---|",
        f"| project imports (once per process) | | {s['imports_s']:.2f} s | |",
        f"| gazetteer load + compile (once per process) | | {s['gazetteer_compile_s']:.2f} s "
        f"({ph['gazetteer_load']['seconds']:.2f} + {ph['gazetteer_compile']['seconds']:.2f}) | |",
        f"| extraction, corpus, first pass (cold caches) | "
        f"{ph['corpus_extract_cold']['kb_per_cpu_s']:.0f} KB/s | "
        f"{s['corpus_extract_cold_kb_per_s']:.0f} KB/s | |",
        f"| extraction, corpus, warm (median of passes) | "
        f"{s['corpus_extract_warm_kb_per_cpu_s']:.0f} KB/s | "
        f"{s['corpus_extract_warm_kb_per_s']:.0f} KB/s | ≥ {t['kb_per_s']:.0f} KB/s: {corpus_ok} |",
        f"| extraction, {folder_mb:.1f} MB varied folder ({ph['folder_extract']['files']} files) "
        f"| {s['folder_extract_kb_per_cpu_s']:.0f} KB/s | {s['folder_extract_kb_per_s']:.0f} KB/s "
        f"| ≥ {t['kb_per_s']:.0f} KB/s: {folder_ok} |",
        f"| ingestion of that folder into SQLite (read, extract, resolve, write) | "
        f"{folder['cpu_seconds']:.1f} s = {s['folder_ingest_sqlite_kb_per_cpu_s']:.0f} KB/s | "
        f"{s['folder_ingest_sqlite_s']:.1f} s = {s['folder_ingest_sqlite_kb_per_s']:.0f} KB/s | |",
        f"| store after ingestion | | {folder['store_mb']} MB: {folder['entities']} entities, "
        f"{folder['relations']} relations, {folder['evidence']} evidence | |",
        f"| peak memory (RSS, sampled every 10 ms) | | {s['peak_rss_mb']:.0f} MB | "
        f"< {t['peak_rss_mb']:.0f} MB: {_verdict(s['meets_memory_target'])} |",
        "",
        "## Corpus, per document (warm median)",
        "",
        "| file | text KB | seconds | KB/s |",
        "|---|---:|---:|---:|",
    ]
    for doc in results["corpus_documents"]:
        lines.append(
            f"| {doc['file']} | {doc['text_kb']} | {doc['seconds_warm_median']:.3f} | "
            f"{doc['kb_per_s_warm']:.0f} |"
        )
    for title, key in (
        ("Where extraction time goes (corpus, top 15 by own time)", "corpus_extraction"),
        ("Where ingestion time goes (8 more copies of the corpus into the full store, top 15 by "
         "own time)", "ingest_into_full_store"),
    ):
        lines += ["", f"## {title}", "", "| function | calls | own s | cumulative s |",
                  "|---|---:|---:|---:|"]
        for row in results["profiles_top15_by_own_time"][key]:
            lines.append(
                f"| `{row['function']}` | {row['ncalls']} | {row['tottime_s']:.3f} | "
                f"{row['cumtime_s']:.3f} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Parse the options, run the benchmark, print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of documents")
    parser.add_argument("--size-mb", type=float, default=20.0, help="size of the varied folder")
    parser.add_argument("--repeats", type=int, default=5, help="warm passes over the corpus")
    parser.add_argument("--seed", type=int, default=7, help="seed of the name variations")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the results")
    parser.add_argument("--bulk", type=Path, default=DEFAULT_BULK,
                        help="folder of real documents ingested end to end")
    parser.add_argument("--limit", type=int, default=None,
                        help="ingest only the first N files of --bulk (a quick run)")
    parser.add_argument("--bulk-only", action="store_true",
                        help="measure --bulk only; the other phases keep their last results")
    args = parser.parse_args(argv)
    if not args.bulk.is_dir():
        parser.error(f"{args.bulk}: no such folder (set --bulk or TEJIDO_SHARED)")
    if args.bulk_only:
        results = run_bulk_only(args.bulk.resolve(), args.limit, args.out)
        print(json.dumps({k: v for k, v in results["bulk"].items() if k != "machine"}, indent=2))
        print(f"wrote {args.out / 'ingest.json'} and {args.out / 'ingest.md'}")
        return
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus}: no such folder (set --corpus or TEJIDO_SHARED)")
    results = run(args.corpus.resolve(), args.size_mb, args.repeats, args.seed, args.out,
                  args.bulk.resolve(), args.limit)
    print(json.dumps(results["summary"], indent=2))
    print(f"wrote {args.out / 'ingest.json'} and {args.out / 'ingest.md'}")


if __name__ == "__main__":
    main()
