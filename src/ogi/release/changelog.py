"""The CHANGELOG entry of a release: its counts and its data diff against the previous release, in words."""

from __future__ import annotations

import re
from pathlib import Path

from ogi.release.diff import Change

CHANGELOG = Path("CHANGELOG.md")
LISTED = 30  # changes listed per kind; the rest are in changes.csv
TITLES = {
    "resource_added": "files added to the package",
    "resource_removed": "files removed from the package",
    "field_added": "fields added",
    "field_removed": "fields removed",
    "field_renamed": "fields renamed",
    "report_added": "agency-years added",
    "report_removed": "agency-years removed",
    "cell_changed": "cells changed (old → new)",
    "cell_added": "cells added to a report",
    "cell_removed": "cells removed from a report",
    "check_changed": "checks whose result changed (old → new)",
    "check_added": "checks added to a report",
    "check_removed": "checks removed from a report",
}


def _shown(value: str) -> str:
    return f"`{value}`" if value != "" else "blank"


def describe(c: Change) -> str:
    """One change as a line of the CHANGELOG."""
    reason = f" — {c.reason}" if c.reason else ""
    if c.change.startswith("resource_"):
        return f"`{c.table}` ({c.new or c.old})"
    if c.change == "field_renamed":
        return f"`{c.table}.{c.old}` → `{c.table}.{c.new}`"
    if c.change.startswith("field_"):
        return f"`{c.table}.{c.field}` ({c.new or c.old})"
    if c.change.startswith("report_"):
        return f"`{c.report_id}` {c.new or c.old}"
    if c.change.endswith("_changed"):
        return f"`{c.report_id}` {c.table} `{c.key}` {c.field}: {_shown(c.old)} → {_shown(c.new)}{reason}"
    return f"`{c.report_id}` {c.table} `{c.key}`"


def entry(version: str, date: str, counts: dict, changes: list[Change], since: str | None, changes_path: str) -> str:
    """The Markdown entry for CHANGELOG.md."""
    lines = [
        f"## {version} — {date}",
        "",
        f"Data release: {counts['agency_years']} agency-years of {counts['agencies']} agencies, {counts['cells']} cells "
        f"(archives and checksums: `releases/{version}/`, listed in `releases/index.json`).",
        "",
    ]
    if since is None:
        lines.append(f"The first release made with `ogi release`: everything is new (the full list: `{changes_path}`).")
    elif not changes:
        lines.append(f"No data changes since {since}.")
    else:
        lines.append(f"Data changes since {since} (every change, for machines: `{changes_path}`, also `changes.csv` in the archive):")
    if since is not None:
        lines.append("")
        for kind, title in TITLES.items():
            of_kind = [c for c in changes if c.change == kind]
            if of_kind:
                lines.append(f"- {title}: {len(of_kind)}")
                lines += [f"  - {describe(c)}" for c in of_kind[:LISTED]]
                if len(of_kind) > LISTED:
                    lines.append(f"  - … and {len(of_kind) - LISTED} more in `{changes_path}`")
    return "\n".join(lines).rstrip() + "\n"


def insert(repo: Path, text: str) -> Path:
    """The entry above the newest one (entries are `## ` headings, newest first)."""
    path = repo / CHANGELOG
    old = path.read_text("utf-8") if path.is_file() else "# Changelog\n"
    unreleased = re.search(r"^## Unreleased[^\n]*\n", old, re.M)
    found = re.search(r"^## ", old, re.M)
    if unreleased and unreleased.start() == found.start():
        # the notes gathered under "## Unreleased" become this release's, below its data summary
        new = old[: unreleased.start()] + text + old[unreleased.end() :]
    elif found:
        new = old[: found.start()] + text + "\n" + old[found.start() :]
    else:
        new = old.rstrip() + "\n\n" + text
    path.write_text(new, "utf-8")
    return path
