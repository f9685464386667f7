"""Load test on loopback: many concurrent clients on the pages and the API, mixed.

Run from the project root::

    .venv/bin/python -m bench.load                          # 50 clients, 60 s
    .venv/bin/python -m bench.load --clients 10 --seconds 10 --store sqlite:///data/tejido.db

Without ``--store`` it ingests ``../shared/corpus`` and ``../shared/catalogs`` (or
``$TEJIDO_SHARED``) into a temporary store first. It starts ``tejido serve`` on 127.0.0.1
with its default number of workers (the cores; ``--workers`` to change), reads entity ids
and search words from the store, warms each request once, then runs ``--clients`` clients
on one event loop (uvloop), each with its own keep-alive connection, sending its next
request as soon as the previous one is answered, for ``--seconds``. The client is written
lean (requests by hand, answers parsed by httptools): a general HTTP client spends several
milliseconds of CPU per request, more than the server does, and on a shared machine that
time would be counted as the server's latency. Every request is one of four groups, in
turn: ``search`` (``/entities?q=``), ``entity`` (``/entities/{id}``), ``analysis``
(``/analysis/...`` with a few filter combinations) and ``pages`` (the search page with a
query, entity pages, the analysis pages and a view alone). Any status other than 200, and
any transport error (a dropped connection included), counts as an error.

Results (requests per second, latency percentiles, errors, per group and overall, the CPU
time per request of the server and of the client, the load average) go to
``bench/results/load.json`` and ``bench/results/load.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import httptools
import httpx

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
GROUPS = ("search", "entity", "analysis", "pages")
PAGE_REQUESTS = (
    "/explore/coordination",
    "/explore/overlap",
    "/explore/duplication",
    "/explore/duplication?level_pair=national,regional&top=20",
    "/explore/view/coordination",
)
ANALYSIS_REQUESTS = (
    "/analysis/coordination?top=50",
    "/analysis/coordination/matrix",
    "/analysis/gaps?top=50",
    "/analysis/brokers?top=20",
    "/analysis/overlap?top=50",
    "/analysis/overlap?top=20&level_pair=national,regional",
    "/analysis/duplication?top=50",
    "/analysis/duplication?top=20&level_pair=national,regional",
)
SAMPLE_ENTITIES = 300
REQUEST_TIMEOUT = 30.0
SEED = 20261121
T = TypeVar("T")


def shared_dir() -> Path:
    """``../shared`` beside the project, or ``TEJIDO_SHARED``."""
    return Path(os.environ.get("TEJIDO_SHARED") or ROOT / ".." / "shared").resolve()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tejido_command(*args: str) -> list[str]:
    """The ``tejido`` console script of this environment with ``args``."""
    script = Path(sys.executable).with_name("tejido")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "app.cli", *args]


def build_store(folder: Path) -> str:
    """Ingest the shared corpus and catalogues into a new store in ``folder``; its URL."""
    sources = [shared_dir() / "corpus", shared_dir() / "catalogs"]
    missing = [str(path) for path in sources if not path.is_dir()]
    if missing:
        raise SystemExit(f"error: shared data not found: {', '.join(missing)} "
                         "(set TEJIDO_SHARED or pass --store)")
    url = f"sqlite:///{(folder / 'tejido.db').resolve()}"
    subprocess.run(
        tejido_command("ingest", *map(str, sources), "--store", url), cwd=ROOT, check=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    return url


@contextmanager
def api_server(store_url: str, workers: int | None = None) -> Iterator[tuple[str, int]]:
    """``tejido serve`` on 127.0.0.1 in a subprocess (default workers unless ``workers``);
    yields the base URL and the server's process id."""
    port = free_port()
    env = {**os.environ, "TEJIDO_STORE": store_url}
    env.pop("TEJIDO_API_TOKEN", None)
    env.pop("TEJIDO_WORKERS", None)
    extra = ["--workers", str(workers)] if workers else []
    process = subprocess.Popen(
        tejido_command("serve", "--store", store_url, "--host", "127.0.0.1", "--port",
                       str(port), *extra),
        cwd=ROOT, env=env, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit("error: the API server exited at start-up")
            try:
                if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("error: the API server did not answer within 60 s")
            time.sleep(0.2)
        yield base, process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the server and its worker processes
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@dataclass
class Workload:
    """The requests of each group, chosen from what the store holds."""

    search: list[str]
    entity: list[str]
    analysis: list[str]
    pages: list[str]

    def of(self, group: str) -> list[str]:
        return getattr(self, group)


def plan_workload(base: str, rng: random.Random) -> Workload:
    """Entity pages and search words sampled from the served store, and the analyses."""
    entities: list[dict] = []
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as http:
        for label in ("Institution", "Instrument", "Program", "Territory"):
            page = http.get("/entities", params={"type": label, "limit": 500}).json()
            entities += page["items"]
    if not entities:
        raise SystemExit("error: the store holds no entities to ask for")
    sample = rng.sample(entities, min(SAMPLE_ENTITIES, len(entities)))
    words = sorted({word for e in sample for word in e["name"].split() if len(word) > 4})
    searches = [f"/entities?q={quote(w)}&limit=20" for w in rng.sample(words, min(200, len(words)))]
    details = [f"/entities/{quote(e['id'], safe=':@')}" for e in sample]
    pages = [*PAGE_REQUESTS,
             *(f"/?q={quote(w)}" for w in rng.sample(words, min(40, len(words)))),
             *(f"/explore/entity/{quote(e['id'], safe=':@')}" for e in sample[:60])]
    return Workload(search=searches, entity=details, analysis=list(ANALYSIS_REQUESTS),
                    pages=pages)


@dataclass
class GroupStats:
    """Latencies (seconds) and errors of one group."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_examples: list[str] = field(default_factory=list)

    def record_error(self, text: str) -> None:
        self.errors += 1
        if len(self.error_examples) < 5:
            self.error_examples.append(text)


class Connection:
    """One keep-alive HTTP/1.1 connection to the server, as lean as a load tool's: the
    request written by hand, the answer read by httptools (the parser uvicorn uses), so that
    the client's own CPU time does not crowd the server's on a shared machine."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        """GET ``path``; the status and body. A dropped connection raises ``OSError``."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                          "Accept-Encoding: identity\r\n\r\n".encode())
        body: list[bytes] = []
        done: list[bool] = []

        class Answer:
            def on_body(self, data: bytes) -> None:
                body.append(data)

            def on_message_complete(self) -> None:
                done.append(True)

        parser = httptools.HttpResponseParser(Answer())
        try:
            while not done:
                data = await self.reader.read(262144)
                if not data:
                    raise ConnectionResetError("the server closed the connection")
                parser.feed_data(data)
        except (OSError, httptools.HttpParserError):
            self.close()
            raise
        if not parser.should_keep_alive():
            self.close()
        return parser.get_status_code(), b"".join(body)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def client_loop(
    connection: Connection, workload: Workload, stats: dict[str, GroupStats],
    deadline: float, rng: random.Random, offset: int,
) -> None:
    """One client: the next request as soon as the last one is answered, until ``deadline``."""
    turn = offset
    while time.monotonic() < deadline:
        group = GROUPS[turn % len(GROUPS)]
        turn += 1
        url = rng.choice(workload.of(group))
        started = time.perf_counter()
        try:
            status, body = await asyncio.wait_for(connection.get(url), REQUEST_TIMEOUT)
        except (OSError, TimeoutError, httptools.HttpParserError) as exc:
            stats[group].record_error(f"{url}: {type(exc).__name__}: {exc}")
            continue
        elapsed = time.perf_counter() - started
        if status != 200:
            stats[group].record_error(f"{url}: {status} {body[:200]!r}")
            continue
        stats[group].latencies.append(elapsed)


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by the server and its worker processes."""
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for process in (root, *root.children(recursive=True)):
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


async def run_load(base: str, workload: Workload, clients: int, seconds: float,
                   cpu: Callable[[], float] = lambda: 0.0) -> dict:
    """Run the clients, one connection each; the statistics of each group, the measured wall
    time, and the CPU seconds the server and this client used meanwhile."""
    stats = {group: GroupStats() for group in GROUPS}
    address = urlsplit(base)
    host, port = address.hostname or "127.0.0.1", address.port or 80
    connections = [Connection(host, port) for _ in range(clients)]
    for group in GROUPS:  # warm every request once: caches filled
        for url in workload.of(group):
            status, _ = await connections[0].get(url)
            if status != 200:
                raise SystemExit(f"error: {url} answered {status} while warming up")
    cpu_before, client_before = cpu(), time.process_time()
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(
        client_loop(connection, workload, stats, deadline, random.Random(SEED + i), i)
        for i, connection in enumerate(connections)
    ))
    wall = time.monotonic() - started
    server_seconds, client_seconds = cpu() - cpu_before, time.process_time() - client_before
    for connection in connections:
        connection.close()
    return {"stats": stats, "wall": wall, "server_cpu": server_seconds,
            "client_cpu": client_seconds}


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` on uvloop when it is installed (as the server does), else asyncio."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile of ``values`` (nearest rank), 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summarise(latencies: list[float], errors: int, wall: float) -> dict:
    """Requests, errors, requests per second and latency percentiles in milliseconds."""
    return {
        "requests": len(latencies) + errors,
        "errors": errors,
        "rps": round((len(latencies) + errors) / wall, 1) if wall else 0.0,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "max_ms": round(max(latencies, default=0.0) * 1000, 1),
    }


def store_counts(base: str) -> dict:
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as http:
        stats = http.get("/stats").json()
    return {"documents": stats["documents"], "entities": sum(stats["entities"].values()),
            "relations": sum(stats["relations"].values())}


def write_results(result: dict, out: Path) -> None:
    """``load.json`` and ``load.md`` in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "load.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    rows = [
        f"| {name} | {s['requests']:,} | {s['errors']} | {s['rps']:,} | {s['p50_ms']} | "
        f"{s['p95_ms']} | {s['p99_ms']} | {s['max_ms']} |"
        for name, s in [*result["groups"].items(), ("all", result["overall"])]
    ]
    store = result["store"]
    lines = [
        "# API load test",
        "",
        f"{result['clients']} concurrent clients for {result['seconds']:g} s on 127.0.0.1, "
        "each sending its next request as soon as the previous one is answered; requests "
        "alternate between search, entity, analysis and pages. `tejido serve` with "
        f"{result['workers']} workers; "
        f"client and server share the machine ({result['machine']['cpus']} CPUs, "
        f"Python {result['machine']['python']}; one-minute load average "
        f"{result['machine']['load_average_before']} before the run, "
        f"{result['machine']['load_average_after']} after it).",
        "",
        f"The server used {result['server_cpu_ms_per_request']} ms of CPU per request "
        "(all its processes; a figure the other work on the machine does not inflate much), "
        f"the load client {result['client_cpu_ms_per_request']} ms.",
        "",
        f"Store: {store['documents']} documents, {store['entities']:,} entities, "
        f"{store['relations']:,} relations ({result['dataset']}).",
        "",
        "| group | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        "- search: `/entities?q=<word>&limit=20` with words of sampled entity names;",
        "- entity: `/entities/{id}` of sampled institutions, instruments, programmes, "
        "territories;",
        "- analysis: " + ", ".join(f"`{u}`" for u in ANALYSIS_REQUESTS) + " (answers are "
        "cached per store revision, and the store does not change during the run);",
        "- pages: " + ", ".join(f"`{u}`" for u in PAGE_REQUESTS) + ", `/?q=<word>` and "
        "`/explore/entity/{id}` of sampled entities.",
        "",
        f"Run at {result['finished']}.",
        "",
    ]
    if result["error_examples"]:
        lines += ["Errors (first ones):", "", *[f"- {e}" for e in result["error_examples"]], ""]
    (out / "load.md").write_text("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    """Run the load test; exit status 1 if any request failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--store", help="store URL to serve (default: the shared data)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--workers", type=int, default=None,
                        help="server processes (default: tejido serve's, the cores)")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0:
        parser.error("--clients and --seconds must be positive")

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="tejido-load-") as folder:
        store_url = args.store or build_store(Path(folder))
        dataset = "given store" if args.store else "shared corpus and catalogues"
        with api_server(store_url, args.workers) as (base, pid):
            workload = plan_workload(base, random.Random(SEED))
            measured = run(run_load(base, workload, args.clients, args.seconds,
                                            lambda: server_cpu(pid)))
            counts = store_counts(base)

    stats: dict[str, GroupStats] = measured["stats"]
    wall = measured["wall"]
    every = [latency for group in stats.values() for latency in group.latencies]
    errors = sum(group.errors for group in stats.values())
    result = {
        "clients": args.clients,
        "workers": args.workers or len(os.sched_getaffinity(0)),
        "seconds": args.seconds,
        "wall_seconds": round(wall, 2),
        "dataset": dataset,
        "store": counts,
        "groups": {name: summarise(g.latencies, g.errors, wall) for name, g in stats.items()},
        "overall": summarise(every, errors, wall),
        "server_cpu_ms_per_request": round(
            measured["server_cpu"] * 1000 / max(1, len(every) + errors), 2),
        "client_cpu_ms_per_request": round(
            measured["client_cpu"] * 1000 / max(1, len(every) + errors), 2),
        "error_examples": [e for g in stats.values() for e in g.error_examples][:10],
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(),
                    "load_average_before": round(load_before, 2),
                    "load_average_after": round(os.getloadavg()[0], 2)},
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    write_results(result, args.out)
    overall = result["overall"]
    print(f"{overall['requests']:,} requests, {overall['errors']} errors, "
          f"{overall['rps']:,} req/s, p95 {overall['p95_ms']} ms -> {args.out / 'load.md'}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
