//! Per-plan request rates on chart generation: a GCRA limiter per plan, keyed by
//! workspace (governor), so one busy workspace cannot starve the renderer for the rest.

use super::quota::Plans;
use crate::error::AppError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use uuid::Uuid;

pub struct ChartRate {
    free: DefaultKeyedRateLimiter<Uuid>,
    pro: DefaultKeyedRateLimiter<Uuid>,
    enterprise: DefaultKeyedRateLimiter<Uuid>,
}

fn limiter(per_minute: u32) -> DefaultKeyedRateLimiter<Uuid> {
    let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
    RateLimiter::keyed(Quota::per_minute(n))
}

impl ChartRate {
    pub fn new(plans: &Plans) -> Self {
        Self {
            free: limiter(plans.free.charts_per_minute),
            pro: limiter(plans.pro.charts_per_minute),
            enterprise: limiter(plans.enterprise.charts_per_minute),
        }
    }

    /// Admits one generation for the workspace, or RATE_LIMITED with the wait in seconds.
    pub fn check(&self, plan: &str, workspace: Uuid) -> Result<(), AppError> {
        let l = match plan {
            "pro" => &self.pro,
            "enterprise" => &self.enterprise,
            _ => &self.free,
        };
        l.check_key(&workspace).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            AppError::rate_limited(wait.as_secs().max(1))
        })
    }
}

impl std::fmt::Debug for ChartRate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChartRate")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_up_to_the_plan_rate_then_refuses_per_workspace() {
        let rate = ChartRate::new(&Plans::default());
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        for _ in 0..5 {
            assert!(rate.check("free", a).is_ok());
        }
        let e = rate.check("free", a).expect_err("sixth in a minute");
        assert_eq!(e.status(), 429);
        assert!(e.retry_after().is_some_and(|s| (1..=60).contains(&s)));
        assert!(
            rate.check("free", b).is_ok(),
            "another workspace is not affected"
        );
        assert!(
            rate.check("pro", a).is_ok(),
            "plans have their own limiters"
        );
    }
}
