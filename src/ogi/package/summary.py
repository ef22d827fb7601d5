"""The build's summary: reports read, agency-years published, rules failed, rejected inputs and why,
duplicates, corrections, unregistered agencies — in plain data, and as the lines `ogi build` prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ogi.package.reading import Reading
from ogi.package.tables import Published, Rejected
from ogi.record import REJECTED, is_gap

LIST_AT_MOST = 12  # lines per list in the summary; the tables have the rest


@dataclass
class BuildSummary:
    """What a build did, in plain data (the readings themselves are let go before the files are written)."""

    out_dir: Path
    version: str
    inputs: int
    parsed: int  # inputs the parser did not reject
    published: list[str]  # report ids
    with_gaps: dict[str, int]  # report id → gap cells (after corrections), for reports published with gaps
    agencies: int
    templates: dict[str, int]
    checks: int
    failed: list[tuple[str, str, str, object, object]]  # (report_id, rule, subject, left sum, right sum)
    rejected: list[tuple[str, str, str, str | None]]  # (file, reason code, reason, duplicate of)
    duplicates: list[tuple[str, str, str]]  # (report_id, file kept, file not published)
    corrections: dict[str, int]  # status → count
    unregistered: list[tuple[str, str]]  # (latest titled name, agency_id)
    warnings: list[str]

    def text(self) -> str:
        return "\n".join(_summary_lines(self))


def summarize(
    out_dir: Path,
    version: str,
    readings: list[Reading],
    published: list[Published],
    rejected: list[Rejected],
    corrections: list,
    warnings: list[str],
) -> BuildSummary:
    kept = {p.report_id: p.reading.file for p in published}
    failed = [
        (p.report_id, rule, subject, p.reading.left_sums[i], p.reading.right_sums[i])
        for p in published
        for i, (_, rule, subject) in enumerate(p.reading.check_keys)
        if p.reading.statuses[i] == "fail"
    ]
    unregistered = unregistered_agencies(published)
    return BuildSummary(
        out_dir=out_dir,
        version=version,
        inputs=len(readings),
        parsed=sum(r.status != REJECTED for r in readings),
        published=sorted(kept),
        with_gaps=dict(sorted((p.report_id, n) for p in published if (n := gap_count(p.reading)))),
        agencies=len({p.agency_id for p in published}),
        templates=dict(sorted(Counter(p.reading.metadata["template"] for p in published).items())),
        checks=sum(len(p.reading.statuses) for p in published),
        failed=sorted(failed),
        rejected=sorted((x.reading.file, x.reason_code, x.reason, x.duplicate_of) for x in rejected),
        duplicates=sorted((x.duplicate_of, kept[x.duplicate_of], x.reading.file) for x in rejected if x.reason_code == "duplicate"),
        corrections=dict(Counter(c.status for c in corrections)),
        unregistered=sorted((max(seen)[1], agency_id) for agency_id, seen in unregistered.items()),
        warnings=warnings,
    )


def gap_count(reading: Reading) -> int:
    return sum(is_gap(v, f) for v, f in zip(reading.values, reading.flags))


def unregistered_agencies(published: list[Published]) -> dict[str, list[tuple[int, str]]]:
    out: dict[str, list[tuple[int, str]]] = {}
    for p in published:
        if p.agency_match == "unregistered":
            out.setdefault(p.agency_id, []).append((p.reading.metadata["report_year"], p.reading.metadata["agency_name"]))
    return out


def _listed(items: list[str]) -> list[str]:
    shown = [f"      {x}" for x in items[:LIST_AT_MOST]]
    if len(items) > LIST_AT_MOST:
        shown.append(f"      … and {len(items) - LIST_AT_MOST} more")
    return shown


def _summary_lines(s: BuildSummary) -> list[str]:
    lines = [
        f"ogi build → {s.out_dir} (data package version {s.version})",
        f"  reports read: {s.inputs} input files — usable as reports {s.parsed}, rejected by the parser {s.inputs - s.parsed}",
        f"  agency-years published: {len(s.published)} ({s.agencies} agencies; "
        + ", ".join(f"template {v}: {n}" for v, n in s.templates.items())
        + ")",
        f"  published whole: {len(s.published) - len(s.with_gaps)}; published with gaps: {len(s.with_gaps)} "
        f"({sum(s.with_gaps.values())} gap cells: empty and flagged, the rows named in the problems); rejected inputs: {len(s.rejected)}",
    ]
    lines += _listed([f"{rid}: {n} gap cells" for rid, n in s.with_gaps.items()])
    lines += [
        f"  rules failed: {len(s.failed)} of {s.checks} checks, in {len({f[0] for f in s.failed})} reports (findings about the reports, published as they are)",
    ]
    lines += _listed([f"{rid}: {rule} [{subject}] {left} ≠ {right}" for rid, rule, subject, left, right in s.failed])
    reasons = Counter(code for _, code, _, _ in s.rejected)
    lines.append(
        f"  rejected inputs: {len(s.rejected)}" + (" — " + ", ".join(f"{k} {n}" for k, n in sorted(reasons.items())) if reasons else "")
    )
    lines += _listed([f"{file}: {code} — {reason[:160]}" for file, code, reason, _ in s.rejected])
    lines.append(
        f"  duplicates of an agency-year: {len(s.duplicates)}"
        + (" (kept: most cells read, then fewest failed rules, then the original format, then the file path)" if s.duplicates else "")
    )
    lines += _listed([f"{rid}: published {kept}, not {dropped}" for rid, kept, dropped in s.duplicates])
    applied, not_needed = s.corrections.get("applied", 0), s.corrections.get("not_needed", 0)
    lines.append(
        f"  corrections: {applied} applied, {not_needed} not needed" + (" (remove those from corrections.csv)" if not_needed else "")
    )
    lines.append(f"  unregistered agencies: {len(s.unregistered)}" + (" (add them to agencies.yaml)" if s.unregistered else ""))
    lines += _listed([f"{name} → {agency_id}" for name, agency_id in s.unregistered])
    if s.warnings:
        lines.append(f"  input warnings: {len(s.warnings)}")
        lines += _listed(s.warnings)
    return lines
