"""What every page needs to know about the reader: language and role."""

from __future__ import annotations

from czt.store.models import Region
from czt.web.accounts.permissions import can_read_ledger, read_scope, role_of, write_scope

# The three cities whose sum is 长株潭 (the members of region CZT in reference/regions.csv;
# tests/web/test_pages.py checks the two agree).
CITIES = ["430100", "430200", "430300"]


def counties() -> list[Region]:
    """The 23 current districts and counties of the three cities."""
    return list(Region.objects.filter(parent_id__in=CITIES, level="county",
                                      valid_to__isnull=True).order_by("code"))


def lang_of(request) -> str:
    """The short language code the domain layer speaks ("zh" or "en")."""
    return "en" if (getattr(request, "LANGUAGE_CODE", "") or "").startswith("en") else "zh"


def named(obj, lang: str) -> str:
    return obj.name_en if lang == "en" else obj.name_zh


def site(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "lang": lang_of(request),
        "role": role_of(user),
        "can_upload": write_scope(user) is not None,
        "can_see_internal": read_scope(user) is not None,
        "can_read_ledger": can_read_ledger(user),
    }
