"""Every bundled report against its hand-read expected values (tests/golden/)."""

import json

import pytest
from conftest import GOLDEN, REPORTS, report_files
from golden_compare import differences

from ogi.parse import parse_file
from ogi.record import validate
from ogi.template import TEMPLATE_VERSIONS

INPUTS = report_files()


def golden_for(path):
    return GOLDEN / (path.relative_to(REPORTS).as_posix() + ".expected.json")


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.relative_to(REPORTS).as_posix())
def test_report_matches_hand_read_values(path):
    golden = json.loads(golden_for(path).read_text("utf-8"))
    record = parse_file(path, root=REPORTS)
    validate(record)
    diffs = differences(record, golden)
    assert not diffs, f"{path.name}:\n  " + "\n  ".join(diffs)


def test_every_input_has_a_golden_file():
    missing = [p.relative_to(REPORTS).as_posix() for p in INPUTS if not golden_for(p).is_file()]
    assert not missing, f"inputs without a golden file: {missing}"


def test_every_golden_file_has_an_input():
    orphans = [
        g.relative_to(GOLDEN).as_posix()
        for g in GOLDEN.rglob("*.expected.json")
        if not (REPORTS / g.relative_to(GOLDEN).as_posix().removesuffix(".expected.json")).is_file()
    ]
    assert not orphans


def test_each_template_version_has_a_published_golden():
    versions = {
        json.loads(g.read_text("utf-8")).get("template")
        for g in GOLDEN.rglob("*.expected.json")
        if json.loads(g.read_text("utf-8"))["status"] != "rejected"
    }
    assert set(TEMPLATE_VERSIONS) <= versions


def test_golden_comparison_names_the_cell_that_differs():
    """The comparison itself must catch a wrong number, and say where."""
    path = REPORTS / "seeds" / "001_7e78f6154f3411bd.txt"
    golden = json.loads(golden_for(path).read_text("utf-8"))
    golden["section3"]["rows"][0][5] = 3  # 一, 法律服务机构: the report says 2
    diffs = differences(parse_file(path, root=REPORTS), golden)
    assert diffs == ["第三部分 (requests) row 1 column legal_service_agency: got 2 (printed '2'), expected 3"]
