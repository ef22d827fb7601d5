"""Benchmark: `ogi build` over a synthetic corpus — seconds and peak memory.

    .venv/bin/python scripts/bench_build.py [--n 10000] [--seed 0] [--workers N] [--as-generated] [--all-layouts]
        [--agencies-by-year] [--real-narratives] [--keep DIR]

Writes the corpus with `ogi.synth.write_corpus` (not timed), then times one
whole build: parsing in worker processes, tables, CSV, Parquet, SQLite and the
workbook. Target on this 2-core machine: 10,000 reports in under 2 minutes and
2 GiB. Memory is the peak of the whole process tree (the build, its parsing
workers and the workbook's process), counting shared pages once.

The generator picks each report's agency from eight names and its year from six,
so 10,000 reports are only 48 agency-years and the rest are duplicates. Unless
--as-generated is given, each title gets a distinct place-name prefix (甲乙… →
"丁淮安市洪泽区人民政府…"), so every report is its own agency-year and the
package holds all 10,000 — the case the target is about.

--all-layouts adds run-together pages (one report in six, as scripts/bench_parse.py
parses them: `--n 3000 --all-layouts` gives its 500 run-together reports). After the
build, the script prints per layout how many reports were published whole, published
with gaps and rejected, and how many of those with gaps hold a gap that rejected the
whole report before 1.0 (a row whose numbers could not be placed or that printed none,
a row or table of section 三 or 四 not found), with the cells those reports publish.

For the site's benchmark (`scripts/bench_site.py`) two options make the corpus look
more like a real one: --agencies-by-year gives the k-th report of each year the k-th
agency, so each agency has several years (10,000 reports → about 1,700 agencies of
about six years each, each with its own place-name prefix, so spread over as many
places); --real-narratives replaces each generated sentence of sections 一, 五, 六
with a paragraph of the committed package's narratives (about 1,100 characters a
report, as real reports have, instead of 200), so the search index has real text.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import resource
import shutil
import tempfile
import threading
import time
from pathlib import Path

from ogi.package.build import build_package
from ogi.synth import AGENCIES, LAYOUTS, PROSE, USUAL_LAYOUTS, write_corpus

CJK = 0x4E00  # distinct one-character prefixes: 一丁丂七…
ROOT = Path(__file__).resolve().parents[1]
# A generated sentence: PROSE with its numbers.
GENERATED = re.compile("|".join(re.escape(p).replace(r"\{n\}", r"\d+").replace(r"\{m\}", r"\d+") for p in PROSE))
TITLE_YEAR = re.compile(r"(\d{4})年政府信息公开工作年度报告")


def distinct_agencies(paths: list[Path]) -> None:
    """Prefix each report's title line with its own character, so no two reports share an agency."""
    for i, path in enumerate(paths):
        text = path.read_text("utf-8")
        path.write_text(chr(CJK + i) + text, "utf-8")


# Gaps that were errors before 1.0: each rejected the whole report.
FORMERLY_REJECTING = {("row_unread", None), ("row_not_printed", None), ("rows_not_found", "3"), ("rows_not_found", "4")}
FORMERLY_REJECTING |= {("section_missing", s) for s in ("2", "3", "4")}


