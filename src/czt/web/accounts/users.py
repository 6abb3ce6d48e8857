"""Creating users from the command line: the first administrator, the local demo admin."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import User
from django.db import transaction

from czt.store.models import Indicator, Region, Unit
from czt.web.accounts.models import Profile, Role

DEMO_ADMIN = "admin"


class UserError(ValueError):
    """A bad argument, with the message in both languages."""


@transaction.atomic
def create_user(username: str, password: str, role: str, *, region: str | None = None,
                unit: str | None = None, indicators: list[str] | None = None,
                reset: bool = False) -> User:
    if role not in Role.values:
        raise UserError(f"未知角色「{role}」, 可选: {', '.join(Role.values)} / unknown role")
    if role == Role.CITY_COORDINATOR and not region:
        raise UserError("市级联络员必须指定城市 (--region 430100 等) / a city coordinator "
                        "needs --region")
    if region and not Region.objects.filter(code=region, level="city").exists():
        raise UserError(f"「{region}」不是地级市代码 / '{region}' is not a city code")
    if unit and not Unit.objects.filter(code=unit).exists():
        raise UserError(f"未知单位「{unit}」(见 units.csv 或后台「单位」) / unknown unit '{unit}'")
    codes = indicators or []
    unknown = sorted(set(codes) - set(Indicator.objects.filter(code__in=codes)
                                      .values_list("code", flat=True)))
    if unknown:
        raise UserError(f"未知指标 {unknown} / unknown indicators")
    user = User.objects.filter(username=username).first()
    if user is not None and not reset:
        raise UserError(f"用户「{username}」已存在 (加 --reset 可重置密码和角色) / user exists")
    if user is None:
        user = User(username=username)
    user.set_password(password)
    user.is_staff = user.is_superuser = role == Role.PROVINCE_ADMIN
    user.save()
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.role, profile.region_id, profile.unit_id = role, region, unit or None
    profile.save()
    profile.indicators.set(codes)
    return user


def ensure_demo_admin() -> str | None:
    """Create the local demo administrator once; return its password, or None if it exists."""
    if User.objects.filter(username=DEMO_ADMIN).exists():
        return None
    password = secrets.token_urlsafe(12)
    create_user(DEMO_ADMIN, password, Role.PROVINCE_ADMIN)
    return password
