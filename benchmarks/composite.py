"""Benchmark of the composite index's uncertainty analysis against a one-at-a-time loop.

    .venv/bin/python benchmarks/composite.py                 # 2,000 × 40 × 10,000 (the goal)
    .venv/bin/python benchmarks/composite.py --units 500 --runs 2000 --loop-runs 10

Data: ``--units`` rows × ``--indicators`` log-normal columns (seeded), 2 % of cells missing,
in 8 dimensions of equal size, every fourth indicator a cost. Pipeline: mean/median
imputation, JRC winsorisation with the log fallback, entropy weights, min-max; the Monte Carlo
varies imputation, normalisation, aggregation, weighting scheme and ±25 % weight noise.

Stages, each in a fresh subprocess so its peak resident memory (VmHWM) is its own:

* ``vectorised`` — ``composite_index(..., runs=R)``: the nominal index plus R replications;
* ``loop``       — the same replications one at a time, each redoing the whole pipeline
  (:func:`czt.methods.composite_uncertainty.loop_ranks`). It runs ``--loop-runs`` of them and
  the time is scaled to R linearly (each replication costs the same; said in the output);
* ``sobol``      — ``composite_index(..., sobol=N)`` for N·(D + 2) replications (``--sobol``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd


def vm_hwm_mib() -> float:
    status = Path("/proc/self/status").read_text()
    kib = int(next(ln.split()[1] for ln in status.splitlines() if ln.startswith("VmHWM")))
    return kib / 1024


def make_data(units: int, indicators: int, seed: int):
    from czt.methods.composite_framework import Dimension, Framework, Indicator

    rng = np.random.default_rng(seed)
    values = rng.lognormal(mean=1.0, sigma=0.8, size=(units, indicators))
    values[rng.random(values.shape) < 0.02] = np.nan
    columns = [f"i{j:02d}" for j in range(indicators)]
    frame = pd.DataFrame(values, columns=columns, index=pd.Index(
        [f"u{i:05d}" for i in range(units)], name="unit"))
    per = max(1, indicators // 8)
    dims = []
    for d, start in enumerate(range(0, indicators, per)):
        inds = tuple(Indicator(c, f"d{d}", "cost" if j % 4 == 3 else "benefit", field=c)
                     for j, c in enumerate(columns[start : start + per], start=start))
        dims.append(Dimension(f"d{d}", f"维度{d}", f"Dimension {d}", None, inds))
    return frame, Framework("基准", "Benchmark", tuple(dims))


OPTIONS = dict(impute_with="mean", outliers="winsorize", weights="entropy", weight_noise=0.25)


def stage(args: argparse.Namespace) -> dict:
    from czt.methods.composite import composite_index

    frame, framework = make_data(args.units, args.indicators, args.seed)
    t0 = time.perf_counter()
    if args.stage == "vectorised":
        r = composite_index(frame, framework=framework, runs=args.runs, seed=args.seed,
                            **OPTIONS)
        extra = {"rank_width_median": float((r.table.rank_p95 - r.table.rank_p05).median())}
        replications = args.runs
    elif args.stage == "sobol":
        r = composite_index(frame, framework=framework, sobol=args.sobol, seed=args.seed,
                            **OPTIONS)
        replications = r.settings["sobol_runs"]
        extra = {"ST": dict(zip(r.sensitivity.factor, r.sensitivity.ST.round(3), strict=True))}
    else:
        from czt.methods.composite_uncertainty import Space, loop_ranks, random_draws

        # the same prepared inputs as composite_index builds, then R one-at-a-time runs
        spec = _spec(frame, framework)
        space = Space.around("mean", "minmax", "entropy", 0.25)
        draws = random_draws(space, args.indicators, args.loop_runs,
                             np.random.default_rng(args.seed))
        t0 = time.perf_counter()
        loop_ranks(spec, space, draws)
        replications = args.loop_runs
        extra = {}
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "replications": replications, "peak_mib": vm_hwm_mib(), **extra}


def _spec(frame: pd.DataFrame, framework):
    from czt.methods.composite import Spec

    return Spec(framework, frame[framework.columns].to_numpy(), np.zeros(len(frame), dtype=int),
                "winsorize", 5, (0.0, 100.0), frame_index=frame.index)


def run_stage(name: str, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, "--stage", name, "--units", str(args.units),
           "--indicators", str(args.indicators), "--runs", str(args.runs),
           "--loop-runs", str(args.loop_runs), "--sobol", str(args.sobol),
           "--seed", str(args.seed)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--loop-runs", type=int, default=20)
    parser.add_argument("--sobol", type=int, default=1024)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--stage", choices=["vectorised", "loop", "sobol"], default=None)
    args = parser.parse_args()
    if args.stage:
        print(json.dumps(stage(args)))
        return
    print(f"composite uncertainty: {args.units} units × {args.indicators} indicators × "
          f"{args.runs} replications")
    vec = run_stage("vectorised", args)
    loop = run_stage("loop", args)
    per_run = loop["seconds"] / loop["replications"]
    loop_total = per_run * args.runs
    print(f"{'stage':<12}{'replications':>14}{'seconds':>12}{'per run ms':>12}{'peak MiB':>10}")
    print(f"{'vectorised':<12}{vec['replications']:>14}{vec['seconds']:>12.2f}"
          f"{1000 * vec['seconds'] / vec['replications']:>12.3f}{vec['peak_mib']:>10.0f}")
    print(f"{'loop':<12}{loop['replications']:>14}{loop['seconds']:>12.2f}"
          f"{1000 * per_run:>12.3f}{loop['peak_mib']:>10.0f}")
    print(f"loop scaled to {args.runs} replications (measured {loop['replications']}, "
          f"linear): {loop_total:.0f} s")
    print(f"speed-up: {loop_total / vec['seconds']:.0f}× (goal ≥ 20×); vectorised "
          f"{vec['seconds']:.1f} s (goal < 30 s); median 5–95 % rank width "
          f"{vec['rank_width_median']:.0f}")
    if args.sobol:
        sob = run_stage("sobol", args)
        print(f"sobol N={args.sobol}: {sob['replications']} replications in "
              f"{sob['seconds']:.2f} s, peak {sob['peak_mib']:.0f} MiB; ST {sob['ST']}")


if __name__ == "__main__":
    main()
