"""The benchmarks start the way ``make bench`` starts them (``python -m bench.NAME``)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# what the benchmarks build their inputs with, or parts of a benchmark
SUPPORT_MODULES = {"synthetic", "hostile_inputs", "ingest_bulk", "machine"}
# trials of packages that are not dependencies (installed by hand), run outside make bench
TRIALS = {"semantic_trial"}
MAKE_BENCH = re.findall(r"python -m (bench\.\w+)", (ROOT / "Makefile").read_text())


def test_make_bench_runs_every_benchmark() -> None:
    scripts = sorted(
        f"bench.{p.stem}"
        for p in (ROOT / "bench").glob("*.py")
        if p.stem not in SUPPORT_MODULES | TRIALS
    )
    assert sorted(MAKE_BENCH) == scripts


@pytest.mark.parametrize("module", MAKE_BENCH)
def test_benchmark_starts_as_make_bench_starts_it(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout
