"""Worked examples of the CAGR-ratio method, each computed by hand in the comments.

Tolerance: 1e-9 on rates and ratios computed from the closed forms; the rounded literal
values quoted in comments are checked to 1e-3."""

import math

import pytest

from czt.methods.progress import assess_average_growth, assess_level


def level(**kw):
    args = {"operator": ">=", "target": 161.051, "target_year": 2025, "base_value": 100.0,
            "base_year": 2020, "value": 121.0, "year": 2022}
    args.update(kw)
    return assess_level(**args)


def test_on_track_when_actual_cagr_equals_required():
    # actual (121/100)^(1/2) - 1 = 10 %; required (161.051/100)^(1/5) - 1 = 10 % -> R = 1
    p = level()
    assert p.status == "on_track"
    assert p.actual_rate == pytest.approx(0.10, abs=1e-9)
    assert p.required_rate == pytest.approx(0.10, abs=1e-9)
    assert p.ratio == pytest.approx(1.0, abs=1e-9)
    # projection 121 × 1.1^3 = 161.051; distance covered (121-100)/(161.051-100) = 0.34398
    assert p.projected == pytest.approx(161.051, abs=1e-6)
    assert p.distance_covered == pytest.approx(21 / 61.051, abs=1e-9)


def test_needs_acceleration():
    # actual (116.64/100)^(1/2) - 1 = 8 % -> R = 0.08/0.10 = 0.8
    p = level(value=116.64)
    assert p.status == "accelerate"
    assert p.ratio == pytest.approx(0.8, abs=1e-9)


def test_limited_progress():
    # actual (110.25/100)^(1/2) - 1 = 5 % -> R = 0.5
    p = level(value=110.25)
    assert p.status == "limited"
    assert p.ratio == pytest.approx(0.5, abs=1e-9)


def test_deterioration():
    # actual (81/100)^(1/2) - 1 = -10 % -> R = -1
    p = level(value=81.0)
    assert p.status == "deterioration"
    assert p.ratio == pytest.approx(-1.0, abs=1e-9)


def test_achieved_when_the_target_is_met_early():
    assert level(value=170.0).status == "achieved"


def test_thresholds_are_inclusive_at_095_and_060():
    # R exactly 0.95 -> on track; exactly 0.60 -> needs acceleration
    base, target = 100.0, 100 * 1.1**5
    v95 = 100 * (1 + 0.095) ** 2
    v60 = 100 * (1 + 0.06) ** 2
    assert level(target=target, base_value=base, value=v95).status == "on_track"
    assert level(target=target, base_value=base, value=v60).status == "accelerate"


def test_lower_is_better_pm25():
    # PM2.5 < 35 by 2025 from 50 in 2020; 44 in 2022.
    # actual (44/50)^(1/2) - 1 = -0.061917; required (35/50)^(1/5) - 1 = -0.068850
    # R = 0.89930 -> needs acceleration (both rates negative, ratio positive)
    p = assess_level(operator="<", target=35, target_year=2025, base_value=50, base_year=2020,
                     value=44, year=2022)
    assert p.actual_rate == pytest.approx(-0.061917, abs=1e-6)
    assert p.required_rate == pytest.approx(-0.068850, abs=1e-6)
    assert p.ratio == pytest.approx(0.89930, abs=1e-4)
    assert p.status == "accelerate"
    rising = assess_level(operator="<", target=35, target_year=2025, base_value=50,
                          base_year=2020, value=52, year=2022)
    assert rising.status == "deterioration"
    assert assess_level(operator="<", target=35, target_year=2025, base_value=50,
                        base_year=2020, value=34.9, year=2024).status == "achieved"
    assert assess_level(operator="<", target=35, target_year=2025, base_value=50,
                        base_year=2020, value=35.0, year=2024).status != "achieved"


def test_about_target_met_inside_the_band():
    # "3%左右": met within ±5 % of 3, i.e. [2.85, 3.15]
    for v in (2.85, 3.0, 3.15):
        assert assess_level(operator="~", target=3, target_year=2025, base_value=2.0,
                            base_year=2020, value=v, year=2023).status == "achieved"


def test_about_target_approached_from_below_and_above():
    # from below: actual (2.5/2)^(1/2) - 1 = 0.118034; required (3/2)^(1/5) - 1 = 0.084472
    up = assess_level(operator="~", target=3, target_year=2025, base_value=2.0, base_year=2020,
                      value=2.5, year=2022)
    assert up.ratio == pytest.approx(0.118034 / 0.084472, abs=1e-4)
    assert up.status == "on_track"
    # from above: actual (3.5/4)^(1/2) - 1 = -0.064586; required (3/4)^(1/5) - 1 = -0.055912
    down = assess_level(operator="~", target=3, target_year=2025, base_value=4.0,
                        base_year=2020, value=3.5, year=2022)
    assert down.ratio == pytest.approx(0.064586 / 0.055912, abs=1e-4)
    assert down.status == "on_track"
    # moving away from an about-target is deterioration
    away = assess_level(operator="~", target=3, target_year=2025, base_value=2.0,
                        base_year=2020, value=1.8, year=2022)
    assert away.status == "deterioration"


def test_linear_fallback_for_change_since_base():
    # energy intensity "较2019年下降10%以上": base 0 (2019), -4 % in 2022.
    # actual -4/3 per year; required -10/6 per year -> R = 0.8
    p = assess_level(operator="<=", target=-10, target_year=2025, base_value=0.0,
                     base_year=2019, value=-4.0, year=2022)
    assert p.method == "linear"
    assert p.ratio == pytest.approx(0.8, abs=1e-9)
    assert p.status == "accelerate"
    assert p.projected == pytest.approx(-4 - 4 / 3 * 3, abs=1e-9)


def test_insufficient_data_reasons():
    assert level(base_value=None).reason == "no_base"
    assert level(value=None, year=None).reason == "no_data"
    assert level(year=2020).reason == "no_data_after_base"


def test_average_growth_geometric_mean():
    # 2021 8 %, 2022 6 %: sqrt(1.08 × 1.06) - 1 = 6.99533 % -> R = 0.99933 -> on track;
    # still needed 2023-2025: (1.07^5 / (1.08 × 1.06))^(1/3) - 1 = 7.00312 %
    p = assess_average_growth(operator=">=", target=7, target_year=2025, base_year=2020,
                              rates={2021: 8.0, 2022: 6.0})
    assert p.actual_rate == pytest.approx((math.sqrt(1.08 * 1.06) - 1) * 100, abs=1e-9)
    assert p.actual_rate == pytest.approx(6.99533, abs=1e-4)
    assert p.status == "on_track"
    assert p.needed_rate == pytest.approx(7.00312, abs=1e-4)


def test_average_growth_with_a_gap_is_insufficient():
    p = assess_average_growth(operator=">=", target=7, target_year=2025, base_year=2020,
                              rates={2021: 8.0, 2024: 5.2})
    assert p.status == "insufficient"
    assert p.reason == "missing_years:2022,2023"


def test_average_growth_complete_and_met():
    rates = {2021: 8.0, 2022: 7.0, 2023: 7.0, 2024: 7.0, 2025: 7.0}
    assert assess_average_growth(operator=">=", target=7, target_year=2025, base_year=2020,
                                 rates=rates).status == "achieved"
