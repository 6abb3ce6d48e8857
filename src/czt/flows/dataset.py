"""The flows dataset: a folder of canonical Parquet files listed in a manifest.

Layout (default ``$CZT_HOME/flows``, ``CZT_HOME`` defaulting to ``./var``)::

    flows/
      manifest.json        the files that belong to the dataset, with provenance
      parts/*.parquet      canonical files (see czt.flows.schema)

Ingest is all or nothing (整批接收或整批拒绝): every file of a batch is validated first; if any
fails, :class:`~czt.flows.validate.FlowValidationError` is raised and the folder is untouched.
Accepted files are written to a staging folder, moved into ``parts/`` and only then listed in a
manifest that is replaced atomically, so a crash never leaves half a batch visible to readers:
readers trust the manifest, not the folder listing.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from czt.flows.messages import msg
from czt.flows.validate import (
    FileReport,
    FlowValidationError,
    Problem,
    connect_for_validation,
    validate_files,
)

MANIFEST = "manifest.json"
PARTS = "parts"


def default_root() -> Path:
    """``$CZT_HOME/flows``; the same home the rest of the platform uses (default ``./var``)."""
    return Path(os.environ.get("CZT_HOME", "var")) / "flows"


def sha256_of(path: Path, chunk: int = 1 << 22) -> str:
    """Content hash, used to refuse a file that is already in the dataset (double counting)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


@dataclass
class IngestResult:
    """What an ingest added; ``reports`` holds the validation report of every file."""

    root: Path
    added: list[dict[str, object]] = field(default_factory=list)
    reports: list[FileReport] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(int(e["rows"]) for e in self.added)  # type: ignore[call-overload]

    def message(self, lang: str = "zh") -> str:
        return msg("ingested", lang, n=len(self.added), rows=self.rows, root=self.root)

    def to_dict(self, lang: str = "zh") -> dict[str, object]:
        return {
            "root": str(self.root),
            "added": self.added,
            "rows": self.rows,
            "reports": [r.to_dict(lang) for r in self.reports],
            "message": self.message(lang),
        }


class FlowDataset:
    """A dataset folder. Engines read :meth:`files`; only :meth:`ingest` writes."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def entries(self) -> list[dict[str, object]]:
        """Manifest entries (one per file), oldest first."""
        if not self.manifest_path.exists():
            return []
        data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        return list(data.get("files", []))

    def files(self) -> list[Path]:
        """Paths of the dataset's Parquet files, as the manifest lists them."""
        return [self.root / str(e["path"]) for e in self.entries()]

    def rows(self) -> int:
        return sum(int(e["rows"]) for e in self.entries())  # type: ignore[call-overload]

    def ingest(
        self,
        paths: Iterable[str | Path],
        *,
        lang: str = "zh",
        progress: bool = False,
        today: dt.date | None = None,
    ) -> IngestResult:
        """Validate, then store every file of the batch, or none of them."""
        paths = [Path(p) for p in paths]
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            reports = validate_files(paths, today=today, progress=progress)
            hashes = self._check_duplicates(reports)
            if not all(r.ok for r in reports):
                raise FlowValidationError(reports, lang)
            result = IngestResult(self.root, reports=reports)
            staging = self.root / f".staging-{uuid.uuid4().hex[:8]}"
            staging.mkdir()
            try:
                staged = self._write(reports, hashes, staging, progress)
                parts = self.root / PARTS
                parts.mkdir(exist_ok=True)
                for entry, tmp in staged:
                    os.replace(tmp, self.root / str(entry["path"]))
                self._write_manifest(self.entries() + [e for e, _ in staged])
                result.added = [e for e, _ in staged]
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        return result

    def _check_duplicates(self, reports: list[FileReport]) -> dict[Path, str]:
        known = {str(e["sha256"]): str(e["source"]) for e in self.entries()}
        seen: dict[str, Path] = {}
        hashes: dict[Path, str] = {}
        for r in reports:
            if not r.path.is_file():
                continue
            sha = sha256_of(r.path)
            hashes[r.path] = sha
            if sha in known:
                r.problems.append(
                    Problem("duplicate_file", params={"existing": known[sha], "sha": sha[:12]})
                )
            elif sha in seen:
                r.problems.append(Problem("duplicate_in_batch", params={"other": seen[sha].name}))
            else:
                seen[sha] = r.path
        return hashes

    def _write(
        self, reports: list[FileReport], hashes: dict[Path, str], staging: Path, progress: bool
    ) -> list[tuple[dict[str, object], Path]]:
        con = connect_for_validation(memory_limit="2GB")
        staged = []
        try:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
            for i, r in enumerate(
                tqdm(reports, desc="导入 ingest", unit="file", disable=not progress)
            ):
                name = f"{stamp}-{i:04d}-{hashes[r.path][:8]}.parquet"
                tmp = staging / name
                if r.canonical:
                    shutil.copyfile(r.path, tmp)
                else:
                    path_sql = str(r.path).replace("'", "''")
                    tmp_sql = str(tmp).replace("'", "''")
                    con.execute(
                        f"COPY (SELECT {r.select_sql} FROM read_parquet('{path_sql}')) "
                        f"TO '{tmp_sql}' (FORMAT parquet, COMPRESSION zstd, "
                        "ROW_GROUP_SIZE 1048576)"
                    )
                entry = {
                    "path": f"{PARTS}/{name}",
                    "source": str(r.path.resolve()),
                    "sha256": hashes[r.path],
                    "rows": r.rows,
                    "first_date": r.first_date.isoformat() if r.first_date else None,
                    "last_date": r.last_date.isoformat() if r.last_date else None,
                    "has_weight": r.has_weight,
                    "rewritten": not r.canonical,
                    "ingested_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                }
                staged.append((entry, tmp))
        finally:
            con.close()
        return staged

    def _write_manifest(self, entries: list[dict[str, object]]) -> None:
        tmp = self.root / f".{MANIFEST}.{uuid.uuid4().hex[:8]}"
        tmp.write_text(
            json.dumps({"version": 1, "files": entries}, ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
        os.replace(tmp, self.manifest_path)
