"""Serve the package's SQLite file with a real Datasette and check that it shows labels for the codes.

    python scripts/check_datasette.py --datasette /tmp/dsvenv/bin/datasette [--package datapackage]

Datasette is not a project dependency: install it in a scratch venv
(`python3 -m venv /tmp/dsvenv && /tmp/dsvenv/bin/pip install datasette`).
For every table with foreign keys, fetches a page of rows as JSON with
`_labels=on` and as HTML, and checks that each key's label is the lookup
table's label (e.g. requests.row_key → template_rows.row_label). Exit 1 on
the first key without its label.
"""

from __future__ import annotations

import argparse
import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from html import escape
from pathlib import Path

FILE_NAME = "ogi-annual-reports"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> bytes:
    for _ in range(100):
        try:
            return urllib.request.urlopen(url, timeout=10).read()
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"no answer from {url}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--datasette", required=True, help="the datasette executable")
    ap.add_argument("--package", type=Path, default=Path("datapackage"))
    args = ap.parse_args()
    db_path, meta_path = args.package / f"{FILE_NAME}.sqlite", args.package / f"{FILE_NAME}.datasette.json"
    meta = json.loads(meta_path.read_text("utf-8"))["databases"][FILE_NAME]["tables"]
    con = sqlite3.connect(db_path)
    port = free_port()
    server = subprocess.Popen(
        [args.datasette, str(db_path), "-m", str(meta_path), "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}/{FILE_NAME}"
    checked = 0
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            fks = con.execute(f"PRAGMA foreign_key_list({table})").fetchall()
            if not fks:
                continue
            rows = json.loads(fetch(f"{base}/{table}.json?_labels=on&_shape=array&_size=20"))
            html = fetch(f"{base}/{table}?_size=20").decode("utf-8")
            for fk in fks:
                column, target, ref = fk[3], fk[2], fk[4]
                label_column = meta[target]["label_column"]
                for row in rows:
                    cell = row[column]
                    if cell is None:
                        continue
                    want = con.execute(f"SELECT {label_column} FROM {target} WHERE {ref} = ?", (cell["value"],)).fetchone()[0]
                    if want is None:  # a code list without labels yet: Datasette shows the code
                        continue
                    if cell["label"] != want or f">{escape(want, quote=False)}</a>" not in html:
                        print(f"{table}.{column} = {cell['value']}: Datasette shows {cell['label']!r}, the lookup says {want!r}")
                        return 1
                    checked += 1
            print(f"{table}: {len(fks)} foreign keys, labels shown in JSON and HTML")
    finally:
        server.terminate()
        server.wait()
    print(f"{checked} labels checked")
    return 0 if checked else 1


if __name__ == "__main__":
    sys.exit(main())
