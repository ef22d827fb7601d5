"""Report metadata from the text before section 一: title, agency, year, scope."""

from __future__ import annotations

import re

from ogi.parse.text import normalise

_TITLE = re.compile(
    r"(?P<agency>[^\d。；;:：，,]{0,60}?)(?P<year>(?:19|20)\d{2})年度?(?P<rest>(?:政府)?信息公开(?:工作)?(?:年度)?报告|政务公开(?:工作)?(?:年度)?报告)"
)
_STATED_YEAR = [
    re.compile(r"统计期限?(?:为|自|是|从)?\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日"),
    # "现将我办2022年度政府信息公开情况报告如下"
    re.compile(r"((?:19|20)\d{2})\s*年度?\s*(?:政府)?信息公开(?:工作)?(?:情况)?(?:年度)?(?:工作)?报告"),
    # "…等六个方面汇报我镇2023年政府信息公开工作"
    re.compile(r"汇报[^。；;\n\d]{0,20}((?:19|20)\d{2})\s*年度?\s*(?:政府)?信息公开工作"),
]
# "关于报送2022年政府信息公开工作年度报告的通知": another document, whatever comes before 的通知
_DOCUMENT_AFTER = re.compile(r"(?:有关|相关|事项|工作)*的?(?:通知|意见|要求|函)")
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


# Page furniture a copied page leaves before its title: "Page 8 - ", "第2页 共6页", "- 3 -", dashes and dots.
_FURNITURE_BEFORE = re.compile(
    r"^(?:(?:[Pp]age\d+(?:of\d+)?|第\d{1,3}页(?:[,，/]?共\d{1,3}页)?|[-—–]\d{1,3}[-—–])(?=\D)|[-—–_·•.,，、:：;；|*~])+"
)


def _clean(s: str) -> str:
    s = _CN_YEAR.sub(lambda m: m.group().translate(_CN_DIGITS), s)  # 二〇二三年 → 2023年
    return _FURNITURE_BEFORE.sub("", re.sub(r"\s+", "", normalise(s)))


def find_title(preamble_lines: list[str], crawler_title: str | None) -> dict:
    """Title, agency as titled, and year, from the lines before section 一, with where the agency was read."""
    found = _find_title(preamble_lines, crawler_title)
    found.setdefault("agency_source", "title" if found["agency_name"] else None)
    return found


def _find_title(preamble_lines: list[str], crawler_title: str | None) -> dict:
    lines = [ln for ln in (_clean(x) for x in preamble_lines[:15]) if ln]
    if crawler_title:
        lines.insert(0, _clean(crawler_title))
    for i, line in enumerate(lines):
        m = _title_match(line)
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


# "…关于编制公布2021年政府信息公开工作年度报告有关事项的通知": another document's name, not a title
# (but "关于印发某局2021年度…报告的通知" is the report's own cover: its name is kept)
_NOTICE_AFTER = re.compile(r"(?:有关|相关|事项|工作)+的?(?:通知|意见|要求)")


# a notice that hands a report over (印发/转发…) is its cover; one that asks for reports (报送…的通知) is not
_COVER = re.compile(r"印发|转发|公布|发布")


def _title_match(line: str) -> re.Match | None:
    for m in _TITLE.finditer(line):
        if _NOTICE_AFTER.match(line, m.end()):
            continue
        if _DOCUMENT_AFTER.match(line, m.end()) and not _COVER.search(m.group("agency")):
            continue
        return m
    return None


# What a body's name ends with; anything else before the year is not a name ("现将…").
_AGENCY_END = re.compile(
    r"(?:局|委|委员会|办|办公室|府|政府|院|室|会|厅|部|处|所|站|中心|区|县|市|州|盟|旗|镇|乡|街道|办事处|队|馆|社|署|司|组|集团|公司|园|校|管委会|分局|支队|大队)$"
)


# Words that come before a name in a sentence, never inside one ("…特向社会公布莆田市城市管理局2021年度…",
# "发布莆田市科学技术局…"): a name starts after the last of them. 编制 is kept in 机构编制委员会.
_BEFORE_NAME = re.compile(r"^.*(?:关于|公布|发布|印发|转发|现将|根据|依据|按照|编制(?!委员会)|完成了?|形成了?|本报告|特向社会|向社会)")
# Where a name read from a sentence may start: a place (…省/市/区/县/…), or 中共/国家/… ; never 我区, 本局.
_NAME_START = re.compile(
    r"^(?![我本该各全此])(?:中共|中国|国家|国务院|全国|共青团|[\u4e00-\u9fff（）()]{1,16}?(?:省|市|自治区|自治州|自治县|区|县|旗|盟|州|镇|乡|街道|地区))"
)


def _agency(s: str) -> str:
    # "某县人民政府办公室关于某县2023年…报告": the report is 某县's
    s = _BEFORE_NAME.sub("", s)
    s = _AGENCY_JUNK.sub("", s).strip()
    s = _FURNITURE_BEFORE.sub("", s)  # a name never starts with punctuation
    return s if _AGENCY_END.search(s) else ""


def _year_first(line: str) -> dict | None:
    for pattern in _TITLE_YEAR_FIRST:
        m = pattern.match(line)
        agency = _agency(m.group("agency")) if m else ""
        if m and agency not in ("", "政府"):  # "2020年政府信息公开工作年度报告" names no agency
            return {"title": m.group(), "agency_name": agency, "report_year": int(m.group("year")), "year_source": "title"}
    return None


