"""Today's date for the ledger, controllable so that status rules can be tested with dates.

``CZT_TODAY`` (ISO date, setting or environment) pins the date; otherwise the local date.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone


def today() -> date:
    pinned = getattr(settings, "CZT_TODAY", "")
    return date.fromisoformat(pinned) if pinned else timezone.localdate()
