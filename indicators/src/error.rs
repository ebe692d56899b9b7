//! Parameter validation errors.

/// Why an indicator could not be built or a study could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IndicatorError {
    #[error("unknown study `{0}`: expected one of sma, ema, wma, rsi, atr, vwap, obv, macd, bbands, stoch, adx")]
    UnknownStudy(String),

    #[error("study `{study}` has no parameter `{param}` (it takes: {allowed})")]
    UnknownParam {
        study: &'static str,
        param: String,
        allowed: &'static str,
    },

    #[error("{study}: `{param}` = {value} is invalid: {reason}")]
    InvalidParam {
        study: &'static str,
        param: &'static str,
        value: f64,
        reason: String,
    },

    #[error("{study}: `{fast_name}` ({fast}) must be less than `{slow_name}` ({slow})")]
    FastNotBelowSlow {
        study: &'static str,
        fast_name: &'static str,
        fast: usize,
        slow_name: &'static str,
        slow: usize,
    },

    #[error("{what}: expected {expected} values (one per bar), got {got}")]
    LengthMismatch {
        what: &'static str,
        expected: usize,
        got: usize,
    },

    #[error("{what} needs at least {needed} bars, got {got}")]
    NotEnoughBars {
        what: &'static str,
        needed: usize,
        got: usize,
    },

    #[error("{what}: bar {index} has a non-finite open, high, low, close or volume")]
    NonFiniteBar { what: &'static str, index: usize },
}

/// TA-Lib's upper bound on every period; it also keeps ring buffers sane.
pub const MAX_PERIOD: usize = 100_000;

/// Checks `min <= period <= MAX_PERIOD`, TA-Lib's own bounds.
pub(crate) fn check_period(
    study: &'static str,
    param: &'static str,
    period: usize,
    min: usize,
) -> Result<usize, IndicatorError> {
    if period < min || period > MAX_PERIOD {
        return Err(IndicatorError::InvalidParam {
            study,
            param,
            value: period as f64,
            reason: format!("must be an integer from {min} to {MAX_PERIOD}"),
        });
    }
    Ok(period)
}

/// TA-Lib's `TA_IS_ZERO` with its current `TA_EPSILON` (1e-14, ta_utility.h);
/// older TA-Lib releases used 1e-8.
#[inline]
pub(crate) fn ta_is_zero(v: f64) -> bool {
    -1e-14 < v && v < 1e-14
}

/// TA-Lib's `TA_IS_ZERO_OR_NEG`.
#[inline]
pub(crate) fn ta_is_zero_or_neg(v: f64) -> bool {
    v < 1e-14
}