def _title(agency: str, text: str, m: re.Match) -> dict:
    out = {
        "title": agency + text[m.start("year") : m.end()],
        "agency_name": agency if len(agency) >= 2 else None,
        "report_year": int(m.group("year")),
        "year_source": "title",
    }
    if _BEFORE_NAME.match(m.group("agency")):
        # "…特向社会公布某局2021年度…报告": a sentence naming the report, not its title
        if not _NAME_START.match(agency):
            out["agency_name"] = None
        out.update(year_source="stated in text", agency_source="stated in text" if out["agency_name"] else None)
    return out


def stated_year(text: str) -> int | None:
    """The year a report states for itself in its opening text (never a year in another document's name, 《…》)."""
    norm = _unquoted(text)
    for pattern in _STATED_YEAR:
        for m in pattern.finditer(norm):
            if not _DOCUMENT_AFTER.match(norm, m.end()):
                return int(m.group(1))
    return None


_QUOTED = re.compile(r"《[^《》\n]{0,80}》")


def _unquoted(text: str) -> str:
    """The normalised text with other documents' names (《…》) blanked, offsets kept."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), normalise(text))


# Sentences in which a report names its own body, strongest first.
_NAME_CHARS = r"[^\s\d。；;:：，,、《》“”\"（）()]"
_AGENCY_SENTENCES = [
    # "…特向社会公布莆田市城市管理局2021年度政府信息公开工作年度报告"
    (
        "stated in text",
        re.compile(rf"(?P<name>{_NAME_CHARS}{{2,60}}?)\s*(?:19|20)\d{{2}}\s*年度?\s*(?:政府)?信息公开(?:工作)?(?:年度)?报告"),
    ),
    # "现将2022年上海市人民政府参事室政府信息公开工作报告如下" (the name's own 政府 or the report's: see _sentence_name)
    ("stated in text", re.compile(rf"(?:19|20)\d{{2}}\s*年度?(?P<name>{_NAME_CHARS}{{2,60}}?)信息公开(?:工作)?(?:年度)?报告")),
    # "本报告由淮安市人民政府办公室根据…编制", "莆田市水利局编制完成本报告"
    ("compiler", re.compile(rf"(?:本报告|报告)由(?P<name>{_NAME_CHARS}{{2,40}}?)(?:根据|依据|按照|依照|编制(?!委员会)|负责)")),
    ("compiler", re.compile(rf"(?P<name>{_NAME_CHARS}{{2,40}}?)(?:编制完成|编制(?!委员会)|制作|形成)了?(?:本|此|该)(?:年度)?报告")),
    # "如对本报告有疑问，请与莆田市林业局办公室联系"
    ("contact", re.compile(rf"请与(?P<name>{_NAME_CHARS}{{2,40}}?)(?:联系|联络)")),
]
# A body's own office is its contact, not another body: "莆田市林业局办公室" speaks for 莆田市林业局.
# (A 委员会办公室 may be a body itself, 中共某市委机构编制委员会办公室: not told, below.)
_OWN_OFFICE = re.compile(r"(?<=[局厅院署])(?:办公室|综合科|办公厅|政务公开办公室|政务公开办|信息公开办公室|法规科|综合股)$")
# A government's office (人民政府办公室) compiles the government's report and publishes its own:
# from a compiler or contact sentence alone it cannot tell which; nor can a working group.
_NOT_TELLING = re.compile(r"(?:政府办公室|政府办公厅|领导小组|工作小组|政务公开办|信息公开办|办公室$)")


def agency_from_sentences(text: str) -> tuple[str | None, str | None, list[str]]:
    """The body a report's own sentences name, where they say: (name, where it was read, names that disagree).

    A name that cannot be told for sure is left out: a wrong name files the
    report under another body.
    """
    norm = _unquoted(text)
    # a sentence naming the report outranks the compiler and contact sentences, which must agree
    stated = [p for p in _AGENCY_SENTENCES if p[0] == "stated in text"]
    for group in (stated, [p for p in _AGENCY_SENTENCES if p not in stated]):
        names: dict[str, str] = {}
        for how, pattern in group:
            for m in pattern.finditer(norm):
                if _NOTICE_AFTER.match(norm, m.end()):
                    continue
                name = _sentence_name(m.group("name"), how)
                if name:
                    names.setdefault(name, how)
        if len(names) == 1:
            [(name, how)] = names.items()
            return name, how, []
        if len(names) > 1:
            return None, None, sorted(names)
    return None, None, []


def _sentence_name(raw: str, how: str) -> str:
    name = _agency(raw)
    # "…参事室政府信息公开": the 政府 is the report's; "某县人民政府信息公开": the body's
    if name.endswith("政府") and not name.endswith("人民政府") and _valid_name(name[:-2]):
        name = name[:-2]
    if how != "stated in text":
        name = _OWN_OFFICE.sub("", name)
        if _NOT_TELLING.search(name):
            return ""
    return name if _valid_name(name) else ""


def _valid_name(name: str) -> bool:
    return bool(_NAME_START.match(name) and _AGENCY_END.search(name))


def find_scope(text: str) -> dict:
    """Whether the report says it adds up an area or a system (汇总), with the words it uses."""
    norm = normalise(text)
    for scope, pattern in _SCOPE:
        m = pattern.search(norm)
        if m:
            a, b = max(0, m.start() - 20), min(len(norm), m.end() + 20)
            return {"scope": scope, "scope_evidence": text[a:b].replace("\n", " ")}  # as printed
    return {"scope": None, "scope_evidence": None}
