"""`ogi build`: every file in the reports folder → the data package.

1. read every input (in worker processes when there are many);
2. give each parsed report its agency and resolve duplicates of an agency-year;
3. apply the corrections, then check the corrected reports' rules again;
4. build the tables, write every format into a fresh folder, and swap it in;
5. say what happened: reports read, agency-years published, rules failed,
   rejected inputs and why, duplicates, corrections, unregistered agencies.

Every input file ends up as a published report or a rejected input with its reason.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import time
import traceback
from collections import defaultdict
from pathlib import Path

import click

from ogi.package import agencies as agency_registry
from ogi.package import descriptor, formats, sqlite, tables
from ogi.package.corrections import CORRECTIONS_FILE, apply_corrections, load_corrections
from ogi.package.fields import TABLES
from ogi.package.reading import Reading, intern_reading, read_input
from ogi.package.summary import BuildSummary, summarize, unregistered_agencies
from ogi.package.tables import Published, Rejected
from ogi.package.workbook import write_workbook
from ogi.record import REJECTED

PROVENANCE_SUFFIX = ".provenance.json"
NOT_INPUTS = {agency_registry.REGISTRY_FILE, CORRECTIONS_FILE, "README.md"}  # the folder's own files, at its top
PARALLEL_FROM = 64  # inputs; below this, worker processes cost more than they save
DUPLICATE_RULE = (
    "同一机关同一年度只发布一份：单元格读出数值最多者优先，其次未通过的勾稽规则最少，其次原始格式（HTML、PDF、DOCX）优先于文本，其次按文件路径 "
    "(one report per agency and year: the reading with the most cells read wins, then the fewest failed rules, then the original format over a text extraction, then the file path)"
)
ORIGINAL_FORMATS = ("html", "pdf", "docx")


def find_inputs(reports_dir: Path) -> list[Path]:
    """Every file in the reports folder that is meant as a report: not a provenance file, not hidden, not the folder's registries."""
    out = []
    for path in reports_dir.rglob("*"):
        rel = path.relative_to(reports_dir)
        if not path.is_file() or path.name.endswith(PROVENANCE_SUFFIX) or any(part.startswith(".") for part in rel.parts):
            continue
        if len(rel.parts) == 1 and path.name in NOT_INPUTS:
            continue
        out.append(path)
    return sorted(out, key=lambda p: p.relative_to(reports_dir).as_posix())


def _read_one(args: tuple[Path, Path]) -> Reading:
    return read_input(*args)


def read_all(paths: list[Path], reports_dir: Path, progress: bool, workers: int | None = None) -> list[Reading]:
    """Parse every input, in input order; in worker processes when there are many."""
    workers = workers or os.cpu_count() or 1
    jobs = [(p, reports_dir) for p in paths]
    with click.progressbar(length=len(jobs), label="reading reports", file=sys.stderr, hidden=not progress) as bar:
        if workers > 1 and len(jobs) >= PARALLEL_FROM:
            context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
            with context.Pool(workers) as pool:
                return [_advance(bar, intern_reading(r)) for r in pool.imap(_read_one, jobs, chunksize=16)]
        return [_advance(bar, _read_one(job)) for job in jobs]


def _advance(bar, reading: Reading) -> Reading:
    bar.update(1)
    return reading


def _reject(reading: Reading) -> Rejected:
    errors = reading.errors
    return Rejected(reading, errors[0]["code"], " | ".join(e["message"] for e in errors))


def _agency_name(reading: Reading, registry: agency_registry.Registry) -> str | None:
    """The agency as the title prints it; else the provenance's agency, only when that is a registered name."""
    if reading.metadata["agency_name"]:
        return reading.metadata["agency_name"]
    prov = (reading.provenance or {}).get("agency")
    return prov if prov and registry.match(prov) else None


def preference(reading: Reading) -> tuple:
    """Sort key for readings of the same agency-year: the first is published (see DUPLICATE_RULE)."""
    return (-reading.value_count, reading.failed_count, reading.format not in ORIGINAL_FORMATS, reading.file)


