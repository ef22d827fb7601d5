"""Semantic versions for the data, and the files that carry the version and the release date.

major: a table, field or code is renamed or removed, or changes meaning;
minor: reports, tables or fields are added;
patch: value corrections and reading fixes that change values.

The version lives in `src/ogi/package/package.yaml` (→ datapackage.json), `CITATION.cff`
and `.zenodo.json`; `ogi release` sets all three at once, so they never disagree.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ogi.release import ReleaseError

BUMPS = ("major", "minor", "patch")
SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
PACKAGE_YAML = Path("src/ogi/package/package.yaml")
CITATION = Path("CITATION.cff")
ZENODO = Path(".zenodo.json")


class VersionError(ReleaseError):
    pass


def parse(version: str) -> tuple[int, int, int]:
    match = SEMVER.fullmatch(version or "")
    if not match:
        raise VersionError(f"{version!r} is not a version of the form MAJOR.MINOR.PATCH (e.g. 1.0.0)")
    return tuple(int(part) for part in match.groups())


def next_version(current: str, wanted: str) -> str:
    """`major`, `minor` or `patch` bump current; an explicit version must be above it."""
    major, minor, patch = parse(current)
    if wanted == "major":
        return f"{major + 1}.0.0"
    if wanted == "minor":
        return f"{major}.{minor + 1}.0"
    if wanted == "patch":
        return f"{major}.{minor}.{patch + 1}"
    if parse(wanted) <= (major, minor, patch):
        raise VersionError(f"version {wanted} is not above the package's current version {current}")
    return wanted


def current_version(repo: Path) -> str:
    match = re.search(r"^version: *(\S+)", (repo / PACKAGE_YAML).read_text("utf-8"), re.M)
    if not match:
        raise VersionError(f"{repo / PACKAGE_YAML}: no `version:` line")
    return match.group(1).strip("'\"")


def _set_line(text: str, key: str, value: str, after: str, path: Path) -> str:
    """Replace `key: ...` (a top-level YAML line), or add it after the `after` line; comments stay as they are."""
    line = f"{key}: {value}"
    pattern = re.compile(rf"^{re.escape(key)}:.*$", re.M)
    if pattern.search(text):
        return pattern.sub(line, text, count=1)
    anchor = re.compile(rf"^{re.escape(after)}:.*$", re.M)
    found = anchor.search(text)
    if not found:
        raise VersionError(f"{path}: neither a `{key}:` nor a `{after}:` line to put it after")
    return text[: found.end()] + "\n" + line + text[found.end() :]


def set_version(repo: Path, version: str, date: str) -> list[Path]:
    """Write version and release date into package.yaml, CITATION.cff and .zenodo.json; the files written."""
    parse(version)
    path = repo / PACKAGE_YAML
    text = _set_line(path.read_text("utf-8"), "version", version, "name", path)
    path.write_text(_set_line(text, "released", f'"{date}"', "version", path), "utf-8")
    path = repo / CITATION
    text = _set_line(path.read_text("utf-8"), "version", f'"{version}"', "title", path)
    path.write_text(_set_line(text, "date-released", f'"{date}"', "version", path), "utf-8")
    path = repo / ZENODO
    zenodo = json.loads(path.read_text("utf-8"))
    zenodo.update(version=version, publication_date=date)
    path.write_text(json.dumps(zenodo, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return [repo / PACKAGE_YAML, repo / CITATION, repo / ZENODO]
