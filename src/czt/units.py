"""Unit conversion between published units and the catalogue unit.

Statistics are published in 元, 万元, 亿元 or 万亿元, in 人 or 万人; a value is stored in its
indicator's catalogue unit. Units of different families never convert (亿元 → 万人 fails).
"""

from __future__ import annotations

# family, factor to the family's base unit
_UNITS: dict[str, tuple[str, float]] = {
    "元": ("money", 1.0),
    "万元": ("money", 1e4),
    "亿元": ("money", 1e8),
    "万亿元": ("money", 1e12),
    "人": ("people", 1.0),
    "万人": ("people", 1e4),
    "户": ("households", 1.0),
    "万户": ("households", 1e4),
    "家": ("firms", 1.0),
    "万家": ("firms", 1e4),
    "个": ("items", 1.0),
    "根": ("piles", 1.0),
    "万根": ("piles", 1e4),
    "公里": ("km", 1.0),
    "千米": ("km", 1.0),
    "km": ("km", 1.0),
    "米": ("km", 1e-3),
    "%": ("percent", 1.0),
    "μg/m3": ("ugm3", 1.0),
    "天": ("days", 1.0),
    "名": ("rank", 1.0),
    "年": ("years", 1.0),
    "平方公里": ("km2", 1.0),
}

_SYNONYMS = {
    "％": "%",
    "percent": "%",
    "µg/m3": "μg/m3",
    "μg/m³": "μg/m3",
    "ug/m3": "μg/m3",
    "微克/立方米": "μg/m3",
    "rank": "名",
    "位": "名",
    "km²": "平方公里",
    "km2": "平方公里",
    "元/人": "元",
    "yuan": "元",
    "persons": "人",
}

# multiplier words that may be glued to a number: "2.5万亿", "8500万"
MULTIPLIERS: dict[str, float] = {"万亿": 1e12, "亿": 1e8, "万": 1e4}


def normalise_unit(unit: str) -> str:
    u = (unit or "").strip()
    return _SYNONYMS.get(u, _SYNONYMS.get(u.lower(), u))


def conversion_factor(from_unit: str, to_unit: str) -> float | None:
    """Factor f with value_in_to = value_in_from × f, or None if the units do not convert."""
    a, b = normalise_unit(from_unit), normalise_unit(to_unit)
    if a == b:
        return 1.0
    if a in _UNITS and b in _UNITS and _UNITS[a][0] == _UNITS[b][0]:
        return _UNITS[a][1] / _UNITS[b][1]
    return None


def factor_with_multiplier(multiplier: str, unit: str, to_unit: str) -> float | None:
    """Convert a value written as "2.5万亿" with column unit "元" (or blank) to ``to_unit``.

    The multiplier word is prefixed to the unit when that names a known unit (万亿 + 元 =
    万亿元); otherwise it is a plain factor applied before the unit conversion.
    """
    unit = normalise_unit(unit) or normalise_unit(to_unit)
    combined = multiplier + unit
    if combined in _UNITS:
        return conversion_factor(combined, to_unit)
    base = conversion_factor(unit, to_unit)
    return None if base is None else base * MULTIPLIERS[multiplier]
