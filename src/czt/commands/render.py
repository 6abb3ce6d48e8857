"""Print frames as a table (CJK-aware widths), JSON or CSV for the CLI."""

from __future__ import annotations

import json
import math

import click
import pandas as pd
from tabulate import tabulate


def number(v: object, digits: int = 2) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if isinstance(v, int | float):
        return f"{v:,.{digits}f}".rstrip("0").rstrip(".")
    return str(v)


def emit(frame: pd.DataFrame, fmt: str, headers: dict[str, str] | None = None) -> None:
    """Write ``frame`` to stdout; ``headers`` picks and names the table's columns."""
    if fmt == "json":
        click.echo(json.dumps(json.loads(frame.to_json(orient="records", force_ascii=False,
                                                       date_format="iso")),
                              ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        shown = frame[list(headers)] if headers else frame
        rows = [[number(v) for v in r] for r in shown.itertuples(index=False)]
        click.echo(tabulate(rows, headers=list((headers or {}).values()) or list(shown.columns),
                            tablefmt="simple", disable_numparse=True))
