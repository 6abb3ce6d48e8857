"""Every change of reference data in the back office is recorded: who, when, before, after."""

from __future__ import annotations

import pytest

from czt.store.models import Target
from czt.web.accounts.users import create_user, ensure_demo_admin
from czt.web.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _admin_client(client):
    create_user("chief", "pw-unused-123", "province_admin")
    client.login(username="chief", password="pw-unused-123")
    return client


def test_changing_a_target_records_before_and_after(client):
    client = _admin_client(client)
    target = Target.objects.get(id="5Y-01")
    url = f"/admin/store/target/{target.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["confirmed_by"] = "[]" if not target.confirmed_by else data["confirmed_by"]
    old = target.value
    data["value"] = str(old + 1000)
    resp = client.post(url, data)
    assert resp.status_code == 302, resp.context["adminform"].form.errors
    entry = AuditEntry.objects.get(model="store.Target", object_id="5Y-01")
    assert (entry.username, entry.action) == ("chief", "change")
    assert entry.before["value"] == old and entry.after["value"] == old + 1000
    assert entry.changed_fields() == ["value"]
    # the record itself cannot be edited or deleted through the back office
    page = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert page.status_code == 200 and "chief" in page.content.decode()
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403


def test_deleting_a_region_is_recorded(client):
    client = _admin_client(client)
    from czt.store.models import Region

    Region.objects.create(code="TEST01", name_zh="测试区", name_en="Test", level="zone")
    resp = client.post("/admin/store/region/TEST01/delete/", {"post": "yes"})
    assert resp.status_code == 302
    entry = AuditEntry.objects.get(object_id="TEST01")
    assert entry.action == "delete" and entry.before["name_zh"] == "测试区"
    assert entry.after is None


def test_user_changes_record_the_profile_but_never_the_password(client):
    client = _admin_client(client)
    user = create_user("clerk", "pw-unused-123", "viewer")
    url = f"/admin/auth/user/{user.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"first_name": "小李", "profile-TOTAL_FORMS": "1",
                 "profile-INITIAL_FORMS": "1", "profile-MIN_NUM_FORMS": "0",
                 "profile-MAX_NUM_FORMS": "1", "profile-0-id": user.profile.pk,
                 "profile-0-user": user.pk, "profile-0-role": "city_coordinator",
                 "profile-0-region": "430300"})
    data.pop("password", None)
    data.pop("last_login", None)
    data.pop("date_joined", None)
    data["date_joined_0"] = user.date_joined.strftime("%Y-%m-%d")
    data["date_joined_1"] = user.date_joined.strftime("%H:%M:%S")
    data.pop("groups", None)
    data.pop("user_permissions", None)
    resp = client.post(url, data)
    assert resp.status_code == 302, resp.context["adminform"].form.errors
    entry = AuditEntry.objects.get(model="auth.User", object_id=str(user.pk))
    assert entry.after["first_name"] == "小李"
    assert "password" not in entry.after and "password" not in entry.before
    # the role and city live on the inline profile, and their change is recorded too
    assert entry.before["profile"]["role"] == "viewer"
    assert entry.after["profile"]["role"] == "city_coordinator"
    assert entry.after["profile"]["region"] == "430300"
    assert "profile" in entry.changed_fields()


def test_demo_admin_is_created_once():
    password = ensure_demo_admin()
    assert password and len(password) >= 12
    assert ensure_demo_admin() is None
