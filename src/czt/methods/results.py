"""Result objects: named fields, ``to_dict()`` for JSON/API, ``to_frame()`` for tables.

Every method returns a frozen dataclass that inherits :class:`MethodResult`. ``to_dict``
turns frames into lists of records and numpy scalars into Python numbers (NaN -> None), so
the result can be passed straight to ``json.dumps``; ``to_frame`` returns the one table a
user would most likely want to see or download.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pandas as pd


def jsonable(value: Any) -> Any:
    """Convert numpy/pandas values, dataclasses and containers into JSON-ready objects."""
    if isinstance(value, MethodResult):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, pd.DataFrame):
        frame = value.reset_index() if _named_index(value) else value
        return [
            {str(k): jsonable(v) for k, v in row.items()}
            for row in frame.to_dict(orient="records")
        ]
    if isinstance(value, pd.Series):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        value = float(value)
        return None if math.isnan(value) or math.isinf(value) else value
    if value is pd.NA:
        return None
    return value


def _named_index(frame: pd.DataFrame) -> bool:
    return frame.index.name is not None or not isinstance(frame.index, pd.RangeIndex)


class MethodResult:
    """Mixin for result dataclasses."""

    def to_dict(self) -> dict[str, Any]:
        return {
            f.name: jsonable(getattr(self, f.name))
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
        }

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - every result overrides
        raise NotImplementedError
