"""One-off: write tests/golden/*.expected.json from hand-read values.

The samples' values were read by hand by whoever assembled shared/samples
(shared/samples/expected/*.json); the seeds' values below were read by hand
from the seed texts. Nothing here comes from the parser's output.
"""

import json
from pathlib import Path

Z7 = [0] * 7
SHARED = Path("../shared/samples/expected")
OUT = Path("tests/golden")


def rows2019(**nonzero):
    codes = (
        ["一", "二", "三.一", "三.二"]
        + [f"三.三.{i}" for i in range(1, 9)]
        + [f"三.四.{i}" for i in range(1, 4)]
        + [f"三.五.{i}" for i in range(1, 6)]
        + ["三.六", "三.七", "四"]
    )
    return [[c] + nonzero.get(c.replace(".", "_"), Z7) for c in codes]


def rows2021(**nonzero):
    codes = (
        ["一", "二", "三.一", "三.二"]
        + [f"三.三.{i}" for i in range(1, 9)]
        + [f"三.四.{i}" for i in range(1, 4)]
        + [f"三.五.{i}" for i in range(1, 6)]
        + [f"三.六.{i}" for i in range(1, 4)]
        + ["三.七", "四"]
    )
    return [[c] + nonzero.get(c.replace(".", "_"), Z7) for c in codes]


S2_2019_ZERO = {
    "规章": [0, 0, 0],
    "规范性文件": [0, 0, 0],
    "行政许可": [0, 0, 0],
    "其他对外管理服务事项": [0, 0, 0],
    "行政处罚": [0, 0, 0],
    "行政强制": [0, 0, 0],
    "行政事业性收费": [0, 0],
}

SEEDS = {
    "000_40e2ac12d098bcd7.txt": dict(
        agency_name="济源市人民政府办公室",
        year=2020,
        template="2019",
        section2={**S2_2019_ZERO, "规范性文件": [15, 15, 233], "政府集中采购": [41, 123.5218]},
        section3={"rows": rows2019(一=[6, 0, 0, 0, 0, 0, 6], 三_一=[6, 0, 0, 0, 0, 0, 6], 三_七=[6, 0, 0, 0, 0, 0, 6])},
        section4=[0] * 15,
        notes="PDF text, space-separated rows; labels wrapped over 2-3 lines with their numbers on a line of their own; section 四 header one character per line; title split over two lines.",
    ),
    "001_7e78f6154f3411bd.txt": dict(
        agency_name="济源市人民政府办公室",
        year=2022,
        template="2021",
        section2={
            "规章": [0, 0, 0],
            "行政规范性文件": [26, 34, 211],
            "行政许可": [0],
            "行政处罚": [0],
            "行政强制": [0],
            "行政事业性收费": [0],
        },
        section3={
            "rows": rows2021(
                一=[16, 0, 0, 0, 2, 0, 18],
                三_一=[14, 0, 0, 0, 2, 0, 16],
                三_五_1=[1, 0, 0, 0, 0, 0, 1],
                三_五_4=[1, 0, 0, 0, 0, 0, 1],
                三_七=[16, 0, 0, 0, 2, 0, 18],
            )
        },
        section4=[0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0],
        notes="Tab-separated rows with padding tabs; row '3. 其他' shifted one cell left.",
    ),
    "002_4fb6e0fcd3eb9312.txt": dict(
        agency_name="濮阳市人民政府办公室",
        year=2020,
        template="2019",
        section2={**S2_2019_ZERO, "规范性文件": [12, 12, 81], "政府集中采购": [1, 2.14]},
        section3={
            "rows": rows2019(
                一=[33, 1, 0, 0, 0, 0, 34],
                三_一=[7, 0, 0, 0, 0, 0, 7],
                三_二=[3, 0, 0, 0, 0, 0, 3],
                三_四_1=[23, 1, 0, 0, 0, 0, 24],
                三_七=[33, 1, 0, 0, 0, 0, 34],
            )
        },
        section4=[0] * 15,
        notes="One cell per line, each after a tab, with no-break spaces around numbers; 采购总金额 header says (单位:万元).",
    ),
    "003_e6430650c8b30f66.txt": dict(
        agency_name="轵城镇人民政府",
        year=2020,
        template="2019",
        section2={**S2_2019_ZERO, "政府集中采购": [18, 49.5669]},
        section3={"rows": rows2019()},
        section4=[0] * 15,
        notes="Tab-separated rows; a Markdown rule line '--------|----|---------' after 政府集中采购.",
    ),
    "004_9bf64bd8106e216b.txt": dict(
        agency_name="克井镇人民政府",
        year=2020,
        template="2019",
        section2={**S2_2019_ZERO, "政府集中采购": [9, 14.18]},
        section3={"rows": rows2019(一=[1, 0, 0, 0, 0, 0, 1], 三_四_1=[1, 0, 0, 0, 0, 0, 1], 三_七=[1, 0, 0, 0, 0, 0, 1])},
        section4=[0] * 15,
        notes="PDF text like 000; '5.属于三类内部 0 0 0 0 0 0 0' with the label's tail '事务信息' printed after the numbers.",
    ),
}

