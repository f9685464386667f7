"""What the benchmarks read of the machine while they run: the load average and the
process's resident memory, sampled in a background thread (no benchmark of its own)."""

from __future__ import annotations

import os
import threading
import time
from typing import Self

import psutil


def load_average() -> list[float] | None:
    """The OS load average (1, 5, 15 minutes): how busy the machine was around a run."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


class BackgroundSampler:
    """Runs :meth:`_run` in a daemon thread while used as a context manager; :meth:`_run`
    returns once :attr:`_stop` is set, and :meth:`_finish` runs after the thread ends."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        """What to do once the thread has stopped (nothing by default)."""

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._finish()


class MemorySampler(BackgroundSampler):
    """Samples this process's RSS in a background thread while used as a context manager;
    ``peak`` is the peak of the current phase (:meth:`reset_peak`), ``overall_peak`` of the
    whole run."""

    def __init__(self, interval: float = 0.01) -> None:
        super().__init__()
        self._process = psutil.Process()
        self._interval = interval
        self.peak = 0
        self.overall_peak = 0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            time.sleep(self._interval)

    def sample(self) -> int:
        """Read the current RSS (bytes) and update the peaks."""
        rss = self._process.memory_info().rss
        self.peak = max(self.peak, rss)
        self.overall_peak = max(self.overall_peak, rss)
        return rss

    def reset_peak(self) -> None:
        """Start a new phase: its peak is the current RSS."""
        self.peak = self.sample()

    def _finish(self) -> None:
        self.sample()


class MachineLoad(BackgroundSampler):
    """The share of the whole machine's CPU that was busy, sampled every second."""

    def __init__(self) -> None:
        super().__init__()
        self.samples: list[float] = []

    def _run(self) -> None:
        psutil.cpu_percent(None)
        while not self._stop.wait(1.0):
            self.samples.append(psutil.cpu_percent(None))
