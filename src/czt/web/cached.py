"""Cache of what the pages and the public API compute, valid until the data change.

The scoreboard re-reads every target's series (about 0.8 s of CPU for the overview) and an
API list spends most of its time turning rows into JSON; both depend only on the store. The
key carries a *data version* — the latest import, the latest back-office change and the
size of the reference tables — so an import or an edit is visible on the next request, in
every worker process, without anyone clearing a cache. Django's cache framework keeps the
values (per process by default; point CACHES at a shared cache for many workers).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Max

from czt.store.models import ImportBatch, Indicator, Region, Target
from czt.web.audit.models import AuditEntry

T = TypeVar("T")
TTL = 600  # seconds; a safety net, the data version already invalidates on change


def data_version() -> str:
    parts = (ImportBatch.objects.aggregate(m=Max("id"))["m"],
             AuditEntry.objects.aggregate(m=Max("id"))["m"],
             Target.objects.count(), Indicator.objects.count(), Region.objects.count())
    return "-".join(str(p) for p in parts)


def remember(name: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per data version and ``name`` (which must say everything the
    result depends on besides the data, e.g. the language and the query string)."""
    key = "czt:" + hashlib.sha256(f"{data_version()}|{name}".encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TTL)
    return value
