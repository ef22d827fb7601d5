"""The site's Markdown pages, written into the generated docs folder.

Pages are rendered from `templates/*.md.jinja`. Every value printed in a template
is escaped for Markdown (see `mdtext`) unless it is `Markup` we built, so a
report's text can never become markup. The hand-written pages in `site/` are
copied as they are; the home page gets a generated summary appended, so no
count is ever typed by hand. The package's files are linked, never copied: the
downloads page points at `download_base` (where the package is published), or,
for a local build, at `datapackage/` beside the pages (see `build.link_package`).
Only the data dictionary is copied, as a page.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from urllib.parse import quote

import jinja2
import pandas as pd
from markupsafe import Markup

from ogi.site import cells, mdtext
from ogi.site.reading import DESCRIPTOR, Package, PackageError, by_report, records

REPORTS_DIR = "reports"  # reports/index.md (the list) and reports/<report_id>.md
PACKAGE_DIR = "datapackage"  # the package's files beside the site, when no download_base is set
HOME = "index.md"

# Names of the package's codes, as the pages say them.
TABLE_SECTIONS = {
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
}
NARRATIVE_SECTIONS = {"1": "一、总体情况", "5": "五、存在的主要问题及改进情况", "6": "六、其他需要报告的事项"}
SECTION_NUMERALS = {"1": "一", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六"}
TEMPLATE_NAMES = {"2019": "2019 年试行格式（国办公开办函〔2019〕60号）", "2021": "2021 年格式（国办公开办函〔2021〕30号）"}
SCOPE_NAMES = {"area": "本地区汇总", "system": "本系统汇总", "own": "本机关"}
YEAR_SOURCES = {"title": "标题", "stated_in_text": "正文"}
RULE_STATUSES = {"pass": "通过", "fail": "未通过", "incomplete": "无法核对"}
SEVERITIES = {"warning": "警告", "error": "错误"}
CORRECTION_STATUSES = {"applied": "已更正", "not_needed": "无需更正（读出的已是新值）"}
NAMES = {
    "template": TEMPLATE_NAMES,
    "scope": SCOPE_NAMES,
    "year_source": YEAR_SOURCES,
    "status": RULE_STATUSES,
    "severity": SEVERITIES,
    "correction": CORRECTION_STATUSES,
    "table": {"proactive": "二", "requests": "三", "appeals": "四"},
    "section": SECTION_NUMERALS,
}


def _finalize(value: object) -> object:
    """Every `{{ }}` in a template is escaped for Markdown unless we built it as Markup."""
    if value is None:
        return ""
    if isinstance(value, Markup | int):
        return value
    return mdtext.inline(value)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ogi.site", "templates"),
        finalize=_finalize,
        autoescape=False,  # Markdown, not HTML: escaping is `_finalize`'s
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(paragraphs=mdtext.paragraphs, code=mdtext.code, name_of=_name_of)
    env.globals.update(page_link=mdtext.page_link, web_link=mdtext.web_link, names=NAMES)
    return env


def _name_of(code: str | None, names: dict[str, str]) -> str:
    """A code's Chinese name, or the code itself when the page has no name for it (never dropped)."""
    if code is None:
        return ""
    return names.get(code, code)


# --- what each page shows ---


def agency_name(report: dict, agency: dict | None) -> str:
    """The registry's name for the body (the same across years), else the name the title prints."""
    return (agency or {}).get("agency_name") or report["titled_agency_name"] or report["agency_id"]


def check_summary(checks: pd.DataFrame | None, labels: dict[str, dict[str, dict[str, str]]]) -> dict:
    """Counts of the report's rules by result, and every rule not passed with the numbers it compared."""
    rows = records(checks) if checks is not None else []
    not_passed = []
    for row in rows:
        if row["rule_status_code"] == "pass":
            continue
        table_labels = labels.get(row["table_code"], {}).get(row["per_code"] or "", {})
        not_passed.append({**row, "subject_label": table_labels.get(row["subject_code"], row["subject_code"])})
    return {
        "total": len(rows),
        "passed": sum(r["rule_status_code"] == "pass" for r in rows),
        "failed": sum(r["rule_status_code"] == "fail" for r in rows),
        "incomplete": sum(r["rule_status_code"] == "incomplete" for r in rows),
        "not_passed": not_passed,
    }


