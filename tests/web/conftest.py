"""Users of every role, and small upload files, for the web tests."""

from __future__ import annotations

import pytest

from czt.web.accounts.users import create_user

PASSWORD = "correct horse battery staple"
ROLES = ["public", "viewer", "province_admin", "city_coordinator", "department_reporter"]
HEADER = ["region_code", "region_name", "indicator", "year", "value", "unit", "source_url",
          "source_title", "snippet"]


def make_user(role: str):
    """A user of ``role``; the coordinator and the reporter belong to 长沙 (430100), the
    reporter reports only GDP."""
    if role == "public":
        return None
    from django.contrib.auth.models import User

    existing = User.objects.filter(username=f"u_{role}").first()
    if existing is not None:
        return existing
    extra = {}
    if role in ("city_coordinator", "department_reporter"):
        extra["region"] = "430100"
    if role == "department_reporter":
        from czt.store.models import Unit

        Unit.objects.get_or_create(code="cs-stats", defaults={
            "name_zh": "长沙市统计局", "name_en": "Changsha Statistics Bureau",
            "kind": "department", "region_id": "430100"})
        extra.update(unit="cs-stats", indicators=["gdp"])
    return create_user(f"u_{role}", PASSWORD, role, **extra)


@pytest.fixture
def client_as(client, db):
    """A test client signed in as a user of the given role (or anonymous for "public")."""

    def _as(role: str):
        user = make_user(role)
        if user is not None:
            client.force_login(user)
        return client

    return _as


@pytest.fixture
def upload_file():
    """A one-row CSV upload of ``indicator`` for ``region`` (year 2030, so it adds a cell)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def _file(region: str, indicator: str = "gdp", value: str = "123.4", unit: str = "亿元",
              name: str = "figures.csv") -> SimpleUploadedFile:
        names = {"430100": "长沙市", "430200": "株洲市", "430300": "湘潭市"}
        rows = [HEADER, [region, names.get(region, ""), indicator, "2030", value, unit,
                         "https://example.gov.cn/bulletin", "测试公报", "测试"]]
        text = "\n".join(",".join(r) for r in rows) + "\n"
        return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")

    return _file


TODAY = "2026-06-30"


@pytest.fixture
def ledger(db, settings):
    """Five tasks with known owners and dates, "today" pinned to 2026-06-30.

    T901 led by 岳麓区 (430104, so 长沙's coordinator reports), co-unit 省交通运输厅;
         milestone 1 due 2026-03-31 (91 days overdue), milestone 2 due 2026-12-31.
    T902 led by 株洲市 (430200). T903 led by 长沙市统计局 (a city department).
    T904 led by 省交通运输厅 (hn-transport), co-unit 株洲市. T905 has no owner (待明确).
    """
    from datetime import date

    from czt.store.models import Unit
    from czt.web.ledger.models import Milestone, Task

    settings.CZT_TODAY = TODAY
    units = [("430100", "长沙市人民政府", "city", "430100"),
             ("430200", "株洲市人民政府", "city", "430200"),
             ("430104", "岳麓区人民政府", "county", "430104"),
             ("hn-transport", "省交通运输厅", "department", None),
             ("cs-stats", "长沙市统计局", "department", "430100")]
    for code, name, kind, region in units:
        Unit.objects.update_or_create(code=code, defaults={
            "name_zh": name, "name_en": name, "kind": kind, "region_id": region})
    Task.objects.filter(id__startswith="T9").delete()
    specs = [("T901", "测试轨道线", "infrastructure", "430104", ["hn-transport"],
              [(date(2026, 3, 31), None), (date(2026, 12, 31), None)], "line",
              ["430104", "430304"]),
             ("T902", "测试株洲项目", "industry", "430200", [], [(date(2026, 9, 30), None)],
              "point", ["430211"]),
             ("T903", "测试统计任务", "platforms", "cs-stats", [], [(None, None)], "area",
              ["430100"]),
             ("T904", "测试交通任务", "infrastructure", "hn-transport", ["430200"],
              [(date(2026, 5, 31), date(2026, 5, 20))], "area", ["430200"]),
             ("T905", "测试待明确任务", "ecology", None, [], [(None, None)], "area",
              ["430300"])]
    for tid, title, area, lead, co, milestones, kind, places in specs:
        task = Task.objects.create(id=tid, title_zh=title, area_id=area, lead_id=lead,
                                   location_kind=kind, location_regions=places,
                                   tracked_from=date(2026, 1, 1))
        task.co_units.set(co)
        task.indicators.set(["gdp"] if tid == "T901" else [])
        for n, (due, done) in enumerate(milestones, start=1):
            Milestone.objects.create(task=task, seq=n, title_zh=f"节点{n}", due=due,
                                     done_on=done)
    return {t.id: t for t in Task.objects.filter(id__startswith="T9")}


@pytest.fixture
def other_city_coordinator(db):
    """A coordinator of 株洲 (430200)."""
    return create_user("u_zz", PASSWORD, "city_coordinator", region="430200")


@pytest.fixture
def user_of(db):
    """The user of a role (see make_user), created once per test."""
    made: dict = {}

    def _user(role: str):
        if role not in made:
            made[role] = make_user(role)
        return made[role]

    return _user
