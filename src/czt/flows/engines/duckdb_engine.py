"""DuckDB engine: the default, out of core on one machine.

DuckDB streams Parquet row groups through a parallel hash aggregate and spills to
``temp_directory`` when the hash table outgrows ``memory_limit``, so 10⁹ rows aggregate in
bounded memory (the aggregate itself has at most 23² pairs × buckets × periods × kinds rows).
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import pyarrow as pa
from tqdm import tqdm

from czt.flows.engines.base import (
    AggregateSpec,
    FlowAggregate,
    Source,
    aggregate_sql,
    has_weight,
    normalise,
    resolve_files,
)

DEFAULT_MEMORY_LIMIT = "2GB"


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
        self, source: Source, spec: AggregateSpec | None = None, *, progress: bool = False
    ) -> FlowAggregate:
        spec = spec or AggregateSpec()
        files = resolve_files(source)
        any_w, all_w = has_weight(files)
        listing = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
        union = ", union_by_name = true" if any_w and not all_w else ""
        relation = f"read_parquet([{listing}]{union})"
        t0 = time.perf_counter()
        table = self.query(
            aggregate_sql(spec, relation, "duckdb", any_w),
            progress=progress,
            desc="聚合 aggregate (duckdb)",
        )
        frame = normalise(table, any_w)
        return FlowAggregate(frame, spec, self.name, files, time.perf_counter() - t0)


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
