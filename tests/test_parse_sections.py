"""Tables found by their headings' words and their rows, whatever the report numbers them.

Some bodies number their own narrative 一 … 六 and then print the statistics as
`一、主动公开政府信息情况`, `二、收到和处理…`, `三、…行政复议、行政诉讼情况`, `四、存在的主要问题…`,
`五、其他需要报告的事项`. The bundled reports are renumbered that way here, and
every cell must still read exactly as hand-read.
"""

import json

import pytest
from conftest import GOLDEN, REPORTS
from golden_compare import differences

from ogi import template as templates
from ogi.extract.text import decode
from ogi.parse import parse_file
from ogi.parse.sections import find_sections
from ogi.parse.text import normalise

NUMERALS = dict(zip("123456", "一二三四五六"))
RENUMBERED = {"2": "一", "3": "二", "4": "三", "5": "四", "6": "五"}
# the narrative's own headings, numbered like the template's (two of them with a table's words)
NARRATIVE = (
    "\n二、主动公开政府信息情况\n本机关依法主动公开政府信息。\n三、收到和处理政府信息公开申请情况\n本年依申请公开办理及时。"
    "\n四、政府信息管理\n规范管理。\n五、平台建设\n加强平台建设。\n六、监督保障\n加强培训。\n"
)
TEXTS = sorted([*(REPORTS / "seeds").glob("*.txt"), *(REPORTS / "samples").glob("*.txt")])
TRUNCATED = sorted((REPORTS / "samples" / "truncated").glob("*.txt"))


def read_text(path):
    return decode(str(path), path.read_bytes())[0]


def renumber(text: str, narrative: bool = False) -> str:
    """The table sections numbered 一、二、三, the narrative after them 四、五; optionally the overview's own 二 … 六."""
    found = find_sections(normalise(text), templates.load("2021"))
    out = list(text)
    renumbered = 0
    for code, (a, b) in found.items():
        if code in RENUMBERED and a < b:
            at = text.find(NUMERALS[code], a, b)
            if at == a or text[a:at].strip("（(# \n") == "":
                out[at] = RENUMBERED[code]
                renumbered += 1
    assert renumbered >= 3, "the test needs the report's own headings to renumber"
    text = "".join(out)
    if narrative:
        end = found["1"][1]
        text = text[:end] + NARRATIVE + text[end:]
    return text


def golden(path):
    return json.loads((GOLDEN / (path.relative_to(REPORTS).as_posix() + ".expected.json")).read_text("utf-8"))


@pytest.mark.parametrize("narrative", [False, True], ids=["tables-renumbered", "narrative-numbered-too"])
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_renumbered_report_reads_as_hand_read(tmp_path, path, narrative):
    changed = tmp_path / path.name
    changed.write_text(renumber(read_text(path), narrative), "utf-8")
    record = parse_file(changed)
    diffs = differences(record, golden(path))
    assert not diffs, "\n".join(diffs)
    assert record["status"] != "rejected"
    # the tables are found by their headings, not by falling back on their first labels
    assert {"2", "3", "4", "6"} <= set(record["sections_found"])
    assert not [p for p in record["problems"] if p["code"] in ("truncated", "heading_not_found")]


def test_narrative_heading_with_a_tables_words_is_not_the_table(tmp_path):
    path = REPORTS / "seeds" / "001_7e78f6154f3411bd.txt"
    text = renumber(read_text(path), narrative=True)
    found = find_sections(normalise(text), templates.load("2021"))
    narrative_at = text.index("二、主动公开政府信息情况")
    table_at = text.index("一、主动公开政府信息")
    assert found["2"][0] == table_at != narrative_at
    assert found["1"][0] < narrative_at < found["2"][0]


@pytest.mark.parametrize("renumbered", [False, True], ids=["as-is", "renumbered"])
@pytest.mark.parametrize("path", TRUNCATED, ids=lambda p: p.name)
def test_truncated_report_is_still_rejected_as_truncated(tmp_path, path, renumbered):
    text = read_text(path)
    if renumbered:
        found = find_sections(normalise(text), templates.load("2021"))
        out = list(text)
        for code, (a, b) in found.items():
            if code in RENUMBERED and a < b and (at := text.find(NUMERALS[code], a, b)) >= 0:
                out[at] = RENUMBERED[code]
        text = "".join(out)
    changed = tmp_path / path.name
    changed.write_text(text, "utf-8")
    record = parse_file(changed)
    assert record["status"] == "rejected"
    assert record["problems"][0]["code"] == "truncated"
