"""Framework files of the composite index 综合指数框架: dimensions and their indicators.

Why a file: the OECD/JRC handbook starts a composite indicator from a theoretical framework —
which indicators measure which dimension, in which direction, how much each counts, and
(optionally) what "good" means in absolute terms. For Chang-Zhu-Tan the dimensions are the
plan's action areas. Keeping this in a YAML file that analysts edit makes every choice
visible and versionable; problems are reported all at once by file, line and field path.

A framework file is a mapping::

    name_zh, name_en            the index's name (non-empty text)
    dimensions                  a non-empty list; each dimension has
        code                    identifier, unique (letters, digits, _; a letter first)
        name_zh, name_en        non-empty text
        weight                  optional number > 0 (relative; all dimensions or none)
        indicators              a non-empty list; each indicator has
            column              the column of the data (unique across the framework)
            name_zh, name_en    optional text
            direction           benefit (larger is better, default) | cost
            weight              optional number > 0: expert budget points, rescaled within
                                the dimension (all indicators or none)
            goalposts           optional [low, high] in the indicator's unit, low < high
            target              optional number (distance-to-target normalisation)

Without a file, :meth:`Framework.flat` puts every column in one dimension.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from czt.methods.yaml_file import (
    COMMON_MESSAGES,
    Checker,
    FieldError,
    field_path,
    is_number,
    raise_all,
)

DIRECTIONS = ("benefit", "cost")
DEFAULT_FILE = "composite_framework.yaml"
_TOP_FIELDS = ("name_zh", "name_en", "dimensions")
_DIMENSION_FIELDS = ("code", "name_zh", "name_en", "weight", "indicators")
_INDICATOR_FIELDS = ("column", "name_zh", "name_en", "direction", "weight", "goalposts", "target")

_MESSAGES: dict[str, tuple[str, str]] = {
    **COMMON_MESSAGES,
    "duplicate_column": (
        "指标列 {value!r} 重复（首次出现在 {first}）",
        "indicator column {value!r} is repeated (first at {first})",
    ),
    "partial_weights": (
        "{what}的权重要么全部给出，要么全部不给；缺少：{missing}",
        "give a weight to every {what_en} or to none; missing: {missing}",
    ),
    "bad_goalposts": (
        "目标区间应为 [下限, 上限] 两个数且下限 < 上限，现为 {value!r}",
        "goalposts must be [low, high], two numbers with low < high, got {value!r}",
    ),
    "bad_target": (
        "目标值应为有限数值，现为 {value!r}", "target must be a finite number, got {value!r}"
    ),
    "missing_column": (
        "数据中没有列 {value!r}；现有列：{available}",
        "the data has no column {value!r}; columns are: {available}",
    ),
    "needs_field": (
        "{what}标准化需要每个指标都给出 {name}",
        "{what_en} normalisation needs {name} for every indicator",
    ),
    "target_unreachable": (
        "目标值 {target} 不优于数据中的最差值 {worst}，无法计算距目标的距离",
        "target {target} is not better than the worst value in the data ({worst}), so the "
        "distance to target is undefined",
    ),
}


class FrameworkError(FieldError):
    """A problem with a framework file or with its fit to the data, by line and field."""

    MESSAGES = _MESSAGES


@dataclass(frozen=True)
class Indicator:
    column: str
    dimension: str
    direction: str = "benefit"
    name_zh: str = ""
    name_en: str = ""
    weight: float | None = None
    goalposts: tuple[float, float] | None = None
    target: float | None = None
    field: str = ""  # where it sits in the file, for error messages

    @property
    def is_cost(self) -> bool:
        return self.direction == "cost"


@dataclass(frozen=True)
class Dimension:
    code: str
    name_zh: str
    name_en: str
    weight: float | None
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Framework:
    """A validated framework (see the module docstring)."""

    name_zh: str
    name_en: str
    dimensions: tuple[Dimension, ...]
    source: str = ""

    @classmethod
    def flat(cls, columns: Sequence[str], cost: Iterable[str] = ()) -> Framework:
        """Every column in one dimension ``index``, cost columns as given."""
        cost = set(cost)
        indicators = tuple(
            Indicator(c, "index", "cost" if c in cost else "benefit", field=c) for c in columns
        )
        return cls("综合指数", "Composite index", (Dimension("index", "综合指数",
                   "Composite index", None, indicators),))

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for d in self.dimensions for i in d.indicators)

    @property
    def columns(self) -> list[str]:
        return [i.column for i in self.indicators]

    @property
    def cost(self) -> list[str]:
        return [i.column for i in self.indicators if i.is_cost]

    def membership(self) -> np.ndarray:
        """Indicator × dimension 0/1 matrix, in framework order."""
        out = np.zeros((len(self.indicators), len(self.dimensions)))
        j = 0
        for d, dim in enumerate(self.dimensions):
            out[j : j + len(dim.indicators), d] = 1.0
            j += len(dim.indicators)
        return out

    def dimension_weights(self) -> np.ndarray:
        """Dimension weights summing to 1 (equal when the file gives none)."""
        raw = np.array([d.weight or 1.0 for d in self.dimensions], dtype=float)
        return raw / raw.sum()

    def budget(self) -> np.ndarray | None:
        """The expert budget points per indicator, or None when the file gives none."""
        points = [i.weight for i in self.indicators]
        return None if points[0] is None else np.array(points, dtype=float)

    def restrict(self, columns: Iterable[str]) -> Framework:
        """The framework without the indicators not in ``columns`` (after screening); a
        dimension left without indicators is dropped."""
        keep = set(columns)
        dims = []
        for d in self.dimensions:
            kept = tuple(i for i in d.indicators if i.column in keep)
            if kept:
                dims.append(Dimension(d.code, d.name_zh, d.name_en, d.weight, kept))
        return Framework(self.name_zh, self.name_en, tuple(dims), self.source)

    def check_columns(self, available: Sequence[str]) -> None:
        """Every indicator column must be in the data."""
        problems = [
            FrameworkError("missing_column", file=self.source or None, field=i.field,
                           value=i.column, available=", ".join(map(str, available)))
            for i in self.indicators if i.column not in available
        ]
        raise_all(problems)

    def require(self, attribute: str, what: tuple[str, str]) -> None:
        """Every indicator must give ``attribute`` (goalposts or target)."""
        problems = [
            FrameworkError("needs_field", file=self.source or None, field=i.field,
                           what=what[0], what_en=what[1], name=attribute)
            for i in self.indicators if getattr(i, attribute) is None
        ]
        raise_all(problems)


def default_framework() -> Framework:
    """The shipped framework: the plan's action areas and the catalogue's directed indicators
    (``czt/reference/composite_framework.yaml``)."""
    text = resources.files("czt.reference").joinpath(DEFAULT_FILE).read_text(encoding="utf-8")
    return load_framework(text, DEFAULT_FILE)


def load_framework(text: str, source: str = "framework.yaml") -> Framework:
    """Parse and validate a framework file; raise :class:`FrameworkError` listing every
    problem (``error.errors``) with the file name ``source``, line and field path."""
    check, data = _Checker.open(text, source, _TOP_FIELDS)
    name_zh = check.text(data, ("name_zh",))
    name_en = check.text(data, ("name_en",))
    raw = check.items(data, ("dimensions",))
    dimensions = [check.dimension(item, i) for i, item in enumerate(raw)]
    check.across(raw)
    raise_all(check.problems)
    return Framework(name_zh, name_en, tuple(d for d in dimensions if d is not None), source)


class _Checker(Checker):
    error = FrameworkError

    def dimension(self, item: object, i: int) -> Dimension | None:
        path: tuple[str | int, ...] = ("dimensions", i)
        if not self.mapping(item, path):
            return None
        before = len(self.problems)
        self.fields(item, path, _DIMENSION_FIELDS, required=("code", "name_zh", "name_en",
                                                              "indicators"))
        code = self.code(item, (*path, "code"))
        name_zh = self.text(item, (*path, "name_zh"))
        name_en = self.text(item, (*path, "name_en"))
        weight = self.weight(item, path)
        raw = self.items(item, (*path, "indicators"))
        indicators = [self.indicator(x, (*path, "indicators", j), code)
                      for j, x in enumerate(raw)]
        if len(self.problems) > before:
            return None
        return Dimension(code, name_zh, name_en, weight, tuple(indicators))  # type: ignore[arg-type]

    def weight(self, item: dict, path: tuple[str | int, ...]) -> float | None:
        value = item.get("weight")
        if "weight" not in item:
            return None
        if not (is_number(value) and value > 0):
            self.add("bad_weight", (*path, "weight"), value=value)
            return None
        return float(value)

    def indicator(self, item: object, path: tuple[str | int, ...], dim: str) -> Indicator | None:
        if not self.mapping(item, path):
            return None
        self.fields(item, path, _INDICATOR_FIELDS, required=("column",))
        column = self.text(item, (*path, "column"))
        name_zh = self.text(item, (*path, "name_zh"))
        name_en = self.text(item, (*path, "name_en"))
        direction = item.get("direction", "benefit")
        if direction not in DIRECTIONS:
            self.add("bad_choice", (*path, "direction"), value=direction,
                     allowed=", ".join(DIRECTIONS))
        goalposts = item.get("goalposts")
        posts: tuple[float, float] | None = None
        if "goalposts" in item:
            ok = (isinstance(goalposts, list) and len(goalposts) == 2
                  and all(is_number(v) for v in goalposts) and goalposts[0] < goalposts[1])
            if ok:
                posts = (float(goalposts[0]), float(goalposts[1]))
            else:
                self.add("bad_goalposts", (*path, "goalposts"), value=goalposts)
        target = item.get("target")
        if "target" in item and not is_number(target):
            self.add("bad_target", (*path, "target"), value=target)
        return Indicator(
            column, dim, str(direction), name_zh, name_en, self.weight(item, path), posts,
            float(target) if is_number(target) else None, field=field_path(path),
        )

    def across(self, raw: list) -> None:
        """Unique codes and columns; weights given for all dimensions or none, and for all
        indicators or none."""
        dims = [(("dimensions", i), d) for i, d in enumerate(raw) if isinstance(d, dict)]
        inds = [((*path, "indicators", j), ind) for path, d in dims
                for j, ind in enumerate(d.get("indicators") or []) if isinstance(ind, dict)]
        self.unique([((*path, "code"), d.get("code")) for path, d in dims], "duplicate_code")
        self.unique([((*path, "column"), i.get("column")) for path, i in inds],
                    "duplicate_column")
        self._all_or_none(dims, ("维度", "dimension"))
        self._all_or_none(inds, ("指标", "indicator"))

    def _all_or_none(self, entries: list[tuple[tuple, dict]], what: tuple[str, str]) -> None:
        missing = [path for path, item in entries if "weight" not in item]
        if missing and len(missing) < len(entries):
            self.add("partial_weights", missing[0], what=what[0], what_en=what[1],
                     missing=", ".join(field_path(p) for p in missing))
