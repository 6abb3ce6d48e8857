"""Benchmark of the flows path against its physical limit and against pandas, in one run.

    .venv/bin/python benchmarks/flows.py --rows 1e8          # the issue's default
    .venv/bin/python benchmarks/flows.py --rows 1e7 --skip-spark
    .venv/bin/python benchmarks/flows.py --rows 1e9 --skip-pandas   # needs ~1 GB disk per 10⁸

Stages, each in a fresh subprocess so its peak memory is its own (VmHWM; for Spark the
driver's and the JVM's peaks are added):

* ``raw``      — DuckDB ``SELECT period, sum(count) … GROUP BY period`` (the physical limit:
  one scan of the same files);
* ``scan_all`` — the same scan decoding all six columns (what any full aggregate reads);
* ``pipeline`` — ``flow_pipeline``: the DuckDB engine's aggregate (pair × month × hour ×
  kind) then ``flow_metrics`` (shares, intensities, PPML border effect per month), with the
  aggregate bucket by bucket and the PPML start-up overlapping it;
* ``serial``   — the same pipeline without those two (one scan, metrics after it), which
  must give the same β and SE to the bit;
* ``pandas``   — the same aggregate in pandas, file by file then combined (a careful analyst's
  out-of-core pandas; loading 10⁸ rows at once would not fit the memory budget);
* ``spark``    — the Spark engine's aggregate, ``local[*]``; session start-up reported apart;
* ``spark_cluster`` — the same through ``spark://…`` on a standalone master and one worker
  started from the pyspark package (``czt.flows.spark_cluster``); start-up reported apart.

Synthetic data are generated once per row count under ``--data`` and reused.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = {"time": "month", "period": "hour"}


def parse_rows(text: str) -> int:
    t = text.replace("_", "").lower()
    scale = {"k": 10**3, "m": 10**6, "g": 10**9}.get(t[-1], 1)
    return int(float(t[:-1] if scale > 1 else t) * scale)


def vm_hwm_kib(pid: int | str = "self") -> int:
    """Peak resident memory (VmHWM) of one process. Unlike ``ru_maxrss``, it starts afresh at
    ``exec``, so a child does not inherit the orchestrator's peak."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(ln.split()[1] for ln in status.splitlines() if ln.startswith("VmHWM")))


def tree_peak_kib(pid: int) -> int:
    """Peak resident memory of ``pid``'s descendants (e.g. Spark's JVM), summed; Linux only."""
    total = 0
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            with contextlib.suppress(OSError, StopIteration):  # the child may have exited
                total += vm_hwm_kib(child)
            total += tree_peak_kib(child)
    return total


# --- stages (run in a subprocess) --------------------------------------------------------


def stage_raw(files: list[Path], args: argparse.Namespace) -> dict:
    from czt.flows.engines import DuckDBEngine

    listing = ", ".join(f"'{f}'" for f in files)
    eng = DuckDBEngine(memory_limit=args.memory_limit, threads=args.threads)
    t0 = time.perf_counter()
    table = eng.query(
        f"SELECT period, sum(count) AS n FROM read_parquet([{listing}]) GROUP BY period"
    )
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "flows": int(sum(table.column("n").to_pylist())),
        "groups": table.num_rows,
    }


def stage_scan_all(files: list[Path], args: argparse.Namespace) -> dict:
    """Reference: the raw scan, but decoding all six columns (what any full aggregate reads)."""
    from czt.flows.engines import DuckDBEngine

    listing = ", ".join(f"'{f}'" for f in files)
    eng = DuckDBEngine(memory_limit=args.memory_limit, threads=args.threads)
    t0 = time.perf_counter()
    table = eng.query(
        "SELECT period, sum(count) AS n, max(origin), max(destination), max(date), max(kind) "
        f"FROM read_parquet([{listing}]) GROUP BY period"
    )
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "flows": int(sum(table.column("n").to_pylist())),
        "groups": table.num_rows,
    }


def stage_pipeline(files: list[Path], args: argparse.Namespace) -> dict:
    """The DuckDB engine's aggregate, then ``flow_metrics``, as ``flow_pipeline`` runs them
    (bucket-by-bucket scan when the layout allows, PPML start-up overlapping the scan)."""
    from czt.flows.engines import AggregateSpec, DuckDBEngine
    from czt.flows.pipeline import flow_pipeline

    eng = DuckDBEngine(memory_limit=args.memory_limit, threads=args.threads)
    t0 = time.perf_counter()
    result = flow_pipeline(files, AggregateSpec(**SPEC), engine=eng)
    seconds = time.perf_counter() - t0
    return _pipeline_figures(result.aggregate, result.metrics, seconds, result.aggregate_seconds)


