"""A compact, diff-friendly view of a record, for the snapshot tests (tests/snapshots/)."""

from __future__ import annotations

import json


def snapshot(record: dict) -> dict:
    """Everything a reader of the record sees, one line per cell, so a diff reads well."""
    cells = [
        f"{c['table']}/{c['row_code']}/{c['column_code']} = {json.dumps(c['value'])} {c['unit'] or ''} | {c['text']!r} | {c['flag'] or ''} | {json.dumps(c['source'], ensure_ascii=False, sort_keys=True)}"
        for c in record["cells"]
    ]
    return {
        "status": record["status"],
        "source": {k: record["source"][k] for k in ("file", "sha256", "format", "encoding")},
        "metadata": record["metadata"],
        "sections_found": record["sections_found"],
        "problems": [f"{p['severity']} {p['code']} [{p['section']}/{p['row_code']}] {p['message']}" for p in record["problems"]],
        "checks_not_passed": [
            f"{c['rule']} [{c['subject']}] {c['status']} {c['left_sum']} vs {c['right_sum']}"
            for c in record["checks"]
            if c["status"] != "pass"
        ],
        "checks_count": len(record["checks"]),
        "audit": record["audit"],
        "cells": cells,
        "narrative": {
            k: [f"{b['numbering'] or ''} | {b['heading'] or ''} | {b['text']}" for b in v] for k, v in record["narrative"].items()
        },
    }


def dumps(snap: dict) -> str:
    return json.dumps(snap, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
