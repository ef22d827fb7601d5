"""Sections 一, 五 and 六 as structured text: numbered items and paragraphs.

Extracted text wraps lines at the page width and breaks pages anywhere, so
lines are re-joined into paragraphs; a numbered heading ("（一）", "1.")
starts a new item.
"""

from __future__ import annotations

import re

_NUMBERED = re.compile(r"^\s*(?P<num>[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、]|\d{1,2}[.、．](?!\d)|[①-⑳])\s*")
_SENTENCE_END = ("。", "！", "？", "；", "：", ":", ";", "!", "?")
_INLINE_ITEM = re.compile(r"(?<=[。；;])\s*(?=[（(][一二三四五六七八九十]{1,3}[)）])")
_LONE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")


def blocks(text: str) -> list[dict]:
    """Paragraph blocks: {"numbering", "heading", "text"}."""
    out: list[dict] = []
    current: list[str] = []
    prev_ended = True

    def flush() -> None:
        if current:
            # crawled pages put a whole section on one line: items start after a full stop
            for piece in _INLINE_ITEM.split(_join(current)):
                if piece.strip():
                    out.append(_block(piece.strip()))
            current.clear()

    for raw in text.split("\n"):
        line = raw.strip().strip("\u3000")
        if not line or _LONE_NUMBER.match(line):
            continue
        starts_item = bool(_NUMBERED.match(line))
        indented = raw[:1] in ("\u3000", " ", "\t") and len(raw) - len(raw.lstrip()) >= 2
        if current and (starts_item and prev_ended or indented and prev_ended or _is_heading(current)):
            flush()
        current.append(line)
        prev_ended = line.endswith(_SENTENCE_END) or len(line) < 25 and not line.endswith(("，", ","))
    flush()
    return _merge_headings(out)


def _merge_headings(items: list[dict]) -> list[dict]:
    """A numbered heading on a line of its own takes the paragraph under it as its text."""
    merged: list[dict] = []
    for item in items:
        prev = merged[-1] if merged else None
        if prev and prev["heading"] and not prev["text"] and item["numbering"] is None:
            prev["text"] = item["text"]
        else:
            merged.append(item)
    return merged


def _is_heading(lines: list[str]) -> bool:
    """A numbered heading on a line of its own ("（一）严格督导考核，狠抓工作落实")."""
    line = lines[0]
    return (
        len(lines) == 1
        and bool(_NUMBERED.match(line))
        and len(line) <= 30
        and not re.search(r"[。；;:：]", line)
        and not line.endswith(("，", ","))
    )


def _join(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        if text and text[-1].isascii() and text[-1].isalnum() and line[:1].isascii() and line[:1].isalnum():
            text += " " + line
        else:
            text += line
    return text


def _block(text: str) -> dict:
    m = _NUMBERED.match(text)
    if not m:
        return {"numbering": None, "heading": None, "text": text}
    rest = text[m.end() :]
    numbering = m.group("num")
    stop = re.search(r"[。:：]", rest)
    if stop and stop.start() <= 20:
        return {"numbering": numbering, "heading": rest[: stop.start()], "text": rest[stop.end() :].strip()}
    if len(rest) <= 30 and not re.search(r"[。；;]", rest):
        return {"numbering": numbering, "heading": rest, "text": ""}
    return {"numbering": numbering, "heading": None, "text": rest}
