"""Report metadata from the text before section 一: title, agency, year, scope."""

from __future__ import annotations

import re

from ogi.parse.text import normalise

_TITLE = re.compile(
    r"(?P<agency>[^\d。；;:：，,]{0,60}?)(?P<year>(?:19|20)\d{2})年度?(?P<rest>(?:政府)?信息公开(?:工作)?(?:年度)?报告|政务公开(?:工作)?(?:年度)?报告)"
)
_STATED_YEAR = [
    re.compile(r"统计期限?(?:为|自|是|从)?\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日"),
    re.compile(r"((?:19|20)\d{2})\s*年度?\s*(?:政府)?信息公开(?:工作)?(?:年度)?报告"),
]
_AGENCY_JUNK = re.compile(r"^(?:#+|关于|印发|转发|公布|标题)+|[《》“”\"'【】\[\]]")  # "#": a Markdown heading
# Stated scope: the report's numbers add up an area or a system. "全区" alone is not
# enough ("向全区群众宣讲"); it must govern the counting.
_SCOPE = [
    (
        "area",
        re.compile(
            r"全(?:省|市|区|县|州|盟|旗|乡|镇)(?:各级[^。；]{0,12}|各单位|各部门)?(?:共|累计|总共)?(?:受理|收到|办理|主动公开|公开|答复)[^。；]{0,10}(?:申请|信息)|汇总(?:了)?[^。；]{0,12}(?:全[市区县]|各(?:县|区|乡镇|街道|部门|单位))|(?:全[市区县]|各(?:县|区|乡镇|街道|部门|单位))[^。；]{0,20}汇总"
        ),
    ),
    ("system", re.compile(r"全系统[^。；]{0,10}(?:共|累计)?(?:受理|收到|办理|公开)|(?:本|全)系统[^。；]{0,12}汇总")),
]


_CN_YEAR = re.compile(r"[二〇零一三四五六七八九]{4}(?=年)")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
# "…政府信息公开工作年度报告（2023年）": the year after the title
_TITLE_YEAR_AFTER = re.compile(
    r"(?P<agency>[^\d。；;:：，,]{2,60}?)(?P<rest>(?:政府)?信息公开(?:工作)?(?:年度)?报告)[(（](?P<year>(?:19|20)\d{2})年?度?[)）]"
)


# "2019年上海市人民政府办公厅政府信息公开工作年度报告": the year before the agency
# ("…人民政府信息公开…": the 政府 may be the agency's or the report's, so both are tried)
_TITLE_YEAR_FIRST = [
    re.compile(rf"^(?P<year>(?:19|20)\d{{2}})年度?(?P<agency>[^\d。；;:：，,]{{2,60}}?)(?P<rest>{rest}信息公开(?:工作)?(?:年度)?报告)")
    for rest in ("(?:政府)?", "")
]


def _clean(s: str) -> str:
    s = _CN_YEAR.sub(lambda m: m.group().translate(_CN_DIGITS), s)  # 二〇二三年 → 2023年
    return re.sub(r"\s+", "", normalise(s))


def find_title(preamble_lines: list[str], crawler_title: str | None) -> dict:
    """Title, agency as titled, and year, from the lines before section 一."""
    lines = [ln for ln in (_clean(x) for x in preamble_lines[:15]) if ln]
    if crawler_title:
        lines.insert(0, _clean(crawler_title))
    for i, line in enumerate(lines):
        m = _TITLE.search(line)
        if (not m or len(_agency(m.group("agency"))) < 2) and (first := _year_first(line)):
            return first
        after = None if m else _TITLE_YEAR_AFTER.search(line)
        if after and _agency(after.group("agency")):
            agency = _agency(after.group("agency"))
            return {
                "title": agency + after.group("rest") + f"（{after.group('year')}年）",
                "agency_name": agency,
                "report_year": int(after.group("year")),
                "year_source": "title",
            }
        if m:
            agency = _agency(m.group("agency"))
            if len(agency) < 2 and i > 0:  # title starts with the year: the agency is the line above
                agency = _agency(lines[i - 1])
            return _title(agency, line, m)
        if i + 1 < len(lines):
            joined = line + lines[i + 1]
            m = _TITLE.search(joined)
            # a title wrapped onto the next line, or the agency on a line of its own
            if m and (m.start("year") < len(line) or (m.start("agency") == 0 and m.end("agency") == len(line))):
                return _title(_agency(m.group("agency")), joined, m)
    return {"title": None, "agency_name": None, "report_year": None, "year_source": None}


# What a body's name ends with; anything else before the year is not a name ("现将…").
_AGENCY_END = re.compile(
    r"(?:局|委|委员会|办|办公室|府|政府|院|室|会|厅|部|处|所|站|中心|区|县|市|州|盟|旗|镇|乡|街道|办事处|队|馆|社|署|司|组|集团|公司|园|校|管委会|分局|支队|大队)$"
)


def _agency(s: str) -> str:
    # "某县人民政府办公室关于某县2023年…报告": the report is 某县's
    s = s.rsplit("关于", 1)[-1]
    s = _AGENCY_JUNK.sub("", s).strip()
    return s if _AGENCY_END.search(s) else ""


def _year_first(line: str) -> dict | None:
    for pattern in _TITLE_YEAR_FIRST:
        m = pattern.match(line)
        agency = _agency(m.group("agency")) if m else ""
        if m and agency not in ("", "政府"):  # "2020年政府信息公开工作年度报告" names no agency
            return {"title": m.group(), "agency_name": agency, "report_year": int(m.group("year")), "year_source": "title"}
    return None


def _title(agency: str, text: str, m: re.Match) -> dict:
    return {
        "title": agency + text[m.start("year") : m.end()],
        "agency_name": agency if len(agency) >= 2 else None,
        "report_year": int(m.group("year")),
        "year_source": "title",
    }


def stated_year(text: str) -> int | None:
    """The year a report states for itself in its opening text."""
    norm = normalise(text)
    for pattern in _STATED_YEAR:
        m = pattern.search(norm)
        if m:
            return int(m.group(1))
    return None


def find_scope(text: str) -> dict:
    """Whether the report says it adds up an area or a system (汇总), with the words it uses."""
    norm = normalise(text)
    for scope, pattern in _SCOPE:
        m = pattern.search(norm)
        if m:
            a, b = max(0, m.start() - 20), min(len(norm), m.end() + 20)
            return {"scope": scope, "scope_evidence": text[a:b].replace("\n", " ")}  # as printed
    return {"scope": None, "scope_evidence": None}
