"""Package: parsed records → the Frictionless data package and its formats.

One module per concern: `fields` (every field and table, defined once),
`agencies` (stable ids), `corrections` (manual fixes as data), `tables`
(records → tidy tables), `formats` (CSV, Parquet), `sqlite` (codes, lookups,
labelled views, Datasette metadata), `wide` and `workbook` (the Excel workbook),
`descriptor` (datapackage.json and the data dictionary), and `build`, the
one entry point (`build_package`).
"""
