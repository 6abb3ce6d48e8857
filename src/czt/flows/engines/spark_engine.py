"""Spark engine: the same aggregation on a cluster when the data outgrow one machine.

``local[*]`` runs Spark inside this machine (tests use ``local[2]``); ``master="spark://…"``
or ``"yarn"`` runs on a cluster. There the executors open the Parquet files themselves, so
the files must be at the same paths on every worker (a shared or mounted file system; Spark
makes relative paths absolute against the driver's working folder). The query is pure SQL:
executors need no Python. Should a Python step run there, it uses ``PYSPARK_PYTHON``
(default: this interpreter, ``sys.executable``), which must then exist on the workers too.

A master on the loopback address (``spark://127.0.0.1:…``, as ``scripts/spark-standalone.sh``
and :mod:`czt.flows.spark_cluster` start it) can only have workers on this machine, so the
driver then binds to the loopback address as well, instead of whatever the host name
resolves to.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import warnings
from typing import TYPE_CHECKING

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

# pyspark 4.x warns about pandas 3 on import and on conversions; results cross as Arrow here.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import SparkSession


def build_session(
    master: str = "local[*]",
    *,
    app_name: str = "czt-flows",
    shuffle_partitions: int | None = None,
    driver_memory: str = "2g",
    conf: dict[str, str] | None = None,
) -> SparkSession:
    """Start (or join) a Spark session configured for the flows path."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.driver.memory", driver_memory)
        .config("spark.sql.session.timeZone", "Asia/Shanghai")
        .config("spark.ui.showConsoleProgress", "false")
    )
    if shuffle_partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    for key, value in {**driver_address_conf(master), **(conf or {})}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    logging.getLogger("py4j").setLevel(logging.WARNING)  # no INFO chatter at interpreter exit
    return spark


LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def driver_address_conf(master: str) -> dict[str, str]:
    """Bind the driver to the loopback address when every master is on it.

    Executors connect back to the driver. By default Spark advertises the address the host
    name resolves to, which on a laptop or a sandbox may be an interface the local workers
    cannot reach (or one that exposes the driver to the network for no reason).
    """
    if not master.startswith("spark://"):
        return {}
    hosts = [h.strip().rsplit(":", 1)[0] for h in master[len("spark://") :].split(",")]
    if hosts and all(h in LOOPBACK for h in hosts):
        return {"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1"}
    return {}


class SparkEngine:
    """Aggregates with PySpark; pass ``spark`` to reuse a session (tests share one)."""

    name = "spark"

    def __init__(
        self,
        master: str = "local[*]",
        *,
        spark: SparkSession | None = None,
        shuffle_partitions: int | None = None,
        driver_memory: str = "2g",
        conf: dict[str, str] | None = None,
    ) -> None:
        self.master = master
        self._spark = spark
        self._options = {
            "shuffle_partitions": shuffle_partitions,
            "driver_memory": driver_memory,
            "conf": conf,
        }

    @property
    def spark(self) -> SparkSession:
        if self._spark is None:
            self._spark = build_session(self.master, **self._options)  # type: ignore[arg-type]
        return self._spark

    def aggregate(
        self, source: Source, spec: AggregateSpec | None = None, *, progress: bool = False
    ) -> FlowAggregate:
        spec = spec or AggregateSpec()
        files = resolve_files(source)
        any_w, all_w = has_weight(files)
        t0 = time.perf_counter()
        reader = self.spark.read
        if any_w and not all_w:
            reader = reader.option("mergeSchema", "true")
        view = f"czt_flows_{abs(hash(tuple(files))) % 10**8}"
        reader.parquet(*[str(f) for f in files]).createOrReplaceTempView(view)
        try:
            query = self.spark.sql(aggregate_sql(spec, view, "spark", any_w))
            table = _with_progress(self.spark, query.toArrow, progress)
        finally:
            self.spark.catalog.dropTempView(view)
        frame = normalise(table, any_w)
        return FlowAggregate(frame, spec, self.name, files, time.perf_counter() - t0)

    def stop(self) -> None:
        if self._spark is not None:
            self._spark.stop()
            self._spark = None


def _with_progress(spark: SparkSession, action, progress: bool):
    """Run a Spark action; poll the status tracker into a tqdm bar of finished tasks."""
    if not progress:
        return action()
    tracker = spark.sparkContext.statusTracker()
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["result"] = action()
        except BaseException as exc:
            box["error"] = exc

    worker = threading.Thread(target=work, daemon=True)
    with tqdm(desc="聚合 aggregate (spark)", unit="task") as bar:
        worker.start()
        stages: tuple[int, ...] = ()
        while worker.is_alive():
            worker.join(0.5)
            ids = tuple(sorted(tracker.getActiveStageIds()))
            infos = [i for i in (tracker.getStageInfo(s) for s in ids) if i is not None]
            if not infos:
                continue
            if ids != stages:  # a new stage: restart the bar on its task count
                stages = ids
                bar.reset(total=sum(i.numTasks for i in infos))
                bar.set_postfix_str(f"stage {','.join(map(str, ids))}")
            bar.n = sum(i.numCompletedTasks for i in infos)
            bar.refresh()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]
