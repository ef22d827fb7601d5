"""Parse: a Document → a report record (metadata, cells, narrative, checks, audit, problems).

`parse_file` is the one entry point for a file; `parse_document` does the work
on what a reader produced. Nothing here guesses a number: what cannot be
placed is reported.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from ogi import check, extract
from ogi import template as templates
from ogi.document import Document, UnreadableInput
from ogi.parse import meta, narrative, ocr
from ogi.parse.sections import find_sections, section_spans
from ogi.parse.tables import _squash, cell_skeletons, count_matches, label_keys, read_table
from ogi.parse.text import ParseText
from ogi.parse.tokens import Stream, tokenize
from ogi.record import PUBLISHED, PUBLISHED_WITH_GAPS, REJECTED, is_gap

RECORD_VERSION = "1"
SECTION_NUMERALS = dict(zip("123456", "一二三四五六"))
NARRATIVE_SECTIONS = ("1", "5", "6")
TABLE_SECTIONS = ("2", "3", "4")


def parse_file(path: str | Path, root: str | Path | None = None) -> dict:
    """Parse one report file into a record; a file that cannot be used gives a rejected record saying why."""
    path = Path(path)
    source = source_info(path, root)
    try:
        doc = extract.read(path)
    except UnreadableInput as e:
        return rejected(source, e.code, e.message)
    source["format"] = doc.format
    source["encoding"] = doc.encoding
    return parse_document(doc, source)


def source_info(path: Path, root: str | Path | None = None) -> dict:
    data = path.read_bytes() if path.is_file() else b""
    shown = path.relative_to(root).as_posix() if root else path.as_posix()
    info = {"file": shown, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "format": None, "encoding": None}
    prov = path.with_name(path.name + ".provenance.json")
    info["provenance"] = json.loads(prov.read_text("utf-8")) if prov.is_file() else None
    return info


def rejected(source: dict, code: str, message: str) -> dict:
    rec = _empty_record(source)
    rec["problems"].append({"severity": "error", "code": code, "message": message, "section": None, "row_code": None})
    rec["status"] = REJECTED
    return rec


def _empty_record(source: dict) -> dict:
    return {
        "record_version": RECORD_VERSION,
        "source": source,
        "metadata": {
            "title": None,
            "agency_name": None,
            "report_year": None,
            "year_source": None,
            "agency_source": None,
            "template": None,
            "template_from_year": None,
            "template_variants": {},
            "source_url": None,
            "published": None,
            "scope": None,
            "scope_evidence": None,
        },
        "sections_found": [],
        "cells": [],
        "narrative": {code: [] for code in NARRATIVE_SECTIONS},
        "checks": [],
        "audit": {"unplaced_numbers": [], "cells_not_found": [], "blank_cells": 0, "page_debris_lines": []},
        "problems": [],
        "status": PUBLISHED,
    }


def parse_document(doc: Document, source: dict | None = None) -> dict:
    source = source or {"file": doc.path, "sha256": None, "bytes": None, "format": doc.format, "encoding": doc.encoding, "provenance": None}
    rec = _empty_record(source)
    pt = ParseText.from_document(doc)
    rec["audit"]["page_debris_lines"] = [doc.lines[i].loc.get("line", i + 1) for i in pt.debris]
    found = find_sections(pt.norm, templates.load(templates.TEMPLATE_VERSIONS[-1]))
    spans = section_spans(found, len(pt.norm))
    rec["sections_found"] = sorted(found, key=lambda c: found[c][0])
    for code, (a, b) in found.items():
        if a == b:
            rec["problems"].append(
                {
                    "severity": "warning",
                    "code": "heading_not_found",
                    "message": f"第{SECTION_NUMERALS[code]}部分标题未找到，按表格内容定位 (section {SECTION_NUMERALS[code]}'s heading was not found; the table was located by its labels)",
                    "section": code,
                    "row_code": None,
                }
            )
    md = _metadata(doc, pt, found)
    candidates = md.pop("agency_candidates", [])
    rec["metadata"].update(md)
    problems = rec["problems"]

    if reason := _not_usable(md, found, pt):
        problems.append(
            {"severity": "error", "code": reason[0], "message": f"{source['file']}: {reason[1]}", "section": None, "row_code": None}
        )
        rec["status"] = REJECTED
        return rec
    problems.extend(_unnamed(md, candidates))

    streams = {code: tokenize(pt, *spans[code]) for code in TABLE_SECTIONS if code in spans}
    tpl, tpl_problem = _choose_template(md.get("report_year"), streams)
    if tpl_problem:
        problems.append(tpl_problem)
    rec["metadata"]["template"] = tpl["version"]
    values = {}
    for name, table in tpl["tables"].items():
        code = table["section"]
        if code not in streams:
            values[name] = _add_cells(rec, code, _not_found_cells(name, table))
            continue
        tokens, stream = streams[code]
        variant = _choose_variant(table, stream)
        if variant:
            rec["metadata"]["template_variants"][name] = variant
        rows = templates.table_rows(table, variant)
        result = read_table(pt, name, table, rows, tokens, stream, spans[code])
        problems.extend(result.problems)
        values[name] = _add_cells(rec, code, result.cells)
        for t in result.unplaced:
            rec["audit"]["unplaced_numbers"].append(
                {"section": code, "text": pt.original[t.start : t.end], "source": pt.loc(t.start, t.cell)}
            )
    if rec["audit"]["unplaced_numbers"]:
        n = len(rec["audit"]["unplaced_numbers"])
        problems.append(
            {
                "severity": "warning",
                "code": "unplaced_numbers",
                "message": f"{n} 个数字未能放入表格 ({n} numbers in the tables were not placed in any cell; see the audit)",
                "section": None,
                "row_code": None,
            }
        )
    rec["checks"] = check.check_tables(tpl, rec["metadata"]["template_variants"], values)
    rec["checks"] = ocr.doubt_ocr_cells(rec, tpl, values)
    for code in NARRATIVE_SECTIONS:
        if code in spans:
            a, b = spans[code]
            rec["narrative"][code] = narrative.blocks(pt.original[a:b])
    problems.extend(_missing_sections(found, rec))
    if not any(p["code"] == "truncated" for p in problems) and (missing := _requests_missing(rec)):
        problems.append(missing)
    # truncation explains the rest: name it first
    problems.sort(key=lambda p: p["code"] != "truncated")
    rec["status"] = _status(rec)
    return rec


def _status(rec: dict) -> str:
    """Rejected on any error; else published, with gaps when a cell the report fills was not read."""
    if any(p["severity"] == "error" for p in rec["problems"]):
        return REJECTED
    return PUBLISHED_WITH_GAPS if any(is_gap(c["value"], c["flag"]) for c in rec["cells"]) else PUBLISHED


def _not_found_cells(name: str, table: dict) -> dict:
    """A table whose section was not found: every cell a gap, flagged, so the report still lists them."""
    cells = {ref: dict(cell) for ref, cell in cell_skeletons(name, table, templates.table_rows(table)).items()}
    for cell in cells.values():
        cell["flag"], cell["text"] = "not_found", ""
    return cells


def _requests_missing(rec: dict) -> dict | None:
    """Section 三 is what a report is for: a text with none of its table's rows is not usable as a report.

    A table whose rows are there but cannot be read is published with gaps (its rows
    flagged and their readings listed); only a table not there at all rejects.
    """
    requests = [c for c in rec["cells"] if c["section"] == "3"]
    if any(c["flag"] != "not_found" for c in requests):
        return None
    return {
        "severity": "error",
        "code": "requests_not_found",
        "message": f"{rec['source']['file']}: 未找到第三部分（收到和处理政府信息公开申请情况）的表格 (none of the rows of section 三, the requests table, was found)",
        "section": "3",
        "row_code": None,
    }


def _metadata(doc: Document, pt: ParseText, found: dict) -> dict:
    first_heading = min((h[0] for h in found.values()), default=min(len(pt.original), 4000))
    preamble = pt.original[:first_heading]
    md = meta.find_title(preamble.split("\n"), doc.meta.get("title"))
    if md["report_year"] is None:
        year = meta.stated_year(pt.original[: first_heading + 3000])
        if year:
            md.update(report_year=year, year_source="stated in text")
    if md["agency_name"] is None:
        md.update(_agency_from_text(pt, first_heading))
    md["template_from_year"] = templates.version_for_year(md["report_year"]) if md["report_year"] else None
    md["source_url"] = doc.meta.get("source_url")
    md["published"] = doc.meta.get("published")
    overview_end = found.get("2", (first_heading + 6000, 0))[0]
    md.update(meta.find_scope(pt.original[:overview_end]))
    return md


def _agency_from_text(pt: ParseText, first_heading: int) -> dict:
    """No title names the body: its own sentences may (the opening ones, or the contact line at the end)."""
    opening, closing = pt.original[: first_heading + 3000], pt.original[-2000:]
    name, how, disagree = meta.agency_from_sentences(opening)
    if name is None and not disagree:
        name, how, disagree = meta.agency_from_sentences(closing)
    return {"agency_name": name, "agency_source": how, "agency_candidates": disagree}


def _unnamed(md: dict, seen: list[str]) -> list[dict]:
    """Problems for a report whose body or year could not be read: left empty, never guessed."""
    out = []
    if md["agency_name"] is None:
        why = (
            f"正文所称机关不一致：{'、'.join(seen)} (its sentences name different bodies: {', '.join(seen)})"
            if seen
            else "标题与正文均未写明 (neither a title nor the report's own sentences name it)"
        )
        out.append(
            {
                "severity": "warning",
                "code": "agency_not_found",
                "message": f"未能确定报告机关，留空；{why}; the agency is left empty",
                "section": None,
                "row_code": None,
            }
        )
    if md["report_year"] is None:
        out.append(
            {
                "severity": "warning",
                "code": "year_not_found",
                "message": "未能确定报告年度，留空 (neither a title nor the report's own sentences state its year; left empty)",
                "section": None,
                "row_code": None,
            }
        )
    return out


def _not_usable(md: dict, found: dict, pt: ParseText) -> tuple[str, str] | None:
    tables_found = [c for c in TABLE_SECTIONS if c in found]
    year = md["report_year"]
    if year is not None and year < 2019:
        return (
            "pre_template",
            f"报告年度 {year} 早于全国统一格式 (report year {year} is before the national template of 2019; such reports have no national table)",
        )
    if not tables_found and md["title"] is None:
        return (
            "not_a_report",
            "不是政府信息公开工作年度报告 (not an OGI annual report: no report title and none of the template's table sections)",
        )
    if not tables_found:
        return ("no_tables", "未找到统一格式的表格部分 (none of sections 二, 三, 四 was found)")
    return None


@functools.cache
def _signatures() -> dict[str, frozenset]:
    """For each template, the label texts no other template shares (nor contains)."""
    keys = {}
    for tpl in templates.all_templates():
        ks = set()
        for table in tpl["tables"].values():
            for row in table["rows"] + [r for v in table.get("variants", []) for r in v["with"]]:
                ks.update(label_keys(row))
            ks.update(_squash(c["label"]) for c in table["columns"].values())
        keys[tpl["version"]] = ks
    out = {}
    for v, ks in keys.items():
        others = set().union(*(o for w, o in keys.items() if w != v))
        out[v] = frozenset(k for k in ks if len(k) >= 3 and not any(k in o or o in k for o in others))
    return out


def _choose_template(year: int | None, streams: dict[str, tuple[list, Stream]]) -> tuple[dict, dict | None]:
    text = "".join(s.text for _, s in streams.values())
    scores = {v: sum(1 for k in keys if k in text) for v, keys in _signatures().items()}
    best = max(scores.values())
    by_labels = [v for v, s in scores.items() if s == best] if best else []
    by_year = templates.version_for_year(year) if year else None
    if len(by_labels) == 1:
        version = by_labels[0]
        if by_year and by_year != version:
            return templates.load(version), {
                "severity": "warning",
                "code": "template_year_mismatch",
                "message": f"{year} 年度报告使用了 {version} 版表格 (a {year} report printing the {version} template's tables; read with the {version} template)",
                "section": None,
                "row_code": None,
            }
        return templates.load(version), None
    version = by_year or templates.TEMPLATE_VERSIONS[-1]
    note = (
        None
        if by_year
        else {
            "severity": "warning",
            "code": "template_unknown",
            "message": f"表格标签与年度均无法确定格式版本，按 {version} 版读取 (neither the labels nor the year tell the template; read as {version})",
            "section": None,
            "row_code": None,
        }
    )
    return templates.load(version), note


def _choose_variant(table: dict, stream: Stream) -> str | None:
    if printed := _variant_by_headers(table, stream):
        return printed
    base = count_matches(stream, templates.table_rows(table))
    best, chosen = base, None
    for v in table.get("variants", []):
        rows = templates.table_rows(table, v["name"])
        if len(rows) <= best:
            continue  # cannot match more rows than it has
        n = count_matches(stream, rows)
        if n > best:
            best, chosen = n, v["name"]
    return chosen


def _variant_by_headers(table: dict, stream: Stream) -> str | None:
    """A variant whose column headers the section prints (two at least): the columns as printed, not as the year implies."""
    for v in table.get("variants", []):
        if sum(_squash(h) in stream.text for h in v.get("headers", ())) >= 2:
            return v["name"]
    return None


def _add_cells(rec: dict, section: str, cells: dict[tuple[str, str], dict]) -> dict[tuple[str, str], object]:
    """The table's cells into the record, in template order (as `cells` holds them), with the audit's counts.

    Returns the values as read, for the rules: money still a Decimal, where the record gets int or float.
    """
    audit, out, values = rec["audit"], rec["cells"], {}
    for ref, cell in cells.items():
        value = values[ref] = cell["value"]
        if value is not None and type(value) is not int:
            # money as printed: 7545 stays a whole number, 96171.6 a decimal
            cell["value"] = int(value) if value.as_tuple().exponent >= 0 else float(value)
        flag = cell["flag"]
        if flag is not None:
            if flag == "not_found":
                audit["cells_not_found"].append({"section": section, "row_code": cell["row_code"], "column_code": cell["column_code"]})
            elif flag == "blank" or flag == "blank_mark":
                audit["blank_cells"] += 1
    out.extend(cells.values())
    return values


def _missing_sections(found: dict, rec: dict) -> list[dict]:
    """Sections not found; a text that stops inside a table is truncated."""
    out: list[dict] = []
    order = sorted(found, key=lambda c: found[c][0])
    last = order[-1] if order else None
    missing = [c for c in "123456" if c not in found]
    if not missing:
        return out
    after_last = [c for c in missing if last and c > last]
    names = "、".join(SECTION_NUMERALS[c] for c in missing)
    if last in TABLE_SECTIONS and after_last:
        not_found = [c for c in rec["audit"]["cells_not_found"] if c["section"] == last]
        where = f"; 第{SECTION_NUMERALS[last]}部分缺 {len(not_found)} 个单元格" if not_found else ""
        out.append(
            {
                "severity": "error",
                "code": "truncated",
                "message": f"文本在第{SECTION_NUMERALS[last]}部分中断，缺少第{names}部分{where} (the text stops inside section {SECTION_NUMERALS[last]}: the report is truncated)",
                "section": last,
                "row_code": None,
            }
        )
        return out
    for c in missing:
        # a table not found while the text goes on: its cells are gaps (a section 三 with none of its rows rejects: _requests_missing)
        severity = "warning"
        out.append(
            {
                "severity": severity,
                "code": "section_missing",
                "message": f"未找到第{SECTION_NUMERALS[c]}部分 (section {SECTION_NUMERALS[c]} not found)",
                "section": c,
                "row_code": None,
            }
        )
    return out
