"""`ogi add`: take a report file as downloaded into the input folder, with its provenance.

The original bytes are copied unchanged to `<reports>/added/<sha256[:16]><ext>`
(the name depends only on the content, so adding the same file twice cannot
make two inputs), and `<that file>.provenance.json` records where it came from.
The file is parsed once and what was found is printed: agency, year, template,
rules failed, or why it cannot be used. A file whose exact bytes are already
anywhere in the input folder is refused; a second report for the same agency
and year is added with a warning (it may be a republished or corrected version).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import click

from ogi.extract import sniff_format
from ogi.record import is_published, rules_summary

ADDED_FOLDER = "added"
FORMAT_SUFFIX = {"text": ".txt", "html": ".html", "pdf": ".pdf", "docx": ".docx", "doc": ".doc", "xlsx": ".xlsx"}
PROVENANCE_SUFFIX = ".provenance.json"


def add_files(files: list[Path], reports_dir: Path, source_url: str | None = None, retrieved: str | None = None) -> int:
    """Add each file; 0 when every file was added and can be used, 1 when one was refused or cannot be used, 2 for bad options."""
    from ogi.parse import parse_file
    from ogi.record import summary

    if retrieved is not None:
        try:
            dt.date.fromisoformat(retrieved)
        except ValueError:
            click.echo(f"--retrieved {retrieved!r}: not a date; write it as YYYY-MM-DD", err=True)
            return 2
    reports_dir = Path(reports_dir)
    known = _known_hashes(reports_dir)
    before = set(known.values())
    others: list[tuple[str, dict]] | None = None  # (input, metadata) of the inputs already there, parsed on first need
    added_now: list[tuple[str, dict]] = []
    status = 0
    for src in files:
        src = Path(src)
        data = src.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if sha in known:
            click.echo(f"{src}: REFUSED — the same file (sha256 {sha[:16]}…) is already an input: {known[sha]}")
            status = 1
            continue
        fmt = sniff_format(src, data)
        dest = reports_dir / ADDED_FOLDER / (sha[:16] + _suffix(src, fmt))
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        shown = dest.relative_to(reports_dir).as_posix()
        known[sha] = shown
        record = parse_file(dest, root=reports_dir)
        md = record["metadata"]
        usable = is_published(record)
        provenance = {
            "original_name": src.name,
            "handed_over_as": str(src),
            "source_url": source_url or md.get("source_url"),
            "source_description": "added with `ogi add`"
            + ("" if source_url or not md.get("source_url") else "; source_url as the file itself states it"),
            "retrieved": retrieved,
            "added": dt.date.today().isoformat(),
            "sha256": sha,
            "bytes": len(data),
            "format": fmt,
            "agency": md.get("agency_name"),
            "year": md.get("report_year"),
            "notes": _notes(record),
        }
        dest.with_name(dest.name + PROVENANCE_SUFFIX).write_text(json.dumps(provenance, ensure_ascii=False, indent=2) + "\n", "utf-8")
        click.echo(f"{src}: added as {reports_dir.as_posix()}/{shown} (with its provenance)")
        click.echo("    " + summary(record).replace("\n", "\n    "))
        if not usable:
            status = 1
            click.echo(
                f"    this file cannot be used as it is; it is kept as handed over. If it is not an OGI annual report, delete {reports_dir.as_posix()}/{shown} and its provenance file."
            )
        if md.get("agency_name") and md.get("report_year"):
            if others is None:
                others = _parsed_inputs(reports_dir, before)
            for other, other_md in others + added_now:
                if other != shown and _same_report(md, other_md):
                    click.echo(
                        f"    WARNING: a second report for {md['agency_name']} {md['report_year']}: {other} is one already ({other_md['agency_name']} {other_md['report_year']}); keep both only if they differ on purpose (a republished or corrected version)"
                    )
            added_now.append((shown, md))
    return status


def _suffix(src: Path, fmt: str) -> str:
    suffix = src.suffix.lower()
    if suffix and len(suffix) <= 6 and suffix[1:].isalnum():
        return suffix
    return FORMAT_SUFFIX.get(fmt, ".bin")


def _inputs(reports_dir: Path) -> list[Path]:
    if not reports_dir.is_dir():
        return []
    return sorted(
        p for p in reports_dir.rglob("*") if p.is_file() and not p.name.endswith(PROVENANCE_SUFFIX) and not p.name.startswith(".")
    )


def _known_hashes(reports_dir: Path) -> dict[str, str]:
    """sha256 → input path (relative to the folder) of every file already in the input folder."""
    out = {}
    for p in _inputs(reports_dir):
        out.setdefault(hashlib.sha256(p.read_bytes()).hexdigest(), p.relative_to(reports_dir).as_posix())
    return out


def _parsed_inputs(reports_dir: Path, inputs: set[str]) -> list[tuple[str, dict]]:
    """Agency and year of every report already in the input folder (parsed; a small folder makes this cheap enough)."""
    from ogi.parse import parse_file

    out = []
    for p in _inputs(reports_dir):
        shown = p.relative_to(reports_dir).as_posix()
        if p.parent == reports_dir or shown not in inputs:
            continue
        md = parse_file(p, root=reports_dir)["metadata"]
        if md.get("agency_name") and md.get("report_year"):
            out.append((shown, md))
    return out


def _same_report(a: dict, b: dict) -> bool:
    """Same year, and the same agency name (or one name is the other with its parent area in front: 淮安市洪泽区人民政府 / 洪泽区人民政府)."""
    if a.get("report_year") != b.get("report_year"):
        return False
    x, y = a.get("agency_name") or "", b.get("agency_name") or ""
    if not x or not y:
        return False
    shorter, longer = sorted((x, y), key=len)
    return x == y or (len(shorter) >= 4 and longer.endswith(shorter))


def _notes(record: dict) -> str:
    if not is_published(record):
        errors = "; ".join(p["message"] for p in record["problems"] if p["severity"] == "error")
        return f"cannot be used as added: {errors}"
    md = record["metadata"]
    filled = sum(1 for c in record["cells"] if c["value"] is not None)
    return f"{record['status']} when added: template {md['template']}, cells {filled}/{len(record['cells'])}, {rules_summary(record)}"
