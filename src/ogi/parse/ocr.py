"""OCR'd numbers are ours to doubt, not the report's.

A number read by OCR (its source marked `ocr`) is published only when the
report's own arithmetic vouches for it: at least one rule through it holds and
none fails. Where a rule through OCR'd cells fails, the failure is far more
likely our misreading (95 read as 9, 31 as 381) than the agency's arithmetic,
so those cells become unread (null, flag `ocr_doubt`); so do OCR'd cells that no
complete rule checks (section 二 has no rules at all). The OCR text stays in
the cell's `text` and in a problem naming each cell. Cells read from a text
layer are never touched: their failed rules are findings about the report.
"""

from __future__ import annotations

from ogi import check

FLAG = "ocr_doubt"
SECTION_NUMERALS = dict(zip("234", "二三四"))


def doubt_ocr_cells(rec: dict, tpl: dict, values: dict[str, dict]) -> list[dict]:
    """Unread every OCR'd cell a rule contradicts or no rule confirms; the checks, re-run when any was.

    `values` (table → (row, column) → value, as the rules read them) is updated with the record.
    """
    checks = rec["checks"]
    if not any(c["source"] and c["source"].get("ocr") for c in rec["cells"]):
        return checks  # nothing read by OCR: the usual case, kept cheap
    cells = {(c["table"], c["row_code"], c["column_code"]): c for c in rec["cells"]}
    read_by_ocr = {ref for ref, c in cells.items() if c["value"] is not None and (c["source"] or {}).get("ocr")}
    if not read_by_ocr:
        return checks
    contradicted: dict[tuple, list[dict]] = {}  # cell → the failed rules through it
    confirmed = set()
    for result in checks:
        refs = {(result["table"], x["row_code"], x["column_code"]) for x in result["left"] + result["right"]}
        if result["status"] == "fail":
            for ref in refs & read_by_ocr:
                contradicted.setdefault(ref, []).append(result)
        elif result["status"] == "pass":
            confirmed |= refs
    doubted = sorted(ref for ref in read_by_ocr if ref in contradicted or ref not in confirmed)
    if not doubted:
        return checks
    for ref in doubted:
        cell = cells[ref]
        cell["value"], cell["flag"] = None, FLAG
        values[ref[0]][ref[1:]] = None
    rec["problems"].extend(_problems(cells, doubted, contradicted))
    return check.check_tables(tpl, rec["metadata"]["template_variants"], values)


def _problems(cells: dict, doubted: list[tuple], contradicted: dict[tuple, list[dict]]) -> list[dict]:
    """One warning per table row: which cells were left unread, with the OCR text and why."""
    by_row: dict[tuple[str, str], list[tuple]] = {}
    for ref in doubted:
        by_row.setdefault(ref[:2], []).append(ref)
    out = []
    for (_table, row), refs in by_row.items():
        section = cells[refs[0]]["section"]
        read = "; ".join(f"{cells[r]['column_label']} '{cells[r]['text']}'" for r in refs)
        failed = {(f["rule"], f["subject"]): f for r in refs for f in contradicted.get(r, [])}
        why = (
            "; ".join(f"{name} [{subject}] {f['left_sum']} ≠ {f['right_sum']}" for (name, subject), f in failed.items())
            if failed
            else "no complete rule checks them"
        )
        out.append(
            {
                "severity": "warning",
                "code": FLAG,
                "message": (
                    f"第{SECTION_NUMERALS[section]}部分 行 {row}: {len(refs)} 个 OCR 识别的数字未经勾稽关系证实，不予发布 "
                    f"({len(refs)} cells read by OCR left unread, more likely our misreading than the report's: {why}; OCR read {read})"
                ),
                "section": section,
                "row_code": row,
            }
        )
    return out
