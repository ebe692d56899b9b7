//! Planned trades: a chart analysis's entry, stop and target written into the journal
//! before any fill. They are not round trips (no executions) and never count in the
//! analytics; the trader deletes a plan once it is taken or abandoned.

use crate::charts_wire::AnalysisView;
use crate::error::AppError;
use crate::journal_wire::PlanView;
use crate::roles::Action;
use crate::ssr::context::{Principal, ServerContext};
use crate::ssr::plan_store::PlanRow;
use crate::ssr::store::StoreError;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

/// Notes longer than this are cut (the analysis text stays whole in the analysis).
const NOTES_MAX: usize = 2_000;

/// Plans the trade an analysis recommends (Member and above).
pub async fn from_analysis(
    ctx: &ServerContext,
    p: &Principal,
    analysis_id: Uuid,
    now: DateTime<Utc>,
) -> Result<PlanView, AppError> {
    p.require(Action::CreateTrades)?;
    let a = ctx
        .store
        .analysis(p.workspace_id, analysis_id)
        .await?
        .ok_or_else(|| AppError::not_found("Analysis"))?;
    let chart = ctx
        .store
        .chart(p.workspace_id, a.chart_id)
        .await?
        .ok_or_else(|| AppError::not_found("Chart"))?;
    let view: AnalysisView = serde_json::from_str(&a.result).map_err(|e| {
        tracing::error!(id = %a.id, error = %e, "stored analysis is not valid JSON");
        AppError::internal()
    })?;
    let (side, entry, stop, target) = levels(&view)?;
    let mut notes = format!(
        "From the {} analysis of {} {} on {}: {}",
        a.model,
        chart.symbol,
        chart.timeframe,
        a.created_at.format("%Y-%m-%d"),
        view.analysis_text
    );
    if notes.chars().count() > NOTES_MAX {
        notes = notes.chars().take(NOTES_MAX - 1).collect::<String>() + "…";
    }
    let row = PlanRow {
        id: Uuid::new_v4(),
        workspace_id: p.workspace_id,
        user_id: Some(p.user.id),
        analysis_id: Some(a.id),
        symbol: chart.symbol,
        direction: side.to_string(),
        entry_price: entry,
        stop_price: stop,
        target_price: target,
        notes,
        created_at: now,
    };
    match ctx.store.insert_plan(&row).await {
        Ok(()) => Ok(plan_view(&row)),
        Err(StoreError::Conflict(_)) => Err(AppError::conflict(
            "This analysis is already in the journal as a planned trade",
        )),
        Err(e) => Err(e.into()),
    }
}

/// The side, entry, stop and target of a LONG or SHORT analysis, checked to be on the
/// right sides of each other.
fn levels(v: &AnalysisView) -> Result<(&'static str, Decimal, Decimal, Decimal), AppError> {
    let side = match v.recommendation.as_str() {
        "LONG" => "long",
        "SHORT" => "short",
        other => {
            return Err(AppError::invalid(
                "recommendation",
                format!("This analysis recommends {other}: there is no trade to plan"),
            ))
        }
    };
    let (Some(e), Some(s), Some(t)) = (v.entry_price, v.stop_loss, v.take_profit) else {
        return Err(AppError::invalid(
            "analysis",
            "This analysis has no entry, stop and target to plan from",
        ));
    };
    let (entry, stop, target) = (price(e)?, price(s)?, price(t)?);
    let ordered = if side == "long" {
        stop < entry && entry < target
    } else {
        target < entry && entry < stop
    };
    if !ordered {
        return Err(AppError::invalid(
            "analysis",
            format!(
                "A {side} plan needs the stop and the target on either side of the entry \
                 (entry {entry}, stop {stop}, target {target})"
            ),
        ));
    }
    Ok((side, entry, stop, target))
}

/// An analysis price as an exact decimal: the shortest decimal that reads back as the same
/// double (430.47 stays 430.47, not 430.4699999…).
fn price(x: f64) -> Result<Decimal, AppError> {
    if !(x.is_finite() && x > 0.0) {
        return Err(AppError::invalid(
            "analysis",
            format!("The analysis has a price of {x}, which is not a positive number"),
        ));
    }
    journal::excursion::shortest_decimal(x)
        .ok_or_else(|| AppError::invalid("analysis", format!("The price {x} is out of range")))
}

