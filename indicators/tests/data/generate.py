#!/usr/bin/env python3
"""Regenerate the TA-Lib reference files in this folder.

Not needed by the tests: they read the committed CSVs. Run it in a throwaway
virtualenv outside the repository, e.g.

    python3 -m venv /tmp/talib-venv
    /tmp/talib-venv/bin/pip install TA-Lib numpy bokeh-sampledata
    /tmp/talib-venv/bin/python indicators/tests/data/generate.py

Inputs: the last 600 daily bars of AAPL and of IBM from bokeh-sampledata's
stocks.csv.gz (Quandl WIKI prices, declared public domain by Quandl), with
the unadjusted open/high/low/close/volume as shipped.

Outputs, per symbol: <sym>_bars.csv (t,o,h,l,c,v with t = unix ms at 00:00
UTC) and <sym>_talib.csv (one column per indicator output and parameter
set, empty cell = TA-Lib's NaN warm-up). Floats are written with Python's
repr, which round-trips a double exactly, so the tests can check bit
equality as well as tolerances.
"""

import csv
import datetime as dt
import gzip
import os

import numpy as np
import talib
import bokeh_sampledata

HERE = os.path.dirname(os.path.abspath(__file__))
N_BARS = 600


def load(symbol):
    path = os.path.join(os.path.dirname(bokeh_sampledata.__file__), "_data", "stocks.csv.gz")
    rows = []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for ticker, date, o, h, l, c, v, _adj in reader:
            if ticker == symbol:
                rows.append((date, float(o), float(h), float(l), float(c), float(v)))
    return rows[-N_BARS:]


def columns(o, h, l, c, v):
    """(column name, values) for every reference series; the names are the
    contract with tests/talib_reference.rs."""
    out = []
    for p in (20, 50, 1):
        out.append((f"sma_{p}", talib.SMA(c, timeperiod=p)))
    for p in (20, 9, 1):
        out.append((f"ema_{p}", talib.EMA(c, timeperiod=p)))
    for p in (20, 10, 1):
        out.append((f"wma_{p}", talib.WMA(c, timeperiod=p)))
    for p in (14, 7, 2):
        out.append((f"rsi_{p}", talib.RSI(c, timeperiod=p)))
    for p in (14, 5, 1):
        out.append((f"atr_{p}", talib.ATR(h, l, c, timeperiod=p)))
    for p in (14, 7):
        out.append((f"adx_{p}", talib.ADX(h, l, c, timeperiod=p)))
        out.append((f"plus_di_{p}", talib.PLUS_DI(h, l, c, timeperiod=p)))
        out.append((f"minus_di_{p}", talib.MINUS_DI(h, l, c, timeperiod=p)))
    for p, dev in ((20, 2.0), (10, 1.5)):
        up, mid, lo = talib.BBANDS(c, timeperiod=p, nbdevup=dev, nbdevdn=dev, matype=0)
        tag = f"{p}_{dev:g}"
        out += [(f"bb_upper_{tag}", up), (f"bb_middle_{tag}", mid), (f"bb_lower_{tag}", lo)]
    for f_, s_, g_ in ((12, 26, 9), (5, 35, 5), (3, 10, 1)):
        m, sig, hist = talib.MACD(c, fastperiod=f_, slowperiod=s_, signalperiod=g_)
        tag = f"{f_}_{s_}_{g_}"
        out += [(f"macd_{tag}", m), (f"macd_signal_{tag}", sig), (f"macd_hist_{tag}", hist)]
    for kp, ks, dp in ((14, 3, 3), (5, 3, 4), (9, 1, 1)):
        k, d = talib.STOCH(h, l, c, fastk_period=kp, slowk_period=ks, slowk_matype=0,
                           slowd_period=dp, slowd_matype=0)
        tag = f"{kp}_{ks}_{dp}"
        out += [(f"stoch_k_{tag}", k), (f"stoch_d_{tag}", d)]
    out.append(("obv", talib.OBV(c, v)))
    return out


def fmt(x):
    return "" if np.isnan(x) else repr(float(x))


def main():
    for symbol in ("AAPL", "IBM"):
        rows = load(symbol)
        o, h, l, c, v = (np.array([r[i] for r in rows], dtype=np.float64) for i in range(1, 6))
        stem = symbol.lower()
        with open(os.path.join(HERE, f"{stem}_bars.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["t", "o", "h", "l", "c", "v"])
            for date, *vals in rows:
                day = dt.datetime.strptime(date, "%Y-%m-%d").replace(tzinfo=dt.timezone.utc)
                w.writerow([int(day.timestamp()) * 1000] + [repr(x) for x in vals])
        cols = columns(o, h, l, c, v)
        with open(os.path.join(HERE, f"{stem}_talib.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow([name for name, _ in cols])
            for i in range(len(rows)):
                w.writerow([fmt(vals[i]) for _, vals in cols])
        print(f"{symbol}: {len(rows)} bars {rows[0][0]}..{rows[-1][0]}, {len(cols)} columns")
    print("TA-Lib", talib.__ta_version__.decode(), "python wrapper", talib.__version__)


if __name__ == "__main__":
    main()
