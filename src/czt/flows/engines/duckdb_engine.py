"""DuckDB engine: the default, out of core on one machine.

DuckDB streams Parquet row groups through a parallel hash aggregate and spills to
``temp_directory`` when the hash table outgrows ``memory_limit``, so 10⁹ rows aggregate in
bounded memory (the aggregate itself has at most 23² pairs × buckets × periods × kinds rows).

When the files are laid out by date, as daily deliveries are, the engine aggregates one time
bucket at a time (:meth:`DateZones.parts`): each bucket's hash table is a 24th of the whole
at month grain and stays in cache, and ``time`` drops out of the hash key. That took a
quarter off the aggregate at 10⁸ rows and 30 % at 10⁹. The layout is read from the Parquet
footers' per-row-group date ranges, the same statistics DuckDB prunes row groups with; files
that are not laid out by date get the single scan.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from czt.flows.engines.base import (
    AggregateSpec,
    FlowAggregate,
    Source,
    TimePart,
    aggregate_sql,
    has_weight,
    normalise,
    resolve_files,
)
from czt.flows.schema import bucket_start, next_bucket

DEFAULT_MEMORY_LIMIT = "2GB"
#: Bucket by bucket only if the buckets' scans together read at most this multiple of the
#: rows in the date range: a row group that straddles a bucket boundary is decoded by both
#: buckets. At 10⁸ rows months read 1.23× and were 25 % faster than one scan; weeks read
#: 2.05× and were 12 % slower.
MAX_READ_FACTOR = 1.5
#: … and if the buckets average at least this many rows: a bucket of a few row groups
#: leaves one of the cores idle while its hash table is finalised.
MIN_ROWS_PER_PART = 2**21
#: … and up to this many buckets (branches of one ``UNION ALL``).
MAX_TIME_PARTS = 256


class DuckDBEngine:
    """Aggregates with DuckDB under ``memory_limit`` (DuckDB syntax, e.g. ``"2GB"``)."""

    name = "duckdb"

    def __init__(
        self,
        memory_limit: str = DEFAULT_MEMORY_LIMIT,
        threads: int | None = None,
        temp_directory: str | Path | None = None,
    ) -> None:
        self.memory_limit = memory_limit
        self.threads = threads or os.cpu_count() or 1
        self.temp_directory = Path(temp_directory or tempfile.gettempdir()) / "czt-duckdb"

    def connect(self) -> duckdb.DuckDBPyConnection:
        """A fresh in-memory connection with the engine's limits."""
        con = duckdb.connect(
            config={
                "memory_limit": self.memory_limit,
                "threads": self.threads,
                "temp_directory": str(self.temp_directory),
                "preserve_insertion_order": False,
            }
        )
        return con

    def query(self, sql: str, *, progress: bool = False, desc: str = "DuckDB") -> pa.Table:
        """Run one query, showing DuckDB's own progress estimate as a bar if asked."""
        con = self.connect()
        try:
            return run_with_progress(con, sql, progress=progress, desc=desc)
        finally:
            con.close()

    def aggregate(
        self,
        source: Source,
        spec: AggregateSpec | None = None,
        *,
        progress: bool = False,
        by_time: bool | None = None,
    ) -> FlowAggregate:
        """Aggregate ``source``; ``by_time`` forces (True) or forbids (False) the bucket-by-
        bucket plan, which by default is used when the files' layout makes it pay."""
        spec = spec or AggregateSpec()
        t0 = time.perf_counter()
        files = resolve_files(source)
        any_w, all_w = has_weight(files)
        mixed = any_w and not all_w
        zones = None if mixed or by_time is False else DateZones.read(files)
        parts = zones.parts(files, spec, force=bool(by_time)) if zones else None
        table = self.query(
            aggregate_sql(spec, relation(files, mixed), "duckdb", any_w, parts),
            progress=progress,
            desc="聚合 aggregate (duckdb)",
        )
        frame = normalise(table, any_w)
        unfiltered = not (spec.kinds or spec.start or spec.end)
        if parts and zones and unfiltered and int(frame["records"].sum()) != zones.total_rows:
            # Only footers whose date statistics lie could get here; the single scan does not
            # depend on them.
            table = self.query(aggregate_sql(spec, relation(files, mixed), "duckdb", any_w))
            frame = normalise(table, any_w)
        return FlowAggregate(frame, spec, self.name, files, time.perf_counter() - t0)


