"""Compare a parsed record with a hand-read golden file, naming what differs."""

from __future__ import annotations

from ogi import template as templates
from ogi.parse.tables import label_keys

CN_DIGITS = dict(zip("一二三四五六七八九", "123456789"))
APPEAL_ROWS = ["review", "litigation_direct", "litigation_after_review"]
APPEAL_COLS = ["upheld", "corrected", "other_result", "pending", "total"]


def row_code_3(code: str) -> str:
    """Golden row codes ('三.三.1') → record row codes ('3.3.1')."""
    return ".".join(CN_DIGITS.get(p, p) for p in code.split("."))


def section2_code(label: str, tpl: dict) -> str:
    table = tpl["tables"]["proactive"]
    for row in table["rows"]:
        if label == row["label"] or label in label_keys(row):
            return row["code"]
    raise KeyError(f"no section 二 row labelled {label} in template {tpl['version']}")


def expected_cells(golden: dict) -> dict[tuple[str, str, str], object]:
    """(table, row code, column code) → expected value, for every cell the golden gives."""
    tpl = templates.load(golden["template"])
    out = {}
    proactive = tpl["tables"]["proactive"]
    for label, values in golden.get("section2", {}).items():
        code = section2_code(label, tpl)
        row = next(r for r in proactive["rows"] if r["code"] == code)
        cols = templates.row_columns(proactive, row)
        for i, col in enumerate(cols):
            out[("proactive", code, col)] = "missing" if values is None else values[i]
    req_cols = list(tpl["tables"]["requests"]["columns"])
    for row in golden.get("section3", {}).get("rows", []):
        for col, v in zip(req_cols, row[1:]):
            out[("requests", row_code_3(row[0]), col)] = v
    if golden.get("section4"):
        for i, v in enumerate(golden["section4"]):
            out[("appeals", APPEAL_ROWS[i // 5], APPEAL_COLS[i % 5])] = v
    return out


def differences(record: dict, golden: dict) -> list[str]:
    diffs = []
    md = record["metadata"]
    status = record["status"]
    if status != golden["status"]:
        errors = [p["message"] for p in record["problems"] if p["severity"] == "error"]
        diffs.append(f"status {status!r}, expected {golden['status']!r} {errors}")
    if golden.get("reject_code"):
        codes = [p["code"] for p in record["problems"] if p["severity"] == "error"]
        if golden["reject_code"] not in codes:
            diffs.append(f"rejection code {golden['reject_code']!r} not among {codes}")
    for key, field in (("year", "report_year"), ("agency_name", "agency_name"), ("template", "template")):
        if key in golden and golden[key] != md[field] and not (key == "template" and status == "rejected" and md[field] is None):
            diffs.append(f"metadata {field}: {md[field]!r}, expected {golden[key]!r}")
    if "template_variant" in golden and md["template_variants"].get("requests") != golden["template_variant"]:
        diffs.append(f"template variant {md['template_variants'].get('requests')!r}, expected {golden['template_variant']!r}")
    if "section2" not in golden:
        return diffs
    cells = {(c["table"], c["row_code"], c["column_code"]): c for c in record["cells"]}
    flagged_rows = {section2_code(label, templates.load(golden["template"])): flag for label, flag in golden.get("flagged", {}).items()}
    names = {"proactive": "第二部分", "requests": "第三部分", "appeals": "第四部分"}
    for key, want in expected_cells(golden).items():
        table, row, col = key
        cell = cells.get(key)
        where = f"{names[table]} ({table}) row {row} column {col}"
        if cell is None:
            diffs.append(f"{where}: no such cell in the record")
        elif row in flagged_rows and table == "proactive":
            if cell["value"] is not None or cell["flag"] != flagged_rows[row]:
                diffs.append(f"{where}: expected flagged {flagged_rows[row]!r} with no value, got {cell['value']!r} flag {cell['flag']!r}")
        elif want == "missing":
            if cell["flag"] != "not_found":
                diffs.append(f"{where}: row is missing from the report, but the record has {cell['value']!r}")
        elif cell["value"] != want or isinstance(want, int) and not isinstance(cell["value"], int):
            diffs.append(f"{where}: got {cell['value']!r} (printed {cell['text']!r}), expected {want!r}")
    if golden["status"] != "rejected":
        failed = sorted([c["rule"], c["subject"]] for c in record["checks"] if c["status"] == "fail")
        if failed != sorted(golden.get("failed_rules", [])):
            diffs.append(f"failed rules {failed}, expected {sorted(golden.get('failed_rules', []))}")
    return diffs
