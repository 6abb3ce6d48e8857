"""Reporting quarters and their due dates (czt.ledger.periods)."""

from __future__ import annotations

from datetime import date

import pytest

from czt.ledger import periods


def test_quarter_bounds_and_due_date():
    assert periods.bounds("2026Q1") == (date(2026, 1, 1), date(2026, 3, 31))
    assert periods.bounds("2024Q1")[1] == date(2024, 3, 31)
    assert periods.bounds("2026Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert periods.due_date("2026Q3") == date(2026, 10, 10)
    assert periods.due_date("2026Q4") == date(2027, 1, 10)


def test_quarters_between_and_quarter_of():
    assert periods.quarter_of(date(2026, 11, 21)) == "2026Q4"
    assert periods.quarters_between(date(2025, 11, 5), date(2026, 4, 1)) == [
        "2025Q4", "2026Q1", "2026Q2"]


@pytest.mark.parametrize("bad", ["2026Q5", "2026-3", "Q3", ""])
def test_bad_quarters_are_refused(bad):
    with pytest.raises(ValueError):
        periods.parse(bad)


def test_assessment_period_is_a_year_or_a_quarter():
    assert periods.assessment_period("2026") == (date(2026, 1, 1), date(2026, 12, 31))
    assert periods.assessment_period("2026q2") == (date(2026, 4, 1), date(2026, 6, 30))
