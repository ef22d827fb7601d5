"""Whole records against their reviewed snapshots: any change to a cell, a line number or a message shows up.

The hand-read values are in tests/golden/; these snapshots catch everything else.
After an intended change: `make goldens`, then read `git diff tests/snapshots`.
"""

import difflib

import pytest
from conftest import REPORTS, ROOT, report_files

from ogi.parse import parse_file
from ogi.snapshot import dumps, snapshot

SNAPSHOTS = ROOT / "tests" / "snapshots"


@pytest.mark.parametrize("path", report_files(), ids=lambda p: p.relative_to(REPORTS).as_posix())
def test_record_matches_its_snapshot(path):
    rel = path.relative_to(REPORTS).as_posix()
    stored = SNAPSHOTS / (rel + ".snapshot.json")
    assert stored.is_file(), f"no snapshot for {rel}: run `make goldens` and read the new file"
    now = dumps(snapshot(parse_file(path, root=REPORTS)))
    if now != stored.read_text("utf-8"):
        diff = "".join(
            list(difflib.unified_diff(stored.read_text("utf-8").splitlines(True), now.splitlines(True), "snapshot", "now", n=1))[:60]
        )
        pytest.fail(f"{rel} changed; if intended, run `make goldens` and review the diff:\n{diff}")
