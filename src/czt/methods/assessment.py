"""Assessment 考核: score each city, county, department and task force per period, with every
point traced to the observation, milestone or report that earned or lost it.

Why: the province assesses "三市努力不努力, 相关部门工作到位没到位, 高质量和一体化发展进展好不好".
Read as three questions about each unit in a period:

* 进展好不好 (are results good?) — the monitoring: the progress status of each plan target
  (rule ``target_status``) and whether each indicator moved in its good direction
  (``indicator_improvement``); in the default method for cities only;
* 努力不努力 / 工作到位没到位 (did the unit do its part?) — the task ledger: milestones due in the
  period completed on time (``milestones_on_time``), progress reports due in the period
  submitted on time (``reports_on_time``) and accepted without being returned
  (``reports_first_time``); for every kind of unit that carries tasks.

The dimensions, weights and points come from a method file (:mod:`czt.methods.assessment_method`,
default ``czt/reference/assessment.yaml``). A unit is scored only on items given for it.

Outcome of each item (a period is [period_start, period_end], both ends inclusive):

``target_status`` — the status given (achieved, on_track, needs_acceleration, limited,
    deterioration; ``accelerate``, the monitoring's code, is read as needs_acceleration);
    ``insufficient`` (数据不足) is not scored.
``indicator_improvement`` — Δ = latest − previous, negated when polarity is ``lower``:
    Δ > 0 improved, Δ = 0 unchanged (exact comparison), Δ < 0 worsened; a missing previous
    or latest value (``no_value``) or polarity ``neutral`` (``no_direction``) is not scored.
``milestones_on_time`` — only milestones with due in the period count: done_on ≤ due
    on_time; done_on > due late (also when done after the period, noted
    ``done_after_period``); no done_on missed. No due date (待明确): not scored
    (``no_due_date``); due outside the period: not scored (``outside_period``).
``reports_on_time`` — only reports with due in the period count: submitted_on ≤ due on_time;
    due < submitted_on ≤ period_end late; not submitted by period_end missing (a report
    submitted after the period is noted ``submitted_after_period``).
``reports_first_time`` — reports with due in the period and a first decision: accepted
    first_time, returned returned; without a decision: ``pending`` if submitted, else
    ``not_submitted``; neither is scored.
Items of a unit whose kind the dimension does not apply to are listed as ``not_applicable``.

Formulas, for unit u and dimension d of weight W_d with n_ud scorable items of points p_i
(points from the method file, in [0, 1]):

    possible_i = W_d / n_ud,   earned_i = possible_i × p_i,
    E_ud = Σ_i earned_i = W_d × mean_i p_i          (summed with math.fsum, in the trace).

d is *assessed* for u when it applies to u's kind and n_ud ≥ 1. With A_u the assessed and
P_u the applicable dimensions of u:

    renormalise:  T_u = 100 × Σ_{d∈A_u} E_ud / Σ_{d∈A_u} W_d
    zero:         T_u = 100 × Σ_{d∈A_u} E_ud / Σ_{d∈P_u} W_d

so an unassessed applicable dimension counts 0 of its weight under ``zero``; dimensions that
do not apply to a kind are never part of its scale (a department is scored out of its own
applicable weight). A unit with no assessed dimension has no total and no rank. Totals are
never rounded here. Ranks are within each kind (cities among cities …), 1 = highest total;
totals within ``TIE_TOLERANCE`` of the first of a group share its rank (pandas' ``min``
ranking), so equal totals that differ only by floating-point rounding tie.

Reference: the monitoring statuses follow :mod:`czt.methods.progress` (Statistics Canada's
CAGR-ratio method); weighted linear aggregation as in OECD & JRC (2008) *Handbook on
Constructing Composite Indicators* (``renormalise`` leaves a missing dimension out and rescales
the remaining weights instead of imputing it).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from czt.methods.assessment_method import (
    RULES,
    UNIT_KIND_LABELS,
    UNIT_KINDS,
    AssessmentInputError,
    AssessmentMethod,
    default_method_text,
    load_method,
    raise_all,
)
from czt.methods.errors import MethodInputError, Text, option_error
from czt.methods.inputs import parse_number
from czt.methods.results import MethodResult

__all__ = [
    "AssessmentInputError",
    "AssessmentMethod",
    "AssessmentResult",
    "COLUMNS",
    "NOTE_LABELS",
    "OUTCOME_LABELS",
    "UNIT_KIND_LABELS",
    "default_method_text",
    "load_method",
    "score",
]

TIE_TOLERANCE = 1e-9
COLUMNS: dict[str, tuple[str, ...]] = {
    "units": ("unit", "name", "kind"),
    "targets": ("unit", "target_id", "indicator", "status", "ref", "evidence"),
    "improvements": ("unit", "indicator", "previous", "latest", "polarity", "ref", "evidence"),
    "milestones": ("unit", "task_id", "milestone", "due", "done_on", "ref", "evidence"),
    "reports": (
        "unit", "task_id", "period", "due", "submitted_on", "first_decision", "ref", "evidence",
    ),
}
# the columns that identify an item within a unit (a repeat would be scored twice)
_KEYS = {
    "targets": ("target_id",),
    "improvements": ("indicator",),
    "milestones": ("task_id", "milestone"),
    "reports": ("task_id", "period"),
}
_KEY_NAMES = {
    "targets": ("目标", "target"),
    "improvements": ("指标", "indicator"),
    "milestones": ("任务和节点", "task and milestone"),
    "reports": ("任务和报送期", "task and reporting period"),
}
TARGET_STATUSES = (*RULES["target_status"], "insufficient")
STATUS_ALIASES = {"accelerate": "needs_acceleration"}
POLARITIES = ("higher", "lower", "neutral")
DECISIONS = ("accepted", "returned")

OUTCOME_LABELS: dict[str, tuple[str, str]] = {
    "achieved": ("已达成", "Achieved"),
    "on_track": ("正常推进", "On track"),
    "needs_acceleration": ("需加快", "Needs acceleration"),
    "limited": ("进展有限", "Limited progress"),
    "deterioration": ("倒退", "Deterioration"),
    "improved": ("改善", "Improved"),
    "unchanged": ("持平", "Unchanged"),
    "worsened": ("退步", "Worsened"),
    "on_time": ("按时", "On time"),
    "late": ("逾期", "Late"),
    "missed": ("未完成", "Not completed"),
    "missing": ("未报送", "Not submitted"),
    "first_time": ("一次通过", "Accepted first time"),
    "returned": ("被退回", "Returned"),
    # not scored: earned 0 of possible 0
    "insufficient": ("数据不足，不计分", "Insufficient data, not scored"),
    "no_value": ("缺少上期或本期数值，不计分", "Previous or latest value missing, not scored"),
    "no_direction": ("指标无优劣方向，不计分", "The indicator has no good direction, not scored"),
    "no_due_date": ("待明确：没有截止日期，不计分", "No due date yet (待明确), not scored"),
    "outside_period": ("截止日期不在考核期内，不计分", "Not due in the period, not scored"),
    "pending": ("尚未审核，不计分", "Not yet decided, not scored"),
    "not_submitted": ("未报送，无审核结论，不计分", "Not submitted, no decision, not scored"),
    "not_applicable": (
        "该维度不适用于此类单位",
        "The dimension does not apply to this kind of unit",
    ),
}
NOTE_LABELS: dict[str, tuple[str, str]] = {
    "done_after_period": ("考核期结束后完成", "completed after the period"),
    "submitted_after_period": ("考核期结束后报送", "submitted after the period"),
    "status_alias": (
        "监测状态 accelerate 按需加快计",
        "monitoring status accelerate read as needs acceleration",
    ),
}


@dataclass(frozen=True)
class AssessmentResult(MethodResult):
    """Scores of one period under one method version.

    ``totals``: unit, name, kind, total (0–100, NaN if nothing assessed), rank (within kind;
    <NA> if no total), earned (Σ E_ud), assessed_weight (Σ W_d of assessed dimensions),
    applicable_weight (Σ W_d of dimensions applying to the kind), out_of (the denominator:
    assessed_weight under renormalise, applicable_weight under zero); in the order of
    ``units``.
    ``dimensions``: unit, dimension, weight, applies, assessed, n_items, n_not_scored,
    mean_points, earned; one row per unit and dimension.
    ``trace``: unit, dimension, source, item, ref, evidence, due, completed_on, outcome, note,
    scored, item_points, n_items, possible, earned; one row per input item and dimension of
    its rule, the not-scored ones with possible = earned = 0 (outcome says why).
    """

    method_version: str
    method: AssessmentMethod
    period_start: date
    period_end: date
    missing_dimension: str
    totals: pd.DataFrame
    dimensions: pd.DataFrame
    trace: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.totals

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["period_start"] = self.period_start.isoformat()
        out["period_end"] = self.period_end.isoformat()
        return out

    def unit_trace(self, unit: object) -> pd.DataFrame:
        """The trace rows of one unit (what earned or lost each of its points)."""
        return self.trace[self.trace["unit"] == unit].reset_index(drop=True)


Frame = pd.DataFrame


def score(
    method: AssessmentMethod,
    units: Frame,
    period_start: date | str,
    period_end: date | str,
    *,
    targets: Frame,
    improvements: Frame,
    milestones: Frame,
    reports: Frame,
    method_version: str = "",
) -> AssessmentResult:
    """Score every unit of ``units`` for the period [period_start, period_end] (inclusive).

    Frames and their columns are listed in ``COLUMNS``; any may be empty but must have its
    columns. Bad input raises :class:`AssessmentInputError` naming the frame, its row
    (1-based position), the unit and the column, with every problem in ``error.errors``.
    """
    start = _period_date(period_start, "period_start")
    end = _period_date(period_end, "period_end")
    if start > end:
        raise AssessmentInputError("bad_period", start=start.isoformat(), end=end.isoformat())
    problems: list[AssessmentInputError] = []
    kinds = _units(units, problems)
    frames = {"targets": targets, "improvements": improvements, "milestones": milestones,
              "reports": reports}
    items = {name: _items(name, frame, kinds, problems) for name, frame in frames.items()}
    raise_all(problems)

    unit_order = {u: i for i, u in enumerate(kinds)}
    rows: list[dict[str, Any]] = []
    for d_index, dim in enumerate(method.dimensions):
        for rec in items[dim.source]:
            if kinds[rec["unit"]] not in dim.applies_to:
                outcome, note = "not_applicable", ""
            else:
                outcome, note = _CLASSIFY[dim.rule](rec, start, end)
            rows.append({
                "unit": rec["unit"], "dimension": dim.code, "source": dim.source,
                "item": rec["item"], "ref": rec["ref"], "evidence": rec["evidence"],
                "due": _iso(rec.get("due")), "completed_on": _iso(rec.get("completed_on")),
                "outcome": outcome, "note": note, "scored": outcome in dim.points,
                "_order": (unit_order[rec["unit"]], d_index, rec["row"]),
            })
    counts: dict[tuple[Any, str], int] = {}
    for row in rows:
        if row["scored"]:
            key = (row["unit"], row["dimension"])
            counts[key] = counts.get(key, 0) + 1
    for row in rows:
        dim = method.dimension(row["dimension"])
        n = counts.get((row["unit"], dim.code), 0)
        row["n_items"] = n
        if row["scored"]:
            row["item_points"] = dim.points[row["outcome"]]
            row["possible"] = dim.weight / n
            row["earned"] = row["possible"] * row["item_points"]
        else:
            row["item_points"], row["possible"], row["earned"] = math.nan, 0.0, 0.0
    rows.sort(key=lambda r: r["_order"])
    trace = pd.DataFrame(rows, columns=[*_TRACE_COLUMNS, "_order"]).drop(columns="_order")
    trace = trace.astype({"scored": bool, "n_items": "int64", "item_points": float,
                          "possible": float, "earned": float})

    names = dict(zip(units["unit"], units["name"], strict=True))
    dim_rows: list[dict[str, Any]] = []
    total_rows: list[dict[str, Any]] = []
    by_unit_dim: dict[tuple[Any, str], list[dict[str, Any]]] = {}
    for row in rows:
        by_unit_dim.setdefault((row["unit"], row["dimension"]), []).append(row)
    for unit, kind in kinds.items():
        earned_parts, assessed_w, applicable_w = [], [], []
        for dim in method.dimensions:
            applies = kind in dim.applies_to
            own = by_unit_dim.get((unit, dim.code), [])
            scored = [r for r in own if r["scored"]]
            earned = math.fsum(r["earned"] for r in scored)
            assessed = applies and bool(scored)
            dim_rows.append({
                "unit": unit, "dimension": dim.code, "weight": dim.weight, "applies": applies,
                "assessed": assessed, "n_items": len(scored),
                "n_not_scored": len(own) - len(scored),
                "mean_points": (math.fsum(r["item_points"] for r in scored) / len(scored)
                                if scored else math.nan),
                "earned": earned,
            })
            if applies:
                applicable_w.append(dim.weight)
            if assessed:
                assessed_w.append(dim.weight)
                earned_parts.append(earned)
        earned_sum = math.fsum(earned_parts)
        assessed_weight = math.fsum(assessed_w)
        applicable_weight = math.fsum(applicable_w)
        out_of = assessed_weight if method.missing_dimension == "renormalise" else applicable_weight
        total = 100.0 * earned_sum / out_of if assessed_weight > 0 else math.nan
        total_rows.append({
            "unit": unit, "name": names[unit], "kind": kind, "total": total, "rank": pd.NA,
            "earned": earned_sum, "assessed_weight": assessed_weight,
            "applicable_weight": applicable_weight, "out_of": out_of,
        })
    totals = pd.DataFrame(total_rows, columns=_TOTAL_COLUMNS)
    totals["total"] = totals["total"].astype(float)
    totals["rank"] = rank_within(totals["total"], totals["kind"])
    dimensions = pd.DataFrame(dim_rows, columns=_DIMENSION_COLUMNS).astype(
        {"weight": float, "applies": bool, "assessed": bool, "n_items": "int64",
         "n_not_scored": "int64", "mean_points": float, "earned": float}
    )
    return AssessmentResult(
        method_version=method_version, method=method, period_start=start, period_end=end,
        missing_dimension=method.missing_dimension, totals=totals, dimensions=dimensions,
        trace=trace,
    )


_TRACE_COLUMNS = ["unit", "dimension", "source", "item", "ref", "evidence", "due",
                  "completed_on", "outcome", "note", "scored", "item_points", "n_items",
                  "possible", "earned"]
_TOTAL_COLUMNS = ["unit", "name", "kind", "total", "rank", "earned", "assessed_weight",
                  "applicable_weight", "out_of"]
_DIMENSION_COLUMNS = ["unit", "dimension", "weight", "applies", "assessed", "n_items",
                      "n_not_scored", "mean_points", "earned"]


def rank_within(totals: pd.Series, groups: pd.Series, tolerance: float = TIE_TOLERANCE
                ) -> pd.Series:
    """Rank 1 = highest total within each group; ties (|Δ| ≤ tolerance from the first of a
    run of equal totals) share the best rank ("min"); NaN totals get no rank (<NA>)."""
    ranks = pd.Series(pd.NA, index=totals.index, dtype="Int64")
    for _, members in totals.groupby(groups, sort=False):
        ordered = members.dropna().sort_values(ascending=False, kind="stable")
        best, anchor = 0, math.nan
        for position, (index, value) in enumerate(ordered.items(), start=1):
            if not (abs(anchor - value) <= tolerance):
                best, anchor = position, value
            ranks[index] = best
    return ranks


# --------------------------------------------------------------------------- outcomes


def _target(rec: dict, start: date, end: date) -> tuple[str, str]:
    return rec["status"], rec["note"]


def _improvement(rec: dict, start: date, end: date) -> tuple[str, str]:
    previous, latest = rec["previous"], rec["latest"]
    if previous is None or latest is None:
        return "no_value", ""
    if rec["polarity"] == "neutral":
        return "no_direction", ""
    change = latest - previous if rec["polarity"] == "higher" else previous - latest
    return ("improved" if change > 0 else "worsened" if change < 0 else "unchanged"), ""


def _in_period(due: date | None, start: date, end: date) -> str | None:
    """None when due in the period, else the not-scored outcome."""
    if due is None:
        return "no_due_date"
    return None if start <= due <= end else "outside_period"


def _milestone(rec: dict, start: date, end: date) -> tuple[str, str]:
    due, done = rec["due"], rec["completed_on"]
    skip = _in_period(due, start, end)
    if skip:
        return skip, ""
    if done is None:
        return "missed", ""
    note = "done_after_period" if done > end else ""
    return ("on_time" if done <= due else "late"), note


def _report_on_time(rec: dict, start: date, end: date) -> tuple[str, str]:
    due, submitted = rec["due"], rec["completed_on"]
    skip = _in_period(due, start, end)
    if skip:
        return skip, ""
    if submitted is None:
        return "missing", ""
    if submitted > end:
        return "missing", "submitted_after_period"
    return ("on_time" if submitted <= due else "late"), ""


def _report_first_time(rec: dict, start: date, end: date) -> tuple[str, str]:
    skip = _in_period(rec["due"], start, end)
    if skip:
        return skip, ""
    decision = rec["decision"]
    if decision is None:
        return ("pending" if rec["completed_on"] is not None else "not_submitted"), ""
    return ("first_time" if decision == "accepted" else "returned"), ""


_CLASSIFY: dict[str, Callable[[dict, date, date], tuple[str, str]]] = {
    "target_status": _target,
    "indicator_improvement": _improvement,
    "milestones_on_time": _milestone,
    "reports_on_time": _report_on_time,
    "reports_first_time": _report_first_time,
}


# --------------------------------------------------------------------------- inputs


def _require(frame: Frame, name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise option_error(name, "应为 pandas DataFrame", "must be a pandas DataFrame")
    for column in COLUMNS[name]:
        if column not in frame.columns:
            raise MethodInputError(
                "missing_column", file=name, column=column,
                available=", ".join(str(c) for c in frame.columns),
            )


class _Report:
    """Adds a problem located at one row (and unit) of one input frame."""

    def __init__(self, problems: list[AssessmentInputError], file: str, row: int,
                 unit: object = None) -> None:
        self.problems, self.file, self.row, self.unit = problems, file, row, unit

    def __call__(self, key: str, column: str, **params: object) -> None:
        self.problems.append(AssessmentInputError(
            key, file=self.file, row=self.row, unit=self.unit, column=column, **params
        ))


def _units(frame: Frame, problems: list[AssessmentInputError]) -> dict[Any, str]:
    """unit → kind, in the order of the frame."""
    _require(frame, "units")
    kinds: dict[Any, str] = {}
    first: dict[Any, int] = {}
    for i, rec in enumerate(_records(frame, "units"), start=1):
        unit = rec["unit"]
        if _missing(unit):
            _Report(problems, "units", i)("missing_cell", "unit")
            continue
        bad = _Report(problems, "units", i, unit)
        if unit in first:
            bad("duplicate_item", "unit", first=first[unit], what=_what("units"))
            continue
        first[unit] = i
        if _missing(rec["name"]):
            bad("missing_cell", "name")
        if rec["kind"] not in UNIT_KINDS:
            bad("bad_value", "kind", value=rec["kind"], allowed=", ".join(UNIT_KINDS))
            continue
        kinds[unit] = rec["kind"]
    return kinds


def _items(name: str, frame: Frame, kinds: dict[Any, str],
           problems: list[AssessmentInputError]) -> list[dict[str, Any]]:
    """Parse one input frame into item records (row = 1-based position in the frame)."""
    _require(frame, name)
    out: list[dict[str, Any]] = []
    first: dict[tuple, int] = {}
    for i, rec in enumerate(_records(frame, name), start=1):
        before = len(problems)
        unit = rec["unit"]
        if _missing(unit):
            _Report(problems, name, i)("missing_cell", "unit")
            continue
        bad = _Report(problems, name, i, unit)
        if unit not in kinds:
            bad("unknown_unit", "unit", value=unit)
            continue
        for column in (*_KEYS[name], "ref"):
            if _missing(rec[column]):
                bad("missing_cell", column)
        item: dict[str, Any] = {
            "row": i, "unit": unit, "ref": None if _missing(rec["ref"]) else rec["ref"],
            "evidence": None if _missing(rec["evidence"]) else rec["evidence"],
            "item": " · ".join(str(rec[k]) for k in _KEYS[name]),
        }
        if name == "targets":
            status = rec["status"]
            item["note"] = "status_alias" if status in STATUS_ALIASES else ""
            item["status"] = STATUS_ALIASES.get(status, status)
            if item["status"] not in TARGET_STATUSES:
                bad("bad_value", "status", value=status,
                    allowed=", ".join([*TARGET_STATUSES, *STATUS_ALIASES]))
        elif name == "improvements":
            for column in ("previous", "latest"):
                item[column] = _number(rec[column])
                if item[column] is _BAD:
                    bad("bad_number", column, value=rec[column])
            if rec["polarity"] not in POLARITIES:
                bad("bad_value", "polarity", value=rec["polarity"], allowed=", ".join(POLARITIES))
            item["polarity"] = rec["polarity"]
        else:
            done_column = "done_on" if name == "milestones" else "submitted_on"
            for key, column in (("due", "due"), ("completed_on", done_column)):
                item[key] = _date(rec[column])
                if item[key] is _BAD:
                    bad("bad_date", column, value=str(rec[column]))
            if name == "reports":
                decision = rec["first_decision"]
                if _missing(decision) or decision == "pending":
                    decision = None
                elif decision not in DECISIONS:
                    bad("bad_value", "first_decision", value=decision,
                        allowed=", ".join([*DECISIONS, "pending", "(empty)"]))
                item["decision"] = decision
        key = (unit, *(str(rec[k]) for k in _KEYS[name]))
        if key in first:
            bad("duplicate_item", ", ".join(_KEYS[name]), first=first[key], what=_what(name))
        first.setdefault(key, i)
        if len(problems) == before:
            out.append(item)
    return out


def _what(name: str) -> Text:
    zh, en = _KEY_NAMES.get(name, ("单位代码", "unit id"))
    return Text(zh, en)


def _records(frame: Frame, name: str) -> list[dict[str, Any]]:
    return frame.reset_index(drop=True)[list(COLUMNS[name])].to_dict(orient="records")


def _missing(cell: object) -> bool:
    if cell is None or cell is pd.NA or cell is pd.NaT:
        return True
    if isinstance(cell, float):
        return math.isnan(cell)
    if isinstance(cell, np.datetime64):
        return bool(np.isnat(cell))
    return isinstance(cell, str) and cell.strip() == ""


_BAD: Any = object()  # a cell that is neither missing nor a valid value


def _number(cell: object) -> float | None:
    """A finite number, None if the cell is empty, else ``_BAD``."""
    if _missing(cell):
        return None
    value: float | None = None
    if isinstance(cell, str):
        try:
            value = parse_number(cell)
        except ValueError:
            value = None
    elif isinstance(cell, int | float | np.integer | np.floating) and not isinstance(
        cell, bool | np.bool_
    ):
        value = float(cell)
    return value if value is not None and math.isfinite(value) else _BAD


def _date(cell: object) -> date | None:
    """A date (datetime, Timestamp, datetime64 or ISO text), None if empty, else ``_BAD``."""
    if _missing(cell):
        return None
    if isinstance(cell, datetime):  # includes pd.Timestamp
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, np.datetime64):
        return pd.Timestamp(cell).date()
    if isinstance(cell, str):
        for parse in (date.fromisoformat, lambda t: datetime.fromisoformat(t).date()):
            try:
                return parse(cell.strip())
            except ValueError:
                continue
    return _BAD


def _period_date(value: object, option: str) -> date:
    parsed = _date(value)
    if parsed is None or parsed is _BAD:
        raise option_error(option, f"应为日期（YYYY-MM-DD），现为 {value!r}",
                           f"must be a date (YYYY-MM-DD), got {value!r}")
    return parsed


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
