"""releases/index.json: one object per release, oldest first — what was released, from which commit, with which checksums."""

from __future__ import annotations

import json
from pathlib import Path

from ogi.release import ReleaseError, diff, version

RELEASES_DIR = Path("releases")
INDEX = RELEASES_DIR / "index.json"


class IndexFileError(ReleaseError):
    pass


def load(repo: Path) -> list[dict]:
    """The releases recorded in the checkout (none when there is no index yet)."""
    path = repo / INDEX
    if not path.is_file():
        return []
    try:
        entries = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as error:
        raise IndexFileError(f"{path}: not JSON ({error})") from error
    if not isinstance(entries, list):
        raise IndexFileError(f"{path}: expected a list of releases")
    return entries


def save(repo: Path, entries: list[dict]) -> Path:
    path = repo / INDEX
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = sorted(entries, key=lambda e: version.parse(e["version"]))
    path.write_text(json.dumps(entries, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return path


def find(entries: list[dict], wanted: str) -> dict:
    for entry in entries:
        if entry["version"] == wanted:
            return entry
    known = ", ".join(e["version"] for e in entries) or "none"
    raise IndexFileError(f"no release {wanted} in {INDEX} (released: {known})")


def previous(entries: list[dict], new: str) -> dict | None:
    """The latest release below version new."""
    below = [e for e in entries if version.parse(e["version"]) < version.parse(new)]
    return max(below, key=lambda e: version.parse(e["version"]), default=None)


def counts(snap: diff.Snapshot) -> dict[str, int]:
    """Agencies with a published report, agency-years (published reports) and cells of sections 二, 三, 四."""
    tables = snap.tables()
    reports = snap.frame("reports", ["report_id", "agency_id"]) if "reports" in tables else None
    cells = sum(len(snap.frame(name, ["report_id"])) for name, res in sorted(tables.items()) if diff.is_cell_table(res))
    return {
        "agencies": 0 if reports is None else int(reports["agency_id"].nunique()),
        "agency_years": 0 if reports is None else len(reports),
        "cells": cells,
    }


def recorded_files(entry: dict) -> list[dict]:
    """Every file a release recorded with its checksum: the whole package, each format, the diff."""
    out = [{"path": entry["archive"], "sha256": entry["sha256"], "bytes": entry["bytes"]}]
    out += [{"path": f["path"], "sha256": f["sha256"], "bytes": f["bytes"]} for f in entry["formats"]]
    if entry.get("changes"):
        out.append({k: entry["changes"][k] for k in ("path", "sha256", "bytes")})
    return out
