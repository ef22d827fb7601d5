"""Synthetic reports: a template and random numbers → report text in each layout seen in real reports.

Used by the round-trip tests (render, parse, compare) and the benchmarks. The
numbers satisfy the template's rules unless a report is made `inconsistent`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ogi import template as templates

LAYOUTS = ("tabs", "pipes", "spaces", "wrapped", "cell_per_line", "run_together")
AGENCIES = (
    "济源市人民政府办公室",
    "淮安市洪泽区人民政府",
    "平潭综合实验区公安局",
    "蠡县审计局",
    "杨陵区统计局",
    "轵城镇人民政府",
    "某市生态环境局",
    "某县人力资源和社会保障局",
)
PROSE = (
    "认真贯彻落实《中华人民共和国政府信息公开条例》，全年通过政府网站发布信息{n}条。",
    "进一步规范依申请公开办理流程，确保在法定期限内答复。",
    "组织政务公开业务培训{n}场次，培训人员{m}人次。",
    "加强政府网站和政务新媒体管理，开展常态化监测。",
)


@dataclass
class SynthReport:
    agency_name: str
    year: int
    template: str
    variant: str | None
    values: dict[tuple[str, str, str], object]  # (table, row code, column code) → int | Decimal | None
    narrative: dict[str, list[str]] = field(default_factory=dict)
    damaged: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, row code) → one of DAMAGE


def make_report(
    rng: random.Random, year: int | None = None, variant: str | None = None, inconsistent: bool = False, blanks: int = 0
) -> SynthReport:
    year = year or rng.choice((2019, 2020, 2021, 2022, 2023, 2024))
    version = templates.version_for_year(year)
    tpl = templates.load(version)
    if variant and not any(v["name"] == variant for v in tpl["tables"]["requests"].get("variants", [])):
        variant = None
    values: dict = {}
    _proactive(rng, tpl, values)
    _requests(rng, tpl, variant, values)
    _appeals(rng, values)
    if inconsistent:
        key = rng.choice([k for k in values if k[0] != "proactive" and k[2] == "total"])
        values[key] += rng.randint(1, 9)
    for key in rng.sample(sorted(values), blanks):
        values[key] = None
    narrative = {code: [p.format(n=rng.randint(1, 3000), m=rng.randint(1, 500)) for p in rng.sample(PROSE, 2)] for code in ("1", "5", "6")}
    return SynthReport(rng.choice(AGENCIES), year, version, variant, values, narrative)


def _count(rng: random.Random) -> int:
    r = rng.random()
    return 0 if r < 0.55 else rng.randint(1, 9) if r < 0.85 else rng.randint(10, 999) if r < 0.98 else rng.randint(1000, 99999)


def _proactive(rng, tpl, values) -> None:
    table = tpl["tables"]["proactive"]
    for row in table["rows"]:
        for col in templates.row_columns(table, row):
            spec = table["columns"][col]
            if spec["type"] == "decimal":
                v = Decimal(rng.randint(0, 9_999_999)) / Decimal(10) ** rng.randint(0, 4)
            elif spec.get("signed"):
                v = rng.randint(-50, 50)
            else:
                v = _count(rng)
            values[("proactive", row["code"], col)] = v


def _requests(rng, tpl, variant, values) -> None:
    table = tpl["tables"]["requests"]
    rows = templates.table_rows(table, variant)
    applicants = [c for c in table["columns"] if c != "total"]
    outcomes = [r["code"] for r in rows if r.get("kind") == "outcome"]
    for col in applicants:
        done = 0
        for code in outcomes:
            v = _count(rng) if col in ("natural_person", "commercial_enterprise") or rng.random() < 0.1 else 0
            values[("requests", code, col)] = v
            done += v
        carried_over = rng.randint(0, 20) if rng.random() < 0.3 else 0
        previous = rng.randint(0, done + carried_over)
        values[("requests", "3.7", col)] = done
        values[("requests", "4", col)] = carried_over
        values[("requests", "2", col)] = previous
        values[("requests", "1", col)] = done + carried_over - previous
    for row in rows:
        values[("requests", row["code"], "total")] = sum(values[("requests", row["code"], c)] for c in applicants)


def _appeals(rng, values) -> None:
    for row in ("review", "litigation_direct", "litigation_after_review"):
        parts = [_count(rng) if rng.random() < 0.3 else 0 for _ in range(4)]
        for col, v in zip(("upheld", "corrected", "other_result", "pending"), parts):
            values[("appeals", row, col)] = v
        values[("appeals", row, "total")] = sum(parts)


# What flattening does to a row: a number lost, a stray number added, or (the row's cells all
# empty) no numbers printed at all. A damaged row cannot be read; the rest of the report can.
DAMAGE = ("number_missing", "extra_number", "not_printed")


def damage(report: SynthReport, rng: random.Random, k: int, kinds: tuple[str, ...] = DAMAGE) -> SynthReport:
    """Damage k rows of sections 二 and 三 (each row once); a row printed without numbers holds no values."""
    tpl = templates.load(report.template)
    rows = [
        (name, row["code"])
        for name in ("proactive", "requests")
        for row in templates.table_rows(tpl["tables"][name], report.variant if name == "requests" else None)
    ]
    for key in rng.sample(rows, k):
        kind = report.damaged[key] = rng.choice(kinds)
        if kind == "not_printed":
            for cell in [c for c in report.values if c[:2] == key]:
                report.values[cell] = None
    return report


# --- rendering -----------------------------------------------------------


def render(report: SynthReport, layout: str, rng: random.Random | None = None, stray_spaces: bool = False, glued_text: bool = False) -> str:
    """The report as text in one layout (see LAYOUTS).

    stray_spaces: run-together rows print a space at some cell boundaries ("230 000023").
    glued_text: a sentence starting with a year follows each table, glued to its last number
    in the run-together layout ("…继续办理2000002025年，本机关…").
    """
    rng = rng or random.Random(0)
    tpl = templates.load(report.template)
    sep = {"tabs": "\t", "pipes": " | ", "run_together": ""}.get(layout, " ")
    out: list[str] = [f"{report.agency_name}{report.year}年政府信息公开工作年度报告", "一、总体情况", *report.narrative["1"]]
    for name in ("proactive", "requests", "appeals"):
        table = tpl["tables"][name]
        code = table["section"]
        out.append(f"{'一二三四五六'[int(code) - 1]}、{_section_title(tpl, code)}")
        out.extend(_table_lines(report, name, table, layout, sep, rng, stray_spaces and layout == "run_together"))
        if glued_text:
            out.append(f"{report.year + 1}年，本机关共收到相关咨询{rng.randint(1, 300)}件。")
    out += ["五、存在的主要问题及改进情况", *report.narrative["5"], "六、其他需要报告的事项", *report.narrative["6"]]
    if layout == "run_together":
        return out[0] + "\n" + "".join(out[1:]) + "\n"
    return "\n".join(out) + "\n"


def _section_title(tpl: dict, code: str) -> str:
    return next(s["title"] for s in tpl["sections"] if s["code"] == code)


def _cell(v) -> str:
    return "" if v is None else str(v)


def _table_lines(report: SynthReport, name: str, table: dict, layout: str, sep: str, rng, stray: bool = False) -> list[str]:
    rows = templates.table_rows(table, report.variant if name == "requests" else None)
    lines: list[str] = []
    if name == "appeals":
        lines.append(sep.join(["行政复议", "行政诉讼"]))
        lines.append(sep.join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]))
        lines.append(sep.join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2))
        cells = [_cell(report.values[("appeals", r["code"], c)]) for r in rows for c in r["columns"]]
        return lines + ([_stray_join(cells, rng)] if stray else _value_lines(cells, layout, sep))
    if name == "requests":
        lines.append("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" + sep + "申请人情况")
        lines.append(sep.join(["自然人", "法人或其他组织", "总计"]))
        lines.append(sep.join(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]))
    group = None
    for row in rows:
        if name == "proactive" and row.get("group") != group:
            group = row["group"]
            lines.append(group)
            lines.append(sep.join(["信息内容"] + [table["columns"][c]["label"] for c in templates.row_columns(table, row)]))
        cells = [_cell(report.values[(name, row["code"], c)]) for c in templates.row_columns(table, row)]
        cells = _damaged_cells(cells, report.damaged.get((name, row["code"])), rng)
        lines.extend([row["label"] + _stray_join(cells, rng)] if stray else _row_lines(row["label"], cells, layout, sep, rng))
    return lines


def _damaged_cells(cells: list[str], kind: str | None, rng) -> list[str]:
    if kind == "number_missing":
        return cells[:-1] if rng.random() < 0.5 else cells[1:]
    if kind == "extra_number":
        return cells + [str(rng.randint(1, 99))]
    if kind == "not_printed":
        return []
    return cells


def _stray_join(cells: list[str], rng) -> str:
    """Run-together cells with a stray space at some of the places where two cells meet ("230 000023")."""
    return "".join(c + (" " if i + 1 < len(cells) and rng.random() < 0.3 else "") for i, c in enumerate(cells))


def _row_lines(label: str, cells: list[str], layout: str, sep: str, rng) -> list[str]:
    if layout in ("tabs", "pipes", "spaces", "run_together"):
        return [sep.join([label] + cells) + (" |" if layout == "pipes" else "")]
    if layout == "cell_per_line":
        return [label] + _value_lines(cells, layout, sep)
    # wrapped: PDF text, long labels broken over lines, sometimes the tail after the numbers
    if len(label) < 8:
        return [" ".join([label] + cells)]
    cut = rng.randint(3, len(label) - 2)
    head, tail = label[:cut], label[cut:]
    if rng.random() < 0.5:
        return [head, tail, " ".join(cells)]
    return [head + " " + " ".join(cells), tail]


def _value_lines(cells: list[str], layout: str, sep: str) -> list[str]:
    if layout == "cell_per_line":
        return cells
    return [sep.join(cells)]


# --- scrambling (what extraction does to real text) ----------------------

FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def scramble(text: str, rng: random.Random, full_width: bool = False, page_breaks: int = 0, extra_spaces: bool = False) -> str:
    """Full-width digits, page-break furniture between lines, doubled spaces."""
    if full_width:
        text = text.translate(FULL_WIDTH_DIGITS)
    lines = text.split("\n")
    for page in range(page_breaks):
        at = rng.randint(1, max(1, len(lines) - 1))
        lines.insert(at, f"- {page + 2} -")
    text = "\n".join(lines)
    if extra_spaces:
        text = text.replace(" ", "  ")
    return text


# run-together pages are rare in the wild: the build benchmark leaves them out unless asked
USUAL_LAYOUTS = LAYOUTS[:-1]


def write_corpus(out_dir: Path, n: int, seed: int = 0, layouts: tuple[str, ...] = USUAL_LAYOUTS) -> list[Path]:
    """Write n synthetic reports in mixed layouts, report i in layouts[i % len(layouts)] (for benchmarks)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        report = make_report(rng, variant="single_other_handling_row" if rng.random() < 0.1 else None)
        layout = layouts[i % len(layouts)]
        path = out_dir / f"synthetic_{i:06d}.txt"
        path.write_text(render(report, layout, rng), encoding="utf-8")
        paths.append(path)
    return paths
