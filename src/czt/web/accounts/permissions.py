"""What each role may read and write. One place, so pages, API and tests agree.

A *scope* is the set of (region, indicator) cells a user may touch; ``None`` in a field
means "all". Public statistics (regions, indicators, observations, targets, progress) are
readable by anyone; the internal views (coverage, import history) and all writes go through
the functions below.
"""

from __future__ import annotations

from dataclasses import dataclass

from czt.store.models import Region

PUBLIC = "public"


@dataclass(frozen=True)
class Scope:
    regions: frozenset[str] | None = None
    indicators: frozenset[str] | None = None

    def covers(self, region: str, indicator: str | None = None) -> bool:
        return ((self.regions is None or region in self.regions)
                and (indicator is None or self.indicators is None
                     or indicator in self.indicators))


def role_of(user) -> str:
    if user is None or not user.is_authenticated or not user.is_active:
        return PUBLIC
    if user.is_superuser:
        return "province_admin"
    profile = getattr(user, "profile", None)
    return profile.role if profile else "viewer"


def city_units(city: str) -> frozenset[str]:
    """A city and every district/county under it, current or abolished."""
    return frozenset([city, *Region.objects.filter(parent_id=city).values_list("code",
                                                                                flat=True)])


def _profile_scope(user) -> Scope:
    profile = user.profile
    regions = city_units(profile.region_id) if profile.region_id else None
    return Scope(regions, frozenset(profile.indicators.values_list("code", flat=True)))


def write_scope(user) -> Scope | None:
    """Cells the user may upload figures for; None when the user may upload nothing."""
    role = role_of(user)
    if role == "province_admin":
        return Scope()
    if role == "city_coordinator":
        return Scope(city_units(user.profile.region_id)) if user.profile.region_id else None
    if role == "department_reporter":
        return _profile_scope(user)
    return None


def read_scope(user) -> Scope | None:
    """Internal views (coverage, import history): admins and viewers see all, a coordinator
    their city, a reporter their indicators; the public nothing."""
    role = role_of(user)
    if role in ("province_admin", "viewer"):
        return Scope()
    return write_scope(user)


def can_import_targets(user) -> bool:
    return role_of(user) == "province_admin"


def can_administer(user) -> bool:
    return role_of(user) == "province_admin"
