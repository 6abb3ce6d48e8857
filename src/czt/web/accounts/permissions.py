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


# --- joint tasks (台账) and the assessment (考核) -----------------------------------------

def task_units(user) -> frozenset[str] | None:
    """Units whose tasks the user may see and act for; None means all.

    Province admins and viewers (the task force's staff) see every task. A city coordinator
    acts for the city's government, its districts and counties and the city's departments;
    a department reporter for its own unit. The public sees no task.
    """
    from czt.store.models import Unit

    role = role_of(user)
    if role in ("province_admin", "viewer"):
        return None
    profile = getattr(user, "profile", None)
    if role == "city_coordinator" and profile and profile.region_id:
        return frozenset(Unit.objects.filter(region_id__in=city_units(profile.region_id))
                         .values_list("code", flat=True))
    if role == "department_reporter" and profile and profile.unit_id:
        return frozenset([profile.unit_id])
    return frozenset()


def can_read_ledger(user) -> bool:
    return role_of(user) != PUBLIC


def task_involves(units: frozenset[str] | None, lead: str | None, co_units) -> bool:
    return units is None or lead in units or bool(units & set(co_units))


def acts_for(user, lead: str | None) -> bool:
    """May report on (and edit the notes of) a task led by ``lead``: the lead unit's own
    people, and the province. Co-units see the task but the lead unit reports."""
    role = role_of(user)
    if role == "province_admin":
        return True
    if role not in ("city_coordinator", "department_reporter") or lead is None:
        return False
    return lead in (task_units(user) or frozenset())


def can_plan(user) -> bool:
    """Owners, deadlines, meetings, acceptance of reports and the assessment method are the
    province's decisions."""
    return role_of(user) == "province_admin"


def sees_assessment_detail(user, unit: str) -> bool:
    """The ranking is shown to every signed-in user; the points behind a unit's score to
    the province's staff and to that unit's own people."""
    units = task_units(user)
    return can_read_ledger(user) and (units is None or unit in units)
