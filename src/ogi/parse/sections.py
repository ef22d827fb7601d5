"""Find the six section headings of a report, in order.

Headings are found first by their numeral and words (`二、主动公开政府信息情况`).
Some bodies number their own narrative 一 … 六 and then print the tables as
`一、主动公开政府信息情况`, `二、收到和处理…`: when the numerals leave a table
unconfirmed (its heading is not followed by the table's own words) or sections
missing, the headings are looked for again by their words alone, each table
heading confirmed by the table that follows it. The reading that finds more
confirmed tables and more sections wins; the numerals' reading wins a tie.
"""

from __future__ import annotations

import functools
import re

from ogi import template as templates
from ogi.parse.text import normalise


def _spaced(key: str) -> str:
    return r"\s*".join(re.escape(c) for c in normalise(key) if not c.isspace())


@functools.cache
def _patterns(sections: tuple) -> list[tuple[str, re.Pattern, re.Pattern]]:
    out = []
    for code, numeral, keys in sections:
        alt = "|".join(_spaced(k) for k in keys)
        # numeral + 、 then at most a short prefix ("因政府信息公开申请…") before the key
        numbered = re.compile(rf"(?:{numeral}\s*[、.,]|[(（]\s*{numeral}\s*[)）])\s*(?:[^\n\d]{{0,12}}?)(?:{alt})")
        at_line_start = re.compile(rf"(?m)^[ \t]*(?:{alt})")
        out.append((code, numbered, at_line_start))
    return out


def _template_patterns(template: dict) -> list[tuple[str, re.Pattern, re.Pattern]]:
    return templates.once_per(
        template, "heading patterns", lambda: _patterns(tuple((s["code"], s["numeral"], tuple(s["keys"])) for s in template["sections"]))
    )


def find_sections(norm: str, template: dict) -> dict[str, tuple[int, int]]:
    """Section code → (heading start, heading end) for the headings found, in document order.

    A table whose heading is missing is found by its anchors (its first labels); its
    "heading" is then empty (start == end).
    """
    by_numerals = _by_numerals(norm, template)
    score = _score(norm, template, by_numerals)
    if score == (3, 6):
        return by_numerals
    by_words = _by_words(norm, template)
    found = by_words if _score(norm, template, by_words) > score else by_numerals
    _find_closing_by_numeral(norm, template, found)
    return found


# A closing section's numeral, not inside a word (`第五、`), before its heading's words: at a line's start, or
# run together with what precedes it (page text crawled as one line: `…1200000五、…`).
_CLOSING_NUMERAL = r"(?<![\u4e00-\u9fff]){numeral}\s*[、.．]\s*(?=[\u4e00-\u9fff])"
HEADING_LINE = 40  # a line this short after the numeral may be the heading; a longer one is the section's text
_NOT_A_HEADING = re.compile(r"[\d，。；：,;:!！?？]")


def _find_closing_by_numeral(norm: str, template: dict, found: dict[str, tuple[int, int]]) -> None:
    """The narrative sections after the tables (五, 六) by their numeral alone, when their words are none the
    template knows (`五、工作中的不足与下一步打算`): only in a report that numbers section 四 as the template
    does, after it, in order. Without this such a complete report would look cut off after its last table."""
    tables = [s["code"] for s in template["sections"] if s["kind"] == "table"]
    last_table = tables[-1]
    if last_table not in found or not _numbered(norm, found[last_table], _numeral(template, last_table)):
        return
    cursor = found[last_table][1]
    for section in [s for s in template["sections"] if s["kind"] == "narrative" and s["code"] > last_table]:
        code, numeral = section["code"], section["numeral"]
        if code not in found or not _numbered(norm, found[code], numeral):
            # missing, or found by words opening a line after its own numbered heading (`五、…不足…\n存在的主要问题有：`)
            end = found[code][0] if code in found else min((a for c, (a, _) in found.items() if c > code), default=len(norm))
            if m := _closing_numeral(numeral).search(norm, cursor, end):
                found[code] = (m.start(), _heading_end(norm, m.end()))
        if code in found:
            cursor = found[code][1]


@functools.cache
def _closing_numeral(numeral: str) -> re.Pattern:
    return re.compile(_CLOSING_NUMERAL.format(numeral=numeral))


def _heading_end(norm: str, at: int) -> int:
    """Where a heading found by its numeral ends: with its line when the line is a heading's (short, no number,
    no sentence punctuation), else right after the numeral: its words then open the section's text, and no
    word of the text is taken for the heading."""
    line_end = norm.find("\n", at)
    line_end = len(norm) if line_end < 0 else line_end
    line = norm[at:line_end]
    return line_end if len(line) <= HEADING_LINE and not _NOT_A_HEADING.search(line) else at


