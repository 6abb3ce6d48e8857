"""The role matrix: each role × each page and endpoint × own city vs other city.

The coordinator and the department reporter belong to 长沙 (430100); the reporter reports
GDP only. "Own" means 长沙's figures, "other" 株洲's (430200). Expected outcomes are written
out in full so a change of rule shows up as a failing row, not a silent widening.
"""

from __future__ import annotations

import pytest

from czt.store.models import Observation

ROLES = ["public", "viewer", "province_admin", "city_coordinator", "department_reporter"]
OWN, OTHER = "430100", "430200"

# reading: (url, {role: status})
READS = {
    "/": dict.fromkeys(ROLES, 200),
    "/indicators/": dict.fromkeys(ROLES, 200),
    "/indicators/gdp/": dict.fromkeys(ROLES, 200),
    "/cities/": dict.fromkeys(ROLES, 200),
    "/cities/430100/": dict.fromkeys(ROLES, 200),
    "/map/": dict.fromkeys(ROLES, 200),
    "/analysis/": dict.fromkeys(ROLES, 200),
    "/flows/": dict.fromkeys(ROLES, 200),
    "/api/flows/metrics": dict.fromkeys(ROLES, 200),
    "/api/regions": dict.fromkeys(ROLES, 200),
    "/api/indicators": dict.fromkeys(ROLES, 200),
    "/api/observations?indicator=gdp": dict.fromkeys(ROLES, 200),
    "/api/targets": dict.fromkeys(ROLES, 200),
    "/api/progress": dict.fromkeys(ROLES, 200),
    "/api/openapi.json": dict.fromkeys(ROLES, 200),
    "/coverage/": {"public": 302, "viewer": 200, "province_admin": 200,
                   "city_coordinator": 200, "department_reporter": 200},
    f"/coverage/?region={OWN}": {"public": 302, "viewer": 200, "province_admin": 200,
                                 "city_coordinator": 200, "department_reporter": 200},
    f"/coverage/?region={OTHER}": {"public": 302, "viewer": 200, "province_admin": 200,
                                   "city_coordinator": 403, "department_reporter": 403},
    "/api/coverage": {"public": 401, "viewer": 200, "province_admin": 200,
                      "city_coordinator": 200, "department_reporter": 200},
    f"/api/coverage?region={OWN}": {"public": 401, "viewer": 200, "province_admin": 200,
                                    "city_coordinator": 200, "department_reporter": 200},
    f"/api/coverage?region={OTHER}": {"public": 401, "viewer": 200, "province_admin": 200,
                                      "city_coordinator": 403, "department_reporter": 403},
    "/upload/": {"public": 302, "viewer": 403, "province_admin": 200,
                 "city_coordinator": 200, "department_reporter": 200},
    "/admin/": {"public": 302, "viewer": 302, "province_admin": 200,
                "city_coordinator": 302, "department_reporter": 302},
    "/admin/store/target/": {"public": 302, "viewer": 302, "province_admin": 200,
                             "city_coordinator": 302, "department_reporter": 302},
    "/admin/audit/auditentry/": {"public": 302, "viewer": 302, "province_admin": 200,
                                 "city_coordinator": 302, "department_reporter": 302},
}


@pytest.fixture(scope="session")
def flows_home(tmp_path_factory):
    return tmp_path_factory.mktemp("flows-home")


@pytest.fixture(autouse=True)
def _flows_demo_in_tmp(settings, flows_home):
    """The flows page builds its synthetic demo under CZT_HOME: keep it out of ./var."""
    settings.CZT_HOME = flows_home
    settings.CZT_FLOWS_DIR = ""


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", list(READS))
def test_read_matrix(client_as, role, url):
    assert client_as(role).get(url).status_code == READS[url][role]


# writing: (role, city) -> written?  The reporter's file carries GDP, its one indicator.
WRITES = {
    ("public", OWN): "login", ("public", OTHER): "login",
    ("viewer", OWN): "denied", ("viewer", OTHER): "denied",
    ("province_admin", OWN): "written", ("province_admin", OTHER): "written",
    ("city_coordinator", OWN): "written", ("city_coordinator", OTHER): "refused",
    ("department_reporter", OWN): "written", ("department_reporter", OTHER): "refused",
}


@pytest.mark.parametrize(("role", "city"), list(WRITES))
def test_upload_page_matrix(client_as, upload_file, role, city):
    client = client_as(role)
    before = Observation.objects.count()
    resp = client.post("/upload/", {"files": upload_file(city)})
    outcome = {302: "login", 403: "denied"}.get(resp.status_code)
    if outcome is None:
        assert resp.status_code == 200
        outcome = "written" if resp.context.get("report") else "refused"
    assert outcome == WRITES[(role, city)]
    assert Observation.objects.count() == before + (1 if outcome == "written" else 0)
    if outcome == "refused":
        problem = resp.context["problems"][0]
        assert (problem["row"], problem["column"], problem["code"]) == (
            2, "region_code", "not_your_region")
        assert "无权填报" in problem["reason"]


@pytest.mark.parametrize(("role", "city"), list(WRITES))
def test_api_import_matrix(client_as, upload_file, role, city):
    client = client_as(role)
    before = Observation.objects.count()
    resp = client.post("/api/imports", {"files": upload_file(city)})
    outcome = {401: "login", 403: "denied", 200: "written", 400: "refused"}[resp.status_code]
    assert outcome == WRITES[(role, city)]
    assert Observation.objects.count() == before + (1 if outcome == "written" else 0)


@pytest.mark.parametrize(("role", "indicator", "expected"), [
    ("department_reporter", "gdp", "written"),
    ("department_reporter", "resident_population", "refused"),
    ("city_coordinator", "resident_population", "written"),
])
def test_reporter_limited_to_their_indicators(client_as, upload_file, role, indicator,
                                              expected):
    client = client_as(role)
    unit = "亿元" if indicator == "gdp" else "万人"
    resp = client.post("/upload/", {"files": upload_file(OWN, indicator, "700", unit)})
    got = "written" if resp.context.get("report") else "refused"
    assert got == expected
    if got == "refused":
        assert resp.context["problems"][0]["code"] == "not_your_indicator"


def test_only_admins_import_targets(client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from czt.commands.data import default_data_files

    text = default_data_files()[2].read_bytes()
    client = client_as("city_coordinator")
    resp = client.post("/upload/", {"files": SimpleUploadedFile("targets.csv", text)})
    codes = {p["code"] for p in resp.context["problems"]}
    assert "targets_admin_only" in codes or "not_your_region" in codes


def test_coverage_scoped_to_own_city(client_as):
    client = client_as("city_coordinator")
    rows = client.get("/api/coverage?page_size=10000").json()["results"]
    assert rows, "the real data leave cells missing"
    assert {r["region"] for r in rows} <= {OWN, *[f"4301{n:02d}" for n in range(100)]}
    admin_rows = client_as("province_admin").get("/api/coverage?page_size=10000").json()
    assert admin_rows["count"] > len(rows)
