"""One input file as the parser read it, kept compact.

A full record holds every cell as a dict with its labels; ten thousand of them
do not fit in memory comfortably. A Reading keeps what the package publishes —
labels come back from the template when the tables are built — and runs in a
worker process, so parsing can use every core.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ogi.parse import parse_file

SOURCE_KEYS = ("page", "line", "column", "table", "row", "paragraph")


class Cell(NamedTuple):
    table: str
    row_code: str
    column_code: str
    value: int | float | None
    unit: str | None
    text: str
    flag: str | None
    page: int | None
    line: int | None
    column: int | None
    table_no: int | None
    row_no: int | None
    paragraph: int | None
    corrected: bool = False


class Check(NamedTuple):
    table: str
    rule: str
    subject: str
    left_sum: int | None
    right_sum: int | None
    status: str
    status_before_correction: str | None = None  # set on every check of a corrected report
    corrected: bool = False


@dataclass
class Reading:
    file: str
    sha256: str | None
    byte_count: int | None
    format: str | None
    encoding: str | None
    provenance: dict | None
    status: str
    metadata: dict
    problems: list[dict]
    cells: list[Cell] = field(default_factory=list)
    narrative: list[tuple] = field(default_factory=list)  # (section, item_number, numbering, heading, text)
    checks: list[Check] = field(default_factory=list)
    unplaced_count: int = 0

    @property
    def errors(self) -> list[dict]:
        return [p for p in self.problems if p["severity"] == "error"]

    @property
    def value_count(self) -> int:
        return sum(1 for c in self.cells if c.value is not None)

    @property
    def failed_count(self) -> int:
        return sum(1 for c in self.checks if c.status == "fail")


def _source(source: dict | None, file: str) -> tuple:
    source = source or {}
    if unknown := set(source) - set(SOURCE_KEYS):
        raise ValueError(f"{file}: a cell's source has keys {sorted(unknown)} that the package has no field for (add them to ogi/package/fields.py)")
    return tuple(source.get(k) for k in SOURCE_KEYS)


def _intern(s: str | None) -> str | None:
    return sys.intern(s) if s is not None and len(s) <= 24 else s


def from_record(record: dict) -> Reading:
    src, file = record["source"], record["source"]["file"]
    cells = [
        Cell(_intern(c["table"]), _intern(c["row_code"]), _intern(c["column_code"]), c["value"], _intern(c["unit"]), _intern(c["text"]), _intern(c["flag"]), *_source(c["source"], file))
        for c in record["cells"]
    ]
    narrative = [(code, i, b["numbering"], b["heading"], b["text"]) for code, blocks in record["narrative"].items() for i, b in enumerate(blocks, 1)]
    checks = [Check(_intern(c["table"]), _intern(c["rule"]), _intern(c["subject"]), c["left_sum"], c["right_sum"], _intern(c["status"])) for c in record["checks"]]
    return Reading(
        file=file, sha256=src["sha256"], byte_count=src["bytes"], format=src["format"], encoding=src["encoding"], provenance=src["provenance"],
        status=record["status"], metadata=record["metadata"], problems=record["problems"],
        cells=cells, narrative=narrative, checks=checks, unplaced_count=len(record["audit"]["unplaced_numbers"]),
    )


def read_input(path: Path, root: Path) -> Reading:
    """Parse one input file (in a worker process) and keep what the package needs."""
    return from_record(parse_file(path, root=root))


def intern_reading(reading: Reading) -> Reading:
    """Share repeated strings between readings that came back from different worker processes."""
    reading.cells = [c._replace(table=_intern(c.table), row_code=_intern(c.row_code), column_code=_intern(c.column_code), unit=_intern(c.unit), text=_intern(c.text), flag=_intern(c.flag)) for c in reading.cells]
    reading.checks = [c._replace(table=_intern(c.table), rule=_intern(c.rule), subject=_intern(c.subject), status=_intern(c.status)) for c in reading.checks]
    return reading
