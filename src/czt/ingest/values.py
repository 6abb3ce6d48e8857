"""Parse published numbers as people write them.

Handles thousands separators (1,234.5), full-width digits (１２３), qualifiers that carry
meaning (约5, 5左右, ~5 → "about"; >8500, 突破, 以上 → a bound) and multiplier words
(2.5万亿). The qualifier is kept as a comparator and a flag; it is never thrown away.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from czt.units import MULTIPLIERS

_PREFIX_COMPARATORS = [
    (">=", ">="), ("≥", ">="), ("<=", "<="), ("≤", "<="), (">", ">"), ("<", "<"),
    ("~", "~"), ("约", "~"), ("超过", ">"), ("突破", ">"), ("不低于", ">="), ("低于", "<"),
    ("不足", "<"), ("近", "~"),
]
_SUFFIX_COMPARATORS = [("左右", "~"), ("以上", ">="), ("以下", "<="), ("余", ">"), ("多", ">")]
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")

FLAG_OF = {"~": "approx", ">": "exceeds", ">=": "exceeds", "<": "below", "<=": "below"}


@dataclass(frozen=True)
class ParsedValue:
    value: float
    comparator: str = ""
    multiplier: str = ""

    @property
    def flag(self) -> str:
        return FLAG_OF.get(self.comparator, "")


def parse_value(text: object) -> ParsedValue | None:
    """Return the parsed value, or None when the text holds no number."""
    if text is None:
        return None
    s = unicodedata.normalize("NFKC", str(text)).strip().replace(",", "").replace(" ", "")
    if not s:
        return None
    comparator = ""
    for word, comp in _PREFIX_COMPARATORS:
        if s.startswith(word):
            comparator, s = comp, s[len(word):]
            break
    for word, comp in _SUFFIX_COMPARATORS:
        if s.endswith(word):
            comparator = comparator or comp
            s = s[: -len(word)]
            break
    multiplier = ""
    for word in MULTIPLIERS:  # longest first: 万亿 before 亿 and 万
        if s.endswith(word):
            multiplier, s = word, s[: -len(word)]
            break
    if not _NUMBER.match(s):
        return None
    return ParsedValue(float(s), comparator, multiplier)
