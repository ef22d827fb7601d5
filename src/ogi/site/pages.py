"""The site's Markdown pages, written into the generated docs folder.

Pages are rendered from `templates/*.md.jinja`. Every value printed in a template
is escaped for Markdown (see `mdtext`) unless it is `Markup` we built, so a
report's text can never become markup. The hand-written pages in `site/` are
copied as they are; the home page gets a generated summary appended, so no
count is ever typed by hand. The names of codes (templates, scopes, statuses,
flags, levels…) are the labels the package publishes in its code lists.

Pages are written agency by agency: an agency's reports are turned into plain
Python once, for its agency page and its agency-year pages, and only the few
headline figures of each are kept for the lists, so memory stays flat as the
package grows. The package's files are linked, never copied: the
downloads page points at `download_base` (where the package is published), or,
for a local build, at `datapackage/` beside the pages (see `build.link_package`).
Only the data dictionary is copied, as a page.
"""

from __future__ import annotations

import csv
import html
import io
import json
import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from ogi.site import agencies, cells, charts, citation, indexes, mdtext
from ogi.site.figures import HEADLINE, MEASURES, ReportCells
from ogi.site.reading import DESCRIPTOR, Package, PackageError, PerReport, code_labels, records

REPORTS_DIR = "reports"  # reports/index.md (how to browse) and reports/<report_id>.md (+ .csv, .json)
AGENCIES_DIR = "agencies"  # agencies/<agency_id>.md
PACKAGE_DIR = "datapackage"  # the package's files beside the site, when no download_base is set
ASSETS_DIR = Path(__file__).parent / "assets"  # our script and style sheet → docs/assets/ogi/
HOME = "index.md"
CELL_TABLES = ("proactive", "requests", "appeals")
REPORT_PARTS = ("narratives", "check_results", "problems", "corrections")
PUBLISHED = "published"
OUTCOMES = ("granted", "partly_granted", "refused", "unable", "not_processed", "other_handling", "carried_next")  # a report's chart
# The per-report CSV: every cell of the three tables in one long table, with the template's labels.
CELL_CSV_FIELDS = (
    "report_id",
    "table_code",
    "template_code",
    "row_code",
    "row_group_label",
    "row_label",
    "column_code",
    "column_group_label",
    "column_label",
    "value",
    "unit_name",
    "text",
    "flag_code",
    "corrected",
    "source_page",
    "source_line",
    "source_column",
    "source_table",
    "source_row",
    "source_paragraph",
    "source_ocr",
)


def _finalize(value: object) -> object:
    """Every `{{ }}` in a template is escaped for Markdown unless we built it as Markup."""
    if value is None:
        return ""
    if isinstance(value, Markup | int):
        return value
    return mdtext.inline(value)


