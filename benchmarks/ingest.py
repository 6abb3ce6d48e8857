"""Import benchmark: `czt` ingest (validating everything) vs pandas.read_csv + to_sql.

Generates N valid observations (default 1,000,000) as CSV, then in separate processes —
so each peak memory is its own — imports them (a) with ``czt.ingest.ingest_files`` into a
fresh SQLite store and (b) with ``pandas.read_csv`` + ``DataFrame.to_sql`` (no validation)
into a fresh SQLite database. Prints seconds, rows/s and peak RSS of both and their ratio.

    python benchmarks/ingest.py [--rows 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REGIONS = ["430100", "430200", "430300", "430102", "430103", "430104", "430105", "430111",
           "430112", "430121", "430181", "430182", "430202", "430203", "430204", "430211",
           "430212", "430223", "430224", "430225", "430281", "430302", "430304", "430321",
           "430381", "430382"]
# indicator, unit, low, high (inside the catalogue's plausible range)
INDICATORS = [("gdp", "亿元", 10, 15000), ("resident_population", "万人", 5, 1000),
              ("retail_sales", "亿元", 5, 6000), ("local_budget_revenue", "亿元", 1, 1500),
              ("value_added_primary", "亿元", 1, 800), ("value_added_secondary", "亿元", 5, 6000),
              ("value_added_tertiary", "亿元", 5, 9000), ("export", "亿元", 1, 3000),
              ("gdp_growth", "%", -5, 15), ("urbanization_rate", "%", 30, 99),
              ("land_area", "平方公里", 100, 12000), ("budget_expenditure", "亿元", 5, 2000)]
YEARS = list(range(1990, 2026))


def generate(path: Path, rows: int, seed: int = 20261121) -> None:
    """Valid rows: unique (region, indicator, year) within each of rows/1000 sources."""
    rng = np.random.default_rng(seed)
    cells = [(r, i, y) for r in REGIONS for i in range(len(INDICATORS)) for y in YEARS]
    per_source = 1000
    n_sources = -(-rows // per_source)
    picks = np.concatenate([rng.choice(len(cells), per_source, replace=False)
                            for _ in range(n_sources)])[:rows]
    region = np.array([c[0] for c in cells])[picks]
    ind = np.array([c[1] for c in cells])[picks]
    year = np.array([c[2] for c in cells])[picks]
    low = np.array([x[2] for x in INDICATORS])[ind]
    high = np.array([x[3] for x in INDICATORS])[ind]
    value = np.round(low + rng.random(rows) * (high - low), 2)
    source = np.arange(rows) // per_source
    pd.DataFrame({
        "region_code": region, "region_name": "",
        "indicator": np.array([x[0] for x in INDICATORS])[ind], "year": year, "value": value,
        "unit": np.array([x[1] for x in INDICATORS])[ind],
        "source_url": [f"https://stats.example.cn/bulletin/{s}" for s in source],
        "source_title": [f"统计公报 {s}" for s in source], "snippet": "",
    }).to_csv(path, index=False)


def run_ours(csv_path: str, home: str) -> dict:
    os.environ["CZT_HOME"] = home
    import czt

    czt.setup()
    from django.core.management import call_command

    from czt.ingest.load import ingest_files
    from czt.store.sync import sync_reference

    call_command("migrate", verbosity=0)
    sync_reference()
    start = time.perf_counter()
    report = ingest_files([csv_path])
    return {"seconds": time.perf_counter() - start, "rows": report.created}


def run_baseline(csv_path: str, home: str) -> dict:
    import sqlite3

    start = time.perf_counter()
    frame = pd.read_csv(csv_path)
    with sqlite3.connect(Path(home) / "baseline.sqlite3") as con:
        frame.to_sql("observation", con, index=False, if_exists="replace")
    return {"seconds": time.perf_counter() - start, "rows": len(frame)}


def child(phase: str, csv_path: str, home: str) -> None:
    result = (run_ours if phase == "czt" else run_baseline)(csv_path, home)
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def measure(phase: str, csv_path: Path, home: Path) -> dict:
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CZT_DATABASE_URL": f"sqlite:///{home / 'czt.sqlite3'}"}
    out = subprocess.run([sys.executable, __file__, "--child", phase, str(csv_path), str(home)],
                         check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, default=None, help="keep the files in this folder")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="czt-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / "observations.csv"
    t0 = time.perf_counter()
    generate(csv_path, args.rows)
    print(f"generated {args.rows:,} rows ({csv_path.stat().st_size / 2**20:.0f} MiB) "
          f"in {time.perf_counter() - t0:.1f} s")
    results = {"czt ingest (validated)": measure("czt", csv_path, work / "czt"),
               "pandas read_csv + to_sql": measure("baseline", csv_path, work / "baseline")}
    print(f"{'':28}{'seconds':>10}{'rows/s':>12}{'peak MiB':>10}")
    for name, r in results.items():
        print(f"{name:28}{r['seconds']:>10.2f}{r['rows'] / r['seconds']:>12,.0f}"
              f"{r['peak_mib']:>10.0f}")
    ours, base = results.values()
    print(f"speed vs baseline: {base['seconds'] / ours['seconds']:.2f}× "
          f"(goal ≥ 1.0×); peak memory {ours['peak_mib']:.0f} MiB (goal < 1024 MiB)")


if __name__ == "__main__":
    main()
