"""YAML files that people edit (assessment methods, composite-index frameworks): load them and
report every problem at once, each located by file, line and field path.

Why shared: both kinds of file are written by staff who are not programmers, so a problem must
say where it is (``dimensions[2].weight``, list indices from 0, and the line in the file) in
Chinese and English, and a misspelt field must be an error rather than silently ignored. Each
kind of file subclasses :class:`FieldError` with its own message table and :class:`Checker`
with its own rules; the location, the collection of problems and the generic checks (unknown,
missing and repeated fields, non-empty text, identifiers) live here.
"""

from __future__ import annotations

import math
import re
from typing import Any, ClassVar

import yaml

from czt.methods.errors import MethodInputError, Text

CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

COMMON_MESSAGES: dict[str, tuple[str, str]] = {
    "yaml_syntax": ("YAML 语法错误：{problem}", "YAML syntax error: {problem}"),
    "not_mapping": ("应为键值映射（字段: 值）", "must be a mapping (field: value)"),
    "missing_field": ("缺少必填字段", "required field is missing"),
    "unknown_field": ("未知字段（允许：{allowed}）", "unknown field (allowed: {allowed})"),
    "duplicate_key": ("字段重复出现", "the field appears more than once"),
    "not_text": ("应为非空文本，现为 {value!r}", "must be non-empty text, got {value!r}"),
    "bad_code": (
        "代码 {value!r} 无效：须以字母开头，只含字母、数字和下划线",
        "code {value!r} is invalid: a letter, then letters, digits or underscores",
    ),
    "not_list": ("应为非空列表", "must be a non-empty list"),
    "bad_choice": (
        "取值 {value!r} 无效；可用：{allowed}",
        "{value!r} is invalid; allowed: {allowed}",
    ),
    "duplicate_code": (
        "维度代码 {value!r} 重复（首次出现在 {first}）",
        "dimension code {value!r} is repeated (first at {first})",
    ),
    "bad_weight": (
        "权重应为大于 0 的数，现为 {value!r}",
        "weight must be a number > 0, got {value!r}",
    ),
}


class FieldError(MethodInputError):
    """A problem located by file, line and field path (files) or frame, row, unit and column
    (tables); subclasses set ``MESSAGES``.

    ``errors`` holds every problem found (this one first); ``str(error)`` is the first one in
    Chinese, followed by the number of further problems; ``to_dict`` lists them all.
    """

    MESSAGES: ClassVar[dict[str, tuple[str, str]]] = COMMON_MESSAGES

    def __init__(
        self,
        key: str,
        *,
        file: str | None = None,
        row: int | None = None,
        unit: object = None,
        column: object = None,
        field: str | None = None,
        **params: object,
    ) -> None:
        self.field = field
        self.errors: tuple[FieldError, ...] = ()
        super().__init__(key, file=file, row=row, unit=unit, column=column, **params)
        self.errors = (self,)

    def message(self, lang: str = "zh") -> str:
        text = self._where(lang) + self.message_body(lang)
        more = len(self.errors) - 1
        if more > 0:
            text += f" (and {more} more)" if lang == "en" else f"（另有 {more} 处问题）"
        return text

    def _where(self, lang: str) -> str:
        en = lang == "en"
        parts = [str(self.file)] if self.file else []
        if self.row is not None:
            if self.field is not None:
                parts.append(f"line {self.row}" if en else f"第 {self.row} 行")
            else:
                parts.append(f"row {self.row}" if en else f"第 {self.row} 行")
        if self.unit is not None:
            parts.append(f"unit {self.unit}" if en else f"单位 {self.unit}")
        if self.field:
            parts.append(f"field {self.field}" if en else f"字段 {self.field}")
        if self.column is not None:
            parts.append(f"column {self.column}" if en else f"列 {self.column}")
        if not parts:
            return ""
        return ", ".join(parts) + ": " if en else "，".join(parts) + "："

    def one_dict(self, lang: str = "zh") -> dict[str, object]:
        """This problem alone: the fields of ``MethodInputError.to_dict`` plus ``field``."""
        out = super().to_dict(lang)
        out["message"] = self._where(lang) + self.message_body(lang)
        out["field"] = self.field
        return out

    def message_body(self, lang: str = "zh") -> str:
        zh, en = self.MESSAGES[self.key]
        params = {k: v.get(lang) if isinstance(v, Text) else v for k, v in self.params.items()}
        return (en if lang == "en" else zh).format(**params)

    def to_dict(self, lang: str = "zh") -> dict[str, object]:
        out = self.one_dict(lang)
        out["message"] = self.message(lang)
        out["errors"] = [e.one_dict(lang) for e in self.errors]
        return out


