"""Web commands: serve the platform, create users, issue API tokens."""

from __future__ import annotations

import os
import secrets

import click

from czt.commands.data import _setup


@click.command()
@click.option("--bind", default="127.0.0.1:8000", show_default=True)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--threads", default=4, show_default=True, type=int)
def serve(bind: str, workers: int, threads: int) -> None:
    """启动网页平台 (gunicorn) / serve the web platform."""
    from gunicorn.app.wsgiapp import WSGIApplication

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "czt.settings")
    click.echo(f"长株潭一体化监测与调度平台: http://{bind}/  (Ctrl+C 退出 / to stop)")

    class App(WSGIApplication):
        def load_config(self):
            self.app_uri = "czt.web.wsgi:application"
            for key, value in {"bind": bind, "workers": workers, "threads": threads,
                               "worker_class": "gthread", "accesslog": None,
                               "timeout": 120, "control_socket_disable": True}.items():
                self.cfg.set(key, value)

    App().run()


@click.command()
@click.argument("username")
@click.option("--role", required=True,
              type=click.Choice(["province_admin", "city_coordinator", "department_reporter",
                                 "viewer"]))
@click.option("--region", default=None, help="城市代码 / city code, e.g. 430100")
@click.option("--unit", default=None, help="单位代码 (units.csv) / unit code, e.g. hn-drc")
@click.option("--indicator", "indicators", multiple=True, help="指标代码 (可重复) / indicator")
@click.option("--password", default=None, help="不给则生成随机密码 / random if omitted")
@click.option("--reset", is_flag=True, help="用户已存在时重置 / reset an existing user")
def createuser(username, role, region, unit, indicators, password, reset) -> None:
    """创建用户 (首个管理员用 --role province_admin) / create a user."""
    _setup()
    from czt.web.accounts.users import UserError, create_user

    shown = password or secrets.token_urlsafe(12)
    try:
        create_user(username, shown, role, region=region, unit=unit,
                    indicators=list(indicators), reset=reset)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"已创建 / created: {username} ({role})")
    if not password:
        click.echo(f"密码 / password: {shown}  (只显示这一次 / shown once)")


@click.command("demo-admin")
def demo_admin() -> None:
    """创建本地演示管理员并打印一次密码 / create the local demo admin once."""
    _setup()
    from czt.web.accounts.users import DEMO_ADMIN, ensure_demo_admin

    password = ensure_demo_admin()
    if password:
        click.echo(f"登录 / sign in: http://127.0.0.1:8000/accounts/login/  用户名 / user: "
                   f"{DEMO_ADMIN}  密码 / password: {password}  (只显示这一次 / shown once)")
    else:
        click.echo(f"演示管理员「{DEMO_ADMIN}」已存在, 密码在首次创建时已打印; "
                   f"重置: czt createuser {DEMO_ADMIN} --role province_admin --reset / "
                   "the demo admin exists; "
                   "reset its password with the command above")


@click.command()
@click.argument("username")
@click.argument("name")
def token(username: str, name: str) -> None:
    """为用户签发 API 令牌 / issue an API token (shown once)."""
    _setup()
    from django.contrib.auth.models import User

    from czt.web.accounts.models import ApiToken

    user = User.objects.filter(username=username).first()
    if user is None:
        raise click.ClickException(f"没有用户「{username}」/ no such user")
    _, key = ApiToken.issue(user, name)
    click.echo(f"Authorization: Bearer {key}  (只显示这一次 / shown once)")


COMMANDS = [serve, createuser, demo_admin, token]