def relation(files: Sequence[Path], union_by_name: bool = False) -> str:
    """``read_parquet`` of ``files`` (quoted), by column name if their columns differ."""
    listing = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
    return f"read_parquet([{listing}]{', union_by_name = true' if union_by_name else ''})"


class DateZones:
    """Each row group's first and last date and row count, from the Parquet footers."""

    def __init__(self, file: np.ndarray, lo: np.ndarray, hi: np.ndarray, rows: np.ndarray):
        self.file, self.lo, self.hi, self.rows = file, lo, hi, rows

    @property
    def total_rows(self) -> int:
        return int(self.rows.sum())

    @classmethod
    def read(cls, files: Sequence[Path]) -> DateZones | None:
        """Read the footers; ``None`` if a row group has no usable ``date`` statistics."""
        cols: list[list[int]] = [[], [], [], []]
        for k, path in enumerate(files):
            meta = pq.read_metadata(path)
            names = [meta.schema.column(j).name for j in range(meta.num_columns)]
            if "date" not in names:
                return None
            j = names.index("date")
            for r in range(meta.num_row_groups):
                group = meta.row_group(r)
                if group.num_rows == 0:
                    continue
                stats = group.column(j).statistics
                if stats is None or not stats.has_min_max or type(stats.min) is not dt.date:
                    return None
                for col, value in zip(
                    cols,
                    (k, stats.min.toordinal(), stats.max.toordinal(), group.num_rows),
                    strict=True,
                ):
                    col.append(value)
        if not cols[0]:
            return None
        return cls(*(np.asarray(c, dtype=np.int64) for c in cols))

    def parts(
        self, files: Sequence[Path], spec: AggregateSpec, *, force: bool = False
    ) -> list[TimePart] | None:
        """The time buckets to aggregate one by one, or ``None`` for a single scan.

        ``None`` when there are fewer than two or more than :data:`MAX_TIME_PARTS` buckets
        with data, when the buckets' scans would together read more than
        :data:`MAX_READ_FACTOR` times the rows in range (files not laid out by date), or
        when the buckets average fewer than :data:`MIN_ROWS_PER_PART` rows. ``force`` skips
        the last two checks (tests, benchmarks).
        """
        first = dt.date.fromordinal(int(self.lo.min()))
        last = dt.date.fromordinal(int(self.hi.max()))
        first = max(first, spec.start) if spec.start else first
        last = min(last, spec.end) if spec.end else last
        if first > last:
            return None
        in_range = (self.lo <= last.toordinal()) & (self.hi >= first.toordinal())
        parts: list[TimePart] = []
        read = 0
        start = bucket_start(first, spec.time)
        while start <= last:
            end = next_bucket(start, spec.time)
            hit = (self.lo < end.toordinal()) & (self.hi >= start.toordinal())
            if hit.any():
                read += int(self.rows[hit].sum())
                mine = [files[k] for k in np.unique(self.file[hit])]
                parts.append(TimePart(start, end, relation(mine)))
                if len(parts) > MAX_TIME_PARTS:
                    return None
            start = end
        if len(parts) < 2:
            return None
        rows = int(self.rows[in_range].sum())
        if not force and (read > MAX_READ_FACTOR * rows or rows < MIN_ROWS_PER_PART * len(parts)):
            return None
        return parts


def run_with_progress(
    con: duckdb.DuckDBPyConnection, sql: str, *, progress: bool, desc: str = "DuckDB"
) -> pa.Table:
    """Execute ``sql``; while it runs, poll ``query_progress()`` into a tqdm bar.

    DuckDB releases the GIL during execution, so a worker thread runs the query and the
    calling thread draws the bar. Errors from the worker are re-raised here.
    """
    if not progress:
        return con.sql(sql).to_arrow_table()
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["table"] = con.sql(sql).to_arrow_table()
        except BaseException as exc:
            box["error"] = exc

    worker = threading.Thread(target=work, daemon=True)
    with tqdm(total=100, desc=desc, unit="%", bar_format="{l_bar}{bar}| {elapsed}") as bar:
        worker.start()
        while worker.is_alive():
            worker.join(0.25)
            done = con.query_progress()
            if done > bar.n:
                bar.update(min(done, 100) - bar.n)
        bar.update(100 - bar.n)
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["table"]  # type: ignore[return-value]
