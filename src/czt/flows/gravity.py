"""The border effect (边界效应): how much the city boundaries still divide 长株潭.

Structural gravity estimated by Poisson pseudo-maximum likelihood (PPML; Santos Silva &
Tenreyro 2006, *Rev. Econ. Stat.* 88(4)) with exporter-time and importer-time fixed effects
(Yotov, Piermartini, Monteiro & Larch 2016, *An Advanced Guide to Trade Policy Analysis*,
WTO/UNCTAD, ch. 1)::

    F_ijt = exp( α_it + γ_jt + δ·ln d_ij + η·[i = j] + Σ_t β_t·[city(i) ≠ city(j)]·[t] ) · ε_ijt

* α_it, γ_jt (origin×period, destination×period) absorb everything about a county in a
  period — population, jobs, how much its residents travel at all (multilateral resistance).
* ln d_ij is log distance; internal (same-district) flows stay in the sample as the
  literature recommends, with Wei's internal distance and their own dummy η, because
  internal distance is measured worse than distance between seats.
* β_t is the cross-city effect in period t. **exp(−β_t)** says how many times more flow stays
  within a city than crosses a city boundary, other things equal; it falls towards 1 as the
  cities integrate. A second fit replaces the β_t by ``β₀ + β₁·years`` to give one trend
  with its interval, and a third pools all periods.

Standard errors are clustered by county pair (CRV1), since pair shocks persist over time.
Zero flows stay in (PPML's point); pairs × periods with no record are filled with zeros.
"""

from __future__ import annotations

import contextlib
import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from czt.flows.engines.base import FlowAggregate
from czt.flows.regions import pair_table
from czt.flows.schema import time_label


@dataclass
class Estimate:
    """One coefficient with its interval, and the ratio exp(−β) a reader can quote."""

    beta: float
    se: float
    ci_low: float
    ci_high: float

    @property
    def ratio(self) -> float:
        return float(np.exp(-self.beta))

    def covers(self, value: float) -> bool:
        return self.ci_low <= value <= self.ci_high

    def to_dict(self) -> dict[str, float]:
        return {
            "beta": self.beta,
            "se": self.se,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "ratio": self.ratio,
            "ratio_low": float(np.exp(-self.ci_high)),
            "ratio_high": float(np.exp(-self.ci_low)),
        }


@dataclass
class BorderEffect:
    """Border-effect estimates per period, pooled, and as a trend per year."""

    periods: pd.DataFrame
    pooled: Estimate
    trend: Estimate
    distance: Estimate
    same_district: Estimate | None
    n_obs: int
    n_pairs: int
    alpha: float = 0.05
    time_grain: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        periods = self.periods.assign(time=self.periods["time"].dt.strftime("%Y-%m-%d"))
        return {
            "method": "PPML (pyfixest fepois), origin×period + destination×period FE, CRV1 by pair",
            "periods": json.loads(periods.to_json(orient="records", force_ascii=False)),
            "pooled": self.pooled.to_dict(),
            "trend_per_year": self.trend.to_dict(),
            "distance_elasticity": self.distance.to_dict(),
            "same_district": self.same_district.to_dict() if self.same_district else None,
            "n_obs": self.n_obs,
            "n_pairs": self.n_pairs,
            "confidence": 1 - self.alpha,
            "time_grain": self.time_grain,
            "notes": self.notes,
        }


def model_frame(frame: pd.DataFrame, kinds: Sequence[str] | None = None) -> pd.DataFrame:
    """Pair × period flows on the full 23×23 grid, with the regressors of the model."""
    if kinds:
        frame = frame[frame["kind"].isin(list(kinds))]
    flows = frame.groupby(["time", "origin", "destination"], sort=True)["flows"].sum()
    times = np.sort(frame["time"].unique())
    pairs = pair_table()
    grid = pd.DataFrame({"time": times}).merge(pairs, how="cross")
    grid = grid.merge(flows.reset_index(), on=["time", "origin", "destination"], how="left")
    grid["flows"] = grid["flows"].fillna(0).astype(float)
    t_idx = {t: i for i, t in enumerate(times)}
    grid["t"] = grid["time"].map(t_idx).astype(int)
    grid["years"] = (grid["time"] - times[0]).dt.days / 365.25
    grid["log_dist"] = np.log(grid["distance_km"])
    grid["cross_trend"] = grid["cross_city"] * grid["years"]
    grid["pair"] = grid["origin"].astype("int64") * 1_000_000 + grid["destination"]
    grid["ot"] = grid["origin"].astype(str) + "_" + grid["t"].astype(str)
    grid["dt"] = grid["destination"].astype(str) + "_" + grid["t"].astype(str)
    return grid


