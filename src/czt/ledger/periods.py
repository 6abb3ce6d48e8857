"""Reporting quarters: lead units report each task's progress once a quarter.

A quarter's report is due ``DUE_DAYS`` after the quarter ends (the 10th of the following
month), the rhythm of the provincial 工作专报. Periods are written ``2026Q3``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

DUE_DAYS = 10
_PERIOD = re.compile(r"^(\d{4})Q([1-4])$")


def parse(period: str) -> tuple[int, int]:
    """``"2026Q3"`` → (2026, 3); ValueError on anything else."""
    m = _PERIOD.match(period.strip().upper())
    if not m:
        raise ValueError(period)
    return int(m.group(1)), int(m.group(2))


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def bounds(period: str) -> tuple[date, date]:
    year, q = parse(period)
    start = date(year, 3 * q - 2, 1)
    end = (date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)) - timedelta(days=1)
    return start, end


def due_date(period: str) -> date:
    return bounds(period)[1] + timedelta(days=DUE_DAYS)


def quarters_between(first: date, last: date) -> list[str]:
    """Every quarter from the one containing ``first`` to the one containing ``last``."""
    out, day = [], date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
    while day <= last:
        out.append(quarter_of(day))
        day = bounds(quarter_of(day))[1] + timedelta(days=1)
    return out


def assessment_period(text: str) -> tuple[date, date]:
    """An assessment period: a year ``2026`` or a quarter ``2026Q3``."""
    text = text.strip().upper()
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1), date(int(text), 12, 31)
    return bounds(text)
