"""Input handling shared by the analytics methods: reading wide CSV files and checking frames.

Why here and not in ``czt.ingest``: these checks belong to the methods' own preconditions
(a Theil index needs non-negative values, a β-regression needs positive levels). The same
checks run whether the frame came from a file (CLI), the API or a notebook, and the error
names the file, the row (line in the file, header = line 1), the unit and the column, in
Chinese by default and in English on request (``MethodInputError.message("en")``).

Wide format: the first column is the unit id (kept as text, so ``430100`` stays a code, not a
number); every other column is a number column unless the method names it as a text column
(e.g. the grouping column of the Theil decomposition). A column of names may sit in the file
unused; a method that uses a column checks every cell it needs. An empty cell is a missing
value; nothing else is silently turned into one (``1,234.5`` thousands separators are read).

Long format (panel β-convergence only): one row per unit and year, the unit id repeating;
:func:`read_long_csv` keeps the line of every row so that errors still name it.
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

from czt.methods.errors import MethodInputError, Text, option_error

__all__ = [
    "MethodInputError",
    "Text",
    "option_error",
    "read_wide_csv",
    "read_long_csv",
    "row_lines",
    "check_units",
    "numeric_matrix",
    "numeric_columns",
    "require_columns",
    "split_names",
    "where",
]

SOURCE_ATTR = "czt_source"
LINES_ATTR = "czt_lines"
ROWS_ATTR = "czt_rows"  # long files: the line of every row, in row order

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
    return _read_csv(path, text_columns=text_columns, unique_units=True)


def read_long_csv(path: str | Path, *, text_columns: Iterable[str] = ()) -> pd.DataFrame:
    """Read a long CSV (one row per unit and year, e.g. ``unit,year,value``).

    As :func:`read_wide_csv`, except that a unit id may repeat. The frame is indexed by unit
    id and remembers the line of every row, in row order (``frame.attrs[ROWS_ATTR]``), so that
    errors can name the line of a cell.
    """
    return _read_csv(path, text_columns=text_columns, unique_units=False)


def row_lines(frame: pd.DataFrame) -> list[int | None]:
    """The line in the file of each row of ``frame`` (None when not read from a file)."""
    rows = frame.attrs.get(ROWS_ATTR)
    if rows is not None:  # a long file; after filtering the lines no longer match the rows
        return list(rows) if len(rows) == len(frame) else [None] * len(frame)
    lines = frame.attrs.get(LINES_ATTR, {})
    return [lines.get(unit) for unit in frame.index]


def _read_csv(
    path: str | Path, *, text_columns: Iterable[str], unique_units: bool
) -> pd.DataFrame:
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
    rows: list[int] = []
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
        if unit in lines and unique_units:
            raise MethodInputError(
                "duplicate_unit_id", file=file, row=line, column=unit_col, unit=unit,
                first=Text(f"第 {lines[unit]} 行", f"row {lines[unit]}"),
            )
        lines.setdefault(unit, line)
        units.append(unit)
        rows.append(line)
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
    if not unique_units:
        frame.attrs[ROWS_ATTR] = rows
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
    return any(isinstance(to_float(cell), float) for cell in series)


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
    allow_missing: bool = False,
) -> np.ndarray:
    """Return ``frame[columns]`` as an (n, k) float array after checking every cell.

    ``minimum=0`` rejects negative values, ``strictly_positive`` rejects values <= 0
    (for logarithms), ``upper`` with ``minimum`` rejects values outside [minimum, upper].
    Missing cells are an error unless ``allow_missing`` (then they are NaN).
    """
    require_columns(frame, columns)
    loc = where(frame)
    out = np.empty((len(frame), len(columns)), dtype=float)
    for j, column in enumerate(columns):
        for i, (unit, cell) in enumerate(zip(frame.index, frame[column], strict=True)):
            value = to_float(cell)
            if value is BAD:
                raise loc.cell("non_numeric", unit, column, value=str(cell))
            if value is None:
                if not allow_missing:
                    raise loc.cell("missing_value", unit, column)
                out[i, j] = np.nan
                continue
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


BAD = object()  # a cell that is neither missing nor a finite number


def to_float(cell: object) -> object:
    """A cell as a float, None when missing (empty, NaN, NA), or ``BAD`` when it is not a
    finite number."""
    if cell is None or cell is pd.NA or cell is pd.NaT:
        return None
    if isinstance(cell, str):
        if cell.strip() == "":
            return None
        try:
            return parse_number(cell)
        except ValueError:
            return BAD
    if isinstance(cell, bool | np.bool_):
        return BAD
    try:
        value = float(cell)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return BAD
    if math.isnan(value):
        return None
    if not math.isfinite(value):
        return BAD
    return value


def split_names(text: str | None) -> list[str]:
    """``"A,B"`` -> ``["A", "B"]`` (also accepts the Chinese comma ``，``)."""
    if not text:
        return []
    return [part.strip() for part in re.split(r"[,，]", text) if part.strip()]
