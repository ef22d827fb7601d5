"""Text from the package made safe to put in Markdown.

A report's text can hold anything: `*`, `_`, `|`, `<`, a line starting with
`1.` or `#`. Each such character becomes an HTML character reference, which
Markdown leaves alone and the browser shows as the character, so text is shown
as published and never turns into markup, a table break or a link. Values are
`Markup` once escaped, and the page templates escape everything else.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import quote, urlsplit

from markupsafe import Markup, escape

# Characters that mean something to Markdown (or its HTML) anywhere in a line.
_INLINE = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\\`*[]{}|#!~$"})
# `_` makes emphasis only at a word's edge; inside a word (single_other_handling_row) it is plain.
_EDGE_UNDERSCORE = re.compile(r"(?<!\w)_|_(?!\w)")
# Line starts that make a block: a list (`-`, `+`, `1.`), a heading underline (`=`, `-`).
_LINE_START = re.compile(r"^([-+=])|^(\d+)([.)])")


SHORT = 64  # texts up to this length (labels, numbers, names: the same on thousands of pages) are escaped once


def inline(value: object) -> Markup:
    """One line of text (a table cell, a heading): markup characters escaped, line breaks made spaces."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    return _inline_short(text) if len(text) <= SHORT else _inline(text)


def _inline(text: str) -> Markup:
    return Markup(_EDGE_UNDERSCORE.sub("&#95;", " ".join(text.split()).translate(_INLINE)))


_inline_short = functools.lru_cache(maxsize=1 << 16)(_inline)


def paragraphs(value: object) -> Markup:
    """Text of one or more paragraphs: each line escaped, and a list-like or heading-like start escaped too."""
    out = []
    for line in str(value).splitlines():
        line = line.strip()
        if line:
            escaped = str(inline(line))
            out.append(_LINE_START.sub(_escape_start, escaped, count=1))
    return Markup("\n\n".join(out))


def _escape_start(match: re.Match) -> str:
    if match.group(1):
        return f"&#{ord(match.group(1))};"
    return f"{match.group(2)}&#{ord(match.group(3))};"


def page_link(text: object, target: str) -> Markup:
    """A link to another page or file of the site (a path we made: only safe characters are kept as they are)."""
    return Markup(f"[{inline(text)}]({quote(target, safe='/#.-_~')})")


def html_link(text: object, target: str) -> Markup:
    """A link to another page of the site inside raw HTML, where MkDocs does not turn `.md` into the page's address:
    target is the built page's path (`.html`, as `use_directory_urls: false` makes it)."""
    return Markup(f'<a href="{quote(target, safe="/#.-_~")}">{inline(text)}</a>')


def web_link(url: str | None, text: object | None = None, html: bool = False) -> Markup:
    """A link to an http(s) address from the package; anything else is shown as text, never made a link.
    html: as an HTML `<a>`, for a raw HTML block (where Markdown's link syntax is not read)."""
    if not url:
        return Markup("")
    if urlsplit(url).scheme not in ("http", "https"):
        return inline(url)
    shown = inline(url if text is None else text)
    if html:
        return Markup(f'<a href="{escape(url)}">{shown}</a>')
    href = quote(url, safe=":/?#@!$&'*+,;=%-._~")  # RFC 3986 characters, less ( ) [ ] that end a Markdown link
    return Markup(f"[{shown}]({href})")


def code(value: object) -> Markup:
    """Text in monospace (a hash, a file path, a code); escaped like any other text."""
    return Markup(f"<code>{inline(value)}</code>")
