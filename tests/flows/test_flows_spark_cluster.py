"""The Spark engine on a real cluster manager: a standalone master and worker, started from
the pyspark package on free ports, with the engine run through ``--master spark://…``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from czt.flows.engines import AggregateSpec, aggregate
from czt.flows.spark_cluster import start_standalone

JAVA = shutil.which("java")


def test_driver_binds_to_loopback_only_for_a_loopback_master():
    # imported here: importing pyspark at collection changes which of its warnings show
    from czt.flows.engines.spark_engine import driver_address_conf

    local = {"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1"}
    assert driver_address_conf("spark://127.0.0.1:7077") == local
    assert driver_address_conf("spark://localhost:7077,127.0.0.1:7078") == local
    assert driver_address_conf("spark://spark-master.internal:7077") == {}
    assert driver_address_conf("spark://127.0.0.1:7077,10.0.0.5:7077") == {}
    assert driver_address_conf("local[2]") == driver_address_conf("yarn") == {}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """One master and one worker (1 core, 1 GiB) on free ports; both killed at the end."""
    if JAVA is None:
        pytest.skip("java not found on PATH: Spark tests need a JVM (Java 17)")
    running = start_standalone(
        worker_cores=1,
        worker_memory="1g",
        work_dir=tmp_path_factory.mktemp("spark-standalone"),
        timeout=90,
    )
    processes = list(running.processes)
    yield running
    running.stop()
    assert all(p.poll() is not None for p in processes)


def test_engine_on_a_standalone_cluster_equals_duckdb(cluster, synthetic_dir, tmp_path):
    """The CLI's Spark engine on ``spark://…`` gives DuckDB's aggregate, exact on counts.

    The driver runs in its own process (one SparkContext per process; the other tests share
    a ``local[2]`` one) and is given a relative source path, which the executors, in their
    own JVMs and working folders, must still find.
    """
    out = tmp_path / "spark.parquet"
    cmd = [
        sys.executable,
        "-m",
        "czt.cli",
        "flows",
        "aggregate",
        synthetic_dir.name,
        *("--engine", "spark", "--master", cluster.master_url),
        *("--time", "month", "--period", "hour", "--out", str(out), "--no-progress", "--json"),
    ]
    done = subprocess.run(
        cmd,
        cwd=synthetic_dir.parent,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "PYSPARK_PYTHON": sys.executable},
    )
    assert done.returncode == 0, done.stderr[-4000:] + cluster.logs()
    payload = json.loads(done.stdout)
    assert payload["engine"] == "spark"

    duck = aggregate(synthetic_dir, AggregateSpec(time="month", period="hour"))
    duck.frame.to_parquet(tmp_path / "duckdb.parquet", index=False)
    spark, expected = pd.read_parquet(out), pd.read_parquet(tmp_path / "duckdb.parquet")
    assert len(spark) > 1000 and payload["groups"] == len(expected)
    pd.testing.assert_frame_equal(spark, expected, check_exact=True)

    # It really ran on the cluster: the master lists the finished application.
    state = cluster.state()
    apps = state["completedapps"] + state["activeapps"]
    assert [a["name"] for a in apps] == ["czt-flows"]


def test_the_analysts_script_starts_reports_and_stops_a_cluster(tmp_path, capsys):
    """``scripts/spark-standalone.sh`` is :func:`czt.flows.spark_cluster.main`."""
    if JAVA is None:
        pytest.skip("java not found on PATH: Spark tests need a JVM (Java 17)")
    from czt.flows.spark_cluster import STATE, _is_spark_daemon, free_port, main

    ports = ["--port", str(free_port()), "--webui-port", str(free_port())]
    where = ["--dir", str(tmp_path)]
    assert main(["status", *where]) == 1
    assert main(["start", *where, *ports, "--cores", "1", "--memory", "1g"]) == 0
    try:
        state = json.loads((tmp_path / STATE).read_text())
        assert all(_is_spark_daemon(p) for p in state["pids"]) and len(state["pids"]) == 2
        assert main(["status", *where]) == 0
        assert state["master_url"] in capsys.readouterr().out
    finally:
        assert main(["stop", *where]) == 0
    assert not any(_is_spark_daemon(p) for p in state["pids"])
    assert not (tmp_path / STATE).exists() and main(["status", *where]) == 1
