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


# Closing headings in words no template knows, as some bodies word them.
REWORDED = {"5": "五、工作中的不足与下一步打算", "6": "六、其他事项"}


def reword_closing(text: str) -> str:
    """Sections 五 and 六's headings replaced by REWORDED (the rest of their line kept)."""
    found = find_sections(normalise(text), templates.load("2021"))
    for code in ("6", "5"):  # from the end, so the earlier offsets stay right
        a, b = found[code]
        assert text[a] == NUMERALS[code], "the test needs the report's own numbered heading"
        text = text[:a] + REWORDED[code] + text[b:]
    return text


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_closing_sections_worded_otherwise_are_found_by_their_numerals(tmp_path, path):
    """A complete report whose 五/六 headings use other words reads as hand-read, not as cut off after 四's table."""
    original = parse_file(path)
    changed = tmp_path / path.name
    changed.write_text(reword_closing(read_text(path)), "utf-8")
    record = parse_file(changed)
    diffs = differences(record, golden(path))
    assert not diffs, "\n".join(diffs)
    assert record["status"] == original["status"] != "rejected"
    assert set(record["sections_found"]) == set("123456")
    assert not [p for p in record["problems"] if p["code"] in ("truncated", "section_missing")]
    for code in ("5", "6"):  # the narratives' words as the original's; where the heading shares its line, its words open them
        got, was = (words(r["narrative"][code]) for r in (record, original))
        assert got.endswith(was) and len(got) - len(was) <= len(REWORDED[code]), (got[:80], was[:80])


def words(blocks: list[dict]) -> str:
    """A narrative's characters, without spacing and punctuation (how it is cut into blocks may differ)."""
    text = "".join(f"{b['numbering'] or ''}{b['heading'] or ''}{b['text'] or ''}" for b in blocks)
    return "".join(c for c in text if c.isalnum())


def test_a_closing_numeral_counts_only_after_a_section_four_numbered_as_the_template(tmp_path):
    """The tables numbered 一、二、三, the narrative after them 四、五 in words no template knows: the `五、` that
    follows (the report's own sixth part) is not taken for section 五, nor its `四、` for anything."""
    text = renumber(read_text(TEXTS[0]))
    found = find_sections(normalise(text), templates.load("2021"))
    for code in ("6", "5"):  # from the end, so the earlier offsets stay right
        a, b = found[code]
        text = text[:a] + {"5": "四、工作中的不足与下一步打算", "6": "五、其他事项"}[code] + text[b:]
    found = find_sections(normalise(text), templates.load("2021"))
    assert "5" not in found and "6" not in found, {c: text[a : a + 12] for c, (a, _) in found.items()}
