"""The field registry: every field and every table of the data package, defined once.

Each field has one name, type, Chinese title, English description, unit and
constraints, and means the same thing in every table it appears in. The Table
Schemas (`schemas/tables/*.json` and the descriptor), the SQLite columns, the
Parquet schema, the workbook's Chinese headers and the data dictionary are all
generated from here.

Naming: English snake_case; `_id` for a stable identifier, `_code` for a
value from a fixed list, `_name` for a name, `_label` for a template label,
`_year`, `_date`, `_count` for a number of things, `_wan_yuan` for money in 万元.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

SCHEMAS_DIR = Path(__file__).resolve().parents[3] / "schemas" / "tables"
MISSING_VALUES = [""]  # only an empty field is missing: "/" and "0" are values of `text`, never of a number

LEVEL_NAMES = {
    "state_council_department": "国务院部门",
    "province_government": "省级人民政府",
    "prefecture_government": "地市级人民政府",
    "county_government": "县级人民政府",
    "township_government": "乡镇人民政府、街道办事处",
    "province_department": "省级人民政府部门",
    "prefecture_department": "地市级人民政府部门",
    "county_department": "县级人民政府部门",
}
# Code lists: code → its Chinese label. Published as each code field's Table Schema `categories`
# ({value, label}), so a reader (and the site) names a code from the package, not from code of its own.
FLAG_LABELS = {
    "blank": "空",
    "blank_mark": "标记",
    "split_by_rules": "拆",
    "ambiguous": "无法拆分",
    "not_found": "未找到",
    "invalid_number": "无效",
    "ocr": "OCR",
    "unread": "未读出",
    "not_printed": "未印数字",
    "implausible": "不可信",
    "ocr_doubt": "OCR存疑",
}
FLAG_CODES = list(FLAG_LABELS)
RULE_STATUS_LABELS = {"pass": "通过", "fail": "未通过", "incomplete": "无法核对"}
RULE_STATUS_CODES = list(RULE_STATUS_LABELS)
TEMPLATE_LABELS = {"2019": "2019 年试行格式（国办公开办函〔2019〕60号）", "2021": "2021 年格式（国办公开办函〔2021〕30号）"}
SCOPE_LABELS = {"own": "本机关", "area": "本地区汇总", "system": "本系统汇总"}
YEAR_SOURCE_LABELS = {"title": "标题", "stated_in_text": "正文"}
AGENCY_SOURCE_LABELS = {"title": "标题", "stated_in_text": "正文", "compiler": "编制机关", "contact": "联系机关"}
REPORT_STATUS_LABELS = {
    "published": "已发布",
    "published_with_gaps": "已发布（有缺口）",
}  # the record's statuses a published report can have
REPORT_STATUS_CODES = list(REPORT_STATUS_LABELS)
LEVEL_SOURCE_LABELS = {"registry": "机关名录", "name": "由名称推断"}
AGENCY_MATCH_LABELS = {"registry_name": "名录名称", "registry_alias": "名录别名", "unregistered": "未登记（由名称推断）"}
SECTION_LABELS = {
    "1": "一、总体情况",
    "2": "二、主动公开政府信息情况",
    "3": "三、收到和处理政府信息公开申请情况",
    "4": "四、政府信息公开行政复议、行政诉讼情况",
    "5": "五、存在的主要问题及改进情况",
    "6": "六、其他需要报告的事项",
}
TABLE_LABELS = {
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
}
PER_LABELS = {"row": "逐行", "column": "逐列"}
SEVERITY_LABELS = {"error": "错误", "warning": "警告"}
CORRECTION_STATUS_LABELS = {"applied": "已更正", "not_needed": "无需更正（读出的已是新值）"}


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema type: string | integer | number | boolean | date
    title: str  # the Chinese label
    description: str
    unit: str | None = None
    constraints: dict = field(default_factory=dict)
    categories: dict[str, str] | None = None  # a code list: code → Chinese label (also the field's enum)

    def schema(self, required: bool = False) -> dict:
        out = {"name": self.name, "type": self.type, "title": self.title, "description": self.description}
        if self.type == "boolean":
            out["trueValues"], out["falseValues"] = ["true"], ["false"]
        if self.unit:
            out["unit"] = self.unit
        if self.categories:
            out["categories"] = [{"value": code, "label": label} for code, label in self.categories.items()]
        constraints = dict(self.constraints)
        if self.categories:
            constraints["enum"] = list(self.categories)
        if required:
            constraints["required"] = True
        if constraints:
            out["constraints"] = constraints
        return out


def _f(name, type_, title, description, unit=None, categories=None, **constraints) -> Field:
    return Field(name, type_, title, description, unit, constraints, categories)


_ID = r"^[a-z][a-z0-9_]*$"

FIELDS: dict[str, Field] = {
    f.name: f
    for f in [
        # who and which report
        _f(
            "agency_id",
            "string",
            "机关编号",
            "Stable id of the reporting body, the same across years and small name variants: a curated slug from `reports/agencies.yaml`, or `x_` and a hash of the normalised name for a body not in the registry.",
            pattern=_ID,
        ),
        _f(
            "agency_name",
            "string",
            "机关名称",
            "The body's name: as the registry gives it, or, for a body not in the registry, as its latest report's title gives it.",
        ),
        _f(
            "alias_names",
            "string",
            "其他名称",
            "Other names the body is known by (from the registry, or seen in report titles), separated by '; '.",
        ),
        _f(
            "level_code",
            "string",
            "层级代码",
            "What kind of body it is: "
            + "; ".join(f"`{k}` {v}" for k, v in LEVEL_NAMES.items())
            + ". Empty when neither the registry nor the name tells.",
            categories=LEVEL_NAMES,
        ),
        _f("level_name", "string", "层级", "The level in Chinese (the title of `level_code`).", enum=list(LEVEL_NAMES.values())),
        _f(
            "level_source_code",
            "string",
            "层级来源",
            "Where level, region and parent come from: `registry` (curated) or `name` (inferred from the body's name; check before relying on it).",
            categories=LEVEL_SOURCE_LABELS,
        ),
        _f("province_name", "string", "省级行政区", "Province-level division the body belongs to, where known."),
        _f("city_name", "string", "市", "City (地级市, 自治州, 地区, 盟, or a city named in the body's name), where known."),
        _f("county_name", "string", "县区", "County-level division (县, 区, 旗, 县级市), where known."),
        _f("township_name", "string", "乡镇街道", "Township, town or street office (乡, 镇, 街道), where known."),
        _f(
            "division_code",
            "string",
            "行政区划代码",
            "Administrative division code (GB/T 2260) of the area the body serves; only where the registry is sure of it.",
            pattern=r"^\d{6}(\d{3}|\d{6})?$",
        ),
        _f(
            "parent_agency_id",
            "string",
            "上级机关编号",
            "The body it belongs to (a department's government, a township's county), when that body is in this table.",
            pattern=_ID,
        ),
        _f("parent_agency_name", "string", "上级机关名称", "The name of the body it belongs to, where known or inferred from its name."),
        _f(
            "registered",
            "boolean",
            "是否登记",
            "true when the body is in the curated agency registry; false when everything about it was inferred from its name.",
        ),
        _f("notes", "string", "备注", "Notes from the registry."),
        _f(
            "report_id",
            "string",
            "报告编号",
            "The report's id: its agency's id and its year, `{agency_id}-{report_year}`. One published report per agency and year.",
            pattern=r"^[a-z][a-z0-9_]*-\d{4}$",
        ),
        _f(
            "report_year",
            "integer",
            "报告年度",
            "The calendar year the report covers (not the year it was published).",
            minimum=1990,
            maximum=2100,
        ),
        _f("titled_agency_name", "string", "标题中的机关名称", "The body's name as the report's title prints it."),
        _f("title", "string", "报告标题", "The report's title as printed."),
        _f(
            "agency_match_code",
            "string",
            "机关匹配方式",
            "How the titled name was matched to an agency: `registry_name`, `registry_alias`, or `unregistered` (not in the registry: id and level inferred from the name).",
            categories=AGENCY_MATCH_LABELS,
        ),
        _f(
            "template_code",
            "string",
            "格式版本",
            "The national template the report's tables follow, read from their labels: `2019` (国办公开办函〔2019〕60号, report years 2019–2020) or `2021` (国办公开办函〔2021〕30号, 2021 onwards). Section 二's rows and columns differ completely between the two: there is no cell-for-cell mapping.",
            categories=TEMPLATE_LABELS,
        ),
        _f(
            "template_from_year_code",
            "string",
            "年度对应的格式版本",
            "The template the report's year calls for; differs from `template_code` when a report prints an older table.",
            categories=TEMPLATE_LABELS,
        ),
        _f(
            "template_variant_codes",
            "string",
            "格式变体",
            "Template variants seen, as `table:variant`, separated by '; ' (e.g. `requests:single_other_handling_row`: （六）其他处理 printed as one row in a 2021 table).",
        ),
        _f(
            "year_source_code",
            "string",
            "年度来源",
            "Where the report year was read: `title`, or `stated_in_text` (e.g. 统计期限为2020年1月1日…).",
            categories=YEAR_SOURCE_LABELS,
        ),
        _f(
            "agency_source_code",
            "string",
            "机关名称来源",
            "Where the agency name (`titled_agency_name`) was read: `title`; `stated_in_text` (a sentence naming the report, e.g. 特向社会公布某局2021年度…报告); `compiler` (某局编制完成本报告); `contact` (请与某局办公室联系). Empty when no name could be told for sure (a problem `agency_not_found` says why).",
            categories=AGENCY_SOURCE_LABELS,
        ),
        _f(
            "scope_code",
            "string",
            "统计范围",
            "What the numbers cover, where the report says so: `area` (adds up every reporting body in its area, 汇总), `system` (a department's whole system), `own` (its own office). Empty when the report does not say. Summing reports of different scopes counts requests twice.",
            categories=SCOPE_LABELS,
        ),
        _f("scope_evidence", "string", "统计范围原文", "The words that state the scope."),
        # the file it came from
        _f("source_file", "string", "源文件", "The input file, as a path inside the reports folder."),
        _f(
            "source_format_code",
            "string",
            "文件格式",
            "The file's format as read: `text`, `html`, `pdf`, `docx` (or as its provenance states, when it could not be read).",
        ),
        _f("source_encoding", "string", "文本编码", "The text encoding the file was decoded with."),
        _f("source_url", "string", "来源网址", "Where the report was published, when known."),
        _f(
            "source_description",
            "string",
            "来源说明",
            "Where the file came from, when there is no URL (e.g. a public copy of the official PDF).",
        ),
        _f("published_time", "string", "发布时间", "When the page says the report was published, as it says it."),
        _f("retrieved_date", "date", "下载日期", "When the file was downloaded, from its provenance."),
        _f("added_date", "date", "收录日期", "When the file was added to the reports folder, from its provenance."),
        _f(
            "sha256",
            "string",
            "文件SHA-256",
            "SHA-256 of the file's bytes, to tell exactly which file was read.",
            pattern=r"^[0-9a-f]{64}$",
        ),
        _f("file_byte_count", "integer", "文件字节数", "The file's size in bytes.", "byte", minimum=0),
        _f("provenance_agency", "string", "来源记录中的机关", "The agency as the file's provenance record describes it (free text)."),
        _f("provenance_year", "integer", "来源记录中的年度", "The report year as the file's provenance record states it."),
        # report counts
        _f("cell_count", "integer", "单元格数", "Cells of sections 二, 三, 四 in the report's template.", "cell", minimum=0),
        _f("value_count", "integer", "有数值的单元格数", "Cells with a number.", "cell", minimum=0),
        _f(
            "blank_cell_count",
            "integer",
            "空白单元格数",
            "Cells printed blank or with a mark (/, —, 无): no number, never read as 0.",
            "cell",
            minimum=0,
        ),
        _f(
            "unread_cell_count",
            "integer",
            "未读出的单元格数（缺口）",
            "Gap cells: cells without a number that were not printed blank — the report says something there that was not read "
            "(flag `unread`, `ambiguous`, `not_printed`, `not_found`, `invalid_number` or `implausible`), counted after corrections. "
            "Greater than 0 exactly when `report_status_code` is `published_with_gaps`.",
            "cell",
            minimum=0,
        ),
        _f(
            "report_status_code",
            "string",
            "发布状态",
            "`published`: every cell of the three tables read, or printed blank; `published_with_gaps`: some cells could not be "
            "read and are empty with a flag saying why (see `unread_cell_count`, the cells' `flag_code` and the problems table). "
            "报告中部分单元格未能读出时为 published_with_gaps，这些单元格为空并标明原因。",
            categories=REPORT_STATUS_LABELS,
        ),
        _f("rule_count", "integer", "勾稽规则数", "Consistency rules checked.", "rule", minimum=0),
        _f(
            "rule_failed_count",
            "integer",
            "未通过的规则数",
            "Consistency rules the report's numbers break (after corrections). A finding about the report, not fixed.",
            "rule",
            minimum=0,
        ),
        _f(
            "rule_incomplete_count",
            "integer",
            "无法核对的规则数",
            "Rules that could not be checked because a cell has no number.",
            "rule",
            minimum=0,
        ),
        _f(
            "correction_count",
            "integer",
            "更正数",
            "Corrections from the corrections file applied to the report's cells.",
            "correction",
            minimum=0,
        ),
        _f("warning_count", "integer", "警告数", "Warnings the parser gave (see the problems table).", "problem", minimum=0),
        _f(
            "unplaced_number_count",
            "integer",
            "未放入表格的数字数",
            "Numbers in the tables' text that were not placed in any cell.",
            "number",
            minimum=0,
        ),
        _f(
            "duplicate_file_count",
            "integer",
            "重复文件数",
            "Other input files read as the same agency and year, not published (see rejected_inputs).",
            "file",
            minimum=0,
        ),
        # cells
        _f(
            "section_code",
            "string",
            "部分",
            "The report's section: 1 总体情况, 2 主动公开, 3 依申请公开, 4 行政复议和行政诉讼, 5 存在的主要问题及改进情况, 6 其他需要报告的事项.",
            categories=SECTION_LABELS,
        ),
        _f(
            "table_code",
            "string",
            "表格",
            "The template table: `proactive` (section 二), `requests` (三), `appeals` (四).",
            categories=TABLE_LABELS,
        ),
        _f(
            "row_code",
            "string",
            "行代码",
            "Stable code of the template row. Section 三 follows the template's numbering: 一 → `1`, 三（一）→ `3.1`, 三（三）5 → `3.3.5`, 三（七）→ `3.7`, 四 → `4`.",
        ),
        _f("row_label", "string", "行标签", "The template's Chinese label for the row."),
        _f(
            "row_group_label",
            "string",
            "行分组",
            "The label of the group the row is printed under (e.g. 第二十条第（一）项, （三）不予公开).",
        ),
        _f("column_code", "string", "列代码", "Stable code of the template column."),
        _f("column_label", "string", "列标签", "The template's Chinese label for the column."),
        _f("column_group_label", "string", "列分组", "The label of the group the column is printed under (e.g. 法人或其他组织)."),
        _f(
            "value",
            "number",
            "数值",
            "The number in the cell: an integer for counts, a decimal for money (see `unit_name`). Empty when the cell is blank, holds a mark, or could not be read — see `text` and `flag_code`. Never a guessed 0.",
        ),
        _f(
            "count",
            "integer",
            "数量",
            "The number in the cell (requests or cases). Empty when the cell is blank, holds a mark, or could not be read — see `text` and `flag_code`. Never a guessed 0.",
            "件",
        ),
        _f(
            "unit_name",
            "string",
            "单位",
            "The unit of a money cell: 万元 as the 2021 template prints it, or as the report writes it for 采购总金额 (2019 template, no unit printed: 万元 or 元). Empty for counts.",
        ),
        _f(
            "text",
            "string",
            "原文",
            "The text as printed in the report: a table cell's original text (empty when nothing was printed; `/`, `—`, `无` kept as printed), or a narrative item's paragraphs.",
        ),
        _f(
            "flag_code",
            "string",
            "标记",
            "How the cell was read, when not plainly: `blank` (nothing printed), `blank_mark` (a mark such as / — 无), `split_by_rules` (digits run together, split the only way the consistency rules allow), `ambiguous` (run together, several splits possible: left empty, the readings in the problems), `unread` (the row's numbers could not be placed: left empty, the row's numbers in `text`), `not_printed` (the row prints no numbers at all: left empty, never 0), `not_found` (the row or its table was not found), `invalid_number`, `implausible` (a count no cell can hold, digits of several cells run together: left empty, `text` kept), `ocr`, `ocr_doubt` (read by OCR and not vouched for by the rules — a rule through it failed, or none checks it: left empty, the OCR text kept).",
            categories=FLAG_LABELS,
        ),
        _f("corrected", "boolean", "已更正", "true when a row of the corrections file changed this number (see the corrections table)."),
        _f("source_page", "integer", "页码", "Page of the original file the text is on (PDF).", minimum=1),
        _f("source_line", "integer", "行号", "Line of the extracted text the text is on.", minimum=1),
        _f("source_column", "integer", "列号", "Character column in that line (text), or table column (HTML, DOCX tables).", minimum=1),
        _f("source_table", "integer", "表格序号", "Table number in the original file (HTML, DOCX).", minimum=1),
        _f("source_row", "integer", "表格行号", "Row number in that table (HTML, DOCX).", minimum=1),
        _f("source_paragraph", "integer", "段落序号", "Paragraph number in the original file (DOCX).", minimum=1),
        _f(
            "source_ocr",
            "boolean",
            "OCR识别",
            "true when the text was read from a scanned page by OCR (the consistency rules are then the guard against misread digits).",
        ),
        # narratives
        _f("item_number", "integer", "条目序号", "Order of the item within its section, from 1.", minimum=1),
        _f("numbering", "string", "编号", "The item's numbering as printed (e.g. （一）)."),
        _f("heading", "string", "小标题", "The item's heading as printed."),
        # checks
        _f(
            "rule_code",
            "string",
            "规则代码",
            "The template's rule: `request_row_total` (三: each row's 总计 = the six applicant columns), `request_outcome_total` (三: （七）总计 = the outcome rows), `request_balance` (三: 一 + 二 = （七）总计 + 四, the rule the template prints), `appeal_total` (四: 总计 = the four results).",
        ),
        _f("rule_description", "string", "规则说明", "The rule in Chinese."),
        _f("per_code", "string", "核对方式", "Whether the rule is checked in each row or each column.", categories=PER_LABELS),
        _f("subject_code", "string", "核对对象", "The row code (per row) or column code (per column) the check is about."),
        _f("left_cells", "string", "左边单元格", "Cells on the left of the equation, as `row_code/column_code`, joined by ' + '."),
        _f("right_cells", "string", "右边单元格", "Cells on the right of the equation, as `row_code/column_code`, joined by ' + '."),
        _f("left_sum", "integer", "左边合计", "Sum of the left cells; empty when one has no number."),
        _f("right_sum", "integer", "右边合计", "Sum of the right cells; empty when one has no number."),
        _f(
            "rule_status_code",
            "string",
            "核对结果",
            "`pass`, `fail` (a finding about the report, published as is), or `incomplete` (a cell has no number), after corrections.",
            categories=RULE_STATUS_LABELS,
        ),
        _f(
            "rule_status_before_correction_code",
            "string",
            "更正前核对结果",
            "The result on the numbers as read, before corrections.",
            categories=RULE_STATUS_LABELS,
        ),
        # problems
        _f("problem_number", "integer", "问题序号", "Order of the problem in the parser's list, from 1.", minimum=1),
        _f("severity_code", "string", "严重程度", "`warning` (published reports have no errors).", categories=SEVERITY_LABELS),
        _f("problem_code", "string", "问题代码", "The parser's code for the problem (e.g. `unplaced_numbers`, `template_year_mismatch`)."),
        _f("message", "string", "说明", "The problem in Chinese and English."),
        # rejected inputs
        _f(
            "reason_code",
            "string",
            "原因代码",
            "Why the file is not a published report: the parser's first error code (e.g. `pre_template`, `truncated`, `not_a_report`, `unsupported_format`), or `duplicate` (another file of the same agency and year was published), `agency_not_found`, `year_not_found`.",
        ),
        _f("reason", "string", "原因", "Why, in words."),
        _f(
            "duplicate_of_report_id",
            "string",
            "重复于报告",
            "For a duplicate: the published report it duplicates.",
            pattern=r"^[a-z][a-z0-9_]*-\d{4}$",
        ),
        # corrections
        _f("correction_number", "integer", "更正序号", "The correction's row number in `reports/corrections.csv`, from 1.", minimum=1),
        _f("old_value", "number", "原值", "The cell's number as read, which the correction expects (empty: no number)."),
        _f("new_value", "number", "新值", "The number the correction sets (empty: no number)."),
        _f("correction_source", "string", "更正依据", "Where the right number can be seen."),
        _f(
            "correction_status_code",
            "string",
            "更正状态",
            "`applied`, or `not_needed` (the cell already holds the new number: the correction can be removed).",
            categories=CORRECTION_STATUS_LABELS,
        ),
    ]
}


@dataclass(frozen=True)
class Table:
    name: str
    title_zh: str
    title_en: str
    description: str
    fields: tuple[str, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, resource, field)

    def schema(self) -> dict:
        out = {
            "fields": [FIELDS[name].schema(required=name in self.primary_key) for name in self.fields],
            "missingValues": MISSING_VALUES,
            "primaryKey": list(self.primary_key),
        }
        if self.foreign_keys:
            out["foreignKeys"] = [{"fields": [f], "reference": {"resource": res, "fields": [ref]}} for f, res, ref in self.foreign_keys]
        return out


_SOURCE = ("source_page", "source_line", "source_column", "source_table", "source_row", "source_paragraph", "source_ocr")
_CELL = ("report_id", "template_code", "row_code", "row_group_label", "row_label", "column_code", "column_group_label", "column_label")
_CELL_KEY = ("report_id", "row_code", "column_code")
_TO_REPORT = (("report_id", "reports", "report_id"),)

TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        Table(
            "agencies",
            "机关",
            "Agencies",
            "One row per reporting body, and per body they belong to in the registry: stable id, name, level, region and parent. From the curated registry where registered; inferred from the name otherwise.",
            (
                "agency_id",
                "agency_name",
                "alias_names",
                "level_code",
                "level_name",
                "level_source_code",
                "province_name",
                "city_name",
                "county_name",
                "township_name",
                "division_code",
                "parent_agency_id",
                "parent_agency_name",
                "registered",
                "notes",
            ),
            ("agency_id",),
            (("parent_agency_id", "agencies", "agency_id"),),
        ),
        Table(
            "reports",
            "报告",
            "Reports",
            "One row per published report (one per agency and year): template, title, where it came from, scope, and counts of cells, failed rules and corrections.",
            (
                "report_id",
                "agency_id",
                "report_year",
                "titled_agency_name",
                "agency_match_code",
                "title",
                "template_code",
                "template_from_year_code",
                "template_variant_codes",
                "year_source_code",
                "agency_source_code",
                "scope_code",
                "scope_evidence",
                "source_file",
                "source_format_code",
                "source_encoding",
                "source_url",
                "source_description",
                "published_time",
                "retrieved_date",
                "added_date",
                "sha256",
                "file_byte_count",
                "cell_count",
                "value_count",
                "report_status_code",
                "blank_cell_count",
                "unread_cell_count",
                "rule_count",
                "rule_failed_count",
                "rule_incomplete_count",
                "correction_count",
                "warning_count",
                "unplaced_number_count",
                "duplicate_file_count",
            ),
            ("report_id",),
            (("agency_id", "agencies", "agency_id"),),
        ),
        Table(
            "proactive",
            "二、主动公开",
            "Proactive disclosure (section 二)",
            "One row per cell of section 二 (主动公开政府信息情况). The 2019 and 2021 templates measure different things here: compare only within one template_code.",
            _CELL + ("value", "unit_name", "text", "flag_code", "corrected") + _SOURCE,
            _CELL_KEY,
            _TO_REPORT,
        ),
        Table(
            "requests",
            "三、依申请公开",
            "Requests received and handled (section 三)",
            "One row per cell of section 三 (收到和处理政府信息公开申请情况): rows 一 to 四, seven applicant columns.",
            _CELL + ("count", "text", "flag_code", "corrected") + _SOURCE,
            _CELL_KEY,
            _TO_REPORT,
        ),
        Table(
            "appeals",
            "四、复议诉讼",
            "Administrative review and litigation (section 四)",
            "One row per cell of section 四 (政府信息公开行政复议、行政诉讼情况): review, litigation without review, litigation after review; five results each.",
            _CELL + ("count", "text", "flag_code", "corrected") + _SOURCE,
            _CELL_KEY,
            _TO_REPORT,
        ),
        Table(
            "narratives",
            "文字部分",
            "Narrative sections (一, 五, 六)",
            "One row per numbered item or paragraph of sections 一 (总体情况), 五 (存在的主要问题及改进情况) and 六 (其他需要报告的事项).",
            ("report_id", "section_code", "item_number", "numbering", "heading", "text"),
            ("report_id", "section_code", "item_number"),
            _TO_REPORT,
        ),
        Table(
            "check_results",
            "勾稽核对",
            "Consistency check results",
            "One row per consistency rule (勾稽关系) per report: the cells compared, their sums, and pass / fail / incomplete, after corrections (and before, where a correction touched the rule).",
            (
                "report_id",
                "table_code",
                "rule_code",
                "subject_code",
                "per_code",
                "rule_description",
                "left_cells",
                "right_cells",
                "left_sum",
                "right_sum",
                "rule_status_code",
                "rule_status_before_correction_code",
                "corrected",
            ),
            ("report_id", "rule_code", "subject_code"),
            _TO_REPORT,
        ),
        Table(
            "problems",
            "解析问题",
            "Parser warnings",
            "One row per warning the parser gave on a published report (digits split by the rules, numbers left over, template mismatches…).",
            ("report_id", "problem_number", "severity_code", "problem_code", "section_code", "row_code", "message"),
            ("report_id", "problem_number"),
            _TO_REPORT,
        ),
        Table(
            "rejected_inputs",
            "未采用的文件",
            "Rejected inputs",
            "Every input file that did not become a published report, with the reason: not a report, before the 2019 template, truncated, a format not read yet, or a duplicate of a published report.",
            (
                "source_file",
                "reason_code",
                "reason",
                "duplicate_of_report_id",
                "titled_agency_name",
                "report_year",
                "provenance_agency",
                "provenance_year",
                "source_format_code",
                "source_url",
                "source_description",
                "added_date",
                "sha256",
                "file_byte_count",
            ),
            ("source_file",),
            (("duplicate_of_report_id", "reports", "report_id"),),
        ),
        Table(
            "corrections",
            "更正",
            "Corrections",
            "Every manual correction from `reports/corrections.csv`: the cell, the number as read and the number set, why, and the source that shows it. Applied last, after parsing.",
            (
                "correction_number",
                "report_id",
                "table_code",
                "row_code",
                "column_code",
                "old_value",
                "new_value",
                "reason",
                "correction_source",
                "correction_status_code",
            ),
            ("correction_number",),
            _TO_REPORT,
        ),
    ]
}

CELL_TABLES = ("proactive", "requests", "appeals")

# Keys of the SQLite file's lookup tables (ogi.package.sqlite), not in the CSVs: the cell tables compute them
# from their codes, one column each, so that Datasette shows a row's or a column's label by itself.
LOOKUP_FIELDS: dict[str, Field] = {
    f.name: f
    for f in [
        _f(
            "row_key",
            "string",
            "行键",
            "`template_code:table_code:row_code` (e.g. `2021:requests:3.3.5`): the template row, whose labels are in `template_rows`.",
        ),
        _f(
            "column_key",
            "string",
            "列键",
            "`template_code:table_code:column_code` (e.g. `2021:requests:natural_person`): the template column, whose labels are in `template_columns`.",
        ),
        _f(
            "check_key",
            "integer",
            "核对定义编号",
            "The check's definition in `check_definitions` (rule, subject, cells compared). Numbered anew by each build: join through it, do not keep it.",
        ),
        _f(
            "label",
            "string",
            "标签",
            "A code list's label for the code: what the code means, in Chinese (empty where the package has none).",
        ),
        _f("equation", "string", "核对等式", "`left_cells = right_cells`: the check as an equation of cells."),
    ]
}


def table_schemas() -> dict[str, dict]:
    return {name: table.schema() for name, table in TABLES.items()}


def schema_text(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_table_schemas(out_dir: Path = SCHEMAS_DIR) -> list[Path]:
    """Write one Table Schema file per table (the copies kept in schemas/tables/)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, schema in table_schemas().items():
        path = out_dir / f"{name}.json"
        path.write_text(schema_text(schema), "utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write_table_schemas():
        print(p)
