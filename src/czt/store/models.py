"""Domain tables. Reference rows (regions, indicators, plans, targets) are loaded from the
reviewed files in ``czt/reference``; observations arrive only through ``czt.ingest``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A GB/T 2260 unit, the three-city total ``CZT`` or a zone of plan 002 (三)实施范围."""

    LEVELS = [
        ("province", "省"),
        ("total", "三市合计"),
        ("city", "地级市"),
        ("county", "区县"),
        ("functional_zone", "功能区"),
        ("zone", "规划分区"),
    ]
    code = models.CharField(max_length=16, primary_key=True)
    name_zh = models.CharField(max_length=64)
    name_en = models.CharField(max_length=128)
    level = models.CharField(max_length=16, choices=LEVELS)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaces")
    members = models.ManyToManyField("self", symmetrical=False, blank=True,
                                     related_name="zones")
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


class Area(models.Model):
    """One of the plan's nine actions (规划同图 … 平台同体), plus the overall targets."""

    code = models.CharField(max_length=32, primary_key=True)
    name_zh = models.CharField(max_length=32)
    name_en = models.CharField(max_length=64)
    order = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return self.name_zh


class Indicator(models.Model):
    AGGREGATIONS = [
        ("sum", "求和"),
        ("ratio", "比值之和 Σ分子/Σ分母"),
        ("weighted_mean", "加权平均"),
        ("none", "不可汇总"),
    ]
    code = models.CharField(max_length=64, primary_key=True)
    name_zh = models.CharField(max_length=64)
    name_en = models.CharField(max_length=128)
    unit = models.CharField(max_length=32)
    polarity = models.CharField(max_length=8, choices=[("higher", "越高越好"),
                                                       ("lower", "越低越好"),
                                                       ("neutral", "中性")])
    area = models.ForeignKey(Area, on_delete=models.PROTECT)
    kind = models.CharField(max_length=32)
    aggregation = models.CharField(max_length=16, choices=AGGREGATIONS)
    numerator = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    denominator = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    scale = models.FloatField(null=True, blank=True)
    min_value = models.FloatField(null=True, blank=True)
    max_value = models.FloatField(null=True, blank=True)
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


class IndicatorAlias(models.Model):
    alias = models.CharField(max_length=128, primary_key=True)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE)
    measure = models.CharField(max_length=32, default="level")


class Plan(models.Model):
    id = models.CharField(max_length=32, primary_key=True)
    name_zh = models.CharField(max_length=128)
    name_en = models.CharField(max_length=200)
    base_year = models.PositiveSmallIntegerField()
    target_year = models.PositiveSmallIntegerField()
    issuer = models.CharField(max_length=128, blank=True)
    title_keywords = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.name_zh


class Target(models.Model):
    """A quantified plan target. ``value`` is in the indicator's catalogue unit."""

    OPERATORS = [(">=", "≥"), (">", ">"), ("<=", "≤"), ("<", "<"), ("~", "≈ 左右")]
    id = models.CharField(max_length=64, primary_key=True)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="targets")
    region = models.ForeignKey(Region, on_delete=models.PROTECT)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT)
    measure = models.CharField(max_length=32, default="level")
    operator = models.CharField(max_length=2, choices=OPERATORS)
    value = models.FloatField()
    original_value = models.CharField(max_length=64)
    base_year = models.PositiveSmallIntegerField()
    target_year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, blank=True)
    source_title = models.TextField()
    source_url = models.URLField(max_length=500, blank=True)
    sentence = models.TextField()
    confirmed_by = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["plan", "id"]


class Unit(models.Model):
    """An organisation that leads or co-leads joint tasks (牵头单位/配合单位) and reports on
    them: the task force, a provincial or city department, or a city/district government
    (whose code is its GB/T 2260 region code)."""

    KINDS = [
        ("taskforce", _("task force")),
        ("department", _("department")),
        ("city", _("city government")),
        ("county", _("district or county government")),
    ]
    code = models.CharField(max_length=32, primary_key=True)
    name_zh = models.CharField(max_length=64)
    name_en = models.CharField(max_length=160)
    kind = models.CharField(max_length=16, choices=KINDS)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT,
                               help_text=_("city or district; empty for provincial departments"))
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name_zh

    @property
    def city_code(self) -> str | None:
        """The city this unit belongs to, for a coordinator's scope (None: provincial)."""
        if self.region_id is None:
            return None
        region = self.region
        return region.code if region.level == "city" else region.parent_id


class Source(models.Model):
    url = models.CharField(max_length=500)
    title = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["url", "title"], name="source_unique")]


class ImportBatch(models.Model):
    file_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField()
    imported_by = models.CharField(max_length=150, blank=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    new_vintages = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)


class Observation(models.Model):
    """One published value of one cell (region × indicator × year) from one source.

    Rows are never updated: a changed value from the same source becomes a new row with the
    next ``vintage``, so "as published on date D" can always be answered.
    """

    # Two composite indexes serve every query; the per-column FK indexes Django adds by
    # default would triple the cost of a provincial import for no read benefit.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, db_index=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, db_index=False)
    year = models.SmallIntegerField()
    value = models.FloatField()
    unit = models.CharField(max_length=32)
    comparator = models.CharField(max_length=2, blank=True)
    flags = models.CharField(max_length=64, blank=True)
    original_value = models.CharField(max_length=64)
    original_unit = models.CharField(max_length=32, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, db_index=False)
    snippet = models.TextField(blank=True)
    published = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField()
    vintage = models.PositiveIntegerField(default=1)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, db_index=False)

    class Meta:
        indexes = [models.Index(fields=["indicator", "region", "year"], name="obs_cell")]
        constraints = [
            models.UniqueConstraint(fields=["source", "region", "indicator", "year", "vintage"],
                                    name="obs_vintage_unique"),
        ]