def assemble(readings: list[Reading], registry: agency_registry.Registry) -> tuple[list[Published], list[Rejected]]:
    """Published reports (one per agency-year) and rejected inputs (with reasons), from every reading."""
    rejected, groups = [], defaultdict(list)
    for r in readings:
        if r.status == REJECTED:
            rejected.append(_reject(r))
            continue
        name = _agency_name(r, registry)
        if name is None:
            rejected.append(
                Rejected(
                    r,
                    "agency_not_found",
                    "报告标题中未找到机关名称 (no agency name in the report's title, and its provenance names no registered agency)",
                )
            )
        elif r.metadata["report_year"] is None:
            rejected.append(Rejected(r, "year_not_found", "未找到报告年度 (no report year in the title or the opening text)"))
        else:
            agency_id, how = agency_registry.resolve(name, registry)
            groups[(agency_id, r.metadata["report_year"])].append((r, how))
    published = []
    for (agency_id, year), group in sorted(groups.items()):
        group.sort(key=lambda rh: preference(rh[0]))
        (kept, how), others = group[0], group[1:]
        report_id = f"{agency_id}-{year}"
        published.append(Published(report_id, agency_id, how, kept, duplicate_count=len(others)))
        rejected += [Rejected(r, "duplicate", _duplicate_reason(r, kept), duplicate_of=report_id) for r, _ in others]
    return published, rejected


def _duplicate_reason(reading: Reading, kept: Reading) -> str:
    same = "，字节完全相同 (the same bytes)" if reading.sha256 == kept.sha256 else ""
    return f"与 {kept.file} 为同一机关同一年度的报告{same}；{DUPLICATE_RULE}. Kept: {kept.file} ({kept.value_count} cells read, {kept.failed_count} rules failed); this file: {reading.value_count} cells read, {reading.failed_count} rules failed."


def input_warnings(reports_dir: Path, readings: list[Reading]) -> list[str]:
    """Inputs without provenance, provenance without an input, and files changed since they were added."""
    out = [f"{r.file}: no provenance file beside it" for r in readings if r.provenance is None]
    out += [
        f"{r.file}: sha256 differs from its provenance (the file changed after it was added)"
        for r in readings
        if r.provenance and r.provenance.get("sha256") not in (None, r.sha256)
    ]
    files = {r.file for r in readings}
    for prov in sorted(reports_dir.rglob("*" + PROVENANCE_SUFFIX)):
        target = prov.relative_to(reports_dir).as_posix().removesuffix(PROVENANCE_SUFFIX)
        if target not in files:
            out.append(f"{prov.relative_to(reports_dir).as_posix()}: provenance of a file that is not there")
    return out


def build_package(reports_dir: Path, out_dir: Path, progress: bool = True, workers: int | None = None) -> BuildSummary:
    """Build the data package in out_dir from every file in reports_dir, and print a summary."""
    stages = Stages(progress)
    reports_dir, out_dir = Path(reports_dir), Path(out_dir)
    registry = agency_registry.load_registry(reports_dir)
    corrections = load_corrections(reports_dir)
    readings = read_all(find_inputs(reports_dir), reports_dir, progress, workers)
    stages.show("resolving agencies, duplicates and corrections")
    published, rejected = assemble(readings, registry)
    apply_corrections(corrections, {p.report_id: p.reading for p in published})
    meta = dict(descriptor.package_meta(), created=descriptor.created_from([(r.provenance or {}).get("added") for r in readings]))
    summary = summarize(out_dir, meta["version"], readings, published, rejected, corrections, input_warnings(reports_dir, readings))
    stages.show("building tables")
    agencies = agency_registry.agency_rows(registry, unregistered_agencies(published))
    built = tables.all_tables(published, rejected, agencies, [c.row() for c in corrections])
    del readings, published, rejected  # the tables hold everything now; the workbook's process starts lighter
    write_package(built, meta, out_dir, stages)
    click.echo(summary.text())
    return summary


class Stages:
    """Says on stderr which stage the build is in, with the time and memory so far (when progress is shown)."""

    def __init__(self, shown: bool = False):
        self.shown, self.started = shown, time.perf_counter()

    def show(self, what: str) -> None:
        if self.shown:
            click.echo(f"[{time.perf_counter() - self.started:6.1f} s, {_memory_mib():5.0f} MiB] {what}…", err=True)


def _memory_mib() -> float:
    """This process's resident memory now (Linux), else its peak so far."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- writing ---

FILE_NAME = "ogi-annual-reports"


def write_package(built: dict, meta: dict, out_dir: Path, stages: Stages | None = None) -> None:
    """Write every format into a fresh folder beside out_dir, then put it in out_dir's place."""
    tmp = out_dir.with_name(f".{out_dir.name}.building")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    stages = stages or Stages()
    resources = write_formats(built, meta, tmp, stages)
    stages.show("writing the descriptor")
    descriptor.write_json(descriptor.descriptor(meta, resources), tmp / "datapackage.json")
    _replace(out_dir, tmp)