def raise_all(problems: list[FieldError]) -> None:
    """Raise the first problem, carrying every problem in ``errors``; nothing if none."""
    if not problems:
        return
    first = problems[0]
    first.errors = tuple(problems)
    first.args = (first.message("zh"),)
    raise first


def field_path(path: tuple[str | int, ...]) -> str:
    """``("dimensions", 2, "weight")`` → ``dimensions[2].weight``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def is_number(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def parse(text: str, source: str, error: type[FieldError]) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data of a YAML text; a syntax error raises
    ``error`` with its line."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader), yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(
            "yaml_syntax", file=source, row=None if mark is None else mark.line + 1,
            field="", problem=problem,
        ) from None


class Checker:
    """Collects problems with their line (from the YAML node tree) and field path."""

    error: ClassVar[type[FieldError]] = FieldError

    def __init__(self, source: str, root: yaml.Node | None) -> None:
        self.source = source
        self.root = root
        self.problems: list[FieldError] = []
        self.duplicates(root, ())

    @classmethod
    def open(cls, text: str, source: str, fields: tuple[str, ...]) -> tuple[Checker, dict]:
        """Parse ``text``; the top level must be a mapping with exactly ``fields`` (all
        required). Returns the checker (holding any problems so far) and the data."""
        root, data = parse(text, source, cls.error)
        check = cls(source, root)
        if not isinstance(data, dict):
            check.add("not_mapping", ())
            raise_all(check.problems)
        check.fields(data, (), fields, required=fields)
        return check, data

    def line(self, path: tuple[str | int, ...]) -> int | None:
        node = self.root
        found = node
        for part in path:
            node = _child(node, part)
            if node is None:
                break
            found = node
        return None if found is None else found.start_mark.line + 1

    def add(self, key: str, path: tuple[str | int, ...], **params: object) -> None:
        self.problems.append(self.error(
            key, file=self.source, row=self.line(path), field=field_path(path), **params
        ))

    def duplicates(self, node: yaml.Node | None, path: tuple[str | int, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                name = str(key.value)
                if name in seen:
                    self.problems.append(self.error(
                        "duplicate_key", file=self.source, row=key.start_mark.line + 1,
                        field=field_path((*path, name)),
                    ))
                seen.add(name)
                self.duplicates(value, (*path, name))
        elif isinstance(node, yaml.SequenceNode):
            for i, value in enumerate(node.value):
                self.duplicates(value, (*path, i))

    def fields(self, data: dict, path: tuple[str | int, ...], allowed: tuple[str, ...],
               required: tuple[str, ...]) -> None:
        for name in required:
            if name not in data:
                self.add("missing_field", (*path, name))
        for name in data:
            if name not in allowed:
                self.add("unknown_field", (*path, str(name)), allowed=", ".join(allowed))

    def text(self, data: dict, path: tuple[str | int, ...]) -> str:
        value = data.get(path[-1])
        if path[-1] in data and (not isinstance(value, str) or not value.strip()):
            self.add("not_text", path, value=value)
        return value.strip() if isinstance(value, str) else ""

    def code(self, data: dict, path: tuple[str | int, ...]) -> str:
        code = self.text(data, path)
        if code and not CODE.match(code):
            self.add("bad_code", path, value=code)
        return code

    def mapping(self, item: object, path: tuple[str | int, ...]) -> bool:
        """Whether ``item`` is a mapping (a problem if not)."""
        if not isinstance(item, dict):
            self.add("not_mapping", path)
            return False
        return True

    def unique(self, entries: list[tuple[tuple[str | int, ...], object]], key: str) -> None:
        """Each text value once: a repeat is reported at its path, naming the parent of the
        first occurrence (e.g. ``dimensions[0]``)."""
        first: dict[str, tuple[str | int, ...]] = {}
        for path, value in entries:
            if not isinstance(value, str):
                continue
            if value in first:
                self.add(key, path, value=value, first=field_path(first[value][:-1]))
            else:
                first[value] = path

    def items(self, data: dict, path: tuple[str | int, ...]) -> list:
        """The non-empty list at ``path`` (a problem and ``[]`` otherwise)."""
        raw = data.get(path[-1])
        if path[-1] in data and (not isinstance(raw, list) or not raw):
            self.add("not_list", path)
            return []
        return raw if isinstance(raw, list) else []


def _child(node: yaml.Node | None, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if str(key.value) == part:
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None
