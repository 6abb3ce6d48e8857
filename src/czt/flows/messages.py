"""Messages of the flows path in Chinese (default) and English.

Kept in one table so that a translator can review both languages side by side, and so that
tests can check that every key exists in both.
"""

from __future__ import annotations

LANGS = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "file_failed": {
        "zh": "文件 {file} 未通过校验 ({rows} 行)，本批文件均未导入：",
        "en": "File {file} failed validation ({rows} rows); nothing in this batch was ingested:",
    },
    "file_ok": {
        "zh": "文件 {file} 通过校验：{rows} 行，日期 {first} 至 {last}",
        "en": "File {file} passed validation: {rows} rows, dates {first} to {last}",
    },
    "examples": {"zh": "例如 {examples}", "en": "e.g. {examples}"},
    "example_row": {"zh": "第 {row} 行 = {value}", "en": "row {row} = {value}"},
    "not_parquet": {
        "zh": "不是可读取的 Parquet 文件 ({detail})",
        "en": "not a readable Parquet file ({detail})",
    },
    "missing_file": {"zh": "文件不存在", "en": "file does not exist"},
    "empty": {"zh": "文件没有数据行", "en": "file has no data rows"},
    "missing_column": {
        "zh": "缺少必需的列 {column}",
        "en": "required column {column} is missing",
    },
    "bad_type": {
        "zh": "列 {column} 的类型 {found} 不可用，应为 {expected}",
        "en": "column {column} has type {found}; expected {expected}",
    },
    "null": {
        "zh": "列 {column}：{count} 行为空值",
        "en": "column {column}: {count} rows are empty (null)",
    },
    "unknown_code": {
        "zh": "列 {column}：{count} 行的地区代码不是长株潭 23 个区县之一 (GB/T 2260)",
        "en": "column {column}: {count} rows have a region code outside the 23 CZT "
        "districts/counties (GB/T 2260)",
    },
    "bad_date": {
        "zh": "列 {column}：{count} 行的日期无法识别 (应为 YYYY-MM-DD 的真实日期)",
        "en": "column {column}: {count} rows have an unreadable date (expected a real "
        "YYYY-MM-DD date)",
    },
    "date_out_of_range": {
        "zh": "列 {column}：{count} 行的日期超出范围 ({first} 至今天 {last})",
        "en": "column {column}: {count} rows have a date outside {first} to today ({last})",
    },
    "bad_period": {
        "zh": "列 {column}：{count} 行的时段不是 00–23 时、时段名 ({parts}) 或 day",
        "en": "column {column}: {count} rows have a period that is not an hour 00–23, a day "
        "part ({parts}) or day",
    },
    "bad_kind": {
        "zh": "列 {column}：{count} 行的类型不在 {kinds} 之中",
        "en": "column {column}: {count} rows have a kind not among {kinds}",
    },
    "negative": {
        "zh": "列 {column}：{count} 行为负数",
        "en": "column {column}: {count} rows are negative",
    },
    "not_integer": {
        "zh": "列 {column}：{count} 行不是整数 (计数须为整数)",
        "en": "column {column}: {count} rows are not whole numbers (counts must be)",
    },
    "not_finite": {
        "zh": "列 {column}：{count} 行为 NaN 或无穷大",
        "en": "column {column}: {count} rows are NaN or infinite",
    },
    "duplicate_file": {
        "zh": "与已导入的文件 {existing} 内容相同 (sha256 {sha})，重复导入会重复计数",
        "en": "same content as already ingested {existing} (sha256 {sha}); ingesting it again "
        "would double-count",
    },
    "duplicate_in_batch": {
        "zh": "与本批的 {other} 内容相同",
        "en": "same content as {other} in this batch",
    },
    "ingested": {
        "zh": "已导入 {n} 个文件，共 {rows} 行，数据集 {root}",
        "en": "Ingested {n} files, {rows} rows, into dataset {root}",
    },
    "batch_rejected": {
        "zh": "{n} 个文件未通过校验，数据集未作任何改动。",
        "en": "{n} file(s) failed validation; the dataset was not changed.",
    },
    "no_files": {
        "zh": "没有找到 Parquet 文件：{source}",
        "en": "no Parquet files found: {source}",
    },
    "synthetic_note": {
        "zh": "合成数据 (仅供测试、演示和基准测试)，种子 {seed}",
        "en": "synthetic data (for tests, demos and benchmarks only), seed {seed}",
    },
}


def msg(key: str, lang: str = "zh", **values: object) -> str:
    """Format message ``key`` in ``lang`` (``zh`` or ``en``)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return MESSAGES[key][lang].format(**values)