def write_formats(built: dict, meta: dict, root: Path, stages: Stages) -> list[dict]:
    """Every format; the workbook in a second process while this one writes the rest (two cores, half the time)."""
    workbook = root / f"{FILE_NAME}.xlsx"
    stages.show("writing Excel (in a second process), CSV, Parquet, SQLite")
    wait_for_workbook = in_background(_write_workbook, built, meta, workbook)
    csv_paths = formats.write_csv(built, root)
    parquet_paths = formats.write_parquet(built, root)
    db = sqlite.write_sqlite(built, root / f"{FILE_NAME}.sqlite")
    datasette = sqlite.write_datasette_metadata(meta, db, root / f"{FILE_NAME}.datasette.json")
    wait_for_workbook()
    files = [
        (
            "xlsx-workbook",
            workbook,
            "Excel 工作簿 · Excel workbook",
            "For reading and filtering: the reports list and sections 二, 三, 四 as wide tables (one row per agency-year, as the reports print them), with Chinese headers, notes and a field dictionary. The long tables are in the CSV, Parquet and SQLite files.",
        ),
        (
            "sqlite-database",
            db,
            "SQLite 数据库 · SQLite database",
            "Every table with its primary and foreign keys; the cell tables and check_results keep codes, with lookup tables for the labels (template_rows, template_columns, consistency_rules, code lists) and `<table>_labelled` views that give the CSV's columns; plus `data_dictionary`.",
        ),
        (
            "sqlite-datasette-metadata",
            datasette,
            "datasette 元数据 · datasette metadata",
            f"Table titles and Chinese column titles for `datasette {FILE_NAME}.sqlite -m {FILE_NAME}.datasette.json`.",
        ),
    ]
    files += [
        (
            f"parquet-{name.replace('_', '-')}",
            path,
            f"{TABLES[name].title_zh} · {TABLES[name].title_en} (Parquet)",
            f"The `{name}` table as Parquet, typed, with each column's Chinese title in its metadata.",
        )
        for name, path in parquet_paths.items()
    ]
    file_resources = [descriptor.file_resource(name, path, root, title, desc) for name, path, title, desc in files]
    listing = [
        {"path": f"{formats.CSV_DIR}/{name}.csv", "format": "csv", "description": f"{TABLES[name].title_zh} · {TABLES[name].description}"}
        for name in csv_paths
    ]
    listing += [{"path": r["path"], "format": r["format"], "description": r["description"]} for r in file_resources]
    readme = root / "README.md"
    readme.write_text(descriptor.data_dictionary(meta, listing), "utf-8")
    file_resources.append(
        descriptor.file_resource(
            "data-dictionary",
            readme,
            root,
            "数据字典 · Data dictionary",
            "What every table and field means, the template codes, and how to load the data.",
        )
    )
    return [descriptor.table_resource(name, path, root) for name, path in csv_paths.items()] + file_resources


def _write_workbook(built: dict, meta: dict, path: Path) -> None:
    write_workbook(built, meta, path)


_BACKGROUND_JOB = None


def _run_background_job(conn) -> None:
    try:
        fn, args = _BACKGROUND_JOB
        fn(*args)
        conn.send(None)
    except BaseException:  # noqa: BLE001 — everything goes back to the parent, which raises it
        conn.send(traceback.format_exc())
    finally:
        conn.close()


def in_background(fn, *args):
    """Start fn(*args) in a forked process that shares this one's memory; return a function that waits and re-raises its failure."""
    global _BACKGROUND_JOB
    if sys.platform != "linux":
        fn(*args)
        return lambda: None
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    _BACKGROUND_JOB = (fn, args)
    process = context.Process(target=_run_background_job, args=(send,))
    process.start()
    _BACKGROUND_JOB = None
    send.close()

    def wait() -> None:
        try:
            error = receive.recv()
        except EOFError:
            error = "the process ended without a word"
        process.join()
        if error or process.exitcode:
            raise RuntimeError(f"{fn.__name__} failed in its process (exit code {process.exitcode}):\n{error}")

    return wait


def _replace(out_dir: Path, new: Path) -> None:
    """Put the new build in out_dir's place; refuse to delete a folder that is not a previous build."""
    if out_dir.exists():
        if any(out_dir.iterdir()) and not (out_dir / "datapackage.json").is_file():
            raise click.ClickException(f"{out_dir} exists and is not a data package (no datapackage.json): not replacing it")
        shutil.rmtree(out_dir)
    new.rename(out_dir)
