"""Put the ledger seeded from the source documents (reference/tasks.csv, task_milestones.csv)
into the database.

Units are reference data and follow the file. Tasks and milestones are the province's
working ledger once loaded: a seeded task is created when missing and never overwritten,
so owners and deadlines set on the platform survive a re-run of ``czt init``.
"""

from __future__ import annotations

from django.db import transaction

from czt.reference import ledger as seed_files
from czt.store.models import Unit
from czt.web.ledger.models import Milestone, Task


@transaction.atomic
def sync_units() -> int:
    units = seed_files.load_units()
    for u in units:
        Unit.objects.update_or_create(code=u["code"], defaults={
            "name_zh": u["name_zh"], "name_en": u["name_en"], "kind": u["kind"],
            "region_id": u["region"] or None, "note": u["note"]})
    return len(units)


@transaction.atomic
def seed_ledger() -> dict[str, int]:
    """Create the seeded tasks and milestones that are not in the database yet."""
    sync_units()
    created = milestones = 0
    existing = set(Task.objects.values_list("id", flat=True))
    by_task: dict[str, list[dict]] = {}
    for m in seed_files.load_milestones():
        by_task.setdefault(m["task"], []).append(m)
    for t in seed_files.load_tasks():
        if t["id"] in existing:
            continue
        task = Task.objects.create(
            id=t["id"], title_zh=t["title_zh"], title_en=t["title_en"], area_id=t["area"],
            plan_id=t["plan"] or None, source_seed=t["seed"],
            source_sentence=t["source_sentence"], lead_id=t["lead"] or None,
            location_kind=t["location_kind"], location_regions=list(t["location_regions"]),
            note=t["note"])
        task.co_units.set(t["co_units"])
        task.indicators.set(t["indicators"])
        for m in by_task.get(t["id"], []):
            evidence = (f"{m['evidence_seed']}: {m['evidence_sentence']}"
                        if m.get("evidence_sentence") else "")
            Milestone.objects.create(task=task, seq=int(m["seq"]), title_zh=m["title_zh"],
                                     title_en=m["title_en"], due=m["due"],
                                     due_text=m["due_text"], done_on=m["done_on"],
                                     evidence=evidence)
            milestones += 1
        created += 1
    return {"tasks": created, "milestones": milestones}