def warm_up() -> None:
    """Import what the PPML fits need, to pay pyfixest's start-up ahead of them.

    The first fit in a process imports pyfixest's estimation stack (formulaic, scipy, its
    reporting modules with matplotlib): about 1.2 s that does not depend on the data.
    :func:`czt.flows.pipeline.flow_pipeline` calls this in a background thread while the
    engine aggregates (DuckDB and Spark release the GIL), so that cost overlaps the scan.
    Only code is loaded. A toy fit on top would save the real fits another 0.03 s at a cost
    of 0.3 s, which on two cores comes out of the scan's share, so there is none.
    """
    import pyfixest.estimation.api  # noqa: F401

    with contextlib.suppress(ImportError):
        import threadpoolctl  # noqa: F401


def _fit(formula: str, data: pd.DataFrame):
    import pyfixest as pf

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pf.fepois(formula, data=data, vcov={"CRV1": "pair"})


def one_blas_thread() -> contextlib.AbstractContextManager[object]:
    """Run BLAS on one thread while fitting.

    The fits' matrices are small (pairs × periods rows, a few dozen columns), so a second
    BLAS thread saves nothing; but OpenBLAS threads spin while they wait for each other, and
    when another process holds a core that turned the three fits' 0.8 s into 1.2–7 s on two
    cores. One thread gives the same numbers to the bit (tested). ``threadpoolctl`` comes with
    scikit-learn (via libpysal); without it the fits run as before.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _estimate(fit, name: str, alpha: float) -> Estimate:
    ci = fit.confint(alpha=alpha)
    return Estimate(
        float(fit.coef()[name]),
        float(fit.se()[name]),
        float(ci.loc[name].iloc[0]),
        float(ci.loc[name].iloc[1]),
    )


def border_effect(
    agg: FlowAggregate | pd.DataFrame,
    *,
    kinds: Sequence[str] | None = None,
    same_district: bool = True,
    alpha: float = 0.05,
    time_grain: str | None = None,
) -> BorderEffect:
    """Estimate the cross-city border effect per period, pooled and as a trend.

    ``agg`` is an aggregate whose ``time`` buckets are the model's periods (e.g. month or
    quarter); periods of day and kinds are summed (or filtered by ``kinds``).
    """
    frame = agg.frame if isinstance(agg, FlowAggregate) else agg
    if isinstance(agg, FlowAggregate):
        time_grain = time_grain or agg.spec.time
    data = model_frame(frame, kinds)
    controls = "log_dist" + (" + same_district" if same_district else "")
    n_t = data["t"].nunique()
    with one_blas_thread():
        by_period = _fit(f"flows ~ {controls} + i(t, cross_city) | ot + dt", data)
        pooled = _fit(f"flows ~ {controls} + cross_city | ot + dt", data)
        trend_fit = (
            _fit(f"flows ~ {controls} + cross_city + cross_trend | ot + dt", data)
            if n_t > 1
            else None
        )
    rows = []
    times = np.sort(data["time"].unique())
    for name in by_period.coef().index:
        if not name.startswith("t::"):
            continue
        k = int(name.split("::")[1].split(":")[0])
        est = _estimate(by_period, name, alpha)
        t = pd.Timestamp(times[k])
        rows.append(
            {"time": t, "label": time_label(t.date(), time_grain or "day"), **est.to_dict()}
        )
    notes = []
    if trend_fit is not None:
        trend = _estimate(trend_fit, "cross_trend", alpha)
    else:
        trend = Estimate(float("nan"), float("nan"), float("nan"), float("nan"))
        notes.append("one period only: no trend")
    return BorderEffect(
        periods=pd.DataFrame(rows),
        pooled=_estimate(pooled, "cross_city", alpha),
        trend=trend,
        distance=_estimate(pooled, "log_dist", alpha),
        same_district=_estimate(pooled, "same_district", alpha) if same_district else None,
        n_obs=int(getattr(pooled, "_N", len(data))),  # after pyfixest drops separated obs
        n_pairs=int(data["pair"].nunique()),
        alpha=alpha,
        time_grain=time_grain,
        notes=notes,
    )
