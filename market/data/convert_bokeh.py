#!/usr/bin/env python3
"""Convert bokeh-sampledata's stocks.csv.gz into market/data/sample_daily.csv.gz.

Usage (from the repository root, in a throwaway venv or with plain python3):

    pip download bokeh-sampledata==2026.1 --no-deps -d /tmp/bokeh
    python3 -m zipfile -e /tmp/bokeh/bokeh_sampledata-2026.1-py3-none-any.whl /tmp/bokeh/whl
    python3 market/data/convert_bokeh.py \
        /tmp/bokeh/whl/bokeh_sampledata/_data/stocks.csv.gz market/data/sample_daily.csv.gz

Input columns: Ticker,Date,Open,High,Low,Close,Volume,Adj Close.
Output columns: symbol,date,open,high,low,close,volume (Adj Close dropped).
The decimal text of every field is copied verbatim (no float reformatting).
Rows are sorted by symbol, then date. The gzip stream has mtime 0 and no file
name, so the output is byte-for-byte reproducible.
"""

import csv
import gzip
import io
import sys

EXPECTED_HEADER = ["Ticker", "Date", "Open", "High", "Low", "Close", "Volume", "Adj Close"]


def main(src: str, dst: str) -> None:
    with gzip.open(src, "rt", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header != EXPECTED_HEADER:
            sys.exit(f"unexpected header {header!r}")
        rows = [row[:7] for row in reader if row]
    rows.sort(key=lambda r: (r[0], r[1]))
    out = io.StringIO()
    out.write("symbol,date,open,high,low,close,volume\n")
    for r in rows:
        out.write(",".join(r) + "\n")
    data = out.getvalue().encode("utf-8")
    with open(dst, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(data)
    counts = {}
    for r in rows:
        first, last, n = counts.get(r[0], (r[1], r[1], 0))
        counts[r[0]] = (min(first, r[1]), max(last, r[1]), n + 1)
    for sym, (first, last, n) in sorted(counts.items()):
        print(f"{sym}: {n} rows, {first} .. {last}")
    print(f"total {len(rows)} rows, {len(data)} bytes uncompressed")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: convert_bokeh.py STOCKS_CSV_GZ OUT_CSV_GZ")
    main(sys.argv[1], sys.argv[2])
