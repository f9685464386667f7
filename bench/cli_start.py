"""Start-up time of the command line: ``tejido --help`` and ``tejido --version``, whole
process, timed from outside.

Run from the project root::

    .venv/bin/python -m bench.cli_start             # 11 runs of each, after one warm-up

Each command is timed with ``farm-bench`` when it is installed (it runs the command the
given number of times and reports the median wall, user and system seconds of the whole
process, its start-up included); otherwise with this script's own clock around each run.
Results go to ``bench/results/cli_start.json`` and ``bench/results/cli_start.md``. The
target is a median wall time under 0.5 s; the machine's load average is written beside
the figures, since other work on the same cores slows every start.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
COMMANDS: tuple[tuple[str, ...], ...] = (("--help",), ("--version",))
TARGET_SECONDS = 0.5
_ROW = re.compile(r"^A (wall|user|sys|cpu) s\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", re.MULTILINE)


def tejido() -> str:
    """The ``tejido`` console script of this environment."""
    script = Path(sys.executable).with_name("tejido")
    if not script.exists():
        raise SystemExit(f"error: {script} not found; run make install first")
    return str(script)


def with_farm_bench(command: list[str], runs: int) -> dict[str, float]:
    """Median seconds (wall, user, sys, cpu) of ``command`` as farm-bench reports them."""
    done = subprocess.run(["farm-bench", "-n", str(runs), "--", *command],
                          capture_output=True, text=True, check=True, timeout=600)
    found = {kind: float(median) for kind, _low, median, _high in _ROW.findall(done.stdout)}
    if "wall" not in found:
        raise SystemExit(f"error: cannot read farm-bench's report:\n{done.stdout}")
    return found


def with_own_clock(command: list[str], runs: int) -> dict[str, float]:
    """Median wall seconds of ``command`` over ``runs`` runs (after one warm-up)."""
    subprocess.run(command, capture_output=True, check=True)
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        walls.append(time.perf_counter() - started)
    return {"wall": statistics.median(walls)}


def main(argv: list[str] | None = None) -> int:
    """Time the commands; exit status 1 if a median wall time is over the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    timer = with_farm_bench if shutil.which("farm-bench") else with_own_clock
    load_before = os.getloadavg()[0]
    results = {}
    for arguments in COMMANDS:
        name = "tejido " + " ".join(arguments)
        results[name] = {k: round(v, 3) for k, v in timer([tejido(), *arguments],
                                                          args.runs).items()}
    report = {
        "timer": "farm-bench" if timer is with_farm_bench else "own clock",
        "runs": args.runs,
        "target_wall_seconds": TARGET_SECONDS,
        "commands": results,
        "load_average_before": round(load_before, 2),
        "load_average_after": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "cli_start.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = ["# Command-line start-up", "",
             f"Median of {args.runs} runs each ({report['timer']}), whole process; "
             f"{report['cpus']} CPUs, one-minute load average {report['load_average_before']} "
             f"before and {report['load_average_after']} after.", "",
             "| command | wall s | cpu s |", "|---|---:|---:|"]
    lines += [f"| `{name}` | {v['wall']} | {v.get('cpu', '—')} |" for name, v in results.items()]
    lines += ["", f"Target: under {TARGET_SECONDS} s of wall time. Run at {report['finished']}.",
              ""]
    (args.out / "cli_start.md").write_text("\n".join(lines))
    for name, values in results.items():
        print(f"{name}: median wall {values['wall']} s, cpu {values.get('cpu', '—')} s")
    return 0 if all(v["wall"] < TARGET_SECONDS for v in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
