"""The ledger seed (units, tasks, milestones) loads, says only what its sources say, and a
broken file is reported with its file, row and column."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest

from czt.messages import ValidationFailed
from czt.reference.ledger import HERE, MILESTONES, TASKS, UNITS, load_ledger

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def seed():
    return load_ledger()


def test_the_seed_loads_with_at_least_40_tasks(seed):
    assert len(seed.tasks) >= 40
    assert {m["task"] for m in seed.milestones} == {t["id"] for t in seed.tasks}
    assert all(isinstance(m["seq"], int) for m in seed.milestones)
    assert all(m["due"] is None or isinstance(m["due"], date) for m in seed.milestones)
    assert all(isinstance(t["location_regions"], tuple) for t in seed.tasks)


def test_named_tasks_are_there(seed):
    titles = [t["title_zh"] for t in seed.tasks]
    for part in ("西环线", "学士路—先锋—云塘—株洲云龙", "昭山—九华", "暮云—白泉",
                 "充电桩20万根", "绿心生态修复", "6条融城干道", "长沙—宁乡", "黄花机场—浏阳",
                 "湘江科学城起步区", "湘潭大学城创新创业园"):
        assert any(part in t for t in titles), part


def test_owners_are_known_units_or_left_to_be_assigned(seed):
    units = {u["code"] for u in seed.units}
    leads = [t["lead"] for t in seed.tasks]
    assert None in leads  # sources that name no owner stay 待明确
    assert all(lead in units for lead in leads if lead)
    assert all(c in units for t in seed.tasks for c in t["co_units"])


def test_a_done_milestone_carries_its_proof(seed):
    done = [m for m in seed.milestones if m["done_on"]]
    assert done
    assert all(m["evidence_seed"] and m["evidence_sentence"] for m in done)
    xihuan = next(t for t in seed.tasks if t["title_zh"] == "长株潭轨道交通西环线")
    assert date(2023, 6, 28) in [m["done_on"] for m in done if m["task"] == xihuan["id"]]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents are not beside the repo")
def test_every_quoted_sentence_is_in_its_source(seed):
    texts = {p.name[:3]: _flat(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}
    for t in seed.tasks:
        assert _flat(t["source_sentence"]) in texts[t["seed"]], t["id"]
    for m in seed.milestones:
        if m["evidence_sentence"]:
            assert _flat(m["evidence_sentence"]) in texts[m["evidence_seed"]], (m["task"], m["seq"])


def _copy_with(tmp_path: Path, name: str, row: int, column: str, value: str | None) -> Path:
    """Copy the three files to tmp_path, setting one cell (row as numbered in the problems,
    header = 1) or, with value None, dropping the row."""
    for f in (UNITS, TASKS, MILESTONES):
        shutil.copy(HERE / f, tmp_path / f)
    with open(tmp_path / name, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
        header = list(rows[0])
    if value is None:
        del rows[row - 2]
    else:
        rows[row - 2][column] = value
    with open(tmp_path / name, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return tmp_path


@pytest.mark.parametrize(("name", "row", "column", "value", "code"), [
    (TASKS, 3, "area", "nowhere", "bad_reference"),
    (TASKS, 4, "lead", "hn-nobody", "bad_reference"),
    (TASKS, 5, "co_units", "430100;430999", "bad_reference"),
    (TASKS, 6, "indicators", "gdp;happiness", "bad_reference"),
    (TASKS, 7, "location_regions", "430122", "bad_reference"),  # 望城县, abolished in 2011
    (TASKS, 7, "location_regions", "430104", "line_too_short"),
    (TASKS, 8, "location_kind", "polygon", "bad_choice"),
    (TASKS, 9, "id", "T001", "duplicate_key"),
    (UNITS, 3, "kind", "committee", "bad_choice"),
    (UNITS, 3, "code", "HN_DRC", "bad_code"),
    (MILESTONES, 2, "task", "T999", "bad_reference"),
    (MILESTONES, 2, "due", "2025-13-01", "bad_date"),
    (MILESTONES, 2, "due", "2025-12-31", "missing_value"),  # a date without the source's wording
    (MILESTONES, 3, "seq", "0", "out_of_range"),
])
def test_a_bad_cell_is_reported_where_it_is(tmp_path, name, row, column, value, code):
    folder = _copy_with(tmp_path, name, row, column, value)
    with pytest.raises(ValidationFailed) as err:
        load_ledger(folder)
    found = [(p.file, p.row, p.code) for p in err.value.problems]
    wanted_column = "due_text" if code == "missing_value" else column
    assert (name, row, code) in found
    assert any(p.column == wanted_column for p in err.value.problems if p.code == code)
    assert name in err.value.render("en") and f"row {row}" in err.value.render("en")


def test_a_task_without_milestones_is_reported(tmp_path):
    folder = _copy_with(tmp_path, MILESTONES, 2, "task", None)  # T001's only milestone
    with pytest.raises(ValidationFailed) as err:
        load_ledger(folder)
    assert [(p.file, p.row, p.column, p.code) for p in err.value.problems] == [
        (TASKS, 2, "id", "no_milestone")]