pub async fn list(ctx: &ServerContext, p: &Principal) -> Result<Vec<PlanView>, AppError> {
    p.require(Action::ViewAnalytics)?;
    Ok(ctx
        .store
        .plans(p.workspace_id)
        .await?
        .iter()
        .map(plan_view)
        .collect())
}

/// Deletes a plan: one's own as a Member, anyone's as Admin or Owner.
pub async fn delete(ctx: &ServerContext, p: &Principal, id: Uuid) -> Result<(), AppError> {
    let plan = ctx
        .store
        .plan(p.workspace_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("Planned trade"))?;
    if plan.user_id == Some(p.user.id) {
        p.require(Action::DeleteOwnTrades)?;
    } else {
        p.require(Action::DeleteAllTrades)?;
    }
    if ctx.store.delete_plan(p.workspace_id, id).await? {
        Ok(())
    } else {
        Err(AppError::not_found("Planned trade"))
    }
}

fn plan_view(r: &PlanRow) -> PlanView {
    let risk = (r.entry_price - r.stop_price).abs();
    let reward = (r.target_price - r.entry_price).abs();
    // A ratio of prices, shown to two places: f64 is fine for a display ratio.
    let risk_reward = (!risk.is_zero())
        .then(|| (reward / risk).round_dp(2).to_string().parse::<f64>().ok())
        .flatten();
    PlanView {
        id: r.id,
        symbol: r.symbol.clone(),
        side: r.direction.clone(),
        entry_price: r.entry_price,
        stop_price: r.stop_price,
        target_price: r.target_price,
        risk_reward,
        analysis_id: r.analysis_id,
        notes: r.notes.clone(),
        created_by: r.user_id,
        created_at: r.created_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts_wire::KeyLevelsView;

    fn view(rec: &str, e: f64, s: f64, t: f64) -> AnalysisView {
        AnalysisView {
            trend: "bullish".into(),
            signals: vec![],
            recommendation: rec.into(),
            entry_price: Some(e),
            stop_loss: Some(s),
            take_profit: Some(t),
            confidence: 6,
            risk_reward_ratio: None,
            analysis_text: String::new(),
            key_levels: KeyLevelsView {
                support: vec![],
                resistance: vec![],
            },
            score: None,
        }
    }

    #[test]
    fn levels_are_exact_decimals_on_the_right_sides() {
        let (side, e, s, t) = levels(&view("LONG", 430.47, 420.0, 449.1)).unwrap();
        assert_eq!(side, "long");
        assert_eq!(e.to_string(), "430.47");
        assert_eq!(s.to_string(), "420");
        assert_eq!(t.to_string(), "449.1");
        let (side, ..) = levels(&view("SHORT", 100.0, 104.0, 92.5)).unwrap();
        assert_eq!(side, "short");
    }

    #[test]
    fn neutral_misordered_and_missing_levels_are_refused() {
        let e = levels(&view("NEUTRAL", 1.0, 0.5, 2.0)).unwrap_err();
        assert!(e.message.contains("recommends NEUTRAL"), "{}", e.message);
        let e = levels(&view("LONG", 100.0, 104.0, 110.0)).unwrap_err();
        assert!(
            e.message.contains("stop and the target on either side"),
            "{}",
            e.message
        );
        let e = levels(&view("SHORT", 100.0, 104.0, 106.0)).unwrap_err();
        assert!(
            e.message.contains("entry 100, stop 104, target 106"),
            "{}",
            e.message
        );
        let mut v = view("LONG", 100.0, 95.0, 110.0);
        v.take_profit = None;
        assert!(levels(&v)
            .unwrap_err()
            .message
            .contains("no entry, stop and target"));
        let e = levels(&view("LONG", f64::NAN, 95.0, 110.0)).unwrap_err();
        assert!(e.message.contains("not a positive number"), "{}", e.message);
    }
}
