"""The analyst's entry point: the functions the CLI and the pages call, as data frames.

    >>> from czt import api
    >>> api.scoreboard(plan="CZT-5Y-2021")          # one row per target, with status
    >>> api.totals("gdp")                            # 长株潭 published vs derived
    >>> api.observations(indicators=["gdp"], as_of=date(2024, 1, 1))

Importing this module configures Django (the store) with the settings from the
environment (``CZT_DATABASE_URL``, ``CZT_HOME``), exactly as the ``czt`` command does.
"""

from czt import setup as _setup

_setup()

from czt.commands.data import default_data_files  # noqa: E402
from czt.ingest.load import IngestReport, ingest_files  # noqa: E402
from czt.messages import Problem, ValidationFailed  # noqa: E402
from czt.monitoring import coverage, region_series, scoreboard, totals  # noqa: E402
from czt.store.queries import observations, resolve_cells  # noqa: E402
from czt.store.sync import sync_reference  # noqa: E402

__all__ = [
    "IngestReport", "Problem", "ValidationFailed", "coverage", "default_data_files",
    "ingest_files", "observations", "region_series", "resolve_cells", "scoreboard",
    "sync_reference", "totals",
]
