"""Neo4j beside SQLite in one run: ingestion throughput, the analyses cold and warm, search and
the neighbourhood.

    .venv/bin/python -m bench.neo4j [--bulk 200] [--repeats 3]

The benchmark runs beside its own Neo4j 5 server, started the way ``make test`` starts it:
without ``NEO4J_URI`` it runs itself again under ``tests/neo4j/with-neo4j.sh`` (Maven's
class path in ``.cache/neo4j``, an embedded server on a free loopback port, stopped
afterwards). With ``--uri bolt://…`` it uses that server instead, and **empties its Tejido
nodes**: give it a scratch database.

What is measured, SQLite and Neo4j in turn, on the same input:

1. ingestion (``loaders.ingest.ingest``, as ``tejido ingest`` runs it) of ``../shared/corpus``
   plus ``--bulk`` files of ``../shared/bulk`` taken at even steps of its sorted file list (so
   both of its collections are in), into an empty store: wall time, KB of text per second,
   the time spent inside the store's calls (reads for resolution, writes), this process's
   CPU time and, for Neo4j, the CPU time of the server process; the throughput ratio SQLite
   / Neo4j;
2. each analysis of ``app.services.analyses.ANALYSES`` with default filters: **cold** (a
   freshly opened store: the projection of the whole store is built first, then the
   analysis runs) and **warm** (the median of ``--repeats`` further runs on the open store,
   whose projection is cached per revision);
3. the projection alone (cold), and the entity and passage searches (``Store.search_entities``
   and ``Store.search_passages``, each store's full-text indexes) for words of entity names;
4. the neighbourhood of the most connected entities at depths 1 and 2, cold and warm: from
   the whole projection, and from ``Store.neighbourhood_graph`` (on Neo4j, Cypher over the
   entity's surroundings only, the store having no projection cached; on SQLite the cached
   projection again).

The machine is shared: the load average and the CPU busy share of the whole machine during
the run are part of the results. Results go to ``bench/results/neo4j.json`` and
``bench/results/neo4j.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.machine import MachineLoad, load_average  # noqa: E402

SHARED = Path(os.environ.get("TEJIDO_SHARED", ROOT / ".." / "shared"))
LAUNCHER = ROOT / "tests" / "neo4j" / "with-neo4j.sh"
RESULTS = ROOT / "bench" / "results"
KB = 1024
SERVER_MARK = "TEJIDO_BENCH_OWN_NEO4J"   # set when the launcher started the server for us


# --------------------------------------------------------------------------- input


def bulk_sample(folder: Path, count: int) -> list[Path]:
    """``count`` files of ``folder`` at even steps of its sorted list of readable files."""
    from loaders.read import iter_files

    files = sorted(iter_files([folder]))
    files = [f for f in files if f.name.lower() != "readme.md"]
    if count <= 0 or not files:
        return []
    step = max(1, len(files) // count)
    return files[::step][:count]


def text_kb(paths: list[Path]) -> float:
    """KB of text of ``paths`` as the readers give it."""
    from loaders.read import read

    return sum(len(read(p).text.encode("utf-8")) for p in paths) / KB


# --------------------------------------------------------------------------- measuring


class TimedStore:
    """A store whose calls are timed (the time spent in them adds up in ``seconds``).

    Calls that return an iterator are drained inside the timing, so that the store's work
    is counted where the store does it.
    """

    def __init__(self, store: Any) -> None:
        self._store = store
        self.seconds = 0.0
        self.calls: Counter[str] = Counter()
        self.by_call: Counter[str] = Counter()   # seconds per method

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if not callable(attr):
            return attr

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                result = attr(*args, **kwargs)
                if isinstance(result, Iterator):
                    result = iter(list(result))
                return result
            finally:
                spent = time.perf_counter() - start
                self.seconds += spent
                self.by_call[name] += spent
                self.calls[name] += 1

        return timed


def server_process() -> Any:
    """The Neo4j server the launcher started for this run (its java process), or None.

    The launcher passes its own process id to the server, and this process is the
    launcher's child: the server is the TestServer whose arguments end with our parent's id.
    """
    import psutil

    parent = str(os.getppid())
    for proc in psutil.process_iter(["cmdline"]):
        cmdline = proc.info.get("cmdline") or []
        if "TestServer" in cmdline and cmdline[-1:] == [parent]:
            return proc
    return None


def cpu_of(proc: Any) -> float:
    """User plus system CPU seconds of ``proc`` (0 when it is unknown)."""
    if proc is None:
        return 0.0
    times = proc.cpu_times()
    return times.user + times.system


def timed(func: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def warm_median(func: Callable[[], Any], repeats: int) -> float:
    """The median wall time of ``repeats`` calls."""
    return statistics.median(timed(func)[0] for _ in range(max(1, repeats)))


# --------------------------------------------------------------------------- the stores


def open_sqlite(path: Path) -> Any:
    """A SQLite store in ``path`` (a new connection, no cached projection)."""
    from graph.stores.sqlite_store import SQLiteStore

    return SQLiteStore(f"sqlite:///{path}")


def open_neo4j() -> Any:
    """The Neo4j store of ``NEO4J_URI`` (a new driver, no cached projection)."""
    from graph.stores.neo4j_store import Neo4jStore

    return Neo4jStore.from_env()


def ingest_into(store: Any, files: list[Path], kb: float, server: Any) -> dict[str, Any]:
    """Ingest ``files`` into the empty ``store``; wall, store and CPU times."""
    from loaders.extract.lexicon import default_lexicon
    from loaders.ingest import ingest

    lexicon = default_lexicon()
    proxy = TimedStore(store)
    cpu, server_cpu = time.process_time(), cpu_of(server)
    seconds, summary = timed(lambda: ingest(files, proxy, lexicon=lexicon))  # type: ignore[arg-type]
    stats = store.stats()
    return {
        "seconds": round(seconds, 2),
        "kb_per_s": round(kb / seconds, 1),
        "store_seconds": round(proxy.seconds, 2),
        "store_seconds_by_call": {name: {"seconds": round(seconds, 2),
                                         "calls": proxy.calls[name]}
                                  for name, seconds in proxy.by_call.most_common(5)},
        "client_cpu_seconds": round(time.process_time() - cpu, 2),
        "server_cpu_seconds": round(cpu_of(server) - server_cpu, 2) if server else None,
        "documents": summary.documents,
        "failures": [f"{f.path}: {f.reason}" for f in summary.failures],
        "entities": sum(stats.entities.values()),
        "relations": sum(stats.relations.values()),
        "evidence": stats.evidence,
    }


def analysis_times(opener: Callable[[], Any], repeats: int) -> dict[str, dict[str, float]]:
    """Cold (fresh store: projection plus analysis) and warm times of every analysis."""
    from app.services.analyses import ANALYSES, AnalysisFilters

    filters = AnalysisFilters()
    out: dict[str, dict[str, float]] = {}
    for name, analysis in ANALYSES.items():
        store = opener()
        try:
            cold, _ = timed(lambda: analysis.items(store.view(), filters))  # noqa: B023
            warm = warm_median(lambda: analysis.items(store.view(), filters), repeats)  # noqa: B023
        finally:
            store.close()
        out[name] = {"cold_s": round(cold, 3), "warm_s": round(warm, 6)}
    return out


def search_terms(store: Any, count: int = 10) -> list[str]:
    """Words to search for: the longest word of the names of ``count`` entities."""
    names = sorted({e.name for e in store.entities("Institution") if e.name})
    step = max(1, len(names) // count)
    return [max(name.split(), key=len) for name in names[::step][:count]]


def hubs(store: Any, count: int = 5) -> list[str]:
    """The ``count`` most connected entities (ties by id)."""
    graph = store.view()
    ranked = sorted(graph.nodes, key=lambda n: (-graph.degree(n), n))
    return [n for n in ranked if graph.nodes[n].get("label") != "GovernanceLevel"][:count]


def lookups(opener: Callable[[], Any], terms: list[str], centres: list[str],
            repeats: int) -> dict[str, Any]:
    """The projection, the entity and passage searches and the neighbourhood on one store.

    A neighbourhood is taken two ways: from the whole projection (``view``), and from
    ``Store.neighbourhood_graph`` (SQLite: the same cached projection; Neo4j: Cypher over
    the entity's surroundings). Cold: a freshly opened store, the first centre; warm: the
    median over ``repeats`` runs of every centre, per centre.
    """
    from queries.exploration import neighbourhood

    def whole(store: Any, centre: str, depth: int) -> Any:
        return neighbourhood(store.view(), centre, depth=depth)

    def local(store: Any, centre: str, depth: int) -> Any:
        return neighbourhood(store.neighbourhood_graph(centre, depth), centre, depth=depth)

    out: dict[str, Any] = {}
    store = opener()
    try:
        out["projection_cold_s"] = round(timed(store.view)[0], 3)
        for name, search in (("entities", store.search_entities),
                             ("passages", store.search_passages)):
            out[f"search_{name}_per_query_s"] = round(warm_median(
                lambda s=search: [s(t, limit=25) for t in terms], repeats) / len(terms), 6)
    finally:
        store.close()
    for way, run in (("projection", whole), ("store", local)):
        for depth in (1, 2):
            store = opener()
            try:
                cold = timed(lambda: run(store, centres[0], depth))[0]  # noqa: B023
                warm = warm_median(lambda: [run(store, c, depth) for c in centres],  # noqa: B023
                                   repeats) / len(centres)
            finally:
                store.close()
            out[f"neighbourhood_d{depth}_{way}_cold_s"] = round(cold, 4)
            out[f"neighbourhood_d{depth}_{way}_warm_s"] = round(warm, 6)
    return out


# --------------------------------------------------------------------------- the run


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Every measurement; the results as JSON-ready data."""
    corpus = SHARED / "corpus"
    bulk = SHARED / "bulk"
    for folder in (corpus, bulk):
        if not folder.is_dir():
            raise SystemExit(f"{folder}: missing (the shared data is expected beside the repo)")
    from loaders.read import iter_files

    files = sorted(iter_files([corpus])) + bulk_sample(bulk, args.bulk)
    kb = text_kb(files)
    server = server_process()
    print(f"{len(files)} files, {kb:.0f} KB of text; Neo4j at {os.environ['NEO4J_URI']}"
          f" (server process {'found' if server else 'not found'})", flush=True)

    load_before = load_average()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, MachineLoad() as machine:
        db = Path(tmp) / "tejido.db"
        neo4j = open_neo4j()
        neo4j.clear()
        neo4j.close()
        ingestion = {}
        for name, opener in (("sqlite", lambda: open_sqlite(db)), ("neo4j", open_neo4j)):
            store = opener()
            try:
                ingestion[name] = ingest_into(store, files, kb, server if name == "neo4j" else None)
            finally:
                store.close()
            print(f"  ingestion into {name}: {ingestion[name]}", flush=True)
        results["ingestion"] = ingestion
        results["ingestion_throughput_ratio_sqlite_over_neo4j"] = round(
            ingestion["sqlite"]["kb_per_s"] / ingestion["neo4j"]["kb_per_s"], 2)

        probe = open_sqlite(db)
        try:
            terms, centres = search_terms(probe), hubs(probe)
        finally:
            probe.close()
        results["search_terms"], results["neighbourhood_centres"] = terms, centres
        for name, opener in (("sqlite", lambda: open_sqlite(db)), ("neo4j", open_neo4j)):
            results.setdefault("analyses", {})[name] = analysis_times(opener, args.repeats)
            results.setdefault("lookups", {})[name] = lookups(opener, terms, centres,
                                                             args.repeats)
            print(f"  analyses on {name}: {results['analyses'][name]}", flush=True)
            print(f"  lookups on {name}: {results['lookups'][name]}", flush=True)
    results["input"] = {"files": len(files), "corpus_files": len(files) - len(
        bulk_sample(bulk, args.bulk)), "bulk_files": args.bulk, "kb": round(kb, 1)}
    results["machine"] = {
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "platform": platform.platform(), "neo4j": neo4j_version(),
        "load_average_before": load_before, "load_average_after": load_average(),
        "cpu_busy_percent_mean": round(statistics.fmean(machine.samples), 1)
        if machine.samples else None,
        "neo4j_server": "own (tests/neo4j/with-neo4j.sh)" if os.environ.get(SERVER_MARK)
        else os.environ["NEO4J_URI"],
        "note": args.note,
    }
    return results


def neo4j_version() -> str:
    """The server's agent string (``Neo4j/5.26.…``)."""
    store = open_neo4j()
    try:
        return store.server_agent()
    finally:
        store.close()


def markdown(results: dict[str, Any]) -> str:
    """The results as the Markdown page quoted by the README."""
    m, ing = results["machine"], results["ingestion"]
    lines = [
        "# Neo4j beside SQLite", "",
        "`.venv/bin/python -m bench.neo4j` (part of `make bench`), both stores in one run on "
        f"the same input: {results['input']['files']} files "
        f"(`../shared/corpus` and {results['input']['bulk_files']} of `../shared/bulk`), "
        f"{results['input']['kb']:.0f} KB of text. {m['neo4j'] or 'Neo4j 5'} community, "
        f"{m['neo4j_server']}; {m['cpus']} CPUs, Python {m['python']}.", "",
        f"**Machine load** (shared with other work): load average {m['load_average_before']} "
        f"before, {m['load_average_after']} after; the whole machine's CPU was "
        f"{m['cpu_busy_percent_mean']}% busy on average during the run"
        + (f"; {m['note']}" if m.get("note") else "") + ".", "",
        "## Ingestion", "",
        "| store | wall s | KB/s | in store calls s | client CPU s | server CPU s | documents "
        "| entities | relations | evidence |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in ing.items():
        lines.append(
            f"| {name} | {r['seconds']} | {r['kb_per_s']} | {r['store_seconds']} | "
            f"{r['client_cpu_seconds']} | {r['server_cpu_seconds'] or '-'} | {r['documents']} "
            f"| {r['entities']} | {r['relations']} | {r['evidence']} |")
    lines += ["", "Where the time in store calls went (seconds, calls): " + "; ".join(
        f"{name}: " + ", ".join(f"`{call}` {v['seconds']} ({v['calls']})"
                                for call, v in r["store_seconds_by_call"].items())
        for name, r in ing.items()) + "."]
    lines += ["", f"Throughput ratio SQLite / Neo4j: "
              f"**{results['ingestion_throughput_ratio_sqlite_over_neo4j']}**.", "",
              "## Analyses (seconds)", "",
              "Cold: a freshly opened store, projection built, then the analysis; warm: "
              "the median of further runs (projection cached per revision).", "",
              "| analysis | SQLite cold | SQLite warm | Neo4j cold | Neo4j warm |",
              "|---|---|---|---|---|"]
    an = results["analyses"]
    for name in an["sqlite"]:
        s, n = an["sqlite"][name], an["neo4j"][name]
        lines.append(f"| {name} | {s['cold_s']} | {s['warm_s']} | {n['cold_s']} | "
                     f"{n['warm_s']} |")
    lines += ["", "## Projection, search and neighbourhood (seconds)", "",
              f"Search: `Store.search_entities` and `Store.search_passages` for "
              f"{len(results['search_terms'])} words of entity names, per query (warm). "
              "Neighbourhood: from the whole projection, or from `Store.neighbourhood_graph` "
              "(SQLite: the same cached projection; Neo4j: Cypher over the entity's "
              "surroundings only, no projection being cached; once one is, Neo4j answers from "
              "it); cold: a freshly opened store, the most connected entity; "
              f"warm: per entity, over the {len(results['neighbourhood_centres'])} most "
              "connected entities.", "",
              "| measure | SQLite | Neo4j |", "|---|---|---|"]
    lk = results["lookups"]
    for key in lk["neo4j"]:
        lines.append(f"| {key} | {lk['sqlite'].get(key, '-')} | {lk['neo4j'][key]} |")
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.neo4j", description=(
        "Neo4j beside SQLite: ingestion throughput, analyses cold and warm, search and "
        "neighbourhood; starts its own Neo4j with tests/neo4j/with-neo4j.sh"))
    parser.add_argument("--bulk", type=int, default=200, help="files of ../shared/bulk")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each warm timing")
    parser.add_argument("--uri", help="use this Neo4j (its Tejido nodes are deleted!) instead "
                        "of starting one")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder of the results")
    parser.add_argument("--note", default="", help="what else ran on the machine meanwhile")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run under the launcher's Neo4j (or --uri's), write the results."""
    args = parse_args(argv)
    if args.uri:
        os.environ["NEO4J_URI"] = args.uri
    elif not os.environ.get(SERVER_MARK):
        env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}
        env[SERVER_MARK] = "1"
        env.setdefault("TEJIDO_PYTHON", sys.executable)
        return subprocess.call(
            [str(LAUNCHER), sys.executable, "-m", "bench.neo4j", *(argv or sys.argv[1:])],
            cwd=ROOT, env=env)
    if not os.environ.get("NEO4J_URI"):
        print("no Neo4j: " + os.environ.get("TEJIDO_NEO4J_UNAVAILABLE", "NEO4J_URI is unset"),
              file=sys.stderr)
        return 1
    results = run(args)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "neo4j.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (args.out / "neo4j.md").write_text(markdown(results))
    print(markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
