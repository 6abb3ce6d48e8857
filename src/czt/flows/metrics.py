"""Descriptive flow metrics on an aggregate: who stays, who crosses, how intensely.

* :func:`city_shares` — within-city vs cross-city share of flows (跨市流动占比) per time bucket
  (or any grouping of time, period and kind) and per city pair. A rising cross-city share is
  the plainest sign of integration, but it mixes integration with population and distance;
  :func:`czt.flows.gravity.border_effect` controls for both.
* :func:`pair_intensity` — flows per pair normalised by population: per 10 000 residents of
  the origin, and relative to what population alone predicts
  (``(F_ij/ΣF) / (P_i·P_j / ΣP·P)``, 1 = as expected).

All functions take a :class:`~czt.flows.engines.base.FlowAggregate` or its frame and return
result objects with ``to_dict()``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from czt.flows import schema
from czt.flows.engines.base import FlowAggregate
from czt.flows.regions import CITY_NAMES, load_counties, pair_table

GROUPS = ("time", "period", "kind")


def _frame(agg: FlowAggregate | pd.DataFrame) -> pd.DataFrame:
    return agg.frame if isinstance(agg, FlowAggregate) else agg


def _check_by(by: Sequence[str]) -> list[str]:
    bad = [b for b in by if b not in GROUPS]
    if bad:
        raise ValueError(f"group by {bad} not allowed; choose from {GROUPS}")
    return list(by)


def _records(frame: pd.DataFrame, limit: int | None = None) -> list[dict[str, object]]:
    out = frame if limit is None else frame.head(limit)
    if "time" in out:
        out = out.assign(time=pd.to_datetime(out["time"]).dt.strftime("%Y-%m-%d"))
    return json.loads(out.to_json(orient="records", force_ascii=False))


def with_pairs(frame: pd.DataFrame) -> pd.DataFrame:
    """Attach city membership, distance and populations of each pair."""
    return frame.merge(pair_table(), on=["origin", "destination"], how="left", validate="m:1")


@dataclass
class CityShares:
    """``overall``: per group, flows by scope and the cross-city share; ``pairs``: per city pair."""

    overall: pd.DataFrame
    pairs: pd.DataFrame
    by: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "by": list(self.by),
            "overall": _records(self.overall),
            "pairs": _records(self.pairs),
        }


def city_shares(agg: FlowAggregate | pd.DataFrame, by: Sequence[str] = ("time",)) -> CityShares:
    """Within-city vs cross-city flows per group of ``by``.

    ``cross_city_share`` = cross-city flows / all flows; ``cross_city_share_between_districts``
    leaves same-district flows out of the denominator, which makes sources with and without
    internal records comparable.
    """
    by = _check_by(by)
    f = with_pairs(_frame(agg))
    f = f.assign(
        same=f["flows"].where(f["same_district"] == 1, 0),
        cross=f["flows"].where(f["cross_city"] == 1, 0),
    )
    if not by:
        f = f.assign(_all=0)
    g = f.groupby(by or ["_all"], sort=True)[["flows", "same", "cross"]].sum()
    overall = pd.DataFrame(
        {
            "same_district": g["same"],
            "within_city": g["flows"] - g["cross"],
            "cross_city": g["cross"],
            "total": g["flows"],
        }
    )
    overall["cross_city_share"] = overall["cross_city"] / overall["total"]
    overall["cross_city_share_between_districts"] = overall["cross_city"] / (
        overall["total"] - overall["same_district"]
    )
    overall = overall.reset_index(drop=not by)
    pkeys = by + ["origin_city", "destination_city"]
    pairs = f.groupby(pkeys, sort=True)["flows"].sum().rename("flows").reset_index()
    group_total = pairs.groupby(by)["flows"].transform("sum") if by else pairs["flows"].sum()
    origin_total = pairs.groupby(by + ["origin_city"])["flows"].transform("sum")
    pairs["share_of_total"] = pairs["flows"] / group_total
    pairs["share_of_origin"] = pairs["flows"] / origin_total
    pairs["origin_city_name"] = pairs["origin_city"].map(CITY_NAMES)
    pairs["destination_city_name"] = pairs["destination_city"].map(CITY_NAMES)
    return CityShares(overall, pairs, tuple(by))


@dataclass
class PairIntensity:
    """Per group and ordered county pair: flows and population-normalised intensities."""

    frame: pd.DataFrame
    by: tuple[str, ...] = ()

    def top(self, n: int = 10, cross_city_only: bool = True) -> pd.DataFrame:
        """The ``n`` most intense pairs per group by ``relative`` intensity."""
        f = self.frame[self.frame["cross_city"] == 1] if cross_city_only else self.frame
        f = f.sort_values("relative", ascending=False)
        return (f.groupby(list(self.by), sort=True).head(n) if self.by else f.head(n)).reset_index(
            drop=True
        )

    def to_dict(self, limit: int | None = 10) -> dict[str, object]:
        return {
            "by": list(self.by),
            "top_cross_city": _records(self.top(limit or 10)),
            "pairs": len(self.frame),
        }


def pair_intensity(
    agg: FlowAggregate | pd.DataFrame, by: Sequence[str] = ("time",)
) -> PairIntensity:
    """Flows per pair normalised by population, with zero-flow pairs filled in.

    ``per_10k_origin`` = F_ij / P_i × 10 000. ``relative`` = (F_ij / ΣF) / (P_i P_j / Σ P P)
    within the group: above 1 means more flow than population alone predicts.
    """
    by = _check_by(by)
    f = _frame(agg).groupby(by + ["origin", "destination"], sort=True)["flows"].sum()
    f = f.reset_index()
    pairs = pair_table()
    if by:
        groups = f[by].drop_duplicates()
        grid = groups.merge(pairs[["origin", "destination"]], how="cross")
        f = grid.merge(f, on=by + ["origin", "destination"], how="left")
    else:
        f = pairs[["origin", "destination"]].merge(f, on=["origin", "destination"], how="left")
    f["flows"] = f["flows"].fillna(0).astype("int64")
    f = with_pairs(f)
    pp = f["origin_population"].astype(float) * f["destination_population"]
    total = f.groupby(by)["flows"].transform("sum") if by else f["flows"].sum()
    pp_total = pp.groupby([f[b] for b in by]).transform("sum") if by else pp.sum()
    f["per_10k_origin"] = f["flows"] / f["origin_population"] * 1e4
    f["relative"] = (f["flows"] / total) / (pp / pp_total)
    names = load_counties()["name_zh"]
    f["origin_name"] = f["origin"].map(names)
    f["destination_name"] = f["destination"].map(names)
    return PairIntensity(f, tuple(by))


@dataclass
class FlowMetrics:
    """Everything the flows page shows, from one aggregate."""

    shares: CityShares
    intensity: PairIntensity
    border: object | None = None  # czt.flows.gravity.BorderEffect
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "shares": self.shares.to_dict(),
            "intensity": self.intensity.to_dict(),
            "border": self.border.to_dict() if self.border is not None else None,  # type: ignore[attr-defined]
            "notes": self.notes,
            "day_parts": schema.DAY_PART_NAMES_ZH,
        }


def flow_metrics(
    agg: FlowAggregate | pd.DataFrame,
    *,
    by: Sequence[str] = ("time",),
    border: bool = True,
    kinds: Sequence[str] | None = None,
) -> FlowMetrics:
    """Shares, intensities and (optionally) the PPML border effect of one aggregate."""
    frame = _frame(agg)
    if kinds:
        frame = frame[frame["kind"].isin(list(kinds))]
    result = FlowMetrics(city_shares(frame, by), pair_intensity(frame, by))
    if border:
        from czt.flows.gravity import border_effect

        grain = agg.spec.time if isinstance(agg, FlowAggregate) else None
        result.border = border_effect(frame, time_grain=grain)
    return result
