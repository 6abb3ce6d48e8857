"""Validation of origin–destination Parquet files before anything is stored.

Every check runs out of core in DuckDB: one scan counts the rows that break each rule, and only
for broken rules a second, limited query fetches example rows. A file's report names the file,
the column, how many rows break the rule and the first few rows (numbered from 1) with their
values, so that whoever produced the file can fix it without a debugger.

Checks: readable Parquet; not empty; required columns present with usable types; no nulls;
origin/destination among the 23 county codes; dates real and between 2000-01-01 and today;
period an hour, day part or ``day``; kind in :data:`czt.flows.schema.KINDS`; counts whole and
non-negative; weights finite and non-negative.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from czt.flows import schema
from czt.flows.messages import msg
from czt.flows.regions import county_codes

MAX_EXAMPLES = 5


@dataclass
class Problem:
    """One broken rule in one file: ``check`` is a message key of :mod:`czt.flows.messages`."""

    check: str
    column: str | None = None
    count: int = 0
    examples: list[tuple[int, str]] = field(default_factory=list)
    params: dict[str, object] = field(default_factory=dict)

    def message(self, lang: str = "zh") -> str:
        text = msg(self.check, lang, column=self.column, count=self.count, **self.params)
        if self.examples:
            shown = "; ".join(msg("example_row", lang, row=r, value=v) for r, v in self.examples)
            text += ("，" if lang == "zh" else ", ") + msg("examples", lang, examples=shown)
        return text

    def to_dict(self, lang: str = "zh") -> dict[str, object]:
        return {
            "check": self.check,
            "column": self.column,
            "count": self.count,
            "examples": [{"row": r, "value": v} for r, v in self.examples],
            "message": self.message(lang),
        }


@dataclass
class FileReport:
    """Outcome of validating one file; ``select_sql`` rewrites it to the canonical schema."""

    path: Path
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    canonical: bool = False
    has_weight: bool = False
    select_sql: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def message(self, lang: str = "zh") -> str:
        name = self.path.name
        if self.ok:
            return msg(
                "file_ok",
                lang,
                file=name,
                rows=self.rows,
                first=self.first_date,
                last=self.last_date,
            )
        lines = [msg("file_failed", lang, file=name, rows=self.rows)]
        lines += [f"  - {p.message(lang)}" for p in self.problems]
        return "\n".join(lines)

    def to_dict(self, lang: str = "zh") -> dict[str, object]:
        return {
            "file": str(self.path),
            "ok": self.ok,
            "rows": self.rows,
            "first_date": self.first_date.isoformat() if self.first_date else None,
            "last_date": self.last_date.isoformat() if self.last_date else None,
            "problems": [p.to_dict(lang) for p in self.problems],
            "message": self.message(lang),
        }


class FlowValidationError(ValueError):
    """Raised when any file of a batch fails; carries every report so all can be shown."""

    def __init__(self, reports: Sequence[FileReport], lang: str = "zh") -> None:
        self.reports = list(reports)
        self.lang = lang
        super().__init__(self.message(lang))

    @property
    def failed(self) -> list[FileReport]:
        return [r for r in self.reports if not r.ok]

    def message(self, lang: str = "zh") -> str:
        parts = [r.message(lang) for r in self.failed]
        parts.append(msg("batch_rejected", lang, n=len(self.failed)))
        return "\n".join(parts)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _base(t: pa.DataType) -> pa.DataType:
    return t.value_type if pa.types.is_dictionary(t) else t


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)


def _is_number(t: pa.DataType) -> bool:
    return pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t)


@dataclass
class _Column:
    """How one source column is read: normalised SQL and the rules it must satisfy."""

    name: str
    norm: str
    checks: list[tuple[str, str, dict[str, object]]]  # (check key, predicate, params)


def _plan_column(name: str, t: pa.DataType, today: dt.date) -> _Column | Problem:
    q = _q(name)
    codes = ", ".join(str(c) for c in county_codes())
    if name in ("origin", "destination"):
        if pa.types.is_integer(t):
            norm = f"CAST({q} AS BIGINT)"
        elif _is_text(t):
            norm = f"CASE WHEN regexp_full_match({q}, '[0-9]{{6}}') THEN CAST({q} AS BIGINT) END"
        else:
            return Problem("bad_type", name, params={"found": t, "expected": "int32 / 6 位文本"})
        pred = f"{q} IS NOT NULL AND coalesce({norm} NOT IN ({codes}), true)"
        return _Column(name, norm, [("unknown_code", pred, {})])
    if name == "date":
        if pa.types.is_date(t):
            norm = q
        elif pa.types.is_timestamp(t):
            norm = f"CAST({q} AS DATE)"
        elif _is_text(t):
            norm = f"CAST(try_strptime({q}, '%Y-%m-%d') AS DATE)"
        else:
            return Problem("bad_type", name, params={"found": t, "expected": "date32 / YYYY-MM-DD"})
        rng = {"first": schema.MIN_DATE.isoformat(), "last": today.isoformat()}
        out = (
            f"{norm} IS NOT NULL AND ({norm} < DATE {_lit(schema.MIN_DATE)} "
            f"OR {norm} > DATE {_lit(today)})"
        )
        return _Column(
            name,
            norm,
            [
                ("bad_date", f"{q} IS NOT NULL AND {norm} IS NULL", {}),
                ("date_out_of_range", out, rng),
            ],
        )
    if name == "period":
        if _is_text(t):
            norm = q
        elif pa.types.is_integer(t):
            norm = f"CASE WHEN {q} BETWEEN 0 AND 23 THEN lpad(CAST({q} AS VARCHAR), 2, '0') END"
        else:
            return Problem("bad_type", name, params={"found": t, "expected": "string / 0–23"})
        vocab = ", ".join(_lit(p) for p in schema.PERIODS)
        pred = f"{q} IS NOT NULL AND coalesce({norm} NOT IN ({vocab}), true)"
        return _Column(name, norm, [("bad_period", pred, {"parts": ", ".join(schema.DAY_PARTS)})])
    if name == "kind":
        if not _is_text(t):
            return Problem("bad_type", name, params={"found": t, "expected": "string"})
        vocab = ", ".join(_lit(k) for k in schema.KINDS)
        pred = f"{q} IS NOT NULL AND {q} NOT IN ({vocab})"
        return _Column(name, q, [("bad_kind", pred, {"kinds": ", ".join(schema.KINDS)})])
    if name in ("count", "weight"):
        if not _is_number(t):
            return Problem("bad_type", name, params={"found": t, "expected": "integer / number"})
        checks: list[tuple[str, str, dict[str, object]]] = []
        if pa.types.is_floating(t):
            # Through text on purpose: DuckDB folds isnan() to false when the Parquet min/max
            # statistics (which skip NaN) say the column is finite.
            bad = f"CAST({q} AS VARCHAR) IN ('nan', 'inf', '-inf')"
            checks.append(("not_finite", bad, {}))
            finite = f"NOT {bad}"
        else:
            finite = "true"
        checks.append(("negative", f"{finite} AND {q} < 0", {}))
        if name == "count" and not pa.types.is_integer(t):
            checks.append(("not_integer", f"{finite} AND {q} <> floor({q})", {}))
        norm = f"CAST({q} AS {'BIGINT' if name == 'count' else 'DOUBLE'})"
        return _Column(name, norm, checks)
    raise KeyError(name)  # pragma: no cover - only schema columns are planned


def _open(path: Path) -> tuple[pa.Schema, int] | Problem:
    if not path.is_file():
        return Problem("missing_file")
    try:
        meta = pq.read_metadata(path)
        return meta.schema.to_arrow_schema(), meta.num_rows
    except Exception as exc:  # whatever the reader trips on, the file is not usable Parquet
        return Problem("not_parquet", params={"detail": type(exc).__name__})


def connect_for_validation(memory_limit: str = "1GB") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection sized for scanning, not for holding data."""
    con = duckdb.connect(config={"memory_limit": memory_limit})
    con.execute("SET preserve_insertion_order = false")
    return con


