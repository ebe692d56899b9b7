//! Saved strategies of the active workspace.

use crate::error::AppError;
use crate::model::SavedStrategy;
use crate::options::StrategySpec;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::now;
#[cfg(feature = "ssr")]
use crate::ssr::{services, session as s};

#[server]
pub async fn list_strategies() -> Result<Vec<SavedStrategy>, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            services::strategies::list(&ctx, &p).await
        }
        .await,
    )
}

#[server(input = server_fn::codec::Json)]
pub async fn save_strategy(
    id: Option<Uuid>,
    name: String,
    spec: StrategySpec,
) -> Result<SavedStrategy, AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            services::strategies::save(&ctx, &p, id, &name, &spec, now()).await
        }
        .await,
    )
}

#[server]
pub async fn delete_strategy(id: Uuid) -> Result<(), AppError> {
    s::with_status(
        async {
            let (ctx, p, _) = s::principal().await?;
            services::strategies::delete(&ctx, &p, id).await
        }
        .await,
    )
}
