"""Shared bits for the benchmarks (not tests: they print figures and never assert timings)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def sandbox_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEAMWORK_", "PROJECTWORKS_", "PROJECTOPS_"))}
    env["PROJECTOPS_SANDBOX"] = "1"
    env["PROJECTOPS_LOG_LEVEL"] = "warning"
    return env


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return f"median {p50 * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms, min {ordered[0] * 1000:.0f} ms (n={len(ordered)})"
