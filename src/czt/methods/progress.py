"""Progress towards a target: the CAGR-ratio method of Open SDG / Statistics Canada.

R = actual compound annual growth rate since the base year
    / compound annual growth rate required to reach the target in the target year.
Status: target met → 已达成; R ≥ 0.95 → 正常推进; 0.60 ≤ R < 0.95 → 需加快;
0 ≤ R < 0.60 → 进展有限; R < 0 → 倒退. (Statistics Canada, "Canadian Indicator Framework:
progress assessment methodology"; open-sdg/sdg-build ``progress_measure``.)

Lower-is-better targets need no special case: both rates are negative and their ratio is
positive when the value falls as it should. When a rate cannot be compounded (a value ≤ 0,
as for "change since 2019" indicators whose base is 0) the same ratio is taken of linear
annual changes. An "about" target (≈, 左右) is met inside a band of ±``APPROX_TOLERANCE`` of
the target value; outside it the direction is towards the target.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

ON_TRACK, ACCELERATE, LIMITED = 0.95, 0.60, 0.0
APPROX_TOLERANCE = 0.05  # ±5 % of the target value counts as "about" the target

STATUS_LABELS = {
    "achieved": ("已达成", "Achieved"),
    "on_track": ("正常推进", "On track"),
    "accelerate": ("需加快", "Needs acceleration"),
    "limited": ("进展有限", "Limited progress"),
    "deterioration": ("倒退", "Deterioration"),
    "insufficient": ("数据不足", "Insufficient data"),
}


@dataclass(frozen=True)
class Progress:
    status: str
    ratio: float | None = None
    actual_rate: float | None = None
    required_rate: float | None = None
    projected: float | None = None
    distance_covered: float | None = None
    needed_rate: float | None = None  # average-growth targets: growth still needed per year
    method: str = ""  # cagr | linear | average_growth
    reason: str = ""

    def label(self, lang: str = "zh") -> str:
        zh, en = STATUS_LABELS[self.status]
        return en if lang == "en" else zh

    def to_dict(self) -> dict:
        return asdict(self)


def meets(value: float, operator: str, target: float, tolerance: float = APPROX_TOLERANCE) -> bool:
    if operator == ">=":
        return value >= target
    if operator == ">":
        return value > target
    if operator == "<=":
        return value <= target
    if operator == "<":
        return value < target
    if operator == "~":
        return abs(value - target) <= tolerance * abs(target)
    raise ValueError(f"unknown operator {operator!r}")


_EPS = 1e-9  # a ratio computed as 0.95 may come out as 0.9499999999; thresholds are inclusive


def status_of(ratio: float) -> str:
    if ratio >= ON_TRACK - _EPS:
        return "on_track"
    if ratio >= ACCELERATE - _EPS:
        return "accelerate"
    if ratio >= LIMITED:
        return "limited"
    return "deterioration"


def assess_level(*, operator: str, target: float, target_year: int, base_value: float | None,
                 base_year: int, value: float | None, year: int | None) -> Progress:
    """Progress of a level indicator (GDP, a rate, a concentration) towards its target."""
    if value is None or year is None:
        return Progress("insufficient", reason="no_data")
    if meets(value, operator, target):
        return Progress("achieved", distance_covered=_covered(base_value, value, target))
    if base_value is None:
        return Progress("insufficient", reason="no_base")
    if year <= base_year:
        return Progress("insufficient", reason="no_data_after_base")
    if meets(base_value, operator, target) or base_value == target:
        # the base already met the target and the latest value no longer does
        return Progress("deterioration", distance_covered=None, reason="fell_below_target")
    elapsed, horizon = year - base_year, target_year - base_year
    if base_value > 0 and value > 0 and target > 0:
        actual = (value / base_value) ** (1 / elapsed) - 1
        required = (target / base_value) ** (1 / horizon) - 1
        projected = value * (1 + actual) ** (target_year - year)
        method = "cagr"
    else:
        actual = (value - base_value) / elapsed
        required = (target - base_value) / horizon
        projected = value + actual * (target_year - year)
        method = "linear"
    ratio = actual / required
    return Progress(status_of(ratio), ratio=ratio, actual_rate=actual, required_rate=required,
                    projected=projected, distance_covered=_covered(base_value, value, target),
                    method=method)


def assess_average_growth(*, operator: str, target: float, target_year: int, base_year: int,
                          rates: dict[int, float], last_year: int | None = None) -> Progress:
    """Progress of an "average annual growth ≥ x %" target from published growth rates.

    The average is geometric: (Π (1 + g_t/100))^(1/n) − 1, over every year after the base
    year up to the latest published one; a gap in between makes the result 数据不足, because
    growth rates (comparable prices) must not be filled from nominal levels.
    """
    years = sorted(y for y in rates if base_year < y <= target_year)
    if not years:
        return Progress("insufficient", reason="no_data_after_base")
    last = last_year or years[-1]
    gaps = [y for y in range(base_year + 1, last + 1) if y not in rates]
    if gaps:
        return Progress("insufficient", reason="missing_years:" + ",".join(map(str, gaps)))
    n = len(years)
    avg = (math.prod(1 + rates[y] / 100 for y in years) ** (1 / n) - 1) * 100
    complete = years[-1] >= target_year
    if complete and meets(avg, operator, target):
        return Progress("achieved", actual_rate=avg, required_rate=target,
                        method="average_growth")
    # growth still needed in the remaining years to reach the target average
    remaining = target_year - years[-1]
    needed = None
    if remaining > 0:
        needed = ((1 + target / 100) ** (target_year - base_year)
                  / math.prod(1 + rates[y] / 100 for y in years)) ** (1 / remaining) - 1
    ratio = avg / target if target else None
    status = status_of(ratio) if ratio is not None else "insufficient"
    return Progress(status, ratio=ratio, actual_rate=avg, required_rate=target,
                    needed_rate=None if needed is None else needed * 100,
                    method="average_growth")


def _covered(base: float | None, value: float, target: float) -> float | None:
    if base is None or target == base:
        return None
    return (value - base) / (target - base)
