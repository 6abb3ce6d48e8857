"""The whole flows path in one call: aggregate, then metrics, with the metrics' start-up
hidden behind the aggregation.

Run one after the other, ``aggregate`` and ``flow_metrics`` pay about 1.2 s that has nothing
to do with the data: the first PPML fit in a process imports pyfixest's estimation stack. At
10⁸ rows that was over a quarter of the pipeline. DuckDB (and Spark's driver, which only
waits on the JVM) releases the GIL while it aggregates, so :func:`flow_pipeline` runs those
imports in a background thread *during* the aggregation (:func:`czt.flows.gravity.warm_up`)
and joins it before the metrics start. On two busy cores the import takes CPU from the scan
and about 0.4 s of the 1.2 s is saved; with a spare core, all of it.

Nothing computed from the data is cached or shared between the stages: the aggregate is the
engine's, and the metrics are :func:`czt.flows.metrics.flow_metrics` on it, so the numbers
are identical to calling the two functions in turn (the tests check it, down to the bit).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from czt.flows.engines import AggregateSpec, FlowAggregate, FlowEngine, Source, get_engine
from czt.flows.metrics import FlowMetrics, flow_metrics


@dataclass
class PipelineResult:
    """The aggregate, its metrics, and where the time went."""

    aggregate: FlowAggregate
    metrics: FlowMetrics
    aggregate_seconds: float
    metrics_seconds: float

    @property
    def seconds(self) -> float:
        return self.aggregate_seconds + self.metrics_seconds

    def to_dict(self) -> dict[str, object]:
        return {
            "aggregate": self.aggregate.to_dict(limit=0),
            "metrics": self.metrics.to_dict(),
            "seconds": round(self.seconds, 3),
            "aggregate_seconds": round(self.aggregate_seconds, 3),
            "metrics_seconds": round(self.metrics_seconds, 3),
        }


class WarmUp:
    """Runs :func:`czt.flows.gravity.warm_up` in a thread; errors are kept, not raised.

    A failed warm-up (say pyfixest is missing) must not hide the aggregate: the real fit that
    follows raises the same error where the user expects it.
    """

    def __init__(self) -> None:
        self.error: BaseException | None = None
        self.seconds = 0.0
        self._thread = threading.Thread(target=self._run, name="czt-ppml-warm-up", daemon=True)

    def _run(self) -> None:
        t0 = time.perf_counter()
        try:
            from czt.flows.gravity import warm_up

            warm_up()
        except Exception as exc:  # the real fit reports it where the user expects it
            self.error = exc
        self.seconds = time.perf_counter() - t0

    def start(self) -> WarmUp:
        self._thread.start()
        return self

    def join(self) -> None:
        self._thread.join()


def flow_pipeline(
    source: Source,
    spec: AggregateSpec | None = None,
    *,
    engine: str | FlowEngine = "duckdb",
    by: Sequence[str] = ("time",),
    border: bool = True,
    kinds: Sequence[str] | None = None,
    progress: bool = False,
    **options: object,
) -> PipelineResult:
    """Aggregate ``source`` with ``engine``, then compute :func:`flow_metrics` on the result.

    Same arguments and same results as ``flow_metrics(aggregate(source, spec, ...), ...)``;
    only faster, because the PPML start-up overlaps the aggregation when ``border`` is on.
    """
    eng = get_engine(engine, **options) if isinstance(engine, str) else engine
    t0 = time.perf_counter()
    warm = WarmUp().start() if border else None
    try:
        agg = eng.aggregate(source, spec, progress=progress)
        t_agg = time.perf_counter() - t0
    finally:
        if warm is not None:
            # Joined on failure too: a daemon thread still importing at interpreter exit
            # can crash the exit. Any wait here is counted in the metrics' time.
            warm.join()
    metrics = flow_metrics(agg, by=by, border=border, kinds=kinds)
    return PipelineResult(agg, metrics, t_agg, time.perf_counter() - t0 - t_agg)
