#!/usr/bin/env python3
"""Times TA-Lib on the same 1,000,000 bars as benches/indicators.rs (the 600
AAPL reference bars tiled), for comparison with `cargo bench -p indicators`.

Run in the throwaway venv of tests/data/generate.py:
    /tmp/talib-venv/bin/python indicators/benches/talib_bench.py
Reports the best of 5 runs per indicator, in milliseconds.
"""

import csv
import os
import time

import numpy as np
import talib

N = 1_000_000
HERE = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(HERE, "..", "tests", "data", "aapl_bars.csv")) as f:
    rows = list(csv.DictReader(f))
base = {k: np.array([float(r[k]) for r in rows]) for k in "ohlcv"}
reps = -(-N // len(rows))
o, h, l, c, v = (np.ascontiguousarray(np.tile(base[k], reps)[:N]) for k in "ohlcv")

CASES = {
    "sma 20": lambda: talib.SMA(c, 20),
    "ema 20": lambda: talib.EMA(c, 20),
    "wma 20": lambda: talib.WMA(c, 20),
    "rsi 14": lambda: talib.RSI(c, 14),
    "macd 12/26/9": lambda: talib.MACD(c, 12, 26, 9),
    "bbands 20/2": lambda: talib.BBANDS(c, 20, 2.0, 2.0, 0),
    "atr 14": lambda: talib.ATR(h, l, c, 14),
    "stoch 14/3/3": lambda: talib.STOCH(h, l, c, 14, 3, 0, 3, 0),
    "obv": lambda: talib.OBV(c, v),
    "adx 14 (+DI, -DI)": lambda: (talib.ADX(h, l, c, 14), talib.PLUS_DI(h, l, c, 14), talib.MINUS_DI(h, l, c, 14)),
}


def best_ms(fn, runs=5):
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1e3


print(f"TA-Lib {talib.__ta_version__.decode()} via python wrapper {talib.__version__}, {N} bars")
total = 0.0
for name, fn in CASES.items():
    ms = best_ms(fn)
    total += ms
    print(f"{name:20} {ms:8.2f} ms")
print(f"{'sum':20} {total:8.2f} ms")
print(f"{'all in one run':20} {best_ms(lambda: [fn() for fn in CASES.values()]):8.2f} ms")
