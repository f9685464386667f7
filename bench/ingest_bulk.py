"""The bulk phase of the ingestion benchmark: a real corpus ingested end to end into a fresh
SQLite store, as ``tejido ingest`` does it (read, extract, resolve, write; one transaction per
file), measured in KB of input file per CPU second.

CPU time is the process's and its children's (user + system, ``getrusage``); KB = 1,024 bytes
of the files as stored on disk. The files are split into four quarters in ingestion order, each
with its own throughput: a quarter much slower than the first means that something grows with
the store.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.machine import MemorySampler, load_average
from graph.stores.sqlite_store import SQLiteStore
from loaders.extract.lexicon import Lexicon
from loaders.ingest import ingest
from loaders.read import iter_files

KB = 1024
MB = 1024 * 1024
FAILURES_SHOWN = 10


def cpu_seconds() -> float:
    """CPU seconds (user + system) used so far by this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime





def _quarters(sizes: list[int], cpu: list[float]) -> list[dict[str, Any]]:
    """Throughput of each quarter of the files, in ingestion order."""
    out = []
    n = len(sizes)
    for q in range(4):
        lo, hi = q * n // 4, (q + 1) * n // 4
        if hi <= lo:
            continue
        kb = sum(sizes[lo:hi]) / KB
        seconds = sum(cpu[lo:hi])
        out.append({
            "files": hi - lo,
            "text_kb": round(kb, 1),
            "cpu_seconds": round(seconds, 2),
            "kb_per_cpu_s": round(kb / seconds, 1) if seconds else None,
        })
    return out


def measure_bulk(
    folder: Path, lexicon: Lexicon, sampler: MemorySampler, limit: int | None = None
) -> dict[str, Any]:
    """Ingest the files under ``folder`` (the first ``limit`` of them, sorted, when given)
    into a fresh SQLite store; return what it cost and what the store holds."""
    files = sorted(iter_files([folder]))
    if limit is not None:
        files = files[:limit]
    if not files:
        raise SystemExit(f"{folder}: no documents to ingest")
    sizes = {path: path.stat().st_size for path in files}
    per_file_cpu: list[float] = []
    per_file_size: list[int] = []
    load_start = load_average()
    with tempfile.TemporaryDirectory(prefix="tejido-bench-bulk-") as tmp:
        db_path = Path(tmp) / "tejido.db"
        store = SQLiteStore(f"sqlite:///{db_path}")
        try:
            last = [cpu_seconds()]

            def on_file(path: Path, status: str) -> None:
                now = cpu_seconds()
                per_file_cpu.append(now - last[0])
                per_file_size.append(sizes.get(path, 0))
                last[0] = now
                if len(per_file_cpu) % 250 == 0:
                    print(f"  {len(per_file_cpu)} of {len(files)} files", flush=True)

            sampler.reset_peak()
            wall_start = time.perf_counter()
            cpu_start = cpu_seconds()
            summary = ingest(files, store, lexicon=lexicon, on_file=on_file)
            cpu = cpu_seconds() - cpu_start
            wall = time.perf_counter() - wall_start
            peak = max(sampler.peak, sampler.sample()) / MB
            stats = store.stats()
        finally:
            store.close()
        store_mb = sum(f.stat().st_size for f in Path(tmp).iterdir()) / MB
    kb = sum(sizes.values()) / KB
    return {
        "path": str(folder),
        "limit": limit,
        "files": len(files),
        "text_kb": round(kb, 1),
        "cpu_seconds": round(cpu, 2),
        "wall_seconds": round(wall, 2),
        "kb_per_cpu_s": round(kb / cpu, 1),
        "kb_per_wall_s": round(kb / wall, 1),
        "peak_rss_mb": round(peak, 1),
        "max_rss_mb_process": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / KB, 1),
        "load_average_start": load_start,
        "load_average_end": load_average(),
        "documents": stats.documents,
        "failures": len(summary.failures),
        "failure_examples": [f"{f.path}: {f.reason}" for f in summary.failures[:FAILURES_SHOWN]],
        "entities": sum(stats.entities.values()),
        "entities_by_label": stats.entities,
        "relations": sum(stats.relations.values()),
        "relations_by_type": stats.relations,
        "evidence": stats.evidence,
        "passages": stats.passages,
        "mentions": stats.mentions,
        "store_mb": round(store_mb, 1),
        "quarters": _quarters(per_file_size, per_file_cpu),
    }


def render_bulk(bulk: dict[str, Any], target_kb: float, target_mb: float) -> list[str]:
    """The bulk section of the Markdown report."""
    def verdict(ok: bool) -> str:
        return "meets target" if ok else "**below target**"

    scope = f"the first {bulk['files']} files of" if bulk.get("limit") else "all of"
    lines = [
        "## Bulk corpus, end to end",
        "",
        f"Ingestion of {scope} `{Path(bulk['path']).name}` ({bulk['files']} files, "
        f"{bulk['text_kb'] / 1024:.1f} MB) into a fresh SQLite store, as `tejido ingest` does "
        "it (read, extract, resolve, write). CPU time of the process and its children; load "
        f"average {bulk['load_average_start']} at the start, {bulk['load_average_end']} at the "
        "end (2 cores shared with other work: wall time depends on it, CPU time much less).",
        "",
        "| measure | value | target |",
        "|---|---:|---|",
        f"| throughput, CPU time | {bulk['kb_per_cpu_s']:.0f} KB/s ({bulk['cpu_seconds']:.1f} s) | "
        f"≥ {target_kb:.0f} KB/s: {verdict(bulk['kb_per_cpu_s'] >= target_kb)} |",
        f"| throughput, wall clock | {bulk['kb_per_wall_s']:.0f} KB/s "
        f"({bulk['wall_seconds']:.1f} s) | |",
        f"| peak memory (RSS, sampled every 10 ms) | {bulk['peak_rss_mb']:.0f} MB | "
        f"< {target_mb:.0f} MB: {verdict(bulk['peak_rss_mb'] < target_mb)} |",
        f"| documents stored / failed | {bulk['documents']} / {bulk['failures']} | |",
        f"| entities | {bulk['entities']} | |",
        f"| relations | {bulk['relations']} | |",
        f"| evidence entries | {bulk['evidence']} | |",
        f"| store size | {bulk['store_mb']:.1f} MB | |",
        "",
        "Relations by type: " + ", ".join(
            f"{name} {count}" for name, count in bulk["relations_by_type"].items()
        ) + ". Entities by label: " + ", ".join(
            f"{name} {count}" for name, count in bulk["entities_by_label"].items()
        ) + ".",
        "",
        "| quarter of the files (ingestion order) | files | KB | CPU s | KB/s of CPU time |",
        "|---|---:|---:|---:|---:|",
    ]
    for i, q in enumerate(bulk["quarters"], 1):
        lines.append(
            f"| {i} | {q['files']} | {q['text_kb']:.0f} | {q['cpu_seconds']:.1f} | "
            f"{q['kb_per_cpu_s'] or 0:.0f} |"
        )
    if bulk["failure_examples"]:
        lines += ["", "Failures:", ""] + [f"- {f}" for f in bulk["failure_examples"]]
    return lines