SAMPLES = {
    "hongze_qzf_2023.txt": dict(
        agency_name="洪泽区人民政府",
        template_variant="single_other_handling_row",
        failed_rules=[["appeal_total", "review"], ["appeal_total", "litigation_after_review"]],
    ),
    "hongze_qzf_2024.txt": dict(agency_name="淮安市洪泽区人民政府", template_variant="single_other_handling_row"),
    "huaian_szf_2024.txt": dict(agency_name="淮安市人民政府"),
    "pingtan_2021.txt": dict(
        agency_name="平潭综合实验区",
        status="published_with_gaps",
        flagged={"行政规范性文件": "ambiguous"},
        flag_note="The crawler text prints this row as '693665' with no separator and section 二 has no rule to split it; the parser must flag it, not guess. The values 69/3/665 are from the page's HTML table.",
    ),
    "pingtan_gaj_2024.txt": dict(agency_name="平潭综合实验区公安局"),
    "truncated/lg_qzfgzbm_2024.txt": dict(agency_name=None, status="rejected", reject_code="truncated"),
    "truncated/lixian_sjj_2022.txt": dict(agency_name="蠡县审计局", status="rejected", reject_code="truncated"),
    "truncated/yangling_tjj_2020.txt": dict(agency_name=None, status="rejected", reject_code="truncated"),
}


def write(rel: str, data: dict) -> None:
    path = OUT / (rel + ".expected.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    for name, d in SEEDS.items():
        write(
            f"seeds/{name}",
            {
                "file": f"seeds/{name}",
                "status": "published",
                "reject_code": None,
                "agency_name": d["agency_name"],
                "year": d["year"],
                "template": d["template"],
                "template_variant": None,
                "section2": d["section2"],
                "section3": d["section3"],
                "section4": d["section4"],
                "failed_rules": [],
                "flagged": {},
                "read_by": "hand, from the seed text",
                "notes": d["notes"],
            },
        )
    for rel, extra in SAMPLES.items():
        stem = rel.replace("/", "_").removesuffix(".txt")
        src = json.loads((SHARED / f"{stem}.json").read_text("utf-8"))
        out = {
            "file": f"samples/{rel}",
            "status": extra.get("status", "published"),
            "reject_code": extra.get("reject_code"),
            "agency_name": extra["agency_name"],
            "year": src["year"],
            "template": src["template"][:4],
            "template_variant": extra.get("template_variant"),
            "section2": src["section2"],
            "section3": src["section3"],
            "section4": src["section4"],
            "failed_rules": extra.get("failed_rules", []),
            "flagged": extra.get("flagged", {}),
            "read_by": "hand, shared/samples/expected/" + stem + ".json",
            "source_url": src.get("source_url"),
            "notes": src.get("notes"),
        }
        if "flag_note" in extra:
            out["flag_note"] = extra["flag_note"]
        write(f"samples/{rel}", out)
    write(
        "samples/rejected/pingtan_2018_pre_template.txt",
        {
            "file": "samples/rejected/pingtan_2018_pre_template.txt",
            "status": "rejected",
            "reject_code": "pre_template",
            "year": 2018,
            "read_by": "hand",
            "notes": "2018 report with the old provincial statistics table",
        },
    )


if __name__ == "__main__":
    main()