def stage_serial(files: list[Path], args: argparse.Namespace) -> dict:
    """The pipeline without its two speed-ups (one scan; metrics started after it), as a
    reference for what they bring in the same run."""
    from czt.flows.engines import AggregateSpec, DuckDBEngine
    from czt.flows.metrics import flow_metrics

    eng = DuckDBEngine(memory_limit=args.memory_limit, threads=args.threads)
    t0 = time.perf_counter()
    agg = eng.aggregate(files, AggregateSpec(**SPEC), by_time=False)
    t_agg = time.perf_counter() - t0
    metrics = flow_metrics(agg)
    return _pipeline_figures(agg, metrics, time.perf_counter() - t0, t_agg)


def _pipeline_figures(agg, metrics, seconds: float, t_agg: float) -> dict:
    border = metrics.border
    return {
        "seconds": seconds,
        "aggregate_seconds": t_agg,
        "metrics_seconds": seconds - t_agg,
        "flows": int(agg.frame["flows"].sum()),
        "groups": len(agg.frame),
        "border_first": border.periods["ratio"].iloc[0],
        "border_last": border.periods["ratio"].iloc[-1],
        "border": [border.periods["beta"].tolist(), border.periods["se"].tolist()],
    }


def stage_pandas(files: list[Path], args: argparse.Namespace) -> dict:
    import numpy as np
    import pandas as pd
    import pyarrow.parquet as pq

    keys = ["origin", "destination", "time", "period", "kind"]
    t0 = time.perf_counter()
    parts = []
    for f in files:
        df = pq.read_table(
            f, columns=["origin", "destination", "date", "period", "kind", "count"]
        ).to_pandas()
        df["time"] = df["date"].to_numpy().astype("datetime64[M]")
        df = df.drop(columns="date")
        parts.append(df.groupby(keys, observed=True, sort=False)["count"].agg(["sum", "size"]))
        del df
    combined = pd.concat(parts).groupby(level=list(range(5)), observed=True).sum()
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "flows": int(np.int64(combined["sum"].sum())),
        "groups": len(combined),
    }


def stage_spark(files: list[Path], args: argparse.Namespace) -> dict:
    from czt.flows.engines import AggregateSpec
    from czt.flows.engines.spark_engine import SparkEngine, build_session

    t0 = time.perf_counter()
    spark = build_session(
        args.master, driver_memory=args.spark_memory, conf={"spark.ui.enabled": "false"}
    )
    startup = time.perf_counter() - t0
    agg = SparkEngine(spark=spark).aggregate(files, AggregateSpec(**SPEC))
    seconds = time.perf_counter() - t0 - startup
    jvm = tree_peak_kib(os.getpid())
    spark.stop()
    return {
        "seconds": seconds,
        "startup_seconds": startup,
        "flows": int(agg.frame["flows"].sum()),
        "groups": len(agg.frame),
        "jvm_peak_kib": jvm,
    }


def stage_spark_cluster(files: list[Path], args: argparse.Namespace) -> dict:
    """The Spark engine through ``spark://…``: a standalone master and one worker with all
    cores, started from the pyspark package. Cluster and session start-up, up to the first
    executor registered, are reported apart; the peak adds the master's, the worker's and
    the executor's JVMs."""
    from czt.flows.engines import AggregateSpec
    from czt.flows.engines.spark_engine import SparkEngine, build_session
    from czt.flows.spark_cluster import start_standalone

    t0 = time.perf_counter()
    # One executor takes the whole worker: its memory is the worker's (args.spark_memory).
    mem = args.spark_memory
    logs = tempfile.TemporaryDirectory(prefix="czt-spark-")
    cluster = start_standalone(
        worker_cores=os.cpu_count() or 1, worker_memory=mem, work_dir=logs.name
    )
    try:
        spark = build_session(
            cluster.master_url,
            driver_memory="1g",
            conf={"spark.ui.enabled": "false", "spark.executor.memory": mem},
        )
        tracker = spark.sparkContext.statusTracker()
        deadline = time.monotonic() + 120
        while len(tracker.getExecutorInfos()) < 2:  # the driver counts as one
            if time.monotonic() > deadline:
                raise RuntimeError(f"no executor registered in 120 s\n{cluster.logs()}")
            time.sleep(0.1)
        startup = time.perf_counter() - t0
        agg = SparkEngine(spark=spark).aggregate(files, AggregateSpec(**SPEC))
        seconds = time.perf_counter() - t0 - startup
        peak = tree_peak_kib(os.getpid())
        spark.stop()
    finally:
        cluster.stop()
        logs.cleanup()
    return {
        "seconds": seconds,
        "startup_seconds": startup,
        "flows": int(agg.frame["flows"].sum()),
        "groups": len(agg.frame),
        "jvm_peak_kib": peak,
    }


STAGES = {
    "raw": stage_raw,
    "scan_all": stage_scan_all,
    "pipeline": stage_pipeline,
    "serial": stage_serial,
    "pandas": stage_pandas,
    "spark": stage_spark,
    "spark_cluster": stage_spark_cluster,
}


