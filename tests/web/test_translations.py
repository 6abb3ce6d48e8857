"""The Chinese interface: a complete catalogue, a committed .mo that matches it, and pages
that speak Chinese by default and English after the language switch.

When this fails after strings changed: rerun makemessages, translate, then
``python scripts/compile_messages.py`` (the sequence is in that script's docstring).
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

PO_PATH = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")

# nav label in English -> in Chinese (base.html; visible to anonymous readers)
NAV = {
    "Overview": "总览",
    "Indicators": "指标",
    "Cities": "城市",
    "Map": "地图",
    "Integration analysis": "一体化分析",
    "Flows": "跨城流动",
    "Sign in": "登录",
}


def live_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete]


def comparable(entries) -> set[tuple]:
    return {(e.msgctxt, e.msgid, e.msgid_plural, e.msgstr,
             tuple(sorted((int(k), v) for k, v in e.msgstr_plural.items())))
            for e in entries}


def header_and_nav(html: str) -> str:
    """The page header (brand, nav, sign-in), where the navigation labels live."""
    match = re.search(r'<header class="top">(.*?)</header>', html, re.S)
    assert match, "no <header class=\"top\"> on the page"
    return match.group(1)


def test_catalogue_is_complete_and_not_fuzzy():
    po = polib.pofile(str(PO_PATH))
    assert not po.metadata_is_fuzzy
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    entries = live_entries(po)
    assert len(entries) > 100
    fuzzy = [e.msgid for e in entries if e.fuzzy]
    untranslated = [e.msgid for e in entries if not e.translated()]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not untranslated, f"untranslated entries: {untranslated}"
    for e in entries:
        if e.msgid_plural:
            # Chinese has a single plural form
            assert set(e.msgstr_plural) == {0}, e.msgid


def test_placeholders_are_kept():
    for e in live_entries(polib.pofile(str(PO_PATH))):
        wanted = sorted(PLACEHOLDER.findall(e.msgid))
        if e.msgid_plural:
            assert sorted(PLACEHOLDER.findall(e.msgid_plural)) == wanted, e.msgid
        for text in (e.msgstr_plural.values() if e.msgid_plural else [e.msgstr]):
            assert sorted(PLACEHOLDER.findall(text)) == wanted, e.msgid


def test_committed_mo_matches_po(tmp_path):
    assert MO_PATH.exists(), "run: python scripts/compile_messages.py"
    fresh = tmp_path / "django.mo"
    fresh.write_bytes(polib.pofile(str(PO_PATH)).to_binary())
    committed, expected = polib.mofile(str(MO_PATH)), polib.mofile(str(fresh))
    assert committed.metadata == expected.metadata
    assert comparable(committed) == comparable(expected), (
        "django.mo is stale: run python scripts/compile_messages.py")


def test_django_loads_the_catalogue():
    with translation.override("zh-hans"):
        assert translation.gettext("Overview") == "总览"
        assert translation.gettext("Province administrator") == "省级管理员"
        assert translation.ngettext("%(n)s value", "%(n)s values", 3) % {"n": 3} == "3 条数据"
    with translation.override("en"):
        assert translation.gettext("Overview") == "Overview"


@pytest.mark.django_db
def test_overview_is_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "总览" in html
    header = header_and_nav(html)
    for english, chinese in NAV.items():
        assert f">{chinese}<" in header, chinese
        assert f">{english}<" not in header, english


@pytest.mark.django_db
def test_language_switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Overview" in html
    assert "Sign in" in html
    header = header_and_nav(html)
    for english, chinese in NAV.items():
        assert f">{english}<" in header, english
        assert f">{chinese}<" not in header, chinese
