"""Tasks linked to indicators: shown on the indicator page and, for lagging targets, on the
overview, to those who may read the ledger."""

from __future__ import annotations

from django.test import Client

from czt.web.ledger.models import Task


def test_indicator_page_lists_its_tasks(client_as, ledger):
    html = client_as("viewer").get("/indicators/gdp/").content.decode()
    assert 'id="indicator-tasks"' in html and "T901" in html
    public = Client().get("/indicators/gdp/").content.decode()
    assert 'id="indicator-tasks"' not in public


def test_overview_shows_tasks_behind_lagging_targets(client_as, ledger):
    # the area's GDP target is 需加快 (R = 0.81) on the shipped data; T901 is linked to gdp
    html = client_as("province_admin").get("/").content.decode()
    row = html[html.index('class="behind-target"'):]
    assert "T901" in row[:row.index("</tr>")]
    assert "behind-target" not in Client().get("/").content.decode()


def test_a_coordinator_sees_only_own_tasks_behind_targets(client_as, ledger):
    Task.objects.get(pk="T902").indicators.set(["gdp"])
    html = client_as("city_coordinator").get("/").content.decode()
    assert "T901" in html and "T902" not in html
