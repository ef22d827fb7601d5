"""Package: parsed records → the Frictionless data package and its formats.

One module per concern: `fields` (every field and table, defined once),
`agencies` (stable ids), `corrections` (manual fixes as data), `tables`
(records → tidy tables), `formats` and `xlsx` (CSV, Parquet, SQLite, Excel),
`descriptor` (datapackage.json and the data dictionary), and `build`, the
one entry point (`build_package`).
"""
