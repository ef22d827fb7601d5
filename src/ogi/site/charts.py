"""Charts: a `<figure>` per chart with its caption, its numbers as inline JSON, and the same numbers as a table.

The browser draws them with Chart.js (`assets/ogi.js` loads the library only on a
page that has a chart). The library is fetched from the npm registry by exact
version with its integrity checked (`package.json`, `package-lock.json`, `npm ci`
in `make`) and copied into the site here: nothing is requested from another server.
Writing a chart costs one small JSON string per page, so 10,000 pages cost little.
The table (in a `<details>`) carries the same numbers for screen readers and for
anyone without JavaScript; a figure without a number stays blank in both.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from ogi.site.figures import Figure
from ogi.site.mkdocs_build import SiteError

LIBRARY = Path("node_modules/chart.js/dist/chart.umd.js")  # beside the project's package.json
LIBRARY_TARGET = "assets/ogi/chart.umd.js"


class ChartLibraryMissing(SiteError):
    """Chart.js is not installed where `npm ci` puts it."""


@dataclass
class Series:
    name: str
    figures: list[Figure]


def _json(data: object) -> str:
    """JSON safe inside a <script> element: no `<`, `>` or `&` that could end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _number(figure: Figure) -> float | int | None:
    if figure.value is None:
        return None
    return int(figure.value) if figure.value == figure.value.to_integral_value() else float(figure.value)


def figure(chart_id: str, caption: str, labels: list[str], series: list[Series], horizontal: bool = False, unit: str = "件") -> Markup:
    """One chart: bars for each series over the labels (years, outcomes or agencies), and its table."""
    data = {
        "labels": labels,
        "horizontal": horizontal,
        "unit": unit,
        "series": [{"name": s.name, "values": [_number(f) for f in s.figures]} for s in series],
    }
    head = "".join(f'<th scope="col">{escape(s.name)}</th>' for s in series)
    body = "".join(
        f'<tr><th scope="row">{escape(label)}</th>' + "".join(f"<td>{escape(s.figures[i].shown)}</td>" for s in series) + "</tr>"
        for i, label in enumerate(labels)
    )
    # One HTML block with no blank line inside, so Markdown leaves it whole.
    return Markup(
        f'<figure class="ogi-chart" id="{escape(chart_id)}">\n'
        f"<figcaption>{escape(caption)}</figcaption>\n"
        f'<div class="ogi-chart__canvas"><canvas role="img" aria-label="{escape(caption)}（数字见下表）"></canvas></div>\n'
        f'<script type="application/json" class="ogi-chart__data">{_json(data)}</script>\n'
        f'<details class="ogi-chart__table"><summary>图中的数字（表格）</summary>\n'
        f'<table><thead><tr><th scope="col">项目</th>{head}</tr></thead><tbody>{body}</tbody></table>\n'
        "</details>\n"
        "</figure>"
    )


SOURCE_ROOT = Path(__file__).resolve().parents[3]  # the project this module is installed from (pip install -e)


def copy_library(project_root: Path, docs_dir: Path) -> None:
    """Chart.js into the docs folder (from beside mkdocs.yml, else from this source tree); a clear error when missing."""
    candidates = [project_root / LIBRARY, SOURCE_ROOT / LIBRARY]
    source = next((c for c in candidates if c.is_file()), None)
    if source is None:
        raise ChartLibraryMissing(
            f"{candidates[0]}: Chart.js is missing; run `make` (it runs `npm ci`) or `npm ci --ignore-scripts` in {project_root}"
        )
    target = docs_dir / LIBRARY_TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
