"""Plain-text reports: detect the encoding, split lines, lift a crawler's header."""

from __future__ import annotations

import re

from ogi.document import Document, Line, UnreadableInput

# A site crawler's text export starts with "key: value" lines, then this rule.
CRAWLER_BODY_RULE = re.compile(r"^=+\s*正文\s*=+\s*$")
CRAWLER_KEYS = {
    "标题": "title",
    "发布时间": "published",
    "文号": "document_number",
    "发布机构": "publisher",
    "原文链接": "source_url",
    "栏目": "channel",
}
TAG = re.compile(
    r"<(?:/?(?:p|div|br|span|table|tr|td|th|tbody|thead|font|strong|b|h\d|li|ul|ol|section|article)\b[^>]*|!--.*?--)>", re.I | re.S
)


def decode(path: str, data: bytes) -> tuple[str, str]:
    """Decode report bytes; UTF-8 (with or without BOM), UTF-16 with BOM, GBK/GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for enc in ("gbk", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise UnreadableInput("undecodable", f"{path}: the text is neither UTF-8 nor GBK/GB18030")


def read_text_bytes(path: str, data: bytes) -> Document:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableInput("binary_file", f"{path}: binary data, not a text report")
    text, encoding = decode(path, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = text.split("\n")
    meta, body_start = crawler_header(raw_lines)
    lines = []
    has_markup = TAG.search(text) is not None
    for i, raw in enumerate(raw_lines[body_start:], start=body_start + 1):
        if has_markup and TAG.search(raw):
            # HTML left in crawled text: cells become tabs, other tags vanish.
            raw = re.sub(r"</t[dh]>\s*", "\t", raw, flags=re.I)
            raw = TAG.sub(" ", raw).replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        lines.append(Line(raw, {"line": i}))
    return Document(path=path, format="text", lines=lines, encoding=encoding, meta=meta)


def crawler_header(lines: list[str]) -> tuple[dict, int]:
    """A crawler's 'key: value' header, and the index of the first body line."""
    if not any("正文" in line for line in lines[:40]):
        return {}, 0
    for i, line in enumerate(lines[:40]):
        if CRAWLER_BODY_RULE.match(line.strip()):
            meta = {}
            for h in lines[:i]:
                key, sep, value = h.partition(":")
                if sep and key.strip() in CRAWLER_KEYS and value.strip():
                    meta[CRAWLER_KEYS[key.strip()]] = value.strip()
            return meta, i + 1
    return {}, 0
