//! The Store contract: the same scenarios against the SQLite and the PostgreSQL adapter.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::ssr::store::*;
use chrono::{DateTime, Duration, TimeZone, Utc};
use uuid::Uuid;

fn t(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_790_000_000 + secs, 0).unwrap()
}

fn user(email: &str) -> UserRow {
    UserRow {
        id: Uuid::new_v4(),
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        password_hash: "$argon2id$stub".into(),
        session_epoch: 0,
        active_workspace_id: None,
        created_at: t(0),
    }
}

fn workspace(name: &str, personal: bool) -> WorkspaceRow {
    WorkspaceRow {
        id: Uuid::new_v4(),
        name: name.into(),
        plan: "free".into(),
        personal,
        created_at: t(1),
    }
}

async fn users_and_workspaces(s: &dyn Store) {
    let a = user("a@example.com");
    let wa = workspace("A", true);
    s.create_user_with_workspace(&a, &wa).await.unwrap();
    let got = s.user_by_email("a@example.com").await.unwrap().unwrap();
    assert_eq!(got.id, a.id);
    assert_eq!(got.active_workspace_id, Some(wa.id));
    assert_eq!(got.created_at, a.created_at, "times round-trip exactly");
    assert!(s
        .user_by_email("nobody@example.com")
        .await
        .unwrap()
        .is_none());

    // the unique e-mail is a Conflict, and nothing of the failed sign-up remains
    let dup = user("a@example.com");
    let wdup = workspace("dup", true);
    assert!(matches!(
        s.create_user_with_workspace(&dup, &wdup).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(s.user_by_id(dup.id).await.unwrap().is_none());
    assert!(s.membership(wdup.id, dup.id).await.unwrap().is_none());

    let shared = workspace("Shared", false);
    s.create_workspace(&shared, a.id).await.unwrap();
    let ms = s.memberships(a.id).await.unwrap();
    assert_eq!(ms.len(), 2);
    assert!(ms[0].workspace.personal, "personal workspace first");
    assert_eq!(ms[1].workspace, shared);
    assert_eq!(ms[1].role, "owner");
    assert_eq!(s.count_owners(shared.id).await.unwrap(), 1);

    let epoch = s.update_password(a.id, "$argon2id$new").await.unwrap();
    assert_eq!(epoch, 1);
    let got = s.user_by_id(a.id).await.unwrap().unwrap();
    assert_eq!(got.password_hash, "$argon2id$new");
    assert_eq!(got.session_epoch, 1);
    s.update_user_name(a.id, "Ann").await.unwrap();
    s.set_active_workspace(a.id, shared.id).await.unwrap();
    let got = s.user_by_id(a.id).await.unwrap().unwrap();
    assert_eq!(
        (got.name.as_str(), got.active_workspace_id),
        ("Ann", Some(shared.id))
    );
    s.rename_workspace(shared.id, "Desk").await.unwrap();
    assert_eq!(
        s.membership(shared.id, a.id)
            .await
            .unwrap()
            .unwrap()
            .workspace
            .name,
        "Desk"
    );
    assert!(s.ping().await.is_ok());
}

async fn members_invites_and_deletion(s: &dyn Store) {
    let a = user("owner@example.com");
    let wa = workspace("Owner's", true);
    s.create_user_with_workspace(&a, &wa).await.unwrap();
    let b = user("b@example.com");
    let wb = workspace("B's", true);
    s.create_user_with_workspace(&b, &wb).await.unwrap();

    let invite = InviteRow {
        id: Uuid::new_v4(),
        workspace_id: wa.id,
        email: b.email.clone(),
        role: "viewer".into(),
        token_hash: "h1".into(),
        invited_by: a.id,
        expires_at: t(100),
        accepted_at: None,
        created_at: t(2),
    };
    s.create_invite(&invite).await.unwrap();
    assert_eq!(s.invite_by_token_hash("h1").await.unwrap().unwrap(), invite);
    assert_eq!(s.invites(wa.id).await.unwrap().len(), 1);
    assert!(s.accept_invite(&invite, b.id, t(3)).await.unwrap());
    assert!(
        !s.accept_invite(&invite, b.id, t(4)).await.unwrap(),
        "an invite works once"
    );
    assert_eq!(
        s.invite_by_token_hash("h1")
            .await
            .unwrap()
            .unwrap()
            .accepted_at,
        Some(t(3))
    );
    let members = s.members(wa.id).await.unwrap();
    assert_eq!(members.len(), 2);
    assert_eq!(members[1].email, b.email);
    assert_eq!(members[1].role, "viewer");

    assert!(s.set_member_role(wa.id, b.id, "admin").await.unwrap());
    assert!(
        !s.set_member_role(wb.id, a.id, "admin").await.unwrap(),
        "no such membership"
    );
    assert_eq!(
        s.membership(wa.id, b.id).await.unwrap().unwrap().role,
        "admin"
    );

    // a is the only owner of a workspace b shares: deleting a would orphan it
    let blocking = s.sole_owned_shared_workspaces(a.id).await.unwrap();
    assert_eq!(blocking.len(), 1);
    assert_eq!(blocking[0].id, wa.id);
    assert!(s
        .sole_owned_shared_workspaces(b.id)
        .await
        .unwrap()
        .is_empty());

    // deleting b removes b's personal workspace but not the shared one
    s.delete_user(b.id).await.unwrap();
    assert!(s.user_by_id(b.id).await.unwrap().is_none());
    assert!(s.membership(wb.id, b.id).await.unwrap().is_none());
    assert_eq!(s.members(wa.id).await.unwrap().len(), 1);
    assert_eq!(s.members(wb.id).await.unwrap().len(), 0);

    assert!(s.delete_invite(wa.id, invite.id).await.unwrap());
    assert!(!s.delete_invite(wa.id, invite.id).await.unwrap());
    assert!(s.remove_member(wa.id, a.id).await.unwrap());
    assert!(!s.remove_member(wa.id, a.id).await.unwrap());
    s.delete_workspace(wa.id).await.unwrap();
    assert!(s.memberships(a.id).await.unwrap().is_empty());
}

async fn api_keys(s: &dyn Store) {
    let a = user("k@example.com");
    let wa = workspace("K", true);
    s.create_user_with_workspace(&a, &wa).await.unwrap();
    let key = ApiKeyRow {
        id: Uuid::new_v4(),
        workspace_id: wa.id,
        user_id: a.id,
        name: "script".into(),
        prefix: "rfk_abcdef".into(),
        key_hash: "kh".into(),
        created_at: t(5),
        last_used_at: None,
    };
    s.create_api_key(&key).await.unwrap();
    assert_eq!(s.api_key_by_hash("kh").await.unwrap().unwrap(), key);
    s.touch_api_key(key.id, t(9)).await.unwrap();
    assert_eq!(
        s.api_keys(wa.id, a.id).await.unwrap()[0].last_used_at,
        Some(t(9))
    );
    // scoped: another workspace or user sees and deletes nothing
    assert!(s.api_keys(Uuid::new_v4(), a.id).await.unwrap().is_empty());
    assert!(!s
        .delete_api_key(Uuid::new_v4(), a.id, key.id)
        .await
        .unwrap());
    assert!(!s
        .delete_api_key(wa.id, Uuid::new_v4(), key.id)
        .await
        .unwrap());
    assert!(s.delete_api_key(wa.id, a.id, key.id).await.unwrap());
    assert!(s.api_key_by_hash("kh").await.unwrap().is_none());
}

async fn throttle_windows(s: &dyn Store) {
    let w = Duration::minutes(15);
    let now = t(1000);
    let first = s.record_failure("k", now, now - w).await.unwrap();
    assert_eq!((first.failures, first.window_start), (1, now));
    let second = s.record_failure("k", t(1010), t(1010) - w).await.unwrap();
    assert_eq!(
        (second.failures, second.window_start),
        (2, now),
        "same window"
    );
    let later = t(1000 + 15 * 60);
    let fresh = s.record_failure("k", later, later - w).await.unwrap();
    assert_eq!(
        (fresh.failures, fresh.window_start),
        (1, later),
        "a new window"
    );
    assert_eq!(s.throttle_window("k").await.unwrap().unwrap().failures, 1);
    s.clear_failures("k").await.unwrap();
    assert!(s.throttle_window("k").await.unwrap().is_none());
}

/// Many concurrent failures are all counted (the upsert is one atomic statement).
async fn concurrent_failures_are_all_counted(s: &dyn Store) {
    let now = t(5000);
    let floor = now - Duration::minutes(15);
    let futs: Vec<_> = (0..20)
        .map(|_| s.record_failure("race", now, floor))
        .collect();
    for r in futures::future::join_all(futs).await {
        r.unwrap();
    }
    assert_eq!(
        s.throttle_window("race").await.unwrap().unwrap().failures,
        20
    );
}

/// A journal write computed from an older journal version writes nothing and says so;
/// the same write from the current version lands, with its rows.
async fn stale_journal_writes_are_refused(s: &dyn Store) {
    use app::ssr::journal_store::{ExecutionRow, JournalWrite, WriteOutcome};
    let a = user("j@example.com");
    let wa = workspace("J", true);
    s.create_user_with_workspace(&a, &wa).await.unwrap();
    let fill = |n: i64| ExecutionRow {
        id: Uuid::new_v4(),
        workspace_id: wa.id,
        user_id: Some(a.id),
        import_id: None,
        dedupe_key: format!("k{n}"),
        execution: journal::Execution {
            account: "A".into(),
            broker: "generic".into(),
            symbol: "AAPL".into(),
            instrument: journal::Instrument::Equity,
            side: journal::Side::Buy,
            effect: journal::Effect::Unknown,
            quantity: rust_decimal::Decimal::from(10),
            price: rust_decimal::Decimal::from(170),
            fees: rust_decimal::Decimal::ZERO,
            time: t(n),
            exec_id: None,
            order_id: None,
            option: None,
            multiplier: rust_decimal::Decimal::ONE,
        },
    };
    let (first, second) = (fill(1), fill(2));
    async fn write(s: &dyn Store, ws: Uuid, based_on: i64, row: &ExecutionRow) -> WriteOutcome {
        let rows = vec![row];
        let w = JournalWrite {
            workspace_id: ws,
            based_on,
            executions: &rows,
            delete_executions: &[],
            new_trades: &[],
            changed_trades: &[],
            merges: &[],
            remove_trades: &[],
            import: None,
        };
        s.write_journal(&w, &|_| true).await.unwrap()
    }
    let v0 = s.journal_version(wa.id).await.unwrap().version;
    assert_eq!(write(s, wa.id, v0, &first).await, WriteOutcome::Written);
    // Another write landed (the one above): a change computed from v0 is stale.
    assert_eq!(write(s, wa.id, v0, &second).await, WriteOutcome::Stale);
    let stored = s
        .executions_for_accounts(wa.id, &["A".to_string()])
        .await
        .unwrap();
    assert_eq!(stored.len(), 1, "nothing of the stale write was kept");
    let v1 = s.journal_version(wa.id).await.unwrap().version;
    assert_eq!(v1, v0 + 1, "the refused write left the version alone");
    assert_eq!(write(s, wa.id, v1, &second).await, WriteOutcome::Written);
    assert_eq!(
        s.executions_for_accounts(wa.id, &["A".to_string()])
            .await
            .unwrap()
            .len(),
        2
    );
}

/// What a bulk journal write stores reads back exactly: decimals with their own scale (a
/// fee of `0.00` stays `0.00`), times to the microsecond, text with quotes, commas, tabs,
/// newlines and non-ASCII characters, NULLs as NULLs. PostgreSQL's bulk path is a binary
/// `COPY` encoded by hand, so this pins its NUMERIC and TIMESTAMPTZ encodings.
async fn bulk_rows_read_back_exactly(s: &dyn Store) {
    use app::ssr::journal_store::{ExecutionRow, JournalWrite, TradeRow, WriteOutcome};
    use rust_decimal::Decimal;
    use std::str::FromStr;
    let dec = |v: &str| Decimal::from_str(v).unwrap();
    let a = user("b@example.com");
    let wa = workspace("B", true);
    s.create_user_with_workspace(&a, &wa).await.unwrap();
    // Microseconds: PostgreSQL's precision (SQLite's text keeps finer digits too).
    let at = t(1_700_000_000) + chrono::Duration::microseconds(123_456);
    let micros = at;
    let values = [
        ("0.0001", "12345678.9", "0.00", "1"),
        ("100", "0.00001", "-0.35", "100"),
        ("7.5", "79228162514264.337593543950", "1.10000", "50"),
    ];
    let rows: Vec<ExecutionRow> = values
        .iter()
        .enumerate()
        .map(|(i, (q, p, f, m))| ExecutionRow {
            id: Uuid::now_v7(),
            workspace_id: wa.id,
            user_id: if i == 0 { None } else { Some(a.id) },
            import_id: None,
            dedupe_key: format!("key,\"{i}\"\tñ\n"),
            execution: journal::Execution {
                account: "Ünïcode, \"quoted\"".into(),
                broker: "generic".into(),
                symbol: "SPY".into(),
                instrument: journal::Instrument::Option,
                side: if i % 2 == 0 {
                    journal::Side::Buy
                } else {
                    journal::Side::Sell
                },
                effect: journal::Effect::Open,
                quantity: dec(q),
                price: dec(p),
                fees: dec(f),
                time: at + chrono::Duration::seconds(i as i64),
                exec_id: (i != 1).then(|| format!("x{i}")),
                order_id: None,
                option: (i != 2).then(|| journal::OptionTerms {
                    underlying: "SPY".into(),
                    expiry: chrono::NaiveDate::from_ymd_opt(2026, 12, 18).unwrap(),
                    strike: dec("452.50"),
                    right: journal::Right::Put,
                }),
                multiplier: dec(m),
            },
        })
        .collect();
    let trade = TradeRow {
        id: Uuid::now_v7(),
        workspace_id: wa.id,
        user_id: Some(a.id),
        trade_key: "key,\"0\"".into(),
        account: "Ünïcode, \"quoted\"".into(),
        symbol: "SPY".into(),
        instrument: "option".into(),
        direction: "long".into(),
        status: "closed".into(),
        opened_at: at,
        closed_at: Some(at + chrono::Duration::days(3)),
        quantity: dec("0.0001"),
        multiplier: dec("100"),
        entry_price: dec("12345678.9"),
        exit_price: Some(dec("0.00")),
        gross_pnl: dec("-123456.789"),
        fees: dec("0.35"),
        pnl: dec("-123457.139"),
        pnl_pct: None,
        legs: "[{\"note\":\"a\\\"b\"}]".into(),
        incomplete: true,
        manual: false,
        fingerprint: "f".into(),
        setup: None,
        notes: "line one\nline, two\t\"three\"".into(),
        stop_price: Some(dec("-0.5")),
        target_price: None,
        deleted_at: None,
        created_at: at,
        updated_at: at,
    };
    let refs: Vec<&ExecutionRow> = rows.iter().collect();
    let w = JournalWrite {
        workspace_id: wa.id,
        based_on: s.journal_version(wa.id).await.unwrap().version,
        executions: &refs,
        delete_executions: &[],
        new_trades: std::slice::from_ref(&trade),
        changed_trades: &[],
        merges: &[],
        remove_trades: &[],
        import: None,
    };
    assert_eq!(
        s.write_journal(&w, &|_| true).await.unwrap(),
        WriteOutcome::Written
    );
    let mut stored = s
        .executions_for_accounts(wa.id, &[rows[0].execution.account.clone()])
        .await
        .unwrap();
    stored.sort_by_key(|r| r.execution.time);
    assert_eq!(stored.len(), 3);
    for (got, want) in stored.iter().zip(&rows) {
        let mut want = want.clone();
        want.execution.time = micros + (want.execution.time - at);
        assert_eq!(got, &want);
        // Decimal equality ignores the scale; the text shows it.
        let e = (&got.execution, &want.execution);
        assert_eq!(
            [e.0.quantity, e.0.price, e.0.fees, e.0.multiplier].map(|d| d.to_string()),
            [e.1.quantity, e.1.price, e.1.fees, e.1.multiplier].map(|d| d.to_string())
        );
    }
    let got = s.trade(wa.id, trade.id).await.unwrap().unwrap();
    assert_eq!(
        got.exit_price.map(|d| d.to_string()).as_deref(),
        Some("0.00")
    );
    assert_eq!(got.gross_pnl.to_string(), "-123456.789");
    assert_eq!(got.opened_at, micros);
    assert_eq!(got.notes, trade.notes);
    assert_eq!(got.legs, trade.legs);
    assert_eq!(got.trade_key, trade.trade_key);
    assert_eq!(got.account, trade.account);
    assert_eq!(
        (got.pnl_pct, got.target_price, got.setup),
        (None, None, None)
    );
    assert_eq!(got.stop_price, Some(dec("-0.5")));
    assert_eq!((got.incomplete, got.manual), (true, false));
}

macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let dir = tempfile::tempdir().unwrap();
                    let db = server::db::open(&format!("sqlite://{}/t.db", dir.path().display()))
                        .await
                        .unwrap();
                    assert_eq!(db.store.backend(), "sqlite");
                    super::$name(db.store.as_ref()).await;
                }
            )*
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn postgres_contract() {
            let pg = common::PgCluster::start().await;
            $(
                let url = pg.fresh_database(stringify!($name)).await;
                let db = server::db::open(&url).await.unwrap();
                assert_eq!(db.store.backend(), "postgres");
                $name(db.store.as_ref()).await;
            )*
        }
    };
}

contract!(
    users_and_workspaces,
    members_invites_and_deletion,
    api_keys,
    throttle_windows,
    concurrent_failures_are_all_counted,
    stale_journal_writes_are_refused,
    bulk_rows_read_back_exactly,
);