def validate_file(
    path: str | Path, *, today: dt.date | None = None, con: duckdb.DuckDBPyConnection | None = None
) -> FileReport:
    """Check one file completely; never raises for bad content, returns a report instead."""
    path = Path(path)
    report = FileReport(path=path)
    opened = _open(path)
    if isinstance(opened, Problem):
        report.problems.append(opened)
        return report
    arrow_schema, report.rows = opened
    today = today or dt.date.today()
    types = {f.name: _base(f.type) for f in arrow_schema}
    plans: list[_Column] = []
    for name in schema.REQUIRED_COLUMNS + schema.OPTIONAL_COLUMNS:
        if name not in types:
            if name in schema.REQUIRED_COLUMNS:
                report.problems.append(Problem("missing_column", name))
            continue
        planned = _plan_column(name, types[name], today)
        if isinstance(planned, Problem):
            report.problems.append(planned)
        else:
            plans.append(planned)
    if report.problems:
        return report
    if report.rows == 0:
        report.problems.append(Problem("empty"))
        return report
    report.has_weight = "weight" in types
    report.canonical = schema.is_canonical(arrow_schema)
    _scan(con or connect_for_validation(), report, plans)
    if report.ok:
        report.select_sql = ", ".join(
            f"CAST({c.norm} AS {_sql_type(c.name)}) AS {_q(c.name)}" for c in plans
        )
    return report


