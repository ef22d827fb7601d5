"""The site's search index (Pagefind, run after MkDocs): what it holds, read back from its files.

Pagefind's fragment files (one per indexed page: its address, title and text) are gzip
with a short signature before the JSON; they are read here without Pagefind's own code.
How a browser searches the index is tested in test_site_browser.py.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from pathlib import Path

import pytest
from conftest import ROOT

import ogi.site.search as search
from ogi.site.build import build_site
from ogi.site.search import HAN_PAIR, indexable, shard_of, spaced

COMMITTED = ROOT / "datapackage"
CONFIG = ROOT / "mkdocs.yml"
SIGNATURE = b"pagefind_dcd"


def read_csv(name: str) -> list[dict[str, str]]:
    with open(COMMITTED / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def unspaced(text: str) -> str:
    """The index's text without the spaces (and Pagefind's zero-width spaces) it puts between characters."""
    return re.sub(r"[\s\u200b]+", "", text)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("search")
    build_site(COMMITTED, out / "site", out / "docs", CONFIG)
    return out / "site"


def read_fragments(bundle: Path) -> dict[str, dict]:
    """Indexed page address → its fragment (url, content, meta), from one Pagefind bundle."""
    out = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(SIGNATURE), path
        fragment = json.loads(data[len(SIGNATURE) :])
        out[fragment["url"].lstrip("/")] = fragment
    return out


@pytest.fixture(scope="module")
def fragments(site) -> dict[str, dict]:
    assert json.loads((site / "pagefind" / "ogi-shards.json").read_text("utf-8")) == []  # a small site: one index
    return read_fragments(site / "pagefind")


def test_every_report_page_is_indexed_with_its_narrative_and_without_its_tables(fragments):
    narratives: dict[str, list[str]] = {}
    for n in read_csv("narratives"):
        narratives.setdefault(n["report_id"], []).append(n["text"])
    row_labels = {c["row_label"] for c in read_csv("requests")}
    for report in read_csv("reports"):
        fragment = fragments[f"reports/{report['report_id']}.html"]
        content = unspaced(fragment["content"])
        assert unspaced(report["titled_agency_name"]) in unspaced(fragment["meta"]["title"]) + content
        for text in narratives[report["report_id"]]:
            assert unspaced(text)[:200] in content, report["report_id"]
        assert not [label for label in row_labels if unspaced(label) in content and len(label) > 12], "a table's row label was indexed"


def test_pages_without_a_body_to_index_are_left_out(site, fragments):
    assert "search.html" not in fragments and "404.html" not in fragments
    indexed = {p.relative_to(site).as_posix() for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text("utf-8")}
    assert set(fragments) == indexed
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == ["zh"] and entry["languages"]["zh"]["page_count"] == len(indexed)


def test_han_characters_are_indexed_one_by_one():
    assert spaced("濮阳市2020年确保公开到位，OA系统") == "濮 阳 市2020年 确 保 公 开 到 位，OA系 统"
    assert not HAN_PAIR.search(spaced("㐀㐁 丁丂 豈更"))  # extension A, unified, compatibility


def test_the_indexed_copy_keeps_the_body_drops_tables_and_keeps_the_language():
    page = '<html lang="zh" class="no-js"><head><title>t</title></head><body><nav>导航</nav><article class="md-content__inner md-typeset">'
    page += "<div data-pagefind-body><h1>洪泽区</h1><table><tr><td>本年新收</td></tr></table><p>确保到位</p></div></article><footer>页脚</footer></body></html>"
    copy = indexable(page)
    assert copy.startswith('<!doctype html><html lang="zh">')
    assert "洪 泽 区" in copy and "确 保 到 位" in copy
    assert "本年" not in copy and "本 年" not in copy and "导" not in copy and "页" not in copy
    assert indexable('<html lang="zh"><body><article><h1>搜索</h1></article></body></html>') is None


def test_a_large_site_is_indexed_in_shards_each_page_once_an_agency_in_one(tmp_path, monkeypatch, fragments):
    monkeypatch.setattr(search, "SHARD_PAGES", 4)
    build_site(COMMITTED, tmp_path / "site", tmp_path / "docs", CONFIG)
    bundle = tmp_path / "site" / "pagefind"
    shards = json.loads((bundle / "ogi-shards.json").read_text("utf-8"))
    assert len(shards) >= 2 and all((bundle / s / "pagefind-entry.json").is_file() for s in shards)
    per_shard = {0: read_fragments(bundle)} | {int(s.strip("/").split("-")[1]): read_fragments(bundle / s) for s in shards}
    pages = [url for shard in per_shard.values() for url in shard]
    assert sorted(pages) == sorted(fragments), "every indexed page in exactly one shard"
    count = -(-sum(1 for p in (tmp_path / "site").rglob("*.html") if "pagefind" not in p.parts) // 4)
    for report in read_csv("reports"):
        holding = [i for i, shard in per_shard.items() if f"reports/{report['report_id']}.html" in shard]
        assert holding == [shard_of(f"agencies/{report['agency_id']}.html", count)]
