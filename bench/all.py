"""``make bench``: every benchmark in turn, then one table of the headline figures beside their targets.

Each benchmark runs as its own process (its output streams as it goes) and appends its headline
figures to a shared file (``--summary``); the table at the end is read from that file. A benchmark
that fails is reported and the others still run.

    python bench/all.py                  # the sizes the targets are set for (about 15 minutes on 2 cores)
    python bench/all.py --quick          # smaller sizes, a few minutes: a smoke run, not the figures
    python bench/all.py --only fanout    # one of: log, clock, fanout, report
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO_ROOT = BENCH.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.summary import load, table  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def commands(args: argparse.Namespace) -> dict[str, list[str]]:
    quick = args.quick
    return {
        "log": ["log_latency.py", *(["--requests", "200"] if quick else [])],
        "clock": ["clock_tick.py", "--sizes", "1000x20" if quick else "10000x200"],
        "fanout": ["fanout.py", "--size", "1000x20" if quick else "10000x200"],
        "report": [
            "report_queries.py",
            "--database-url",
            args.pg,
            *(["--reps", "100", "--days", "120", "--samples", "50"] if quick else []),
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes: checks the scripts run")
    parser.add_argument("--only", action="append", choices=["log", "clock", "fanout", "report"])
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG), help="PostgreSQL server"
    )
    args = parser.parse_args(argv)
    load_avg = os.getloadavg() if hasattr(os, "getloadavg") else None
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="salesbot-bench-") as folder:
        summary = str(Path(folder) / "figures.jsonl")
        for name, command in commands(args).items():
            if args.only and name not in args.only:
                continue
            print(f"\n=== {name}: python bench/{' '.join(command)}", flush=True)
            began = time.perf_counter()
            code = subprocess.call(
                [sys.executable, str(BENCH / command[0]), *command[1:], "--summary", summary]
            )
            print(f"=== {name}: {time.perf_counter() - began:.0f} s, exit status {code}", flush=True)
            if code != 0:
                failed.append(name)
        figures = load(summary)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"\nmachine: {cpus} cores, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
        + (f", load average at start {load_avg[0]:.2f}" if load_avg else "")
        + (" — quick sizes: not the figures the targets are for" if args.quick else "")
    )
    print(table(figures) if figures else "no figures")
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
