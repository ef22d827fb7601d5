"""The site stage: the built data package → Markdown pages → a static MkDocs site.

It reads only `datapackage/` (the descriptor and its CSVs), never the parser or
the reports, so the site shows exactly what the package publishes.

- `reading`: datapackage.json's table resources → DataFrames of text, blanks kept blank;
- `cells`: how each table cell is shown, and the template's tables laid out as grids;
- `pages`: the Markdown pages, rendered through `templates/*.md.jinja`;
- `mkdocs_build`: `mkdocs build --strict` on the generated pages;
- `build`: the driver behind `ogi site`.
"""
