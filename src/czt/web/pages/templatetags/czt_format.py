"""Number formatting for tables: as many decimals as the figure has (up to four), no more.

Django's floatformat pads ("39752.1000") or rounds away published digits; statistics are
shown as published.
"""

from __future__ import annotations

import math

from django import template

register = template.Library()


@register.filter
def num(value, places: int = 4) -> str:
    if value is None or value == "":
        return ""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(v):
        return ""
    text = f"{v:.{int(places)}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
