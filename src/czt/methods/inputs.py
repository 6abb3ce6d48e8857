"""Input handling shared by the analytics methods: reading wide CSV files and checking frames.

Why here and not in ``czt.ingest``: these checks belong to the methods' own preconditions
(a Theil index needs non-negative values, a β-regression needs positive levels). The same
checks run whether the frame came from a file (CLI), the API or a notebook, and the error
names the file, the row (line in the file, header = line 1), the unit and the column, in
Chinese by default and in English on request (``MethodInputError.message("en")``).

Wide format: the first column is the unit id (kept as text, so ``430100`` stays a code, not a
number), every other column is numeric unless the method names it as a text column (e.g. the
grouping column of the Theil decomposition). An empty cell is a missing value; nothing else
is silently turned into one.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SOURCE_ATTR = "czt_source"
LINES_ATTR = "czt_lines"

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


# --------------------------------------------------------------------------- reading

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def parse_number(text: str) -> float | None:
    """Parse one cell: ``''`` is missing (None); ``1,234.5`` is accepted; anything else that
    is not a finite number raises ``ValueError``."""
    text = text.strip()
    if text == "":
        return None
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise MethodInputError("encoding", file=str(path))


def read_wide_csv(path: str | Path, *, text_columns: Iterable[str] = ()) -> pd.DataFrame:
    """Read a wide CSV into a frame indexed by unit id (text).

    A column whose every cell is a number (or empty) becomes float; any other column is
    kept as text, and a method that needs it as a number reports the first bad cell with
    its row (so a column of names does no harm unless it is used). ``text_columns`` are
    always kept as text (e.g. a group column of city codes such as 430100). The frame
    remembers its file and the line of each unit (``frame.attrs``). Blank lines are
    skipped; every other row must have as many fields as the header.
    """
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise MethodInputError("file_not_found", file=file)
    reader = csv.reader(io.StringIO(_decode(path), newline=""))
    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    for fields in reader:
        if not any(f.strip() for f in fields):
            continue
        if header is None:
            header = [f.strip() for f in fields]
            continue
        records.append((reader.line_num, fields))
    if header is None or not records:
        raise MethodInputError("empty_file", file=file)
    seen_cols: set[str] = set()
    for name in header:
        if name in seen_cols:
            raise MethodInputError("duplicate_header", file=file, row=1, column=name)
        seen_cols.add(name)
    text_set = set(text_columns)
    for name in text_set:
        if name not in header[1:]:
            raise MethodInputError(
                "missing_column", file=file, column=name, available=", ".join(header[1:])
            )
    unit_col = header[0]
    lines: dict[str, int] = {}
    units: list[str] = []
    data: dict[str, list[object]] = {name: [] for name in header[1:]}
    for line, fields in records:
        if len(fields) > len(header) and not any(f.strip() for f in fields[len(header) :]):
            fields = fields[: len(header)]
        if len(fields) != len(header):
            raise MethodInputError(
                "ragged_row", file=file, row=line, got=len(fields), expected=len(header)
            )
        unit = fields[0].strip()
        if unit == "":
            raise MethodInputError("missing_unit_id", file=file, row=line, column=unit_col)
        if unit in lines:
            raise MethodInputError(
                "duplicate_unit_id", file=file, row=line, column=unit_col, unit=unit,
                first=Text(f"第 {lines[unit]} 行", f"row {lines[unit]}"),
            )
        lines[unit] = line
        units.append(unit)
        for name, cell in zip(header[1:], fields[1:], strict=True):
            data[name].append(cell.strip())
    columns: dict[str, pd.Series] = {}
    for name, cells in data.items():
        numbers = None if name in text_set else _all_numbers(cells)
        columns[name] = (
            pd.Series(cells, dtype=object) if numbers is None
            else pd.Series(numbers, dtype="float64")
        )
    frame = pd.DataFrame(columns)
    frame.index = pd.Index(units, name=unit_col, dtype=object)
    frame.attrs[SOURCE_ATTR] = file
    frame.attrs[LINES_ATTR] = lines
    return frame


def _all_numbers(cells: list[str]) -> list[float] | None:
    """Every cell parsed as a number (empty -> NaN), or None if any cell is not one."""
    out: list[float] = []
    for cell in cells:
        try:
            value = parse_number(cell)
        except ValueError:
            return None
        out.append(np.nan if value is None else value)
    return out


# --------------------------------------------------------------------------- checking


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    """Default indicator columns: all but the pure text ones (no cell is a number).

    A column with numbers and one typo stays in, so that the typo is reported, not
    silently dropped.
    """
    return [column for column in frame.columns if _has_number(frame[column])]


def _has_number(series: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(series):
        return False
    if pd.api.types.is_numeric_dtype(series):
        return True
    return any(isinstance(_to_float(cell), float) for cell in series)


@dataclass(frozen=True)
class Where:
    """Where a frame came from, so that errors can name file and row."""

    file: str
    lines: dict

    def cell(self, key: str, unit: object, column: object, **params: object) -> MethodInputError:
        return MethodInputError(
            key, file=self.file, row=self.lines.get(unit), unit=unit, column=column, **params
        )


def where(frame: pd.DataFrame) -> Where:
    return Where(
        file=str(frame.attrs.get(SOURCE_ATTR, "DataFrame")),
        lines=dict(frame.attrs.get(LINES_ATTR, {})),
    )


def check_units(frame: pd.DataFrame, *, method: str, minimum: int = 2) -> Where:
    """Unit ids (the index) must be present and unique; enough units for the method."""
    loc = where(frame)
    seen: dict[object, int] = {}
    for position, unit in enumerate(frame.index):
        if unit is None or (isinstance(unit, float) and math.isnan(unit)) or str(unit) == "":
            raise MethodInputError(
                "missing_unit_id_position", file=loc.file, column=frame.index.name,
                position=position + 1,
            )
        if unit in seen:
            first = seen[unit] + 1
            raise MethodInputError(
                "duplicate_unit_id", file=loc.file, column=frame.index.name, unit=unit,
                first=Text(f"第 {first} 个位置", f"position {first}"),
            )
        seen[unit] = position
    if len(frame) < minimum:
        raise MethodInputError(
            "too_few_units", file=loc.file, method=method, minimum=minimum, n=len(frame)
        )
    return loc


def require_columns(frame: pd.DataFrame, columns: Sequence[object]) -> None:
    loc = where(frame)
    for column in columns:
        if column not in frame.columns:
            raise MethodInputError(
                "missing_column", file=loc.file, column=column,
                available=", ".join(str(c) for c in frame.columns),
            )


def numeric_matrix(
    frame: pd.DataFrame,
    columns: Sequence[object],
    *,
    method: str,
    minimum: float | None = None,
    strictly_positive: bool = False,
    upper: float | None = None,
) -> np.ndarray:
    """Return ``frame[columns]`` as an (n, k) float array after checking every cell.

    ``minimum=0`` rejects negative values, ``strictly_positive`` rejects values <= 0
    (for logarithms), ``upper`` with ``minimum`` rejects values outside [minimum, upper].
    """
    require_columns(frame, columns)
    loc = where(frame)
    out = np.empty((len(frame), len(columns)), dtype=float)
    for j, column in enumerate(columns):
        for i, (unit, cell) in enumerate(zip(frame.index, frame[column], strict=True)):
            value = _to_float(cell)
            if value is _BAD:
                raise loc.cell("non_numeric", unit, column, value=str(cell))
            if value is None:
                raise loc.cell("missing_value", unit, column)
            if strictly_positive and value <= 0:
                raise loc.cell("non_positive", unit, column, value=value, method=method)
            if upper is not None and minimum is not None and not minimum <= value <= upper:
                raise loc.cell(
                    "out_of_range", unit, column, value=value, low=minimum, high=upper,
                    method=method,
                )
            if minimum is not None and value < minimum:
                raise loc.cell("negative", unit, column, value=value, method=method)
            out[i, j] = value
    return out


_BAD = object()


def _to_float(cell: object) -> object:
    if cell is None or cell is pd.NA or cell is pd.NaT:
        return None
    if isinstance(cell, str):
        if cell.strip() == "":
            return None
        try:
            return parse_number(cell)
        except ValueError:
            return _BAD
    if isinstance(cell, bool | np.bool_):
        return _BAD
    try:
        value = float(cell)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return _BAD
    if math.isnan(value):
        return None
    if not math.isfinite(value):
        return _BAD
    return value


def split_names(text: str | None) -> list[str]:
    """``"A,B"`` -> ``["A", "B"]`` (also accepts the Chinese comma ``，``)."""
    if not text:
        return []
    return [part.strip() for part in re.split(r"[,，]", text) if part.strip()]
