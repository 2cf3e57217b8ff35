"""Runs every benchmark in turn and prints their figures (`make bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = [
    "bench.startup",
    "bench.size",
    "bench.tool_search",
    "bench.overhead",
    "bench.journal",
    "bench.load",
    "bench.replicas",
    "bench.soak",
    "bench.fuzz",
    "bench.unified",
    "bench.hostile",
]

if __name__ == "__main__":
    failed = 0
    for module in SCRIPTS:
        if not (ROOT / (module.replace(".", "/") + ".py")).exists():
            continue
        print(f"\n== {module}", flush=True)
        failed |= subprocess.call([sys.executable, "-m", module], cwd=ROOT)
    sys.exit(failed)
