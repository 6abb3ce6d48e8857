"""The 长株潭 total is derived by each indicator's rule; percentages are never averaged."""

import pandas as pd
import pytest

from czt.methods.aggregate import Rule, derive_total

MEMBERS = ["A", "B", "C"]


def frame(rows):
    return pd.DataFrame(rows, columns=["region", "indicator", "year", "value"])


def test_urbanization_is_a_ratio_of_sums_not_an_average():
    # A: 90 of 100 urban (90 %), B: 10 of 50 (20 %), C: 50 of 50 (100 %).
    # Ratio of sums: 150 / 200 = 75 %; the mean of the percentages would be 70 %.
    rows = [("A", "urban", 2020, 90), ("A", "pop", 2020, 100), ("B", "urban", 2020, 10),
            ("B", "pop", 2020, 50), ("C", "urban", 2020, 50), ("C", "pop", 2020, 50),
            ("A", "rate", 2020, 90.0), ("B", "rate", 2020, 20.0), ("C", "rate", 2020, 100.0)]
    [d] = derive_total(frame(rows), Rule("rate", "ratio", "urban", "pop", 100), MEMBERS)
    assert d.value == pytest.approx(75.0, abs=1e-12)
    assert d.value != pytest.approx((90 + 20 + 100) / 3)


def test_sum_and_missing_members_are_named():
    rows = [("A", "gdp", 2024, 15268.78), ("B", "gdp", 2024, 3902.4),
            ("C", "gdp", 2024, 2957.06), ("A", "gdp", 2023, 14331.98)]
    out = derive_total(frame(rows), Rule("gdp", "sum"), MEMBERS)
    by_year = {d.year: d for d in out}
    assert by_year[2024].value == pytest.approx(22128.24, abs=1e-9)
    assert by_year[2023].value is None
    assert by_year[2023].missing == (("B", "gdp"), ("C", "gdp"))


def test_population_weighted_mean():
    # PM2.5 40, 30, 20 weighted by population 100, 50, 50 = (4000 + 1500 + 1000) / 200 = 32.5
    rows = [("A", "pm25", 2023, 40), ("B", "pm25", 2023, 30), ("C", "pm25", 2023, 20),
            ("A", "pop", 2023, 100), ("B", "pop", 2023, 50), ("C", "pop", 2023, 50)]
    [d] = derive_total(frame(rows), Rule("pm25", "weighted_mean", "pop"), MEMBERS)
    assert d.value == pytest.approx(32.5, abs=1e-12)


def test_not_aggregable_gives_nothing():
    rows = [("A", "g", 2023, 5.0), ("B", "g", 2023, 6.0), ("C", "g", 2023, 7.0)]
    assert derive_total(frame(rows), Rule("g", "none"), MEMBERS) == []