def environment(labels: dict[str, dict[str, str]]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ogi.site", "templates"),
        finalize=_finalize,
        autoescape=False,  # Markdown, not HTML: escaping is `_finalize`'s
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def label(code: str | None, field: str) -> str:
        """A code's label from the package's code list, or the code itself when the list has none (never dropped)."""
        return "" if code is None else labels.get(field, {}).get(code, code)

    def numeral(code: str | None, field: str) -> str:
        """一 from 一、总体情况: the section's numeral, for tight table cells."""
        return label(code, field).split("、")[0]

    # `ours`: a macro's output, already escaped inside the macro, is not escaped twice.
    env.filters.update(labelled=lambda rows: [[row["label"], *row["cells"]] for row in rows])  # rows for html_table.jinja
    env.filters.update(paragraphs=mdtext.paragraphs, code=mdtext.code, label=label, numeral=numeral, ours=Markup)
    env.globals.update(page_link=mdtext.page_link, html_link=mdtext.html_link, web_link=mdtext.web_link)
    return env


# --- what each page shows ---


def agency_name(report: dict, agency: dict | None) -> str:
    """The registry's name for the body (the same across years), else the name the title prints."""
    return (agency or {}).get("agency_name") or report["titled_agency_name"] or report["agency_id"]


def check_summary(checks: list[dict], labels: dict[str, dict[str, dict[str, str]]]) -> dict:
    """Counts of the report's rules by result, and every rule not passed with the numbers it compared."""
    not_passed = []
    for row in checks:
        if row["rule_status_code"] == "pass":
            continue
        table_labels = labels.get(row["table_code"], {}).get(row["per_code"] or "", {})
        not_passed.append({**row, "subject_label": table_labels.get(row["subject_code"], row["subject_code"])})
    return {
        "total": len(checks),
        "passed": sum(r["rule_status_code"] == "pass" for r in checks),
        "failed": sum(r["rule_status_code"] == "fail" for r in checks),
        "incomplete": sum(r["rule_status_code"] == "incomplete" for r in checks),
        "not_passed": not_passed,
    }


def subject_labels(table_cells: dict[str, list[dict]]) -> dict[str, dict[str, dict[str, str]]]:
    """table → row or column → code → Chinese label, so a rule's subject reads as the report prints it."""
    out = {}
    for table, rows in table_cells.items():
        out[table] = {
            "row": {c["row_code"]: c["row_label"] or c["row_code"] for c in rows},
            "column": {c["column_code"]: c["column_label"] or c["column_code"] for c in rows},
        }
    return out


def gaps_label(report: dict, labels: dict[str, dict[str, str]]) -> str | None:
    """The report's status label when it was published with gaps; None when fully published (or no status field yet)."""
    status = report.get("report_status_code")
    if not status or status == PUBLISHED:
        return None
    return labels.get("report_status_code", {}).get(status, status)


@dataclass
class Settings:
    site_url: str | None  # mkdocs.yml's site_url; None while the publisher has not set it
    releases: bool  # a releases page is in the docs folder


class Pages:
    """The package, its code lists and the templates, to write every page from."""

    def __init__(self, package: Package, settings: Settings):
        self.package = package
        self.settings = settings
        self.labels = code_labels(package.descriptor)
        self.flags = self.labels.get("flag_code", {})
        self.env = environment(self.labels)
        self.dataset = citation.Dataset.from_descriptor(package.descriptor)
        tables = package.tables
        self.agencies = {a["agency_id"]: a for a in records(tables["agencies"])}
        self.per_report = {name: PerReport(tables[name], package.resource(name).get("schema")) for name in CELL_TABLES + REPORT_PARTS}
        self.typed = Typed(package.descriptor)
        self.reports = records(tables["reports"])
        self.with_reports = {r["agency_id"] for r in self.reports}  # the agencies that get a page
        self.rejected = records(tables["rejected_inputs"])
        self.duplicates: dict[str, list[dict]] = {}  # report id → the files not published because they duplicate it
        for f in self.rejected:
            if f["duplicate_of_report_id"]:
                self.duplicates.setdefault(f["duplicate_of_report_id"], []).append(f)

    def render(self, template: str, **context) -> str:
        return self.env.get_template(template).render(**context)

    def cite(self, page_title: str | None, path: str, key: str, root: str) -> Markup:
        s = self.settings
        return citation.block(
            self.dataset, page_title, path, s.site_url, f"{self.package.descriptor.get('name', 'ogi')}-{key}", root, s.releases
        )

    def report_cells(self, report_id: str) -> dict[str, list[dict]]:
        return {t: rows for t in CELL_TABLES if (rows := self.per_report[t].rows(report_id))}

    def report_parts(self, report_id: str) -> dict[str, list[dict]]:
        return {name: self.per_report[name].rows(report_id) for name in REPORT_PARTS}

    def report_page(self, report: dict, table_cells: dict[str, list[dict]], part: dict[str, list[dict]], figures: ReportCells) -> str:
        rid = report["report_id"]
        agency = self.agencies.get(report["agency_id"])
        name = agency_name(report, agency)
        narratives = part["narratives"]
        outcomes = [MEASURES[k] for k in OUTCOMES]
        chart = charts.figure(
            f"chart-{rid}",
            f"{name} {report['report_year']} 年度申请的办理结果（件，合计列）",
            [m.label for m in outcomes],
            [charts.Series("件数", [figures.figure(m) for m in outcomes])],
            horizontal=True,
        )
        return self.render(
            "report.md.jinja",
            r=report,
            name=name,
            agency=agency,
            has_agency_page=report["agency_id"] in self.agencies,
            gaps=gaps_label(report, self.labels),
            narrative={code: [i for i in narratives if i["section_code"] == code] for code in ("1", "5", "6")},
            sections=[{"code": t, "grids": cells.grids(table_cells[t], self.flags) if t in table_cells else []} for t in CELL_TABLES],
            chart=chart,
            legend=cells.legend(self.flags),
            checks=check_summary(part["check_results"], subject_labels(table_cells)),
            problems=part["problems"],
            corrections=part["corrections"],
            duplicates=self.duplicates.get(rid, []),
            citation=self.cite(f"{name} {report['report_year']} 年度", f"{REPORTS_DIR}/{rid}.html", rid, "../"),
        )

    def agency_page(self, agency: dict, years: list[agencies.Year]) -> str:
        return self.render(
            "agency.md.jinja",
            a=agency,
            parent=self.agencies.get(agency.get("parent_agency_id") or ""),
            parent_has_page=agency.get("parent_agency_id") in self.with_reports,
            region=[agency.get(k) for k in ("province_name", "city_name", "county_name", "township_name") if agency.get(k)],
            citation=self.cite(agency["agency_name"], f"{AGENCIES_DIR}/{agency['agency_id']}.html", agency["agency_id"], "../"),
            **agencies.context(agency, years, self.labels.get("template_code", {})),
        )

    def list_page(self, page: indexes.ListPage) -> str:
        return self.render("list.md.jinja", p=page, table=indexes.table(page.rows, "../"))

    def browse_page(self, years: list, regions: list, levels: list, agency_count: int) -> str:
        return self.render(
            "browse.md.jinja", years=years, regions=regions, levels=levels, report_count=len(self.reports), agency_count=agency_count
        )

    def rejected_page(self) -> str:
        return self.render("rejected.md.jinja", rejected=self.rejected, published={r["report_id"] for r in self.reports})

    def downloads_page(self, download_base: str = "") -> str:
        d = self.package.descriptor
        return self.render(
            "downloads.md.jinja",
            d=d,
            resources=d["resources"],
            descriptor_path=DESCRIPTOR,
            package_dir=PACKAGE_DIR,
            download_base=download_base,
            download_link=lambda text, path: download_link(text, path, download_base),
            year=str(d.get("released") or d.get("created") or "")[:4],
            authors="; ".join(c.get("title", "") for c in d.get("contributors", []) if c.get("title")),
        )

    def home_page(self, intro: str, rows: list[indexes.Row]) -> str:
        reports = self.package.tables["reports"]
        years = sorted(reports["report_year"].dropna().unique(), key=int)
        latest = [r for r in rows if years and r.year == years[-1]]
        return self.render(
            "home.md.jinja",
            intro=Markup(intro),  # our own hand-written Markdown, not package data
            d=self.package.descriptor,
            report_count=len(reports),
            agency_count=reports["agency_id"].nunique(),
            years=years,
            templates=reports["template_code"].value_counts().sort_index().to_dict(),
            failing_report_count=int((reports["rule_failed_count"].fillna("0") != "0").sum()),
            gaps_count=sum(r.gaps is not None for r in rows),
            rejected_count=len(self.rejected),
            chart=indexes.comparison_chart("chart-home", f"{years[-1]} 年度" if years else "", latest) if latest else "",
            citation=self.cite(None, "index.html", "home", ""),
        )

    def list_row(self, report: dict, figures: ReportCells) -> indexes.Row:
        agency = self.agencies.get(report["agency_id"]) or {}
        return indexes.Row(
            report_id=report["report_id"],
            agency_id=report["agency_id"],
            name=agency_name(report, agency),
            year=report["report_year"] or "",
            level=agency.get("level_code") or "",
            region=indexes.region_path(agency),
            figures={k: figures.figure(MEASURES[k]) for k in dict.fromkeys(HEADLINE + ("received", "granted"))},
            failed=report["rule_failed_count"] or "",
            gaps=gaps_label(report, self.labels),
            has_agency_page=report["agency_id"] in self.agencies,
        )


# --- the per-report downloads ---


def cell_csv(table_cells: dict[str, list[dict]]) -> str:
    """A report's cells of the three tables, one long table (section 二's `value` and the others' `count` as `value`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CELL_CSV_FIELDS)
    for table, rows in table_cells.items():
        value_key = cells.value_column(rows)
        for row in rows:
            writer.writerow([table if f == "table_code" else row[value_key] if f == "value" else row.get(f) for f in CELL_CSV_FIELDS])
    return out.getvalue()


class Typed:
    """Turns a table's text back into the JSON types its Table Schema gives (integer, number, boolean), row by row."""

    def __init__(self, descriptor: dict):
        self.types = {
            r["name"]: {
                f["name"]: f["type"] for f in r.get("schema", {}).get("fields", []) if f["type"] in ("integer", "number", "boolean")
            }
            for r in descriptor["resources"]
        }

    def row(self, table: str, row: dict) -> dict:
        out = dict(row)
        for name, type_ in self.types.get(table, {}).items():
            value = out.get(name)
            if value is not None:
                out[name] = value == "true" if type_ == "boolean" else float(value) if type_ == "number" else int(value)
        return out


def report_json(pages: Pages, report: dict) -> str:
    """A report's record, from the package's tables: its row, its agency, its cells, texts, checks, problems, corrections."""
    rid, agency = report["report_id"], pages.agencies.get(report["agency_id"])
    record = {
        "dataset": {"name": pages.package.descriptor.get("name"), "version": pages.package.descriptor.get("version")},
        "report": pages.typed.row("reports", report),
        "agency": pages.typed.row("agencies", agency) if agency else None,
    }
    for name in CELL_TABLES + REPORT_PARTS:
        # Each table as its field names and rows of values (without the report id, which is the record's):
        # the names once, not once per cell, so the file is far smaller than a list of objects.
        rows = pages.per_report[name].typed_rows(rid)
        fields = [f for f in pages.per_report[name].table.column_names if f != "report_id"]
        record[name] = {"fields": fields, "rows": [[row[f] for f in fields] for row in rows]}
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"  # no indent: the C encoder, fast at 10,000 reports


# --- writing the docs folder ---


def package_files(package: Package) -> list[str]:
    """The descriptor and every resource's file, as package paths; stops, naming it, at one that is missing."""
    paths = [DESCRIPTOR] + [r["path"] for r in package.descriptor["resources"] if isinstance(r.get("path"), str)]
    for rel in paths:
        if not (package.root / rel).is_file():
            raise PackageError(f"{package.root / rel}: listed in {package.root / DESCRIPTOR} but missing")
    return paths


def download_link(text: object, path: str, download_base: str) -> Markup:
    """A link to one of the package's files: under download_base, or beside the site in datapackage/.

    Raw HTML, not a Markdown link: the file is not one of the site's pages, so MkDocs has nothing to check.
    """
    href = (download_base or f"{PACKAGE_DIR}/") + quote(path, safe="/-_.~")
    return Markup(f'<a href="{html.escape(href)}">{mdtext.inline(text)}</a>')


def copy_package_pages(package: Package, out: Path) -> None:
    """The package's Markdown files (the data dictionary), under out/, to be shown as pages; the rest is linked."""
    for rel in package_files(package):
        if rel.endswith(".md"):
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(package.root / rel, out / rel)


def copy_hand_written(pages_dir: Path, docs_dir: Path) -> None:
    """Every hand-written file but the home page (which gets its summary first), as it is."""
    for source in sorted(pages_dir.rglob("*")):
        rel = source.relative_to(pages_dir)
        if source.is_file() and rel.as_posix() != HOME:
            (docs_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, docs_dir / rel)


def copy_assets(project_root: Path, docs_dir: Path) -> None:
    """Our script and style sheet, and the chart library, under assets/ogi/ (mkdocs.yml's extra_css/extra_javascript)."""
    target = docs_dir / "assets" / "ogi"
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(ASSETS_DIR.iterdir()):
        if source.suffix in (".js", ".css"):
            shutil.copyfile(source, target / source.name)
    charts.copy_library(project_root, docs_dir)


def write_agency(pages: Pages, docs_dir: Path, agency_id: str, reports: list[dict]) -> list[indexes.Row]:
    """An agency's agency-year pages (with their CSV and JSON) and, when it is in the agencies table, its page."""
    years: list[agencies.Year] = []
    for report in sorted(reports, key=lambda r: int(r["report_year"] or 0)):
        rid = report["report_id"]
        table_cells, part = pages.report_cells(rid), pages.report_parts(rid)
        figures = ReportCells(table_cells, pages.flags)
        _write(docs_dir / REPORTS_DIR / f"{rid}.md", pages.report_page(report, table_cells, part, figures))
        _write(docs_dir / REPORTS_DIR / f"{rid}.csv", cell_csv(table_cells))
        _write(docs_dir / REPORTS_DIR / f"{rid}.json", report_json(pages, report))
        changed = bool(years) and years[-1].report["template_code"] != report["template_code"]
        years.append(agencies.Year(report, figures, changed, gaps_label(report, pages.labels)))
    if agency_id in pages.agencies:
        _write(docs_dir / AGENCIES_DIR / f"{agency_id}.md", pages.agency_page(pages.agencies[agency_id], years))
    return [pages.list_row(y.report, y.cells) for y in years]


_FORKED: tuple[Pages, Path, dict[str, list[dict]]] | None = None  # what forked workers write from (inherited, not pickled)
CHUNK = 100  # agencies per task


def _write_chunk(agency_ids: list[str]) -> list[indexes.Row]:
    pages, docs_dir, by_agency = _FORKED
    return [row for agency_id in agency_ids for row in write_agency(pages, docs_dir, agency_id, by_agency[agency_id])]


def write_agencies(pages: Pages, docs_dir: Path, by_agency: dict[str, list[dict]], workers: int) -> list[indexes.Row]:
    """Every agency's pages; in `workers` forked processes when there are many (the pages do not depend on each other).

    Forked workers share the package's Arrow memory with this process, so memory grows little;
    the list rows come back in agency order, so the lists are the same however many workers wrote.
    """
    global _FORKED
    ids = list(by_agency)
    if workers <= 1 or len(ids) <= CHUNK or "fork" not in multiprocessing.get_all_start_methods():
        return [row for agency_id in ids for row in write_agency(pages, docs_dir, agency_id, by_agency[agency_id])]
    _FORKED = (pages, docs_dir, by_agency)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            chunks = list(pool.map(_write_chunk, [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]))
    finally:
        _FORKED = None
    return [row for chunk in chunks for row in chunk]


def default_workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def write_pages(
    package: Package,
    pages_dir: Path,
    docs_dir: Path,
    config_file: Path | None = None,
    workers: int | None = None,
    released: bool | None = None,
    *,
    download_base: str = "",
) -> int:
    """Every page of the site into docs_dir (which must exist and be empty); the number of report pages.

    config_file (mkdocs.yml) gives the site's address for citations; its folder holds
    node_modules/ with the chart library (default: pages_dir's parent, the project).
    workers: processes writing the agency and agency-year pages (default: the CPUs, at most 4).
    released: the package's version has a release on the releases page, which citations then link
    (default: whether a releases page is in docs_dir).
    download_base: where the package's files are published ("": beside the site, see build.link_package).
    """
    project_root = config_file.parent if config_file else pages_dir.parent
    copy_hand_written(pages_dir, docs_dir)
    pages = Pages(package, Settings(citation.site_url(config_file), (docs_dir / "releases.md").is_file() if released is None else released))
    copy_assets(project_root, docs_dir)
    by_agency: dict[str, list[dict]] = {}
    for report in pages.reports:
        by_agency.setdefault(report["agency_id"], []).append(report)
    rows = write_agencies(pages, docs_dir, by_agency, default_workers() if workers is None else workers)
    year_pages, year_links = indexes.by_year(rows)
    region_pages, region_links = indexes.by_region(rows)
    level_pages, level_links = indexes.by_level(rows, pages.labels.get("level_code", {}))
    for page in year_pages + region_pages + level_pages:
        _write(docs_dir / page.path, pages.list_page(page))
    agency_count = sum(1 for a in by_agency if a in pages.agencies)
    _write(docs_dir / REPORTS_DIR / "index.md", pages.browse_page(year_links, region_links, level_links, agency_count))
    _write(docs_dir / HOME, pages.home_page((pages_dir / HOME).read_text("utf-8"), rows))
    _write(docs_dir / "rejected.md", pages.rejected_page())
    _write(docs_dir / "downloads.md", pages.downloads_page(download_base))
    copy_package_pages(package, docs_dir / PACKAGE_DIR)
    return len(pages.reports)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
