"""Find the six section headings of a report, in order."""

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
    found: dict[str, tuple[int, int]] = {}
    cursor = 0
    for code, numbered, at_line_start in _template_patterns(template):
        m = numbered.search(norm, cursor) or at_line_start.search(norm, cursor)
        if m:
            found[code] = (m.start(), m.end())
            cursor = m.end()
    _find_by_anchors(norm, template, found)
    return found


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