def run_stage(name: str, args: argparse.Namespace) -> dict:
    """Run one stage in a child interpreter and return its figures."""
    cmd = [
        sys.executable,
        __file__,
        "--stage",
        name,
        "--data",
        str(args.data),
        "--memory-limit",
        args.memory_limit,
        "--master",
        args.master,
        "--spark-memory",
        args.spark_memory,
    ]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    # pyfixest orders the fixed effects by iterating a set of their names, so the PPML fits'
    # last digits (about 1e-6 relative) depend on the string hash seed; one seed for every
    # stage keeps the β and SE comparison between stages exact.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if done.returncode:
        raise SystemExit(f"stage {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def ensure_data(args: argparse.Namespace) -> tuple[list[Path], dict]:
    from czt.flows.synth import SynthParams, synthesize

    params = SynthParams(rows=args.rows, seed=args.seed)
    marker = args.data / "params.json"
    if marker.exists() and json.loads(marker.read_text()) == params.to_dict():
        return sorted(args.data.glob("*.parquet")), {"reused": True}
    for old in args.data.glob("*.parquet"):
        old.unlink()
    result = synthesize(args.data, params, progress=True)
    marker.write_text(json.dumps(params.to_dict()))
    return result.files, {"reused": False, "seconds": result.seconds, "bytes": result.bytes}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=parse_rows, default=10**8)
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--memory-limit", default="2GB")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--master", default="local[*]")
    ap.add_argument("--spark-memory", default="4g")
    ap.add_argument("--skip-pandas", action="store_true")
    ap.add_argument("--skip-spark", action="store_true")
    ap.add_argument("--skip-cluster", action="store_true", help="no standalone-cluster stage")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    args = ap.parse_args()
    args.data = args.data or Path(os.environ.get("TMPDIR", "/tmp")) / f"czt-flows-{args.rows}"

    if args.stage:  # child process: run one stage, print one JSON line
        files = sorted(args.data.glob("*.parquet"))
        out = STAGES[args.stage](files, args)
        out["peak_mib"] = (vm_hwm_kib() + out.pop("jvm_peak_kib", 0)) / 1024
        print(json.dumps(out))
        return

    args.data.mkdir(parents=True, exist_ok=True)
    files, gen = ensure_data(args)
    size = sum(f.stat().st_size for f in files)
    print(
        f"{args.rows:,} rows in {len(files)} files, {size / 2**20:.0f} MiB; "
        f"{os.cpu_count()} cores; DuckDB memory limit {args.memory_limit}",
        flush=True,
    )
    names = (
        ["raw", "scan_all", "pipeline", "serial"]
        + ([] if args.skip_pandas else ["pandas"])
        + ([] if args.skip_spark else ["spark"])
        + ([] if args.skip_spark or args.skip_cluster else ["spark_cluster"])
    )
    figures = {}
    for name in names:
        print(f"  running {name} …", flush=True)
        figures[name] = run_stage(name, args)
    raw = figures["raw"]["seconds"]
    print(f"\n{'stage':<14}{'seconds':>10}{'rows/s':>14}{'peak MiB':>10}{'× raw':>8}")
    for name, f in figures.items():
        print(
            f"{name:<14}{f['seconds']:>10.2f}{args.rows / f['seconds']:>14,.0f}"
            f"{f['peak_mib']:>10.0f}{f['seconds'] / raw:>8.2f}"
        )
    pipe = figures["pipeline"]
    print(
        f"\npipeline = aggregate {pipe['aggregate_seconds']:.2f} s + metrics "
        f"{pipe['metrics_seconds']:.2f} s; border exp(−β) {pipe['border_first']:.2f} → "
        f"{pipe['border_last']:.2f} (generator 3.00 → 2.00)"
    )
    serial = figures["serial"]
    print(
        f"serial   = aggregate {serial['aggregate_seconds']:.2f} s + metrics "
        f"{serial['metrics_seconds']:.2f} s (single scan, metrics after it)"
    )
    assert pipe["border"] == serial["border"], "pipeline and serial disagree on β or SE"
    if "pandas" in figures:
        print(f"pipeline vs pandas: {figures['pandas']['seconds'] / pipe['seconds']:.1f}× faster")
    if "spark" in figures:
        print(f"spark session start-up {figures['spark']['startup_seconds']:.1f} s (not counted)")
    if "spark_cluster" in figures:
        print(
            f"spark cluster + session start-up {figures['spark_cluster']['startup_seconds']:.1f} s"
            " (not counted)"
        )
    totals = {n: f["flows"] for n, f in figures.items()}
    groups = {n: f["groups"] for n, f in figures.items() if n not in ("raw", "scan_all")}
    assert len(set(totals.values())) == 1, f"stages disagree on total flows: {totals}"
    assert len(set(groups.values())) == 1, f"stages disagree on groups: {groups}"
    print(f"all stages agree: total flows {next(iter(totals.values())):,}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "rows": args.rows,
                    "files": len(files),
                    "bytes": size,
                    "generate": gen,
                    "stages": figures,
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
