"""The Python API exposes the same results as the CLI."""

import pytest

pytestmark = pytest.mark.django_db


def test_api_scoreboard_and_totals():
    from czt import api

    sb = api.scoreboard(plan="CZT-3Y-2023").set_index("target")
    assert sb.loc["CZT-3Y-2023-05", "indicator"] == "resident_population"
    # 2022 base = 1699.44 万人 (sum of the three cities), 2024 = 1714.61 万人 (derived)
    assert sb.loc["CZT-3Y-2023-05", "base_value"] == pytest.approx(1699.44, abs=1e-6)
    assert sb.loc["CZT-3Y-2023-05", "value"] == pytest.approx(1714.61, abs=1e-6)
    assert api.totals("gdp").set_index("year").loc[2024, "difference"] == pytest.approx(0.06)