def _sql_type(name: str) -> str:
    return {
        "origin": "INTEGER",
        "destination": "INTEGER",
        "date": "DATE",
        "period": "VARCHAR",
        "kind": "VARCHAR",
        "count": "BIGINT",
        "weight": "DOUBLE",
    }[name]


def _scan(con: duckdb.DuckDBPyConnection, report: FileReport, plans: list[_Column]) -> None:
    src = f"read_parquet({_lit(report.path)})"
    rules: list[tuple[str, str, str, dict[str, object]]] = []
    for c in plans:
        if c.name in schema.REQUIRED_COLUMNS:
            rules.append(("null", c.name, f"{_q(c.name)} IS NULL", {}))
        rules += [(key, c.name, pred, params) for key, pred, params in c.checks]
    date_norm = next(c.norm for c in plans if c.name == "date")
    counts = ", ".join(f"count(*) FILTER (WHERE {pred})" for _, _, pred, _ in rules)
    row = con.execute(f"SELECT min({date_norm}), max({date_norm}), {counts} FROM {src}").fetchone()
    assert row is not None
    report.first_date, report.last_date = row[0], row[1]
    for (key, column, pred, params), n in zip(rules, row[2:], strict=True):
        if not n:
            continue
        examples = con.execute(
            f"SELECT file_row_number + 1, CAST({_q(column)} AS VARCHAR) "
            f"FROM read_parquet({_lit(report.path)}, file_row_number = true) "
            f"WHERE {pred} ORDER BY 1 LIMIT {MAX_EXAMPLES}"
        ).fetchall()
        report.problems.append(
            Problem(
                key,
                column,
                int(n),
                [(int(r), "NULL" if v is None else v) for r, v in examples],
                params,
            )
        )


def validate_files(
    paths: Iterable[str | Path], *, today: dt.date | None = None, progress: bool = False
) -> list[FileReport]:
    """Validate several files with one connection and, if asked, a progress bar."""
    paths = [Path(p) for p in paths]
    con = connect_for_validation()
    try:
        return [
            validate_file(p, today=today, con=con)
            for p in tqdm(paths, desc="校验 validate", unit="file", disable=not progress)
        ]
    finally:
        con.close()
