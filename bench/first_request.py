"""The first duplication request to a freshly started server, with and without the index
built in the background at start (:mod:`app.services.index_warmup`).

Run from the project root::

    .venv/bin/python -m bench.first_request                      # the sample corpus
    .venv/bin/python -m bench.first_request --instruments 100000  # the synthetic inventory

On a store with no saved duplication index (as after ``tejido ingest``), it starts
``tejido serve`` (one worker) three times: with ``TEJIDO_WARM_INDEXES=0`` (before), then
with the background build, asking once the log says the index is ready, and once asking
at once (the requests meet the build in progress). Each time it measures the first
``/analysis/coordination`` (any analysis: it loads the store's graph when nothing did), the
first ``/analysis/duplication`` (JSON) and then the first ``/explore/duplication`` page. The index
folder is deleted before each start. Results go to ``bench/results/first_request.json``
and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench.duplication import build_inventory, shared_dir
from bench.machine import load_average
from tests.browser.server import free_port

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 1800.0
# in this order: the first of them also loads the store's graph when nothing did before
REQUESTS = {"coordination": "/analysis/coordination?top=50",
            "api": "/analysis/duplication?top=100", "page": "/explore/duplication"}


def _get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        response.read()
        assert response.status == 200, url
    return round(time.perf_counter() - started, 2)


def _wait(condition: Callable[[], bool], what: str) -> float:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > TIMEOUT:
            raise TimeoutError(what)
        time.sleep(0.05)
    return round(time.perf_counter() - started, 2)


def _up(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/health", timeout=5):
            return True
    except OSError:
        return False


def one_start(url: str, *, warm: bool, wait_ready: bool) -> dict:
    """Start a server on ``url`` (its index folder deleted) and time its first requests."""
    store_file = Path(url.removeprefix("sqlite:///"))
    shutil.rmtree(store_file.with_name(store_file.name + ".indexes"), ignore_errors=True)
    port = free_port()
    log = store_file.with_name("serve.log")
    env = {**os.environ, "TEJIDO_WARM_INDEXES": "1" if warm else "0", "TEJIDO_LANGUAGE": "en"}
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--store", url, "--port", str(port),
             "--workers", "1"], stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        out: dict = {"warm": warm, "waited_for_ready": wait_ready,
                     "start_s": _wait(lambda: _up(base), "start")}
        if wait_ready:
            out["ready_after_s"] = _wait(lambda: "ready" in log.read_text(), "ready")
        for name, path in REQUESTS.items():
            out[f"first_{name}_s"] = _get(base + path)
        out["log"] = [line for line in log.read_text().splitlines() if "index" in line]
        out["load_average"] = load_average()
        return out
    finally:
        process.terminate()
        process.wait(timeout=60)


def run(instruments: int, shared: Path) -> dict:
    """The three starts on the sample corpus (``instruments`` 0) or a synthetic inventory."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'tejido.db'}"
        if instruments:
            build_inventory(shared, instruments, 0, url)
            described = f"synthetic inventory of {instruments:,} instruments"
        else:
            subprocess.run([sys.executable, "-m", "app.cli", "ingest", str(shared / "corpus"),
                            "--store", url], check=True, capture_output=True, cwd=ROOT)
            described = "../shared/corpus, ingested as `make run` does"
        return {
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "store": described,
            "before": one_start(url, warm=False, wait_ready=False),
            "after_ready": one_start(url, warm=True, wait_ready=True),
            "after_at_once": one_start(url, warm=True, wait_ready=False),
        }


def markdown(report: dict) -> str:
    """The report as a table."""
    lines = [f"# First duplication request after a start ({report['generated_at']})", "",
             f"Store: {report['store']}; no saved index at each start.", "",
             "| start | ready after | first coordination | first duplication (API) | "
             "first duplication page | load average |",
             "|---|---|---|---|---|---|"]
    for key in ("before", "after_ready", "after_at_once"):
        r = report[key]
        ready = f"{r['ready_after_s']} s" if "ready_after_s" in r else "-"
        lines.append(f"| {key} | {ready} | {r['first_coordination_s']} s | "
                     f"{r['first_api_s']} s | {r['first_page_s']} s | {r['load_average']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run and write ``bench/results/first_request[-N].json`` and ``.md``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--instruments", type=int, default=0,
                        help="a synthetic inventory of this size (0: the sample corpus)")
    parser.add_argument("--shared", type=Path, default=shared_dir())
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    report = run(args.instruments, args.shared)
    name = "first_request" + (f"-{args.instruments}" if args.instruments else "")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / f"{name}.md").write_text(markdown(report))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
