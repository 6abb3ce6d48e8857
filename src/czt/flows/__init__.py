"""The big-data origin–destination (OD) path: 起讫点流动数据的校验、导入、聚合与指标.

One flow of work, each step a plain function with a result object that has ``to_dict()``
(so the CLI, a notebook and later the web page call the same code):

* :func:`czt.flows.synth.synthesize` — seeded synthetic records (合成数据) for tests and demos;
* :func:`czt.flows.validate.validate_files` and :meth:`FlowDataset.ingest` — all-or-nothing
  ingest of Parquet files into ``$CZT_HOME/flows``;
* :func:`czt.flows.engines.aggregate` — pair × time × period × kind on DuckDB (default) or
  Spark;
* :func:`czt.flows.metrics.flow_metrics` and :func:`czt.flows.gravity.border_effect` —
  cross-city shares, intensities and the PPML border effect.

See ``docs/flows.md``.
"""

from czt.flows.dataset import FlowDataset, IngestResult, default_root
from czt.flows.engines import AggregateSpec, FlowAggregate, aggregate, get_engine
from czt.flows.validate import FileReport, FlowValidationError, validate_file, validate_files

__all__ = [
    "AggregateSpec",
    "FileReport",
    "FlowAggregate",
    "FlowDataset",
    "FlowValidationError",
    "IngestResult",
    "aggregate",
    "default_root",
    "get_engine",
    "validate_file",
    "validate_files",
]
