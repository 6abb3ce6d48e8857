"""Errors of the analytics methods, in Chinese and English, located by file, row and column.

Why a module of its own: the CLI, the API and the web page all show the same message; the
API also needs the structured fields (``to_dict``). A message is a location prefix (file,
row = line in the file with the header as line 1, unit, column) and a body, both in the
requested language: ``str(error)`` is Chinese, ``error.message("en")`` English.
"""

from __future__ import annotations

from dataclasses import dataclass

_MESSAGES: dict[str, tuple[str, str]] = {
    "file_not_found": ("找不到输入文件", "input file not found"),
    "encoding": ("无法按 UTF-8 或 GB18030 解码", "cannot be decoded as UTF-8 or GB18030"),
    "empty_file": ("文件为空或没有数据行", "the file is empty or has no data rows"),
    "duplicate_header": ("表头中列名重复", "duplicate column name in the header"),
    "ragged_row": (
        "该行有 {got} 个字段，表头有 {expected} 个",
        "the row has {got} fields, the header has {expected}",
    ),
    "missing_unit_id": (
        "缺少单位代码（第一列为空）",
        "missing unit id (the first column is empty)",
    ),
    "duplicate_unit_id": (
        "单位代码重复（首次出现在{first}）",
        "the unit id is repeated (first seen at {first})",
    ),
    "missing_unit_id_position": (
        "第 {position} 个单位缺少代码（索引为空）",
        "unit number {position} has no id (empty index)",
    ),
    "non_numeric": ("值 {value!r} 不是有限数值", "value {value!r} is not a finite number"),
    "missing_value": ("缺少数值（空单元格）", "missing value (empty cell)"),
    "negative": (
        "值 {value} 为负数；{method}要求非负值",
        "value {value} is negative; {method} needs non-negative values",
    ),
    "non_positive": (
        "值 {value} 不大于 0；{method}要取对数，值必须大于 0",
        "value {value} is not positive; {method} takes logs, so values must be > 0",
    ),
    "out_of_range": (
        "值 {value} 不在 [{low}, {high}] 内；{method}",
        "value {value} is outside [{low}, {high}]; {method}",
    ),
    "missing_column": ("找不到列；现有列：{available}", "no such column; columns are: {available}"),
    "constant_column": (
        "所有单位取值相同（{value}），极差为 0，无法做极差标准化",
        "every unit has the same value ({value}); the range is 0, min-max scaling is undefined",
    ),
    "zero_sum": (
        "该列合计为 0，无法计算比重",
        "the column sums to 0, so shares are undefined",
    ),
    "too_few_units": (
        "{method}至少需要 {minimum} 个单位，现有 {n} 个",
        "{method} needs at least {minimum} units, got {n}",
    ),
    "too_few_observations": (
        "{method}至少需要 {minimum} 个观测值，现有 {n} 个{detail}",
        "{method} needs at least {minimum} observations, got {n}{detail}",
    ),
    "not_a_year": ("值 {value!r} 不是年份（如 2015 或 2015年）",
                   "value {value!r} is not a year (like 2015 or 2015年)"),
    "duplicate_unit_year": (
        "同一单位同一年份出现两次（首次出现在{first}）",
        "the same unit and year appear twice (first seen at {first})",
    ),
    "bad_option": ("参数 {option} 无效：{zh}", "invalid option {option}: {en}"),
}


@dataclass(frozen=True)
class Text:
    """A name in both languages, e.g. a method name used inside an error message."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.zh

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class MethodInputError(ValueError):
    """Bad input for an analytics method, located by file, row, unit and column.

    ``str(error)`` is the Chinese message; ``error.message("en")`` the English one;
    ``error.to_dict()`` gives the structured fields for the API.
    """

    def __init__(
        self,
        key: str,
        *,
        file: str | None = None,
        row: int | None = None,
        unit: object = None,
        column: object = None,
        **params: object,
    ) -> None:
        self.key = key
        self.file = file
        self.row = row
        self.unit = unit
        self.column = column
        self.params = params
        super().__init__(self.message("zh"))

    def message(self, lang: str = "zh") -> str:
        zh, en = _MESSAGES[self.key]
        params = {k: v.get(lang) if isinstance(v, Text) else v for k, v in self.params.items()}
        body = (en if lang == "en" else zh).format(**params)
        return _location(self, lang) + body

    def to_dict(self, lang: str = "zh") -> dict[str, object]:
        return {
            "error": self.key,
            "message": self.message(lang),
            "file": self.file,
            "row": self.row,
            "unit": None if self.unit is None else str(self.unit),
            "column": None if self.column is None else str(self.column),
        }


def _location(err: MethodInputError, lang: str) -> str:
    parts: list[str] = []
    if lang == "en":
        if err.file:
            parts.append(str(err.file))
        if err.row is not None:
            parts.append(f"row {err.row}")
        if err.unit is not None:
            parts.append(f"unit {err.unit}")
        if err.column is not None:
            parts.append(f"column {err.column}")
        return ", ".join(parts) + ": " if parts else ""
    if err.file:
        parts.append(str(err.file))
    if err.row is not None:
        parts.append(f"第 {err.row} 行")
    if err.unit is not None:
        parts.append(f"单位 {err.unit}")
    if err.column is not None:
        parts.append(f"列 {err.column}")
    return "，".join(parts) + "：" if parts else ""


def option_error(option: str, zh: str, en: str) -> MethodInputError:
    """An invalid option value (not tied to a cell of the input)."""
    return MethodInputError("bad_option", option=option, zh=zh, en=en)