def by_layout(out: Path, layouts: tuple[str, ...]) -> None:
    """Per layout: published whole, with gaps (and of those, formerly rejected, with their cells), rejected."""
    layout_of = lambda source_file: layouts[int(Path(source_file).stem.rsplit("_", 1)[1]) % len(layouts)]  # noqa: E731
    with open(out / "data" / "problems.csv", encoding="utf-8") as f:
        once_rejecting = {
            row["report_id"]
            for row in csv.DictReader(f)
            if (row["problem_code"], None) in FORMERLY_REJECTING or (row["problem_code"], row["section_code"]) in FORMERLY_REJECTING
        }
    stats = {name: dict(whole=0, gaps=0, gap_cells=0, once_rejected=0, cells_gained=0, rejected=0) for name in layouts}
    with open(out / "data" / "reports.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            s = stats[layout_of(row["source_file"])]
            if row["report_status_code"] == "published":
                s["whole"] += 1
                continue
            s["gaps"] += 1
            s["gap_cells"] += int(row["unread_cell_count"])
            if row["report_id"] in once_rejecting:
                s["once_rejected"] += 1
                s["cells_gained"] += int(row["value_count"])
    with open(out / "data" / "rejected_inputs.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            stats[layout_of(row["source_file"])]["rejected"] += 1
    print(
        "per layout: published whole / with gaps (gap cells) / rejected; of those with gaps, rejected whole before 1.0 (cells they publish)"
    )
    for name, s in stats.items():
        print(
            f"    {name:14} {s['whole']:5} / {s['gaps']:4} ({s['gap_cells']} gap cells) / {s['rejected']:3};"
            f"  formerly rejected: {s['once_rejected']} reports, {s['cells_gained']} cells now published"
        )


def agencies_by_year(paths: list[Path]) -> None:
    """The k-th report of each year becomes the k-th agency (its own prefix and name), so agencies have several years."""
    rank: dict[str, int] = {}
    for path in paths:
        text = path.read_text("utf-8")
        base = next(a for a in AGENCIES if text.startswith(a))
        year = TITLE_YEAR.search(text).group(1)
        k = rank[year] = rank.get(year, -1) + 1
        path.write_text(chr(CJK + k) + AGENCIES[k % len(AGENCIES)] + text[len(base) :], "utf-8")


def real_narratives(paths: list[Path], seed: int) -> None:
    """Each generated narrative sentence → a paragraph of the committed package's narratives."""
    with open(ROOT / "datapackage" / "data" / "narratives.csv", encoding="utf-8", newline="") as f:
        paragraphs = [" ".join(r["text"].split()) for r in csv.DictReader(f) if 40 <= len(r["text"] or "") <= 600]
    rng = random.Random(seed)
    for path in paths:
        text = path.read_text("utf-8")
        path.write_text(GENERATED.sub(lambda _: rng.choice(paragraphs), text), "utf-8")


def tree_pss_mib(pid: int) -> float:
    """Proportional set size of a process and all its descendants (Linux): shared pages counted once."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) / 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


class MemorySampler(threading.Thread):
    """Samples the memory of this process and its workers every 0.2 s; keeps the peak."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = 0.0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, tree_pss_mib(os.getpid()))
            time.sleep(0.2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=None, help="parsing processes (default: one per core)")
    ap.add_argument("--as-generated", action="store_true", help="keep the generator's eight agencies (mostly duplicates)")
    ap.add_argument("--agencies-by-year", action="store_true", help="agencies with several years each (see above)")
    ap.add_argument("--real-narratives", action="store_true", help="narratives from the committed package's paragraphs")
    ap.add_argument("--keep", type=Path, help="keep the built package here")
    ap.add_argument("--all-layouts", action="store_true", help="include run-together pages (one report in six)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ogi-bench-"))
    try:
        reports = work / "reports"
        layouts = LAYOUTS if args.all_layouts else USUAL_LAYOUTS
        paths = write_corpus(reports / "synthetic", args.n, args.seed, layouts)
        if args.agencies_by_year:
            agencies_by_year(paths)
        elif not args.as_generated:
            distinct_agencies(paths)
        if args.real_narratives:
            real_narratives(paths, args.seed)
        out = args.keep or work / "datapackage"
        sampler = MemorySampler()
        sampler.start()
        start = time.perf_counter()
        summary = build_package(reports, out, progress=False, workers=args.workers)
        seconds = time.perf_counter() - start
        sampler.running = False
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print()
        print(
            f"reports: {args.n} synthetic ({corpus_kind(args)}), published {len(summary.published)} ({len(summary.with_gaps)} with gaps, {sum(summary.with_gaps.values())} gap cells), rejected {len(summary.rejected)}"
        )
        print(f"time: {seconds:.1f} s for the whole build ({args.n / seconds:.0f} reports/s)")
        print(f"peak memory: {sampler.peak:.0f} MiB for the build and its worker processes together (PSS, sampled every 0.2 s)")
        print(
            f"    max RSS: {own:.0f} MiB the build process, {children:.0f} MiB its largest child (the Excel writer, forked: mostly shared pages)"
        )
        print(f"package: {size / 2**20:.0f} MiB in {out}")
        by_layout(out, layouts)
    finally:
        shutil.rmtree(work)


def corpus_kind(args: argparse.Namespace) -> str:
    kind = "agencies by year" if args.agencies_by_year else "as generated" if args.as_generated else "one agency each"
    return kind + (", real narratives" if args.real_narratives else "")


if __name__ == "__main__":
    main()
