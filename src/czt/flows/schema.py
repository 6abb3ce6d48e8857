"""The origin–destination record: one schema for real and synthetic data.

A record says that ``count`` movements or links of a ``kind`` went from region ``origin`` to
region ``destination`` on ``date`` during ``period`` of the day. Carriers' mobility data
(手机信令), enterprise branch registers and cross-city service logs (跨域通办) all fit it.

Canonical Parquet columns (what :mod:`czt.flows.dataset` stores and the engines read):

============  ==========  =====================================================
column        Arrow type  meaning
============  ==========  =====================================================
origin        int32       GB/T 2260 code of one of the 23 districts/counties
destination   int32       idem
date          date32      calendar day (Asia/Shanghai)
period        string      hour ``"00"``–``"23"`` (hour starting then), a day part
                          (``night``, ``am_peak``, ``daytime``, ``pm_peak``,
                          ``evening``) or ``day`` for a whole-day record
kind          string      one of :data:`KINDS`
count         int64       number of people, trips or links; ≥ 0
weight        float64     optional value that is not a count (e.g. amount); ≥ 0
============  ==========  =====================================================

Sources may use looser types (string codes, ``YYYY-MM-DD`` text dates, integer hours, float
counts that are whole numbers); validation accepts them and ingest rewrites them to the
canonical types, so the engines only ever see one schema.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

REQUIRED_COLUMNS: tuple[str, ...] = ("origin", "destination", "date", "period", "kind", "count")
OPTIONAL_COLUMNS: tuple[str, ...] = ("weight",)

HOURS: tuple[str, ...] = tuple(f"{h:02d}" for h in range(24))

#: Day parts and the hours they cover. Peaks follow the usual urban-transport convention
#: (早高峰 06–09, 晚高峰 16–19); a source that only knows day parts uses these labels.
DAY_PARTS: dict[str, tuple[int, ...]] = {
    "night": tuple(range(0, 6)),
    "am_peak": tuple(range(6, 9)),
    "daytime": tuple(range(9, 16)),
    "pm_peak": tuple(range(16, 19)),
    "evening": tuple(range(19, 24)),
}
DAY_PART_NAMES_ZH = {
    "night": "夜间",
    "am_peak": "早高峰",
    "daytime": "日间",
    "pm_peak": "晚高峰",
    "evening": "晚间",
    "day": "全天",
}
WHOLE_DAY = "day"
PERIODS: tuple[str, ...] = HOURS + tuple(DAY_PARTS) + (WHOLE_DAY,)

#: Kinds of flow. Adding one is a reviewed change here, so that a typo in a source file
#: ("comute") is an error rather than a new kind nobody looks at.
KINDS: dict[str, str] = {
    "commute": "通勤",
    "trip": "出行",
    "enterprise_link": "企业关联",
    "service_use": "跨域服务使用",
}

#: Plausible dates: nothing before the 2000s data era, nothing in the future.
MIN_DATE = dt.date(2000, 1, 1)

CANONICAL_TYPES: dict[str, pa.DataType] = {
    "origin": pa.int32(),
    "destination": pa.int32(),
    "date": pa.date32(),
    "period": pa.string(),
    "kind": pa.string(),
    "count": pa.int64(),
    "weight": pa.float64(),
}


def canonical_schema(with_weight: bool = False) -> pa.Schema:
    """Arrow schema of a canonical file."""
    cols = REQUIRED_COLUMNS + (OPTIONAL_COLUMNS if with_weight else ())
    return pa.schema([pa.field(c, CANONICAL_TYPES[c]) for c in cols])


def is_canonical(schema: pa.Schema) -> bool:
    """True when a file can be copied byte for byte (no rewrite needed)."""
    names = [n for n in schema.names]
    if names[: len(REQUIRED_COLUMNS)] != list(REQUIRED_COLUMNS):
        return False
    if names[len(REQUIRED_COLUMNS) :] not in ([], list(OPTIONAL_COLUMNS)):
        return False
    for field in schema:
        t = field.type
        if pa.types.is_dictionary(t):
            t = t.value_type
        want = CANONICAL_TYPES[field.name]
        if t != want and not (want == pa.string() and pa.types.is_large_string(t)):
            return False
    return True


# --- aggregation vocabulary -------------------------------------------------------------

#: How the calendar is bucketed; each bucket is labelled by its first day.
TIME_GRAINS: tuple[str, ...] = ("day", "week", "month", "quarter", "year")
#: How the time of day is bucketed.
PERIOD_GRAINS: tuple[str, ...] = ("hour", "day_part", "day")

AGGREGATE_KEYS: tuple[str, ...] = ("origin", "destination", "time", "period", "kind")


def aggregate_schema(with_weight: bool = False) -> pa.Schema:
    """Arrow schema of an aggregate: one row per pair × time bucket × period × kind."""
    fields = [
        pa.field("origin", pa.int32()),
        pa.field("destination", pa.int32()),
        pa.field("time", pa.date32()),
        pa.field("period", pa.string()),
        pa.field("kind", pa.string()),
        pa.field("flows", pa.int64()),
        pa.field("records", pa.int64()),
    ]
    if with_weight:
        fields.append(pa.field("weight", pa.float64()))
    return pa.schema(fields)


def period_case_sql(column: str, grain: str) -> str:
    """SQL (valid in DuckDB and Spark alike) mapping a ``period`` label to its bucket.

    Hours map to their day part; labels that already are day parts or ``day`` stay as they
    are when the grain allows it. One function serves both engines so they cannot disagree.
    """
    if grain == "hour":
        return column
    if grain == WHOLE_DAY:
        return f"'{WHOLE_DAY}'"
    if grain != "day_part":
        raise ValueError(f"unknown period grain {grain!r}; choose from {PERIOD_GRAINS}")
    whens = " ".join(
        f"WHEN {column} IN ({', '.join(repr(HOURS[h]) for h in hours)}) THEN '{part}'"
        for part, hours in DAY_PARTS.items()
    )
    return f"CASE {whens} ELSE {column} END"


def bucket_start(value: dt.date, grain: str) -> dt.date:
    """First day of the ``grain`` bucket holding ``value`` (weeks start on Monday).

    The same labels as the engines' SQL (``date_trunc`` / ``trunc``); used to cut a scan
    into time buckets that are aggregated one at a time.
    """
    if grain == "day":
        return value
    if grain == "week":
        return value - dt.timedelta(days=value.weekday())
    if grain == "month":
        return value.replace(day=1)
    if grain == "quarter":
        return dt.date(value.year, 3 * ((value.month - 1) // 3) + 1, 1)
    if grain == "year":
        return dt.date(value.year, 1, 1)
    raise ValueError(f"unknown time grain {grain!r}; choose from {TIME_GRAINS}")


def next_bucket(start: dt.date, grain: str) -> dt.date:
    """First day of the bucket after the one starting on ``start``."""
    if grain in ("day", "week"):
        return start + dt.timedelta(days=1 if grain == "day" else 7)
    months = {"month": 1, "quarter": 3, "year": 12}[grain]
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def time_label(value: dt.date, grain: str) -> str:
    """Human label of a time bucket: ``2024-03`` for a month, ``2024Q1``, ``2024`` …"""
    if grain == "month":
        return f"{value.year}-{value.month:02d}"
    if grain == "quarter":
        return f"{value.year}Q{(value.month - 1) // 3 + 1}"
    if grain == "year":
        return str(value.year)
    return value.isoformat()
