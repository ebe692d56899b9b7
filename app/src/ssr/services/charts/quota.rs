//! Plans and monthly quotas (spec 004): charts and analyses counted per workspace and
//! calendar month (UTC), atomically in the store, and a per-plan request rate on chart
//! generation.

use crate::charts_wire::{QuotaKinds, QuotaReport, QuotaView};
use crate::error::{AppError, ErrorCode};
use crate::ssr::context::{Principal, ServerContext};
use chrono::{DateTime, Datelike, TimeZone, Utc};
use serde::Deserialize;

/// What one plan allows. `None` is unlimited.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    pub charts_per_month: Option<i64>,
    pub analyses_per_month: Option<i64>,
    /// Chart generations per minute (bursts up to this many).
    pub charts_per_minute: u32,
}

/// The plans of spec 004; configuration (`[refract.plans]`) can change every figure.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Plans {
    pub free: Limits,
    pub pro: Limits,
    pub enterprise: Limits,
}

impl Default for Plans {
    fn default() -> Self {
        Self {
            free: Limits {
                charts_per_month: Some(5),
                analyses_per_month: Some(3),
                charts_per_minute: 5,
            },
            pro: Limits {
                charts_per_month: Some(100),
                analyses_per_month: Some(50),
                charts_per_minute: 30,
            },
            enterprise: Limits {
                charts_per_month: None,
                analyses_per_month: None,
                charts_per_minute: 120,
            },
        }
    }
}

impl Plans {
    /// Unknown plan names get the free plan's limits.
    pub fn of(&self, plan: &str) -> Limits {
        match plan {
            "pro" => self.pro,
            "enterprise" => self.enterprise,
            _ => self.free,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Charts,
    Analyses,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Charts => "charts",
            Kind::Analyses => "analyses",
        }
    }

    fn limit(self, l: &Limits) -> Option<i64> {
        match self {
            Kind::Charts => l.charts_per_month,
            Kind::Analyses => l.analyses_per_month,
        }
    }

    fn exceeded(self) -> AppError {
        let what = match self {
            Kind::Charts => "chart generation",
            Kind::Analyses => "chart analysis",
        };
        AppError::new(
            ErrorCode::QuotaExceeded,
            format!("Monthly {what} limit reached. Upgrade your plan to continue."),
        )
    }
}

/// The counting period of `now`: its calendar month in UTC, e.g. "2026-11".
pub fn period(now: DateTime<Utc>) -> String {
    now.format("%Y-%m").to_string()
}

/// When the counters of `now`'s month start over: the first instant of the next month.
pub fn reset_at(now: DateTime<Utc>) -> DateTime<Utc> {
    let (y, m) = if now.month() == 12 {
        (now.year() + 1, 1)
    } else {
        (now.year(), now.month() + 1)
    };
    Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0)
        .single()
        .unwrap_or(now)
}

fn view(used: i64, limit: Option<i64>) -> QuotaView {
    QuotaView {
        used,
        limit,
        remaining: limit.map(|l| (l - used).max(0)),
    }
}

/// The workspace's plan name.
pub async fn plan_of(ctx: &ServerContext, p: &Principal) -> Result<String, AppError> {
    Ok(ctx
        .store
        .membership(p.workspace_id, p.user.id)
        .await?
        .map(|m| m.workspace.plan)
        .unwrap_or_else(|| "free".into()))
}

/// A unit of quota taken for one piece of work; give it back if the work fails.
#[derive(Debug)]
pub struct Ticket {
    pub view: QuotaView,
    /// The workspace's plan, read to find the limit.
    pub plan: String,
    kind: Kind,
    period: String,
}

/// Takes one unit of `kind` for the workspace, or answers QUOTA_EXCEEDED (HTTP 429).
pub async fn take(
    ctx: &ServerContext,
    p: &Principal,
    kind: Kind,
    now: DateTime<Utc>,
) -> Result<Ticket, AppError> {
    let plan = plan_of(ctx, p).await?;
    let limit = kind.limit(&ctx.settings.plans.of(&plan));
    let period = period(now);
    let used = ctx
        .store
        .consume(
            p.workspace_id,
            &period,
            kind.key(),
            limit.unwrap_or(i64::MAX),
        )
        .await?
        .ok_or_else(|| kind.exceeded())?;
    Ok(Ticket {
        view: view(used, limit),
        plan,
        kind,
        period,
    })
}

/// Returns the unit: the work it paid for did not happen.
pub async fn give_back(ctx: &ServerContext, p: &Principal, ticket: Ticket) {
    if let Err(e) = ctx
        .store
        .refund(p.workspace_id, &ticket.period, ticket.kind.key())
        .await
    {
        tracing::error!(error = %e, "quota refund failed");
    }
}

/// `GET /user/quota`.
pub async fn report(
    ctx: &ServerContext,
    p: &Principal,
    now: DateTime<Utc>,
) -> Result<QuotaReport, AppError> {
    let plan = plan_of(ctx, p).await?;
    let limits = ctx.settings.plans.of(&plan);
    let period = period(now);
    let charts = ctx.store.used(p.workspace_id, &period, "charts").await?;
    let analyses = ctx.store.used(p.workspace_id, &period, "analyses").await?;
    Ok(QuotaReport {
        quota: QuotaKinds {
            charts: view(charts, limits.charts_per_month),
            analyses: view(analyses, limits.analyses_per_month),
            reset_at: reset_at(now),
        },
        plan,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_and_resets_follow_utc_months() {
        let t = Utc
            .with_ymd_and_hms(2026, 12, 31, 23, 59, 59)
            .single()
            .expect("date");
        assert_eq!(period(t), "2026-12");
        assert_eq!(reset_at(t).to_rfc3339(), "2027-01-01T00:00:00+00:00");
        let t = Utc
            .with_ymd_and_hms(2026, 2, 1, 0, 0, 0)
            .single()
            .expect("date");
        assert_eq!(period(t), "2026-02");
        assert_eq!(reset_at(t).to_rfc3339(), "2026-03-01T00:00:00+00:00");
    }

    #[test]
    fn spec_limits_by_plan() {
        let p = Plans::default();
        assert_eq!(p.of("free").charts_per_month, Some(5));
        assert_eq!(p.of("free").analyses_per_month, Some(3));
        assert_eq!(p.of("pro").charts_per_month, Some(100));
        assert_eq!(p.of("pro").analyses_per_month, Some(50));
        assert_eq!(p.of("enterprise").charts_per_month, None);
        assert_eq!(p.of("mystery"), p.free);
        assert_eq!(view(4, Some(5)).remaining, Some(1));
        assert_eq!(view(7, Some(5)).remaining, Some(0));
        assert_eq!(view(7, None).remaining, None);
    }
}
