"""Read and validate the reference files shipped in this folder.

The files are meant to be read and reviewed by people who are not programmers (CSV opened in
a spreadsheet), so every check reports the file, row and column it found wrong.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from czt.messages import Problem, ValidationFailed
from czt.units import conversion_factor

HERE = Path(__file__).resolve().parent

LEVELS = {"province", "total", "city", "county", "functional_zone", "zone"}
POLARITIES = {"higher", "lower", "neutral"}
AGGREGATIONS = {"sum", "ratio", "weighted_mean", "none"}
OPERATORS = {">=", ">", "<=", "<", "~"}
MEASURES = {"level", "average_growth"}


@dataclass
class Reference:
    """Everything the platform stands on, validated: rows as dicts keyed by column."""

    regions: list[dict]
    zones: list[dict]
    areas: list[dict]
    indicators: list[dict]
    aliases: list[dict]
    plans: list[dict]
    targets: list[dict]

    def indicator(self, code: str) -> dict:
        return next(i for i in self.indicators if i["code"] == code)


def _read(name: str) -> list[tuple[int, dict]]:
    with open(HERE / name, encoding="utf-8", newline="") as f:
        return [(n, row) for n, row in enumerate(csv.DictReader(f), start=2)]


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def need(self, file: str, row: int, rec: dict, *cols: str) -> None:
        for c in cols:
            if not (rec.get(c) or "").strip():
                self.problems.append(Problem(file, row, c, "missing_value"))

    def choice(self, file: str, row: int, rec: dict, col: str, allowed: set[str]) -> None:
        if rec.get(col) not in allowed:
            allowed_text = ", ".join(sorted(allowed))
            self.problems.append(Problem(file, row, col, "bad_choice",
                                         {"value": rec.get(col), "allowed": allowed_text}))

    def ref(self, file: str, row: int, rec: dict, col: str, known: set[str], what: str) -> None:
        v = rec.get(col) or ""
        if v and v not in known:
            self.problems.append(Problem(file, row, col, "bad_reference",
                                         {"value": v, "what": what}))

    def number(self, file: str, row: int, rec: dict, col: str, required: bool = False) -> None:
        v = (rec.get(col) or "").strip()
        if not v:
            if required:
                self.problems.append(Problem(file, row, col, "missing_value"))
            return
        try:
            float(v)
        except ValueError:
            self.problems.append(Problem(file, row, col, "not_numeric", {"value": v}))


@cache
def load_reference() -> Reference:
    """Load and validate all reference files; raise ValidationFailed listing every problem."""
    ck = _Checker()
    regions = _read("regions.csv")
    region_codes = {r["code"] for _, r in regions}
    for n, r in regions:
        ck.need("regions.csv", n, r, "code", "name_zh", "name_en", "level")
        ck.choice("regions.csv", n, r, "level", LEVELS)
        ck.ref("regions.csv", n, r, "parent", region_codes, "region")
        ck.ref("regions.csv", n, r, "replaced_by", region_codes, "region")
    zones = _read("zones.csv")
    for n, z in zones:
        ck.need("zones.csv", n, z, "code", "name_zh", "members")
        for m in z["members"].split():
            ck.ref("zones.csv", n, {"members": m}, "members", region_codes, "region")
    areas = _read("areas.csv")
    area_codes = {a["code"] for _, a in areas}
    indicators = _read("indicators.csv")
    ind_codes = {i["code"] for _, i in indicators}
    for n, i in indicators:
        f = "indicators.csv"
        ck.need(f, n, i, "code", "name_zh", "name_en", "unit", "polarity", "area", "aggregation")
        ck.choice(f, n, i, "polarity", POLARITIES)
        ck.choice(f, n, i, "aggregation", AGGREGATIONS)
        ck.ref(f, n, i, "area", area_codes, "action area")
        ck.ref(f, n, i, "numerator", ind_codes, "indicator")
        ck.ref(f, n, i, "denominator", ind_codes, "indicator")
        for col in ("scale", "min", "max"):
            ck.number(f, n, i, col)
        if i["aggregation"] == "ratio":
            ck.need(f, n, i, "numerator", "denominator", "scale")
        if i["aggregation"] == "weighted_mean":
            ck.need(f, n, i, "numerator")  # the weight indicator
    units = {i["code"]: i["unit"] for _, i in indicators}
    aliases = _read("indicator_aliases.csv")
    for n, a in aliases:
        ck.ref("indicator_aliases.csv", n, a, "code", ind_codes, "indicator")
        ck.choice("indicator_aliases.csv", n, a, "measure", MEASURES)
    plans = _read("plans.csv")
    plan_ids = {p["id"] for _, p in plans}
    for n, p in plans:
        ck.need("plans.csv", n, p, "id", "name_zh", "base_year", "target_year")
        ck.number("plans.csv", n, p, "base_year", True)
        ck.number("plans.csv", n, p, "target_year", True)
    targets = _read("targets.csv")
    zone_codes = {z["code"] for _, z in zones}
    for n, t in targets:
        f = "targets.csv"
        ck.need(f, n, t, "id", "plan", "region", "indicator", "operator", "value", "unit",
                "base_year", "target_year", "sentence")
        ck.ref(f, n, t, "plan", plan_ids, "plan")
        ck.ref(f, n, t, "region", region_codes | zone_codes, "region")
        ck.ref(f, n, t, "indicator", ind_codes, "indicator")
        ck.choice(f, n, t, "operator", OPERATORS)
        ck.choice(f, n, t, "measure", MEASURES)
        ck.number(f, n, t, "value", True)
        if t["indicator"] in units and conversion_factor(t["unit"], units[t["indicator"]]) is None:
            ck.problems.append(Problem(f, n, "unit", "bad_unit",
                                       {"value": t["unit"], "expected": units[t["indicator"]]}))
    if ck.problems:
        raise ValidationFailed(ck.problems)
    return Reference(
        regions=[r for _, r in regions], zones=[z for _, z in zones], areas=[a for _, a in areas],
        indicators=[i for _, i in indicators], aliases=[a for _, a in aliases],
        plans=[p for _, p in plans], targets=[t for _, t in targets],
    )
