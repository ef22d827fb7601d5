"""How to cite a page: GB/T 7714-2015, APA and BibTeX, from the package's descriptor and the site's address.

The title, version and date come from datapackage.json; the address from
`site_url` in mkdocs.yml, which the publisher sets (README). While it is unset,
the citations carry the page's path inside the site and the page says so, rather
than an address that pretends to be real. The cited date (引用日期) is the
reader's: the page prints a placeholder that `assets/ogi.js` fills with today's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from markupsafe import Markup, escape

CITED_DATE = '<span class="ogi-cite-date">引用日期</span>'


class _Tolerant(yaml.SafeLoader):
    """Reads mkdocs.yml's plain keys; a tag such as !!python/object/apply is read as nothing."""


_Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)
_Tolerant.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def site_url(config_file: Path | None) -> str | None:
    """mkdocs.yml's `site_url`, with one trailing slash; None when it is not set."""
    if config_file is None or not config_file.is_file():
        return None
    config = yaml.load(config_file.read_text("utf-8"), Loader=_Tolerant) or {}
    url = config.get("site_url") if isinstance(config, dict) else None
    return url.rstrip("/") + "/" if isinstance(url, str) and url.strip() else None


@dataclass
class Dataset:
    title: str
    version: str
    date: str  # YYYY-MM-DD: this version's release date (the descriptor's `released`), else when its data was made (`created`)
    authors: str

    @classmethod
    def from_descriptor(cls, d: dict) -> Dataset:
        authors = "; ".join(c["title"] for c in d.get("contributors", []) if c.get("title")) or d.get("name", "")
        return cls(
            d.get("title", d.get("name", "")), str(d.get("version", "")), str(d.get("released") or d.get("created") or "")[:10], authors
        )


def _bibtex_text(text: str) -> str:
    for char in "\\{}%&$#_":
        text = text.replace(char, "\\" + char)
    return text


def citations(dataset: Dataset, page_title: str | None, path: str, base_url: str | None, key: str) -> dict[str, Markup]:
    """The page's citation in each style, as HTML (the cited date is a placeholder the page's script fills)."""
    title = f"{dataset.title}: {page_title}" if page_title else dataset.title
    address = (base_url or "") + path
    year = dataset.date[:4]
    e = escape
    gbt = f"{e(dataset.authors)}. {e(title)}[DS/OL]. 版本 {e(dataset.version)}. {year}({e(dataset.date)})[{CITED_DATE}]. {e(address)}."
    apa = f"{e(dataset.authors)}. ({year}). <i>{e(title)}</i> (Version {e(dataset.version)}) [Data set]. {e(address)}"
    bibtex = "\n".join(
        [
            f"@misc{{{e(key)},",
            f"  author = {{{{{e(_bibtex_text(dataset.authors))}}}}},",
            f"  title = {{{{{e(_bibtex_text(title))}}}}},",
            f"  year = {{{year}}},",
            f"  version = {{{e(dataset.version)}}},",
            f"  url = {{{e(address)}}},",
            f"  note = {{Data set, version {e(dataset.version)} of {e(dataset.date)}; accessed {CITED_DATE}}}",
            "}",
        ]
    )
    return {"GB/T 7714-2015": Markup(gbt), "APA": Markup(apa), "BibTeX": Markup(bibtex)}


def block(dataset: Dataset, page_title: str | None, path: str, base_url: str | None, key: str, root: str, releases: bool) -> Markup:
    """The "如何引用" section's body: one citation per style, each with a button that copies it."""
    parts = [
        f"<p>数据集：{escape(dataset.title)}，版本 {escape(dataset.version)}（{escape(dataset.date)}）。"
        + (f'<a href="{root}releases.html">本版本的发布说明</a>。' if releases else "")
        + "</p>"
    ]
    if base_url is None:
        parts.append(
            '<p class="ogi-cite-unset">本站尚未设置永久网址（发布者在 mkdocs.yml 中设置 <code>site_url</code>），'
            "下列引文中的地址暂为本页在站内的路径。</p>"
        )
    for style, text in citations(dataset, page_title, path, base_url, key).items():
        tag = "pre" if style == "BibTeX" else "p"
        parts.append(
            f'<div class="ogi-cite" data-style="{escape(style)}"><p class="ogi-cite__style">{escape(style)}</p>'
            f'<{tag} class="ogi-cite__text">{text}</{tag}>'
            f'<button type="button" class="ogi-copy md-button" aria-label="复制 {escape(style)} 格式的引文">复制</button></div>'
        )
    return Markup('<div class="ogi-citations">\n' + "\n".join(parts) + "\n</div>")
