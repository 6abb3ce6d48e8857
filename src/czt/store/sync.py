"""Bring the reference tables in line with the reviewed files (idempotent upsert)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from czt.reference.loaders import Reference, load_reference
from czt.store.models import Area, Indicator, IndicatorAlias, Plan, Region, Target
from czt.units import conversion_factor


def _date(s: str) -> date | None:
    return date.fromisoformat(s) if s else None


def _float(s: str) -> float | None:
    return float(s) if s else None


@transaction.atomic
def sync_reference(ref: Reference | None = None) -> dict[str, int]:
    ref = ref or load_reference()
    for r in ref.regions:  # first pass without self-references
        Region.objects.update_or_create(code=r["code"], defaults={
            "name_zh": r["name_zh"], "name_en": r["name_en"], "level": r["level"],
            "valid_from": _date(r["valid_from"]), "valid_to": _date(r["valid_to"]),
            "note": r["note"]})
    for r in ref.regions:
        Region.objects.filter(code=r["code"]).update(
            parent_id=r["parent"] or None, replaced_by_id=r["replaced_by"] or None)
    for z in ref.zones:
        zone, _ = Region.objects.update_or_create(code=z["code"], defaults={
            "name_zh": z["name_zh"], "name_en": z["name_en"], "level": "zone",
            "parent_id": "CZT", "note": z["source"]})
        zone.members.set(z["members"].split())
    Region.objects.get(code="CZT").members.set(["430100", "430200", "430300"])
    for a in ref.areas:
        Area.objects.update_or_create(code=a["code"], defaults={
            "name_zh": a["name_zh"], "name_en": a["name_en"], "order": int(a["order"])})
    for i in ref.indicators:
        Indicator.objects.update_or_create(code=i["code"], defaults={
            "name_zh": i["name_zh"], "name_en": i["name_en"], "unit": i["unit"],
            "polarity": i["polarity"], "area_id": i["area"], "kind": i["kind"],
            "aggregation": i["aggregation"], "scale": _float(i["scale"]),
            "min_value": _float(i["min"]), "max_value": _float(i["max"]), "note": i["note"]})
    for i in ref.indicators:
        Indicator.objects.filter(code=i["code"]).update(
            numerator_id=i["numerator"] or None, denominator_id=i["denominator"] or None)
    for a in ref.aliases:
        IndicatorAlias.objects.update_or_create(alias=a["alias"], defaults={
            "indicator_id": a["code"], "measure": a["measure"]})
    for p in ref.plans:
        Plan.objects.update_or_create(id=p["id"], defaults={
            "name_zh": p["name_zh"], "name_en": p["name_en"], "base_year": int(p["base_year"]),
            "target_year": int(p["target_year"]), "issuer": p["issuer"],
            "title_keywords": p["title_keywords"]})
    for t in ref.targets:
        unit = ref.indicator(t["indicator"])["unit"]
        Target.objects.update_or_create(id=t["id"], defaults={
            "plan_id": t["plan"], "region_id": t["region"], "indicator_id": t["indicator"],
            "measure": t["measure"] or "level", "operator": t["operator"],
            "value": float(t["value"]) * conversion_factor(t["unit"], unit),
            "original_value": f"{t['operator'].replace('~', '约')}{t['value']} {t['unit']}",
            "base_year": int(t["base_year"]), "target_year": int(t["target_year"]),
            "kind": t["kind"], "source_title": t["source_title"], "source_url": t["source_url"],
            "sentence": t["sentence"]})
    return {"regions": len(ref.regions) + len(ref.zones), "indicators": len(ref.indicators),
            "plans": len(ref.plans), "targets": len(ref.targets)}
