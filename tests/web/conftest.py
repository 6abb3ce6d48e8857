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
    extra = {}
    if role in ("city_coordinator", "department_reporter"):
        extra["region"] = "430100"
    if role == "department_reporter":
        extra.update(unit="长沙市统计局", indicators=["gdp"])
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
