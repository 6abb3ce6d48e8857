"""Browser tests: Playwright driving Debian's chromium (``scripts/browser-up.sh``) against
pytest-django's ``live_server``.

``live_server`` forces ``transactional_db``, which empties every table after each test. The
reference data and the shipped statistics are therefore loaded again before each browser test
when the store is empty (about 0.3 s), and once more after the last test of each module, so
the test folders that run afterwards (inside rolled-back transactions) find the data that
``tests/conftest.py`` loaded at the start of the session.

Screenshots go to ``test-artifacts/screenshots/NAME.png`` at the repository root.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CZT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT_MS = 20_000


def load_store() -> None:
    """Reference data and shipped statistics, as ``tests/conftest.py`` loads them."""
    from czt.commands.data import default_data_files
    from czt.ingest.load import ingest_files
    from czt.store.models import Observation
    from czt.store.sync import sync_reference
    from czt.web.ledger.seed import seed_ledger

    if not Observation.objects.exists():
        sync_reference()
        seed_ledger()
        ingest_files(default_data_files(), user="fixture")


@pytest.fixture(scope="module", autouse=True)
def _restore_store_after_module(django_db_blocker):
    """Put the session data back once the module's transactional tests have flushed it."""
    yield
    with django_db_blocker.unblock():
        load_store()


@pytest.fixture(scope="module")
def browser():
    shutil.which(CHROMIUM) or pytest.skip(f"{CHROMIUM} missing: run scripts/browser-up.sh")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread; Django refuses ORM
    # calls under a running loop unless told otherwise. Only for the browser tests.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield b
            b.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def store(transactional_db):
    """The store filled for this test (the flush after the previous test emptied it)."""
    load_store()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture
def page(request, browser, live_server, store):
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORT, accept_downloads=True,
                                  base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors
    yield pg
    if getattr(request.node, "e2e_failed", False):
        save_screenshot(pg, f"FAILED-{request.node.name}")
    context.close()


def save_screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def shot(page):
    """shot(NAME): a full-page screenshot under test-artifacts/screenshots/NAME.png."""
    return lambda name: save_screenshot(page, name)


@pytest.fixture
def sign_in(page):
    """sign_in(username, password): through the login form, as a person would."""

    def _sign_in(username: str, password: str) -> None:
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("#sign-in-submit")

    return _sign_in


@pytest.fixture
def make_user():
    from czt.web.accounts.users import create_user

    def _make(username: str, role: str, region: str | None = None,
              password: str = "correct-horse-42") -> tuple[str, str]:
        create_user(username, password, role, region=region)
        return username, password

    return _make
