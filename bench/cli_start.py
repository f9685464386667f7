"""Start-up time of the command line: ``tejido --help`` and ``tejido --version``, whole
process, timed from outside.

Run from the project root::

    .venv/bin/python -m bench.cli_start             # 11 runs of each, after one warm-up

Each run starts the console script as a child process: its wall time is a monotonic clock
read just before the start and just after the child is reaped; its CPU time (user and
system) is the operating system's own accounting of the finished child (``os.wait4``), so
it counts the whole process, its start-up included. The medians go to
``bench/results/cli_start.json`` and ``bench/results/cli_start.md``. The target is a median
wall time under 0.5 s; the machine's load average is written beside the figures, since
other work on the same cores slows every start's wall time (not its CPU time).
"""

from __future__ import annotations

import argparse
import json
import os
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


def tejido() -> str:
    """The ``tejido`` console script of this environment."""
    script = Path(sys.executable).with_name("tejido")
    if not script.exists():
        raise SystemExit(f"error: {script} not found; run make install first")
    return str(script)


def run_once(command: list[str]) -> dict[str, float]:
    """Wall, user, system and CPU seconds of one whole run of ``command``."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"error: {' '.join(command)} exited with {child.returncode}")
    return {"wall": wall, "user": usage.ru_utime, "sys": usage.ru_stime,
            "cpu": usage.ru_utime + usage.ru_stime}


def timed(command: list[str], runs: int) -> dict[str, float]:
    """Median seconds (wall, user, sys, cpu) of ``command`` over ``runs`` runs, after one
    warm-up run."""
    run_once(command)
    samples = [run_once(command) for _ in range(runs)]
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def main(argv: list[str] | None = None) -> int:
    """Time the commands; exit status 1 if a median wall time is over the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    results = {}
    for arguments in COMMANDS:
        name = "tejido " + " ".join(arguments)
        results[name] = {k: round(v, 3) for k, v in timed([tejido(), *arguments],
                                                          args.runs).items()}
    report = {
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
             f"Median of {args.runs} runs each, whole process (CPU time: the system's "
             "accounting of the finished child); "
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
