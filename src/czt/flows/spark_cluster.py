"""A Spark standalone cluster (one master, workers) from the pyspark package, on one machine.

The Spark engine is meant for clusters. pyspark ships Spark's launcher (``bin/spark-class``),
so the same installation can start a real standalone master and worker without a separate
Spark download. Executors then run in their own JVMs, launched by the worker, and reach the
data and the driver over the network as they would on a cluster. The tests and the benchmark
use this to run the engine through ``spark://…`` rather than only ``local[*]``.
``scripts/spark-standalone.sh start|stop|status`` (this module's :func:`main`) starts the same
pair for analysts and leaves it running, with its process ids in ``cluster.json``.

Ports default to free ones, so several runs can share a machine. Everything binds to
``host`` (127.0.0.1 by default): a master on the loopback address can only have local
workers, and nothing is exposed on the network.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


class ClusterError(RuntimeError):
    pass


def spark_home() -> Path:
    """The Spark distribution inside the installed pyspark package."""
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@dataclass
class StandaloneCluster:
    """A running master and its workers; :meth:`stop` ends exactly these processes."""

    host: str
    port: int
    webui_port: int
    log_dir: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def master_url(self) -> str:
        return f"spark://{self.host}:{self.port}"

    @property
    def webui_url(self) -> str:
        return f"http://{self.host}:{self.webui_port}"

    def state(self) -> dict:
        """The master's own view (its web UI's ``/json/``): workers, apps, status."""
        with urllib.request.urlopen(self.webui_url + "/json/", timeout=5) as reply:
            return json.load(reply)

    def wait_for_workers(self, n: int = 1, timeout: float = 60.0) -> dict:
        """Poll the master until ``n`` workers are ALIVE; raise with the logs' tails if not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for proc in self.processes:
                if proc.poll() is not None:
                    raise ClusterError(f"a Spark daemon exited ({proc.returncode})\n{self.logs()}")
            try:
                state = self.state()
            except OSError:  # the web UI is not up yet
                state = None
            if state and sum(w.get("state") == "ALIVE" for w in state.get("workers", [])) >= n:
                return state
            time.sleep(0.5)
        raise ClusterError(f"no {n} ALIVE worker(s) after {timeout:.0f} s\n{self.logs()}")

    def logs(self, lines: int = 20) -> str:
        out = []
        for path in sorted(self.log_dir.glob("*.log")):
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            out.append(f"--- {path.name}\n" + "\n".join(tail))
        return "\n".join(out)

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM each daemon's process group (a worker takes its executors with it), then
        SIGKILL what is left after ``timeout``. Workers first, the master last."""
        for proc in reversed(self.processes):
            if proc.poll() is None:
                _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in reversed(self.processes):
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait(5)
        self.processes.clear()

    def __enter__(self) -> StandaloneCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)  # the daemon was started as its own session leader


def start_standalone(
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    webui_port: int | None = None,
    workers: int = 1,
    worker_cores: int = 1,
    worker_memory: str = "2g",
    work_dir: str | Path | None = None,
    timeout: float = 60.0,
) -> StandaloneCluster:
    """Start a master and ``workers`` workers and wait until they are registered.

    Logs, and the workers' application folders (executors' stdout/stderr), go under
    ``work_dir`` (a new temporary folder by default), never into the pyspark package.
    """
    root = Path(work_dir or tempfile.mkdtemp(prefix="czt-spark-"))
    root.mkdir(parents=True, exist_ok=True)
    spark_class = spark_home() / "bin" / "spark-class"
    env = {
        **os.environ,
        "SPARK_LOCAL_IP": host,  # bind the daemons' RPC and web UIs to host, not 0.0.0.0
        "SPARK_LOG_DIR": str(root),
        "SPARK_WORKER_DIR": str(root / "work"),
        "SPARK_LOCAL_DIRS": str(root / "tmp"),
    }
    cluster = StandaloneCluster(host, port or free_port(host), webui_port or free_port(host), root)

    def launch(name: str, *args: str) -> None:
        log = (root / f"{name}.log").open("wb")
        cluster.processes.append(
            subprocess.Popen(
                [str(spark_class), *args],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
        )
        log.close()

    try:
        launch(
            "master",
            "org.apache.spark.deploy.master.Master",
            *("--host", host, "--port", str(cluster.port), "--webui-port", str(cluster.webui_port)),
        )
        for i in range(workers):
            launch(
                f"worker-{i}",
                "org.apache.spark.deploy.worker.Worker",
                cluster.master_url,
                *("--host", host, "--cores", str(worker_cores), "--memory", worker_memory),
                *("--webui-port", str(free_port(host)), "--work-dir", str(root / "work")),
            )
        cluster.wait_for_workers(workers, timeout)
    except BaseException:
        cluster.stop()
        raise
    return cluster


# --- command line (scripts/spark-standalone.sh) ------------------------------------------

STATE = "cluster.json"


def _default_dir() -> Path:
    return Path(os.environ.get("CZT_HOME", "var")) / "spark"


def _is_spark_daemon(pid: int) -> bool:
    """Whether ``pid`` still is one of Spark's daemons (a recorded pid may have been reused)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"org.apache.spark.deploy." in cmdline


def _stop_recorded(pids: list[int], timeout: float = 20.0) -> None:
    live = [p for p in pids if _is_spark_daemon(p)]
    for pid in live:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(_is_spark_daemon(p) for p in live):
        time.sleep(0.2)
    for pid in live:
        if _is_spark_daemon(pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    """``start`` (and leave running), ``stop`` or ``status`` of a local standalone cluster."""
    ap = argparse.ArgumentParser(prog="spark-standalone.sh", description=main.__doc__)
    ap.add_argument("action", choices=("start", "stop", "status"))
    ap.add_argument("--dir", type=Path, default=None, help="logs and state ($CZT_HOME/spark)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=7077)
    ap.add_argument("--webui-port", type=int, default=8080)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--cores", type=int, default=os.cpu_count() or 1, help="per worker")
    ap.add_argument("--memory", default="2g", help="per worker")
    args = ap.parse_args(argv)
    root = (args.dir or _default_dir()).absolute()
    state_file = root / STATE
    recorded = json.loads(state_file.read_text()) if state_file.exists() else None
    alive = bool(recorded) and any(_is_spark_daemon(p) for p in recorded["pids"])
    if args.action == "status":
        print(
            f"running: {recorded['master_url']} (web UI {recorded['webui_url']})"
            if alive
            else "not running"
        )
        return 0 if alive else 1
    if args.action == "stop":
        if recorded:
            _stop_recorded(recorded["pids"])
            state_file.unlink()
        print("stopped")
        return 0
    if alive:
        print(f"already running: {recorded['master_url']}")
        return 0
    cluster = start_standalone(
        host=args.host,
        port=args.port,
        webui_port=args.webui_port,
        workers=args.workers,
        worker_cores=args.cores,
        worker_memory=args.memory,
        work_dir=root,
    )
    state = {
        "master_url": cluster.master_url,
        "webui_url": cluster.webui_url,
        "pids": [p.pid for p in cluster.processes],
    }
    state_file.write_text(json.dumps(state, indent=1))
    print(f"master {cluster.master_url}  web UI {cluster.webui_url}  logs {root}")
    print(f"  czt flows aggregate … --engine spark --master {cluster.master_url}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
