#!/usr/bin/env bash
# Start, stop or check a Spark standalone cluster (one master, one worker) on this machine,
# using the Spark that ships inside the pyspark package of .venv (Java 17 on PATH). Then:
#   czt flows aggregate … --engine spark --master spark://127.0.0.1:7077
#
#   scripts/spark-standalone.sh start [--cores N] [--memory 4g] [--port 7077] [--webui-port 8080]
#   scripts/spark-standalone.sh status
#   scripts/spark-standalone.sh stop
#
# Logs, executors' output and the process ids (cluster.json) go to $CZT_HOME/spark (default
# var/spark), or --dir. Everything binds to 127.0.0.1 unless --host says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
export PYTHONPATH="src${PYTHONPATH:+:$PYTHONPATH}"
exec "$python" -m czt.flows.spark_cluster "$@"
