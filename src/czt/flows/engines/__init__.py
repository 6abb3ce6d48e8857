"""Engines behind one interface: :class:`DuckDBEngine` (default) and :class:`SparkEngine`.

``get_engine("duckdb" | "spark", **options)`` returns an object with
``aggregate(source, spec, progress=...) -> FlowAggregate``. Spark is imported only when asked
for, so the DuckDB path works without a JVM.
"""

from __future__ import annotations

from czt.flows.engines.base import (
    AggregateSpec,
    FlowAggregate,
    FlowEngine,
    NoFilesError,
    Source,
    resolve_files,
)
from czt.flows.engines.duckdb_engine import DuckDBEngine

ENGINES = ("duckdb", "spark")


def get_engine(name: str = "duckdb", **options: object) -> FlowEngine:
    """An engine by name; ``options`` go to its constructor (memory_limit, master, …)."""
    if name == "duckdb":
        return DuckDBEngine(**options)  # type: ignore[arg-type]
    if name == "spark":
        from czt.flows.engines.spark_engine import SparkEngine

        return SparkEngine(**options)  # type: ignore[arg-type]
    raise ValueError(f"engine must be one of {ENGINES}, not {name!r}")


def aggregate(
    source: Source,
    spec: AggregateSpec | None = None,
    *,
    engine: str | FlowEngine = "duckdb",
    progress: bool = False,
    **options: object,
) -> FlowAggregate:
    """Aggregate a source to pair × time × period × kind with the chosen engine."""
    eng = get_engine(engine, **options) if isinstance(engine, str) else engine
    return eng.aggregate(source, spec, progress=progress)


__all__ = [
    "AggregateSpec",
    "DuckDBEngine",
    "ENGINES",
    "FlowAggregate",
    "FlowEngine",
    "NoFilesError",
    "aggregate",
    "get_engine",
    "resolve_files",
]
