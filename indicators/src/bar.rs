//! Input types shared by every indicator.

/// One OHLCV bar. `t` is the bar's open time in unix milliseconds; only the
/// session logic (VWAP resets, session pivots) looks at it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Bar {
    pub t: i64,
    pub o: f64,
    pub h: f64,
    pub l: f64,
    pub c: f64,
    pub v: f64,
}

impl Bar {
    pub fn new(t: i64, o: f64, h: f64, l: f64, c: f64, v: f64) -> Self {
        Self { t, o, h, l, c, v }
    }

    /// (high + low + close) / 3, TradingView's `hlc3`.
    pub fn typical_price(&self) -> f64 {
        (self.h + self.l + self.c) / 3.0
    }
}

/// Whose numbers to reproduce where TA-Lib and TradingView disagree.
///
/// See the crate documentation for the exact list of differences; indicators
/// on which the two agree ignore it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Convention {
    /// TA-Lib's C library with its default settings (unstable period 0,
    /// default compatibility).
    #[default]
    TaLib,
    /// TradingView's Pine Script built-ins (`ta.*`, v5/v6).
    TradingView,
}

/// Where a new session (trading day, week, ...) starts: VWAP's running sums
/// start over there, and session pivots use the previous session's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Session {
    /// Never: one session from the first bar on.
    #[default]
    Never,
    /// At every multiple of `period_ms` after `offset_ms`, judged from each
    /// bar's `t`: e.g. `period_ms = 86_400_000, offset_ms = 0` resets at UTC
    /// midnight. A session starts at the first bar whose period number
    /// `floor((t - offset_ms) / period_ms)` differs from the previous bar's.
    Every { period_ms: i64, offset_ms: i64 },
}

impl Session {
    #[inline]
    pub(crate) fn key(&self, t: i64) -> Option<i64> {
        match *self {
            Session::Every {
                period_ms,
                offset_ms,
            } if period_ms > 0 => Some(t.wrapping_sub(offset_ms).div_euclid(period_ms)),
            _ => None,
        }
    }
}

/// A streaming indicator: feed one input at a time, get `None` while warming up.
///
/// Every batch function in this crate is this state machine run over a slice,
/// so batch and streaming results are the same bits.
pub trait Indicator {
    /// `f64` (a close) or [`Bar`].
    type Input: Copy;
    type Output;

    fn next(&mut self, input: Self::Input) -> Option<Self::Output>;

    /// Inputs consumed before the first output (TA-Lib's `*_Lookback`).
    fn lookback(&self) -> usize;

    /// Forget all inputs; the parameters stay.
    fn reset(&mut self);
}

/// Runs a streaming indicator over a whole series, splitting each output
/// into `N` lines written straight into their vectors (no intermediate
/// vector of points: on a million bars that copy cost more than the maths).
pub(crate) fn run_split<I, T, const N: usize>(
    mut ind: I,
    inputs: &[T],
    f: impl Fn(&T) -> I::Input,
    split: impl Fn(Option<I::Output>) -> [Option<f64>; N],
) -> [Vec<Option<f64>>; N]
where
    I: Indicator,
{
    let mut out: [Vec<Option<f64>>; N] = std::array::from_fn(|_| Vec::with_capacity(inputs.len()));
    for x in inputs {
        let parts = split(ind.next(f(x)));
        for (line, part) in out.iter_mut().zip(parts) {
            line.push(part);
        }
    }
    out
}

/// Runs a streaming indicator over a whole series into caller-owned lines
/// (NaN where `split` says so, i.e. during warm-up). The caller checked that
/// every line is `inputs.len()` long.
pub(crate) fn run_into<I, T, const N: usize>(
    mut ind: I,
    inputs: &[T],
    f: impl Fn(&T) -> I::Input,
    split: impl Fn(Option<I::Output>) -> [f64; N],
    out: &mut [&mut [f64]],
) where
    I: Indicator,
{
    let lines: &mut [&mut [f64]; N] = match out.try_into() {
        Ok(lines) => lines,
        Err(_) => return,
    };
    for (i, x) in inputs.iter().enumerate() {
        let parts = split(ind.next(f(x)));
        for (line, part) in lines.iter_mut().zip(parts) {
            line[i] = part;
        }
    }
}

/// Runs a streaming indicator over a whole series.
pub(crate) fn run<I, T>(
    mut ind: I,
    inputs: &[T],
    f: impl Fn(&T) -> I::Input,
) -> Vec<Option<I::Output>>
where
    I: Indicator,
{
    inputs.iter().map(|x| ind.next(f(x))).collect()
}