def _numeral(template: dict, code: str) -> str:
    return next(s["numeral"] for s in template["sections"] if s["code"] == code)


def _numbered(norm: str, heading: tuple[int, int], numeral: str) -> bool:
    """The heading is printed with this numeral (`四、…`, `（四）…`), not found by its words or its table alone."""
    a, b = heading
    return a < b and norm[a:b].lstrip("（( \t#*").startswith(numeral)


def _by_numerals(norm: str, template: dict) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    cursor = 0
    for code, numbered, at_line_start in _template_patterns(template):
        m = numbered.search(norm, cursor) or at_line_start.search(norm, cursor)
        if m:
            found[code] = (m.start(), m.end())
            cursor = m.end()
    _find_by_anchors(norm, template, found)
    return found


# A heading's own numeral, whatever it is: "一、" not inside a word ("第二、") and never "（一）",
# which numbers the overview's own parts.
_ANY_NUMERAL = r"(?<![\u4e00-\u9fff])[一二三四五六七八九十]{1,2}\s*[、.,]\s*"
_NEXT_HEADING = re.compile(r"(?m)^[ \t#*]*[一二三四五六七八九十]{1,2}\s*、")
# How far after a table's heading its own words must appear (column headers, first labels).
TABLE_WINDOW = 800


def _by_words(norm: str, template: dict) -> dict[str, tuple[int, int]]:
    """The headings by their words, whatever their numerals; a table heading must be followed by its table."""
    found: dict[str, tuple[int, int]] = {}
    cursor = 0
    for section in template["sections"]:
        pattern = _word_pattern(tuple(section["keys"]))
        for m in pattern.finditer(norm, cursor):
            if section["kind"] != "table" or _confirmed(norm, template, section, m.end()):
                found[section["code"]] = (m.start(), m.end())
                cursor = m.end()
                break
    _find_by_anchors(norm, template, found)
    return found


@functools.cache
def _word_pattern(keys: tuple[str, ...]) -> re.Pattern:
    alt = "|".join(_spaced(k) for k in keys)
    return re.compile(rf"(?m){_ANY_NUMERAL}(?:[^\n\d]{{0,12}}?)(?:{alt})")


def _confirmed(norm: str, template: dict, section: dict, at: int) -> bool:
    """The table's own words (anchors, column headers) follow its heading, before the next heading."""
    end = at + TABLE_WINDOW
    if nxt := _NEXT_HEADING.search(norm, at, end):
        end = nxt.start()
    return _table_words(template, section["code"]).search(norm, at, end) is not None


def _table_words(template: dict, code: str) -> re.Pattern:
    def make() -> re.Pattern:
        words = set()
        for tpl in templates.all_templates() + [template]:
            section = next(s for s in tpl["sections"] if s["code"] == code)
            table = tpl["tables"][section["table"]]
            words.update(section.get("anchors", ()))
            words.update(c["label"] for c in table["columns"].values() if len(c["label"]) >= 3)
        return re.compile("|".join(_spaced(w) for w in sorted(words)))

    return templates.once_per(template, ("table words", code), make)


def _score(norm: str, template: dict, found: dict[str, tuple[int, int]]) -> tuple[int, int]:
    """(tables whose heading is followed by the table, sections found)."""
    tables = [s for s in template["sections"] if s["kind"] == "table" and s["code"] in found]
    confirmed = sum(1 for s in tables if found[s["code"]][0] < found[s["code"]][1] and _confirmed(norm, template, s, found[s["code"]][1]))
    return confirmed, len(found)


def _find_by_anchors(norm: str, template: dict, found: dict[str, tuple[int, int]]) -> None:
    codes = [s["code"] for s in template["sections"]]
    for section in template["sections"]:
        code = section["code"]
        if code in found or not section.get("anchors"):
            continue
        before = [found[c][1] for c in codes[: codes.index(code)] if c in found]
        after = [found[c][0] for c in codes[codes.index(code) + 1 :] if c in found]
        lo, hi = (max(before) if before else 0), (min(after) if after else len(norm))
        anchor = _anchor_pattern(tuple(section["anchors"])).search(norm, lo, hi)
        if anchor:
            found[code] = (anchor.start(), anchor.start())


@functools.cache
def _anchor_pattern(anchors: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(_spaced(a) for a in anchors))


def section_spans(found: dict[str, tuple[int, int]], length: int) -> dict[str, tuple[int, int]]:
    """Section code → (body start, body end): from its heading to the next heading found."""
    ordered = sorted(found.items(), key=lambda kv: kv[1][0])
    spans = {}
    for i, (code, (_, body_start)) in enumerate(ordered):
        body_end = ordered[i + 1][1][0] if i + 1 < len(ordered) else length
        spans[code] = (body_start, body_end)
    return spans
