//! Strategy templates: legs built from a few inputs. Quantities are per one
//! "unit" of the strategy (1 contract per option leg, 100 shares per stock
//! leg so that one covered call covers one contract).

use super::leg::Leg;
use super::Strategy;
use crate::error::InputError;

fn ordered(ks: &[f64], what: &str) -> Result<(), InputError> {
    for k in ks {
        if !(k.is_finite() && *k > 0.0) {
            return Err(InputError::NotPositive("strike"));
        }
    }
    if ks.windows(2).all(|w| w[0] < w[1]) {
        Ok(())
    } else {
        Err(InputError::Invalid(format!(
            "{what}: strikes must be strictly increasing"
        )))
    }
}

fn s(name: &str, legs: Vec<Leg>) -> Strategy {
    Strategy {
        name: name.to_string(),
        legs,
    }
}

/// Long one call.
pub fn long_call(k: f64, t: f64) -> Strategy {
    s("long call", vec![Leg::call(1.0, k, t)])
}
/// Short one call.
pub fn short_call(k: f64, t: f64) -> Strategy {
    s("short call", vec![Leg::call(-1.0, k, t)])
}
/// Long one put.
pub fn long_put(k: f64, t: f64) -> Strategy {
    s("long put", vec![Leg::put(1.0, k, t)])
}
/// Short one put.
pub fn short_put(k: f64, t: f64) -> Strategy {
    s("short put", vec![Leg::put(-1.0, k, t)])
}
/// 100 shares long, one call short.
pub fn covered_call(k: f64, t: f64) -> Strategy {
    s(
        "covered call",
        vec![Leg::stock(100.0), Leg::call(-1.0, k, t)],
    )
}
/// 100 shares long, one put long.
pub fn protective_put(k: f64, t: f64) -> Strategy {
    s(
        "protective put",
        vec![Leg::stock(100.0), Leg::put(1.0, k, t)],
    )
}
/// One put short; the cash collateral (K × 100) earns nothing in the model and
/// is not a leg.
pub fn cash_secured_put(k: f64, t: f64) -> Strategy {
    s("cash-secured put", vec![Leg::put(-1.0, k, t)])
}
/// Long call k1, short call k2 (k1 < k2).
pub fn bull_call_spread(k1: f64, k2: f64, t: f64) -> Result<Strategy, InputError> {
    ordered(&[k1, k2], "bull call spread")?;
    Ok(s(
        "bull call spread",
        vec![Leg::call(1.0, k1, t), Leg::call(-1.0, k2, t)],
    ))
}
/// Short call k1, long call k2 (k1 < k2).
pub fn bear_call_spread(k1: f64, k2: f64, t: f64) -> Result<Strategy, InputError> {
    ordered(&[k1, k2], "bear call spread")?;
    Ok(s(
        "bear call spread",
        vec![Leg::call(-1.0, k1, t), Leg::call(1.0, k2, t)],
    ))
}
/// Long put k1, short put k2 (k1 < k2): a credit spread.
pub fn bull_put_spread(k1: f64, k2: f64, t: f64) -> Result<Strategy, InputError> {
    ordered(&[k1, k2], "bull put spread")?;
    Ok(s(
        "bull put spread",
        vec![Leg::put(1.0, k1, t), Leg::put(-1.0, k2, t)],
    ))
}
/// Short put k1, long put k2 (k1 < k2): a debit spread.
pub fn bear_put_spread(k1: f64, k2: f64, t: f64) -> Result<Strategy, InputError> {
    ordered(&[k1, k2], "bear put spread")?;
    Ok(s(
        "bear put spread",
        vec![Leg::put(-1.0, k1, t), Leg::put(1.0, k2, t)],
    ))
}
/// Call and put at the same strike; `quantity` +1 long, -1 short.
pub fn straddle(k: f64, t: f64, quantity: f64) -> Strategy {
    let name = if quantity >= 0.0 {
        "long straddle"
    } else {
        "short straddle"
    };
    s(
        name,
        vec![Leg::call(quantity, k, t), Leg::put(quantity, k, t)],
    )
}
/// Put at k_put < call at k_call; `quantity` +1 long, -1 short.
pub fn strangle(k_put: f64, k_call: f64, t: f64, quantity: f64) -> Result<Strategy, InputError> {
    ordered(&[k_put, k_call], "strangle")?;
    let name = if quantity >= 0.0 {
        "long strangle"
    } else {
        "short strangle"
    };
    Ok(s(
        name,
        vec![Leg::put(quantity, k_put, t), Leg::call(quantity, k_call, t)],
    ))
}
/// Short iron condor: long put k1, short put k2, short call k3, long call k4.
pub fn iron_condor(k1: f64, k2: f64, k3: f64, k4: f64, t: f64) -> Result<Strategy, InputError> {
    ordered(&[k1, k2, k3, k4], "iron condor")?;
    Ok(s(
        "iron condor",
        vec![
            Leg::put(1.0, k1, t),
            Leg::put(-1.0, k2, t),
            Leg::call(-1.0, k3, t),
            Leg::call(1.0, k4, t),
        ],
    ))
}
/// Short iron butterfly: long put k1, short put and call k2, long call k3.
pub fn iron_butterfly(k1: f64, k2: f64, k3: f64, t: f64) -> Result<Strategy, InputError> {
    ordered(&[k1, k2, k3], "iron butterfly")?;
    Ok(s(
        "iron butterfly",
        vec![
            Leg::put(1.0, k1, t),
            Leg::put(-1.0, k2, t),
            Leg::call(-1.0, k2, t),
            Leg::call(1.0, k3, t),
        ],
    ))
}
/// Long call butterfly: +1 k1, -2 k2, +1 k3.
pub fn call_butterfly(k1: f64, k2: f64, k3: f64, t: f64) -> Result<Strategy, InputError> {
    ordered(&[k1, k2, k3], "call butterfly")?;
    Ok(s(
        "call butterfly",
        vec![
            Leg::call(1.0, k1, t),
            Leg::call(-2.0, k2, t),
            Leg::call(1.0, k3, t),
        ],
    ))
}
/// Long put butterfly: +1 k1, -2 k2, +1 k3.
pub fn put_butterfly(k1: f64, k2: f64, k3: f64, t: f64) -> Result<Strategy, InputError> {
    ordered(&[k1, k2, k3], "put butterfly")?;
    Ok(s(
        "put butterfly",
        vec![
            Leg::put(1.0, k1, t),
            Leg::put(-2.0, k2, t),
            Leg::put(1.0, k3, t),
        ],
    ))
}
/// Long calendar: short the near expiry, long the far one, same strike.
pub fn calendar(
    kind: crate::black::OptionKind,
    k: f64,
    t_near: f64,
    t_far: f64,
) -> Result<Strategy, InputError> {
    if !(t_near < t_far) {
        return Err(InputError::Invalid(
            "calendar: near expiry must precede far expiry".into(),
        ));
    }
    Ok(s(
        "calendar",
        vec![
            Leg::option(kind, -1.0, k, t_near),
            Leg::option(kind, 1.0, k, t_far),
        ],
    ))
}
/// Diagonal: short near (k_near), long far (k_far).
pub fn diagonal(
    kind: crate::black::OptionKind,
    k_near: f64,
    t_near: f64,
    k_far: f64,
    t_far: f64,
) -> Result<Strategy, InputError> {
    if !(t_near < t_far) {
        return Err(InputError::Invalid(
            "diagonal: near expiry must precede far expiry".into(),
        ));
    }
    Ok(s(
        "diagonal",
        vec![
            Leg::option(kind, -1.0, k_near, t_near),
            Leg::option(kind, 1.0, k_far, t_far),
        ],
    ))
}
/// 100 shares long, long put k_put, short call k_call (k_put < k_call).
pub fn collar(k_put: f64, k_call: f64, t: f64) -> Result<Strategy, InputError> {
    ordered(&[k_put, k_call], "collar")?;
    Ok(s(
        "collar",
        vec![
            Leg::stock(100.0),
            Leg::put(1.0, k_put, t),
            Leg::call(-1.0, k_call, t),
        ],
    ))
}
/// Long 1 call k1, short `ratio` calls k2 (k1 < k2).
pub fn call_ratio_spread(k1: f64, k2: f64, t: f64, ratio: f64) -> Result<Strategy, InputError> {
    ordered(&[k1, k2], "call ratio spread")?;
    Ok(s(
        "call ratio spread",
        vec![Leg::call(1.0, k1, t), Leg::call(-ratio, k2, t)],
    ))
}
/// Long 1 put k2, short `ratio` puts k1 (k1 < k2).
pub fn put_ratio_spread(k1: f64, k2: f64, t: f64, ratio: f64) -> Result<Strategy, InputError> {
    ordered(&[k1, k2], "put ratio spread")?;
    Ok(s(
        "put ratio spread",
        vec![Leg::put(-ratio, k1, t), Leg::put(1.0, k2, t)],
    ))
}
/// Any legs.
pub fn custom(name: &str, legs: Vec<Leg>) -> Result<Strategy, InputError> {
    if legs.is_empty() {
        return Err(InputError::Invalid(
            "custom strategy needs at least one leg".into(),
        ));
    }
    Ok(s(name, legs))
}
