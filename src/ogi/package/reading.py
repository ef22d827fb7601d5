"""One input file as the parser read it, kept compact and column-wise.

A full record holds every cell as a dict with its labels; ten thousand of them
do not fit in memory comfortably. A Reading keeps only what the package
publishes, one list per attribute. Which cell is which comes from the
template: every parsed report of a template and variant lists the same cells
in the same order, so that key list is built once and shared. Readings are
made in worker processes, so parsing can use every core.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ogi import check
from ogi import template as templates
from ogi.parse import parse_file

SOURCE_KEYS = ("page", "line", "column", "table", "row", "paragraph", "ocr")
CellKey = tuple[str, str, str]  # (table, row code, column code)
CheckKey = tuple[str, str, str]  # (table, rule, subject)


def variants_key(metadata: dict) -> tuple:
    return tuple(sorted(metadata["template_variants"].items()))


@functools.cache
def template_cell_keys(version: str, variants: tuple) -> tuple[CellKey, ...]:
    """Every cell of a template (with variants), in the order the parser lists them."""
    tpl, chosen = templates.load(version), dict(variants)
    return tuple(
        (name, row["code"], col)
        for name, table in tpl["tables"].items()
        for row in templates.table_rows(table, chosen.get(name))
        for col in templates.row_columns(table, row)
    )


@functools.cache
def template_check_keys(version: str, variants: tuple) -> tuple[CheckKey, ...]:
    """Every rule instance of a template (with variants), in the order the checks list them."""
    tpl, chosen = templates.load(version), dict(variants)
    return tuple(
        (name, inst.rule, inst.subject)
        for name, table in tpl["tables"].items()
        for inst in check.instances(name, table, templates.table_rows(table, chosen.get(name)))
    )


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
    # cells, one list per attribute, in the order of cell_keys
    own_cell_keys: tuple[CellKey, ...] | None = None  # only when the parser's order is not the template's
    values: list = field(default_factory=list)
    units: list = field(default_factory=list)
    texts: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    sources: dict[str, list] = field(default_factory=dict)  # source key → one value per cell, for keys present
    corrected: set[int] = field(default_factory=set)  # indexes of corrected cells
    # checks, in the order of check_keys
    own_check_keys: tuple[CheckKey, ...] | None = None
    left_sums: list = field(default_factory=list)
    right_sums: list = field(default_factory=list)
    statuses: list = field(default_factory=list)
    statuses_before_correction: list | None = None  # set when a correction changed a number
    corrected_checks: set[int] = field(default_factory=set)
    narrative: list[tuple] = field(default_factory=list)  # (section, item_number, numbering, heading, text)
    unplaced_count: int = 0

    @property
    def cell_keys(self) -> tuple[CellKey, ...]:
        if self.own_cell_keys is not None or not self.values:
            return self.own_cell_keys or ()
        return template_cell_keys(self.metadata["template"], variants_key(self.metadata))

    @property
    def check_keys(self) -> tuple[CheckKey, ...]:
        if self.own_check_keys is not None or not self.statuses:
            return self.own_check_keys or ()
        return template_check_keys(self.metadata["template"], variants_key(self.metadata))

    @property
    def errors(self) -> list[dict]:
        return [p for p in self.problems if p["severity"] == "error"]

    @property
    def value_count(self) -> int:
        return sum(v is not None for v in self.values)

    @property
    def failed_count(self) -> int:
        return self.statuses.count("fail")


def from_record(record: dict) -> Reading:
    src, md, cells, checks = record["source"], record["metadata"], record["cells"], record["checks"]
    reading = Reading(
        file=src["file"],
        sha256=src["sha256"],
        byte_count=src["bytes"],
        format=src["format"],
        encoding=src["encoding"],
        provenance=src["provenance"],
        status=record["status"],
        metadata=md,
        problems=record["problems"],
        values=[c["value"] for c in cells],
        units=[c["unit"] for c in cells],
        texts=[c["text"] for c in cells],
        flags=[c["flag"] for c in cells],
        sources=_sources(cells, src["file"]),
        left_sums=[c["left_sum"] for c in checks],
        right_sums=[c["right_sum"] for c in checks],
        statuses=[c["status"] for c in checks],
        narrative=[
            (code, i, b["numbering"], b["heading"], b["text"])
            for code, blocks in record["narrative"].items()
            for i, b in enumerate(blocks, 1)
        ],
        unplaced_count=len(record["audit"]["unplaced_numbers"]),
    )
    if cells:
        keys = tuple((c["table"], c["row_code"], c["column_code"]) for c in cells)
        reading.own_cell_keys = None if md["template"] and keys == template_cell_keys(md["template"], variants_key(md)) else keys
    if checks:
        keys = tuple((c["table"], c["rule"], c["subject"]) for c in checks)
        reading.own_check_keys = None if md["template"] and keys == template_check_keys(md["template"], variants_key(md)) else keys
    return reading


def _sources(cells: list[dict], file: str) -> dict[str, list]:
    present = {k for c in cells if c["source"] for k in c["source"]}
    if unknown := present - set(SOURCE_KEYS):
        raise ValueError(
            f"{file}: a cell's source has keys {sorted(unknown)} that the package has no field for (add them to ogi/package/fields.py)"
        )
    return {k: [(c["source"] or {}).get(k) for c in cells] for k in SOURCE_KEYS if k in present}


def read_input(path: Path, root: Path) -> Reading:
    """Parse one input file (in a worker process) and keep what the package needs."""
    return from_record(parse_file(path, root=root))


def _intern(s):
    return sys.intern(s) if type(s) is str and len(s) <= 32 else s


def intern_reading(reading: Reading) -> Reading:
    """Share repeated strings ("0", "split_by_rules", "pass") between readings from different worker processes."""
    reading.units = list(map(_intern, reading.units))
    reading.texts = list(map(_intern, reading.texts))
    reading.flags = list(map(_intern, reading.flags))
    reading.statuses = list(map(_intern, reading.statuses))
    return reading