def subject_labels(table_cells: dict[str, pd.DataFrame]) -> dict[str, dict[str, dict[str, str]]]:
    """table → row or column → code → Chinese label, so a rule's subject reads as the report prints it."""
    out = {}
    for table, frame in table_cells.items():
        rows = frame.drop_duplicates("row_code")
        columns = frame.drop_duplicates("column_code")
        out[table] = {
            "row": dict(zip(rows["row_code"], rows["row_label"].fillna(rows["row_code"]))),
            "column": dict(zip(columns["column_code"], columns["column_label"].fillna(columns["column_code"]))),
        }
    return out


def narrative_sections(narratives: pd.DataFrame | None) -> list[dict]:
    items = records(narratives) if narratives is not None else []
    return [{"title": title, "items": [i for i in items if i["section_code"] == code]} for code, title in NARRATIVE_SECTIONS.items()]


class Pages:
    """The package split per report once, and the templates, to write every page from."""

    def __init__(self, package: Package):
        self.package = package
        self.env = environment()
        tables = package.tables
        self.agencies = {a["agency_id"]: a for a in records(tables["agencies"])}
        self.per_report = {
            name: by_report(tables[name]) for name in (*TABLE_SECTIONS, "narratives", "check_results", "problems", "corrections")
        }
        self.reports = records(tables["reports"])
        self.rejected = records(tables["rejected_inputs"])
        self.duplicates: dict[str, list[dict]] = {}  # report id → the files not published because they duplicate it
        for f in self.rejected:
            if f["duplicate_of_report_id"]:
                self.duplicates.setdefault(f["duplicate_of_report_id"], []).append(f)

    def render(self, template: str, **context) -> str:
        return self.env.get_template(template).render(**context)

    def report_page(self, report: dict) -> str:
        rid = report["report_id"]
        table_cells = {t: self.per_report[t][rid] for t in TABLE_SECTIONS if rid in self.per_report[t]}
        agency = self.agencies.get(report["agency_id"])
        part = {name: self.per_report[name].get(rid) for name in ("narratives", "check_results", "problems", "corrections")}
        return self.render(
            "report.md.jinja",
            r=report,
            name=agency_name(report, agency),
            agency=agency,
            sections=[
                {"title": title, "grids": cells.grids(table_cells[t]) if t in table_cells else []} for t, title in TABLE_SECTIONS.items()
            ],
            legend=cells.legend(),
            checks=check_summary(part["check_results"], subject_labels(table_cells)),
            problems=records(part["problems"]) if part["problems"] is not None else [],
            corrections=records(part["corrections"]) if part["corrections"] is not None else [],
            narratives=narrative_sections(part["narratives"]),
            duplicates=self.duplicates.get(rid, []),
        )

    def reports_index(self) -> str:
        rows = [{**r, "name": agency_name(r, self.agencies.get(r["agency_id"]))} for r in self.reports]
        return self.render("reports_index.md.jinja", reports=rows)

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
            year=(d.get("created") or "")[:4],
            authors="; ".join(c.get("title", "") for c in d.get("contributors", []) if c.get("title")),
        )

    def home_page(self, intro: str) -> str:
        reports = self.package.tables["reports"]
        years = sorted(reports["report_year"].dropna().unique(), key=int)
        return self.render(
            "home.md.jinja",
            intro=Markup(intro),  # our own hand-written Markdown, not package data
            d=self.package.descriptor,
            report_count=len(reports),
            agency_count=reports["agency_id"].nunique(),
            years=years,
            templates=reports["template_code"].value_counts().sort_index().to_dict(),
            failing_report_count=int((reports["rule_failed_count"].fillna("0") != "0").sum()),
            rejected_count=len(self.rejected),
        )


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


def write_pages(package: Package, pages_dir: Path, docs_dir: Path, *, download_base: str = "") -> int:
    """Every page of the site into docs_dir (which must exist and be empty); the number of report pages."""
    pages = Pages(package)
    copy_hand_written(pages_dir, docs_dir)
    _write(docs_dir / HOME, pages.home_page((pages_dir / HOME).read_text("utf-8")))
    _write(docs_dir / REPORTS_DIR / "index.md", pages.reports_index())
    for report in pages.reports:
        _write(docs_dir / REPORTS_DIR / f"{report['report_id']}.md", pages.report_page(report))
    _write(docs_dir / "rejected.md", pages.rejected_page())
    _write(docs_dir / "downloads.md", pages.downloads_page(download_base))
    copy_package_pages(package, docs_dir / PACKAGE_DIR)
    return len(pages.reports)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
