"""Assessment method files 考核办法: load and validate the YAML that defines the assessment.

Why a file: the weights and point scales of the assessment (考核) are a policy decision of
the province, changed by its staff and versioned by the web layer (every score names the
version that produced it). The file is read by people who are not programmers, so every
problem names the file, the line and the field path (``dimensions[2].weight``; list indices
count from 0), in Chinese and English, and all problems are reported at once.

A method file is a mapping with exactly these fields::

    name_zh, name_en          the method's name in both languages (non-empty text)
    missing_dimension         renormalise | zero (what a dimension without items counts)
    dimensions                a non-empty list; each dimension has
        code                  identifier, unique (letters, digits, _; starting with a letter)
        name_zh, name_en      non-empty text
        weight                number > 0; the weights of all dimensions sum to 100 (±1e-9)
        applies_to            optional list of unit kinds (default: all of UNIT_KINDS)
        rule                  one of RULES
        points                outcome → points in [0, 1], one entry for every outcome of the
                              rule and no other

A rule may appear in several dimensions only for disjoint unit kinds (otherwise the same
milestone or report would earn points twice). Unknown or repeated fields are errors, so a
misspelt ``wieght`` cannot be silently ignored. The version label is not part of the file:
the caller passes it to :func:`czt.methods.assessment.score`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources

from czt.methods.yaml_file import (
    COMMON_MESSAGES,
    Checker,
    FieldError,
    field_path,
    is_number,
    raise_all,
)

__all__ = ["AssessmentInputError", "AssessmentMethod", "Dimension", "field_path", "load_method",
           "raise_all"]

UNIT_KINDS = ("city", "county", "department", "taskforce")
UNIT_KIND_LABELS = {
    "city": ("市", "City"),
    "county": ("县市区", "County"),
    "department": ("部门", "Department"),
    "taskforce": ("专班", "Task force"),
}
# rule -> the outcomes it scores (the keys its ``points`` must have)
RULES: dict[str, tuple[str, ...]] = {
    "target_status": ("achieved", "on_track", "needs_acceleration", "limited", "deterioration"),
    "indicator_improvement": ("improved", "unchanged", "worsened"),
    "milestones_on_time": ("on_time", "late", "missed"),
    "reports_on_time": ("on_time", "late", "missing"),
    "reports_first_time": ("first_time", "returned"),
}
# rule -> the input frame of score() whose rows it scores
RULE_SOURCES = {
    "target_status": "targets",
    "indicator_improvement": "improvements",
    "milestones_on_time": "milestones",
    "reports_on_time": "reports",
    "reports_first_time": "reports",
}
MISSING_DIMENSION = ("renormalise", "zero")
WEIGHT_TOTAL = 100.0
WEIGHT_TOLERANCE = 1e-9
DEFAULT_FILE = "assessment.yaml"

_TOP_FIELDS = ("name_zh", "name_en", "missing_dimension", "dimensions")
_DIMENSION_FIELDS = ("code", "name_zh", "name_en", "weight", "applies_to", "rule", "points")

_MESSAGES: dict[str, tuple[str, str]] = {
    **COMMON_MESSAGES,
    # method file
    "weights_sum": (
        "各维度权重之和应为 100，现为 {total}（{terms}）",
        "the weights of the dimensions must sum to 100, they sum to {total} ({terms})",
    ),
    "bad_kind": (
        "单位类型 {value!r} 无效；可用：{allowed}",
        "unit kind {value!r} is invalid; allowed: {allowed}",
    ),
    "duplicate_kind": ("单位类型 {value!r} 重复", "unit kind {value!r} is repeated"),
    "unknown_rule": (
        "未知规则 {value!r}；可用：{allowed}",
        "unknown rule {value!r}; allowed: {allowed}",
    ),
    "missing_points": (
        "缺少结果 {missing} 的分值（规则 {rule} 的结果为：{allowed}）",
        "no points for {missing} (the outcomes of rule {rule} are: {allowed})",
    ),
    "unknown_outcome": (
        "结果 {value!r} 不属于规则 {rule}（可用：{allowed}）",
        "{value!r} is not an outcome of rule {rule} (allowed: {allowed})",
    ),
    "bad_points": (
        "分值应为 0 到 1 之间的数，现为 {value!r}",
        "points must be a number in [0, 1], got {value!r}",
    ),
    "rule_overlap": (
        "规则 {value} 已由维度 {other} 用于单位类型 {kinds}，同一事项会重复计分",
        "rule {value} is already used by dimension {other} for unit kinds {kinds}; "
        "the same item would earn points twice",
    ),
    # scoring inputs (see czt.methods.assessment)
    "unknown_unit": (
        "单位 {value!r} 不在考核单位名单（units）中",
        "unit {value!r} is not in the list of assessed units (units)",
    ),
    "bad_value": (
        "值 {value!r} 无效；可用：{allowed}",
        "value {value!r} is invalid; allowed: {allowed}",
    ),
    "bad_date": (
        "日期 {value!r} 无效，应为 YYYY-MM-DD",
        "date {value!r} is not a valid YYYY-MM-DD date",
    ),
    "bad_number": ("值 {value!r} 不是有限数值", "value {value!r} is not a finite number"),
    "missing_cell": ("必填项为空", "required value is empty"),
    "duplicate_item": (
        "与第 {first} 行重复（同一单位、{what}）",
        "repeats row {first} (same unit and {what})",
    ),
    "bad_period": (
        "考核期起点 {start} 晚于终点 {end}",
        "the period starts ({start}) after it ends ({end})",
    ),
}


class AssessmentInputError(FieldError):
    """A problem with a method file (located by line and field path) or with an input of
    :func:`czt.methods.assessment.score` (located by frame, row, unit and column)."""

    MESSAGES = _MESSAGES


@dataclass(frozen=True)
class Dimension:
    """One scored dimension: ``weight`` points, earned as weight × mean item points."""

    code: str
    name_zh: str
    name_en: str
    weight: float
    applies_to: tuple[str, ...]
    rule: str
    points: dict[str, float]

    @property
    def source(self) -> str:
        return RULE_SOURCES[self.rule]

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name_zh


@dataclass(frozen=True)
class AssessmentMethod:
    """A validated method file (the version label is kept by the caller, not here)."""

    name_zh: str
    name_en: str
    missing_dimension: str
    dimensions: tuple[Dimension, ...]
    source: str = DEFAULT_FILE

    def dimension(self, code: str) -> Dimension:
        return next(d for d in self.dimensions if d.code == code)

    @property
    def weights(self) -> dict[str, float]:
        return {d.code: d.weight for d in self.dimensions}


def default_method_text() -> str:
    """The text of the shipped default method file ``czt/reference/assessment.yaml``."""
    return resources.files("czt.reference").joinpath(DEFAULT_FILE).read_text(encoding="utf-8")


def load_method(text: str, source: str = DEFAULT_FILE) -> AssessmentMethod:
    """Parse and validate a method file; raise :class:`AssessmentInputError` listing every
    problem (``error.errors``) with the file name ``source``, line and field path."""
    check, data = _Checker.open(text, source, _TOP_FIELDS)
    name_zh = check.text(data, ("name_zh",))
    name_en = check.text(data, ("name_en",))
    missing = data.get("missing_dimension")
    if "missing_dimension" in data and missing not in MISSING_DIMENSION:
        check.add("bad_choice", ("missing_dimension",), value=missing,
                  allowed=", ".join(MISSING_DIMENSION))
    dimensions: list[Dimension | None] = []
    raw = check.items(data, ("dimensions",))
    if raw:
        dimensions = [check.dimension(item, i) for i, item in enumerate(raw)]
        check.across(raw, dimensions)
    raise_all(check.problems)
    return AssessmentMethod(
        name_zh=name_zh, name_en=name_en, missing_dimension=str(missing),
        dimensions=tuple(d for d in dimensions if d is not None), source=source,
    )


class _Checker(Checker):
    """The rules of a method file on top of the generic checks."""

    error = AssessmentInputError

    def dimension(self, item: object, i: int) -> Dimension | None:
        path: tuple[str | int, ...] = ("dimensions", i)
        if not self.mapping(item, path):
            return None
        before = len(self.problems)
        required = tuple(f for f in _DIMENSION_FIELDS if f != "applies_to")
        self.fields(item, path, _DIMENSION_FIELDS, required=required)
        code = self.code(item, (*path, "code"))
        name_zh = self.text(item, (*path, "name_zh"))
        name_en = self.text(item, (*path, "name_en"))
        weight = item.get("weight")
        if "weight" in item and not (is_number(weight) and weight > 0):
            self.add("bad_weight", (*path, "weight"), value=weight)
        applies_to = self.kinds(item, path)
        rule = item.get("rule")
        known = isinstance(rule, str) and rule in RULES
        if "rule" in item and not known:
            self.add("unknown_rule", (*path, "rule"), value=rule, allowed=", ".join(RULES))
        points = self.points(item, path, str(rule) if known else None)
        if len(self.problems) > before:
            return None
        return Dimension(code, name_zh, name_en, float(weight), applies_to, str(rule), points)

    def kinds(self, item: dict, path: tuple[str | int, ...]) -> tuple[str, ...]:
        if "applies_to" not in item:
            return UNIT_KINDS
        kinds = item["applies_to"]
        where = (*path, "applies_to")
        if not isinstance(kinds, list) or not kinds:
            self.add("not_list", where)
            return ()
        for j, kind in enumerate(kinds):
            if kind not in UNIT_KINDS:
                self.add("bad_kind", (*where, j), value=kind, allowed=", ".join(UNIT_KINDS))
            elif kinds.index(kind) < j:
                self.add("duplicate_kind", (*where, j), value=kind)
        return tuple(k for k in UNIT_KINDS if k in kinds)

    def points(self, item: dict, path: tuple[str | int, ...], rule: str | None) -> dict:
        if "points" not in item:
            return {}
        points = item["points"]
        where = (*path, "points")
        if not isinstance(points, dict):
            self.add("not_mapping", where)
            return {}
        if rule is not None:
            allowed = ", ".join(RULES[rule])
            missing = [o for o in RULES[rule] if o not in points]
            if missing:
                self.add("missing_points", where, missing=", ".join(missing), rule=rule,
                         allowed=allowed)
            for outcome in points:
                if outcome not in RULES[rule]:
                    self.add("unknown_outcome", (*where, str(outcome)), value=outcome, rule=rule,
                             allowed=allowed)
        for outcome, value in points.items():
            if not (is_number(value) and 0 <= value <= 1):
                self.add("bad_points", (*where, str(outcome)), value=value)
        return {str(k): float(v) for k, v in points.items() if is_number(v)}

    def across(self, raw: list, dimensions: list[Dimension | None]) -> None:
        """Unique codes, weights summing to 100, a rule at most once per unit kind."""
        self.unique([(("dimensions", i, "code"), item.get("code"))
                     for i, item in enumerate(raw) if isinstance(item, dict)], "duplicate_code")
        weights = [item.get("weight") if isinstance(item, dict) else None for item in raw]
        if all(is_number(w) and w > 0 for w in weights):
            total = math.fsum(weights)
            if abs(total - WEIGHT_TOTAL) > WEIGHT_TOLERANCE:
                self.add("weights_sum", ("dimensions",), total=f"{total:g}",
                         terms=" + ".join(f"{w:g}" for w in weights))
        for j, dim in enumerate(dimensions):
            for other in dimensions[:j]:
                if dim is None or other is None or dim.rule != other.rule:
                    continue
                shared = [k for k in dim.applies_to if k in other.applies_to]
                if shared:
                    self.add("rule_overlap", ("dimensions", j, "rule"), value=dim.rule,
                             other=other.code, kinds=", ".join(shared))

