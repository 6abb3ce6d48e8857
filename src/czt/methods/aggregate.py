"""Derive a group total (the three-city 长株潭 total, a zone) from its members' values.

Each indicator carries its own rule (PRODUCT.md, "Data semantics"): extensive quantities
sum; ratios are ratios of sums (urbanization = Σ urban population / Σ population, never the
mean of the members' percentages); shares that are defined per head are weighted by the
weight indicator; everything else is not aggregable and the caller is told so.
A total is derived only when every member has every part for that year.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Rule:
    indicator: str
    aggregation: str  # sum | ratio | weighted_mean | none
    numerator: str | None = None  # ratio: numerator; weighted_mean: the weight indicator
    denominator: str | None = None
    scale: float = 1.0

    def parts(self) -> list[str]:
        if self.aggregation == "sum":
            return [self.indicator]
        if self.aggregation == "ratio":
            return [self.numerator, self.denominator]
        if self.aggregation == "weighted_mean":
            return [self.indicator, self.numerator]
        return []


@dataclass(frozen=True)
class Derived:
    year: int
    value: float | None
    missing: tuple[tuple[str, str], ...]  # (member, part indicator) pairs that are absent


def derive_total(values: pd.DataFrame, rule: Rule, members: list[str]) -> list[Derived]:
    """Derive the total for every year in which any member reports any part.

    ``values`` has columns region, indicator, year, value: one value per cell (conflicts
    already resolved by the caller). Years where a part is missing come back with
    ``value=None`` and the missing (member, indicator) pairs, so the page can say who.
    """
    if rule.aggregation == "none":
        return []
    parts = rule.parts()
    v = values[values["region"].isin(members) & values["indicator"].isin(parts)]
    out: list[Derived] = []
    for year in sorted(v["year"].unique()):
        cell = v[v["year"] == year].set_index(["region", "indicator"])["value"]
        missing = tuple((m, p) for m in members for p in parts if (m, p) not in cell.index)
        if missing:
            out.append(Derived(int(year), None, missing))
            continue
        out.append(Derived(int(year), _combine(rule, cell, members), ()))
    return out


def _combine(rule: Rule, cell: pd.Series, members: list[str]) -> float:
    if rule.aggregation == "sum":
        return float(sum(cell[(m, rule.indicator)] for m in members))
    if rule.aggregation == "ratio":
        num = sum(cell[(m, rule.numerator)] for m in members)
        den = sum(cell[(m, rule.denominator)] for m in members)
        return float(num / den * rule.scale)
    # weighted mean: Σ w_i x_i / Σ w_i
    w = [cell[(m, rule.numerator)] for m in members]
    x = [cell[(m, rule.indicator)] for m in members]
    return float(sum(wi * xi for wi, xi in zip(w, x, strict=True)) / sum(w))
