"""Status rules of the ledger (czt.ledger.status), on dates chosen by hand."""

from __future__ import annotations

from datetime import date

import pytest

from czt.ledger.status import MilestoneState as M
from czt.ledger.status import milestone_status, overdue, task_status

TODAY = date(2026, 6, 30)


@pytest.mark.parametrize(("milestones", "expected"), [
    ([M(date(2026, 1, 31), date(2026, 1, 20)), M(date(2026, 5, 31), date(2026, 6, 2))], "done"),
    ([M(date(2026, 1, 31), date(2026, 1, 20)), M(date(2026, 12, 31), None)], "on_track"),
    # due yesterday, not reached: behind
    ([M(date(2026, 6, 29), None), M(date(2026, 12, 31), None)], "behind"),
    # exactly 90 days overdue is still "behind"; 91 is "seriously behind"
    ([M(date(2026, 4, 1), None)], "behind"),
    ([M(date(2026, 3, 31), None)], "seriously_behind"),
    # the worst milestone decides
    ([M(date(2026, 6, 1), None), M(date(2025, 12, 31), None)], "seriously_behind"),
    # due today is not overdue
    ([M(TODAY, None)], "on_track"),
    # no date anywhere: no schedule (待明确), never "on track"
    ([M(None, None), M(None, None)], "unscheduled"),
    ([M(None, None), M(date(2027, 1, 1), None)], "on_track"),
    ([], "unscheduled"),
])
def test_task_status(milestones, expected):
    assert task_status(milestones, TODAY) == expected


def test_days_overdue_counted_from_the_due_date():
    late = overdue(M(date(2026, 3, 31), None), TODAY)
    assert late is not None and late.days == 91 and late.serious
    assert overdue(M(date(2026, 3, 31), date(2026, 5, 1)), TODAY) is None
    assert milestone_status(M(None, None), TODAY) == "unscheduled"


def test_the_threshold_is_a_parameter():
    assert task_status([M(date(2026, 6, 1), None)], TODAY, serious_days=20) == "seriously_behind"
