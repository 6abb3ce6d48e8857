"""Compile the interface translations (``src/czt/locale/*/LC_MESSAGES/django.po``) to ``.mo``.

Why this script instead of ``django-admin compilemessages``: compilemessages calls GNU
gettext's ``msgfmt``, which a Windows laptop or a slim server image often lacks. polib (a
pure-Python dependency) writes the same binary catalogue, so building and running the
platform need no gettext. The ``.mo`` files are committed with the project.

The full sequence when strings change in templates or Python code:

1. Extract the strings (needs GNU gettext, e.g. ``apt-get install gettext``), from ``src/czt``::

       cd src/czt && DJANGO_SETTINGS_MODULE=czt.settings ../../.venv/bin/django-admin \\
           makemessages -l zh_Hans --ignore=migrations -e html,py,txt

   makemessages keeps existing translations, adds new strings with an empty ``msgstr`` and
   may add a guessed translation flagged ``#, fuzzy``.
2. Translate every new or fuzzy entry in ``src/czt/locale/zh_Hans/LC_MESSAGES/django.po``
   and delete the ``fuzzy`` flag (Chinese has one plural form: fill ``msgstr[0]`` only).
3. Compile, from the repository root::

       .venv/bin/python scripts/compile_messages.py

4. ``.venv/bin/python -m pytest -q tests/web/test_translations.py`` checks that nothing is
   left untranslated or fuzzy and that the committed ``.mo`` matches the ``.po``.

Rerunning is harmless: a ``.mo`` file is only rewritten when its content changes.
Like msgfmt, untranslated and fuzzy entries are left out of the ``.mo`` (the page then shows
the English msgid); they are listed as warnings. ``--check`` writes nothing and exits with 1
if a ``.mo`` is stale or an entry is untranslated or fuzzy.

Usage: python scripts/compile_messages.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "src" / "czt" / "locale"


def catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Every ``django.po`` under the locale folder, in a stable order."""
    return sorted(locale_dir.glob("*/LC_MESSAGES/django.po"))


def problems(po: polib.POFile) -> list[str]:
    """Entries a reader would see in English: untranslated or fuzzy (obsolete ones ignored)."""
    out = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.fuzzy:
            out.append(f"fuzzy: {entry.msgid!r}")
        elif not entry.translated():
            out.append(f"untranslated: {entry.msgid!r}")
    return out


def compile_one(po_path: Path, *, check: bool = False) -> tuple[bool, list[str]]:
    """Compile one catalogue; returns (whether the .mo was stale, the entries to fix)."""
    po = polib.pofile(str(po_path))
    binary = po.to_binary()
    mo_path = po_path.with_suffix(".mo")
    stale = not mo_path.exists() or mo_path.read_bytes() != binary
    if stale and not check:
        mo_path.write_bytes(binary)
    return stale, problems(po)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; fail if a .mo is stale or an entry needs work")
    args = parser.parse_args(argv)
    paths = catalogues()
    if not paths:
        print(f"no django.po under {LOCALE_DIR}", file=sys.stderr)
        return 1
    failed = False
    for po_path in paths:
        stale, todo = compile_one(po_path, check=args.check)
        rel = po_path.relative_to(ROOT)
        if args.check:
            print(f"{rel}: {'STALE .mo' if stale else '.mo up to date'}")
        else:
            print(f"{rel}: {'compiled' if stale else 'unchanged'}")
        for line in todo:
            print(f"  warning: {line}", file=sys.stderr)
        failed = failed or (args.check and (stale or bool(todo)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
