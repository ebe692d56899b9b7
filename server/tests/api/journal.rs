//! The journal over HTTP: imports (preview, commit, dedupe, all-or-nothing), trades
//! (filters, edits, tags, trash), analytics, export and re-import, roles and tenants.

use crate::common::{Client, Resp, TestServer};
use crate::on_both_backends;
use serde_json::{json, Value};

on_both_backends!(
    import_preview_commit_and_dedupe,
    bad_rows_refuse_the_whole_file,
    trades_edit_tag_filter_and_trash,
    analytics_match_hand_worked_values,
    analytics_follow_every_journal_change,
    trades_keep_what_the_trader_wrote_when_their_fills_change,
    purging_the_trade_before_a_flip_keeps_the_next_one_whole,
    export_reimports_without_duplicates,
    manual_trades_validate_their_input,
    saved_column_mappings_import_any_csv,
    journal_respects_roles_and_tenants,
    deleting_a_workspace_or_a_user_takes_their_journal_along,
    tags_are_renamed_recoloured_and_deleted,
    excursions_come_from_stored_bars,
);

/// Two closed round trips (AAPL long +248 after fees, TSLA short +249) and an open MSFT.
pub const GENERIC: &str = "Date,Time,Symbol,Quantity,Price,Side,Commission\n\
2024-03-04,09:30:00,AAPL,100,170.00,Buy,1.00\n\
2024-03-04,10:15:00,AAPL,100,172.50,Sell,1.00\n\
2024-03-05,09:45:00,TSLA,50,200.00,Short,0.50\n\
2024-03-05,11:00:00,TSLA,50,195.00,Cover,0.50\n\
2024-03-06,09:35:00,MSFT,10,400.00,Buy,0.00\n";

pub async fn upload(c: &Client, csv: &str, extra: &[(&str, &str)]) -> Resp {
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("trades.csv"),
    );
    for (k, v) in extra {
        form = form.text(k.to_string(), v.to_string());
    }
    c.raw(
        c.http
            .post(format!("{}/api/v1/imports", c.base))
            .multipart(form),
    )
    .await
}

fn trades_of(r: &Resp) -> Vec<Value> {
    r.data()["trades"].as_array().cloned().unwrap_or_default()
}

async fn import_preview_commit_and_dedupe(s: &TestServer) {
    let u = s.user("Ivy").await;
    let p = upload(&u.client, GENERIC, &[("dry_run", "true")]).await;
    assert_eq!(p.status, 200, "{}", p.text);
    let d = p.data();
    assert_eq!(d["status"], "preview");
    assert_eq!(d["format"], "generic");
    assert_eq!(
        (d["executions"].as_u64(), d["duplicates"].as_u64()),
        (Some(5), Some(0))
    );
    assert_eq!(d["trades"], 3);
    assert_eq!(d["preview_trades"].as_array().unwrap().len(), 3);
    // Times are New York by default: 09:30 EST is 14:30 UTC.
    assert_eq!(d["preview_rows"][0]["time"], "2024-03-04T14:30:00Z");
    // The dry run saved nothing.
    let l = u.client.get("/api/v1/trades").await;
    assert_eq!(l.data()["pagination"]["total"], 0);

    let c = upload(&u.client, GENERIC, &[]).await;
    assert_eq!(c.status, 201, "{}", c.text);
    assert_eq!(c.data()["status"], "done");
    assert_eq!(c.data()["executions"], 5);
    let id = c.data()["id"].as_str().unwrap().to_string();
    let g = u.client.get(&format!("/api/v1/imports/{id}")).await;
    assert_eq!(g.data()["status"], "done", "{}", g.text);

    // The same file again adds nothing.
    let again = upload(&u.client, GENERIC, &[]).await;
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.data()["executions"], 0);
    assert_eq!(again.data()["duplicates"], 5);
    let l = u.client.get("/api/v1/trades?limit=2").await;
    assert_eq!(l.data()["pagination"]["total"], 3);
    assert_eq!(l.data()["pagination"]["has_more"], true);
    assert_eq!(trades_of(&l).len(), 2);
    let e = u.client.get("/api/v1/executions").await;
    assert_eq!(e.data()["pagination"]["total"], 5);

    let aapl = u.client.get("/api/v1/trades?symbol=aapl").await;
    let t = &trades_of(&aapl)[0];
    assert_eq!(t["side"], "long");
    assert_eq!(t["status"], "closed");
    assert_eq!(t["pnl"], "248.00");
    assert_eq!(t["gross_pnl"], "250.00");
    assert_eq!(t["fees"], "2.00");
    assert_eq!(t["hold_seconds"], 45 * 60);
    assert_eq!(t["opened_at"], "2024-03-04T14:30:00Z");
    let closed = u.client.get("/api/v1/trades?status=closed").await;
    assert_eq!(closed.data()["pagination"]["total"], 2);
    let short = u.client.get("/api/v1/trades?side=short").await;
    assert_eq!(trades_of(&short)[0]["symbol"], "TSLA");
    let range = u
        .client
        .get("/api/v1/trades?from=2024-03-05&to=2024-03-05")
        .await;
    assert_eq!(range.data()["pagination"]["total"], 1);
    u.client
        .get("/api/v1/trades?status=maybe")
        .await
        .fails(400, "VALIDATION_ERROR");
    u.client
        .get("/api/v1/trades?limit=0")
        .await
        .fails(400, "VALIDATION_ERROR");
}

async fn bad_rows_refuse_the_whole_file(s: &TestServer) {
    let u = s.user("Bo").await;
    let bad_opts = s.user("Bea").await;
    upload(&bad_opts.client, GENERIC, &[("timezone", "Mars/Olympus")])
        .await
        .fails(400, "VALIDATION_ERROR");
    let bad = GENERIC.replace("172.50", "abc");
    let r = upload(&u.client, &bad, &[]).await;
    r.fails(400, "VALIDATION_ERROR");
    let errors = r.body["error"]["details"]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{}", r.text);
    assert_eq!(errors[0]["line"], 3);
    let l = u.client.get("/api/v1/trades").await;
    assert_eq!(l.data()["pagination"]["total"], 0, "nothing saved");
    // The preview shows the same error without failing.
    let p = upload(&u.client, &bad, &[("dry_run", "true")]).await;
    assert_eq!(p.data()["errors"][0]["line"], 3);
    // Asked explicitly, the readable rows go in (in one transaction) and the bad one stays out.
    let skip = upload(&u.client, &bad, &[("skip_errors", "true")]).await;
    assert_eq!(skip.status, 201, "{}", skip.text);
    assert_eq!(skip.data()["executions"], 4);
    assert_eq!(skip.data()["errors"][0]["line"], 3);
    let l = u.client.get("/api/v1/trades").await;
    // AAPL's sell was the bad row: its buy is now an open trade.
    assert_eq!(l.data()["pagination"]["total"], 3);
    // Bad options are named.
    upload(&u.client, GENERIC, &[("format", "excel")])
        .await
        .fails(400, "VALIDATION_ERROR");
    upload(&u.client, "hello,world\n1,2\n", &[])
        .await
        .fails(400, "VALIDATION_ERROR");
}

async fn trades_edit_tag_filter_and_trash(s: &TestServer) {
    let u = s.user("Tara").await;
    assert_eq!(upload(&u.client, GENERIC, &[]).await.status, 201);
    let aapl = trades_of(&u.client.get("/api/v1/trades?symbol=AAPL").await)[0].clone();
    let id = aapl["id"].as_str().unwrap();
    let r = u
        .client
        .patch(
            &format!("/api/v1/trades/{id}"),
            json!({"setup": "Opening range", "notes": "**Patient** entry", "stop": "169.00",
                   "target": "175", "tags": ["breakout", "A+"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let t = r.data();
    assert_eq!(t["setup"], "Opening range");
    // Risk 1.00 × 100 shares; P&L 248 → 2.48 R.
    assert_eq!(t["risk"], "100.00");
    assert!((t["r_multiple"].as_f64().unwrap() - 2.48).abs() < 1e-12);
    let names: Vec<&str> = t["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["A+", "breakout"]);
    let tagged = u.client.get("/api/v1/trades?tag=breakout").await;
    assert_eq!(tagged.data()["pagination"]["total"], 1);
    let setup = u.client.get("/api/v1/trades?setup=Opening%20range").await;
    assert_eq!(setup.data()["pagination"]["total"], 1);
    let tags = u.client.get("/api/v1/tags").await;
    assert_eq!(tags.data().as_array().unwrap().len(), 2);
    // Clearing with null, validation with the field named.
    let r = u
        .client
        .patch(&format!("/api/v1/trades/{id}"), json!({"stop": null}))
        .await;
    assert_eq!(r.data()["r_multiple"], Value::Null);
    let e = u
        .client
        .patch(&format!("/api/v1/trades/{id}"), json!({"stop": "-5"}))
        .await;
    e.fails(400, "VALIDATION_ERROR");
    assert_eq!(e.body["error"]["details"]["field"], "stop");
    let long = "x".repeat(5001);
    u.client
        .patch(&format!("/api/v1/trades/{id}"), json!({"notes": long}))
        .await
        .fails(400, "VALIDATION_ERROR");

    // A re-import keeps the notes and tags (trades keep their identity).
    assert_eq!(upload(&u.client, GENERIC, &[]).await.status, 201);
    let again = u.client.get(&format!("/api/v1/trades/{id}")).await;
    assert_eq!(again.data()["setup"], "Opening range");
    assert_eq!(again.data()["tags"].as_array().unwrap().len(), 2);

    // Trash and undo.
    assert_eq!(
        u.client
            .delete(&format!("/api/v1/trades/{id}"))
            .await
            .status,
        200
    );
    assert_eq!(
        u.client.get("/api/v1/trades").await.data()["pagination"]["total"],
        2
    );
    let trash = u.client.get("/api/v1/trades?deleted=true").await;
    assert_eq!(trades_of(&trash)[0]["id"], id);
    let back = u
        .client
        .post(&format!("/api/v1/trades/{id}/restore"), json!({}))
        .await;
    assert_eq!(back.data()["deleted_at"], Value::Null);
    assert_eq!(
        u.client.get("/api/v1/trades").await.data()["pagination"]["total"],
        3
    );
    // Purge removes the trade and its executions for good.
    let p = u
        .client
        .delete(&format!("/api/v1/trades/{id}?purge=true"))
        .await;
    assert_eq!(p.status, 200, "{}", p.text);
    u.client
        .get(&format!("/api/v1/trades/{id}"))
        .await
        .fails(404, "NOT_FOUND");
    assert_eq!(
        u.client.get("/api/v1/executions").await.data()["pagination"]["total"],
        3
    );
}

async fn analytics_match_hand_worked_values(s: &TestServer) {
    let u = s.user("Ana").await;
    let empty = u.client.get("/api/v1/analytics/summary").await;
    assert_eq!(empty.data()["total_trades"], 0);
    assert_eq!(empty.data()["win_rate"], Value::Null);
    assert_eq!(empty.data()["net_pnl"], "0.00");
    assert_eq!(upload(&u.client, GENERIC, &[]).await.status, 201);
    let r = u.client.get("/api/v1/analytics/summary").await;
    let d = r.data();
    assert_eq!(d["total_trades"], 2, "{}", r.text);
    assert_eq!(
        (d["winners"].as_u64(), d["losers"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(d["win_rate"], 1.0);
    assert_eq!(d["gross_profit"], "497.00");
    assert_eq!(d["gross_loss"], "0.00");
    assert_eq!(d["net_pnl"], "497.00");
    assert_eq!(d["fees"], "3.00");
    assert_eq!(d["profit_factor"], Value::Null);
    assert_eq!(d["expectancy"], "248.50");
    assert_eq!(d["largest_win"], "249.00");
    assert_eq!(d["max_drawdown"], "0.00");
    assert_eq!(d["max_consecutive_wins"], 2);
    let sym = u.client.get("/api/v1/analytics/summary?symbol=TSLA").await;
    assert_eq!(sym.data()["net_pnl"], "249.00");

    let curve = u
        .client
        .get("/api/v1/analytics/equity-curve?period=day")
        .await;
    let pts = curve.data().as_array().unwrap();
    assert_eq!(pts.len(), 2);
    assert_eq!(pts[0]["period"], "2024-03-04");
    assert_eq!(pts[1]["cumulative"], "497.00");
    let weeks = u
        .client
        .get("/api/v1/analytics/equity-curve?period=week")
        .await;
    assert_eq!(weeks.data().as_array().unwrap().len(), 1);
    u.client
        .get("/api/v1/analytics/equity-curve?period=year")
        .await
        .fails(400, "VALIDATION_ERROR");
    let cal = u
        .client
        .get("/api/v1/analytics/calendar?year=2024&tz=America/New_York")
        .await;
    assert_eq!(cal.data()[1]["date"], "2024-03-05");
    assert_eq!(cal.data()[1]["pnl"], "249.00");
    u.client
        .get("/api/v1/analytics/calendar")
        .await
        .fails(400, "VALIDATION_ERROR");
    let by = u.client.get("/api/v1/analytics/breakdown?by=symbol").await;
    let keys: Vec<&str> = by
        .data()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, vec!["AAPL", "TSLA"]);
    u.client
        .get("/api/v1/analytics/breakdown?by=moon")
        .await
        .fails(400, "VALIDATION_ERROR");
    u.client
        .get("/api/v1/analytics/summary?tz=Nowhere")
        .await
        .fails(400, "VALIDATION_ERROR");
}

/// Analytics keep the trades they load until the journal changes: every kind of change
/// (trash, restore, stop, tags, tag rename and delete, new executions) shows at once.
async fn analytics_follow_every_journal_change(s: &TestServer) {
    let u = s.user("Vera").await;
    assert_eq!(upload(&u.client, GENERIC, &[]).await.status, 201);
    let summary = |query: &str| {
        let c = &u.client;
        let path = format!("/api/v1/analytics/summary{query}");
        async move {
            let r = c.get(&path).await;
            assert_eq!(r.status, 200, "{}", r.text);
            r.data().clone()
        }
    };
    let totals = |d: &Value| (d["total_trades"].clone(), d["net_pnl"].clone());
    assert_eq!(totals(&summary("").await), (json!(2), json!("497.00")));
    assert_eq!(
        totals(&summary("").await),
        (json!(2), json!("497.00")),
        "the second answer (cached) is the same"
    );
    let aapl = trades_of(&u.client.get("/api/v1/trades?symbol=AAPL").await)[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let trade = format!("/api/v1/trades/{aapl}");

    assert_eq!(u.client.delete(&trade).await.status, 200);
    assert_eq!(totals(&summary("").await), (json!(1), json!("249.00")));
    let back = u.client.post(&format!("{trade}/restore"), json!({})).await;
    assert_eq!(back.status, 200, "{}", back.text);
    assert_eq!(totals(&summary("").await), (json!(2), json!("497.00")));

    assert_eq!(summary("").await["r_trades"], 0);
    let r = u.client.patch(&trade, json!({"stop": "169.00"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let with_stop = summary("").await;
    assert_eq!(with_stop["r_trades"], 1);
    assert!((with_stop["avg_r"].as_f64().unwrap() - 2.48).abs() < 1e-12);

    assert_eq!(summary("?tag=swing").await["total_trades"], 0);
    let r = u.client.patch(&trade, json!({"tags": ["swing"]})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        totals(&summary("?tag=swing").await),
        (json!(1), json!("248.00"))
    );
    let tag = u.client.get("/api/v1/tags").await.data()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = u
        .client
        .patch(&format!("/api/v1/tags/{tag}"), json!({"name": "momentum"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(summary("?tag=swing").await["total_trades"], 0);
    assert_eq!(summary("?tag=momentum").await["total_trades"], 1);
    assert_eq!(
        u.client.delete(&format!("/api/v1/tags/{tag}")).await.status,
        200
    );
    assert_eq!(summary("?tag=momentum").await["total_trades"], 0);

    // A new fill closes the open MSFT trade: +100.
    let close = "Date,Time,Symbol,Quantity,Price,Side,Commission\n\
                 2024-03-07,10:00:00,MSFT,10,410.00,Sell,0.00\n";
    assert_eq!(upload(&u.client, close, &[]).await.status, 201);
    assert_eq!(totals(&summary("").await), (json!(3), json!("597.00")));
}

/// A trade whose opening fill changes (an older statement adds an earlier fill) keeps its
/// id, notes, tags and files; two trades joined by a new fill become one that keeps both.
async fn trades_keep_what_the_trader_wrote_when_their_fills_change(s: &TestServer) {
    let u = s.user("Kai").await;
    let head = "Date,Time,Symbol,Quantity,Price,Side,Commission\n";
    let first = format!(
        "{head}2024-03-04,10:00:00,AAPL,100,170.00,Buy,0\n\
         2024-03-04,10:30:00,AAPL,100,171.00,Sell,0\n\
         2024-03-04,11:00:00,AAPL,100,172.00,Buy,0\n\
         2024-03-04,11:30:00,AAPL,100,173.00,Sell,0\n"
    );
    assert_eq!(upload(&u.client, &first, &[]).await.status, 201);
    let list = trades_of(&u.client.get("/api/v1/trades").await);
    let id_of = |i: usize| list[i]["id"].as_str().unwrap().to_string();
    // Newest first: the 11:00 trade, then the 10:00 one.
    let (early, late) = (id_of(1), id_of(0));
    let r = u
        .client
        .patch(
            &format!("/api/v1/trades/{early}"),
            json!({"notes": "first", "tags": ["a"], "stop": "169.00"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = u
        .client
        .patch(
            &format!("/api/v1/trades/{late}"),
            json!({"notes": "second", "tags": ["b"], "setup": "Pullback"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let file =
        crate::attachments::attach(&u.client, &late, "plan.pdf", crate::attachments::PDF).await;
    assert_eq!(file.status, 201, "{}", file.text);
    let totals = |d: &Value| (d["total_trades"].clone(), d["net_pnl"].clone());
    let summary = u.client.get("/api/v1/analytics/summary").await;
    assert_eq!(totals(summary.data()), (json!(2), json!("200.00")));

    // An earlier fill: the first trade now opens at 09:45 (FIFO: +100 +50 +100).
    let earlier = format!(
        "{head}2024-03-04,09:45:00,AAPL,50,169.00,Buy,0\n\
         2024-03-04,10:45:00,AAPL,50,172.00,Sell,0\n"
    );
    assert_eq!(upload(&u.client, &earlier, &[]).await.status, 201);
    let t = u.client.get(&format!("/api/v1/trades/{early}")).await;
    assert_eq!(t.status, 200, "the trade keeps its id: {}", t.text);
    let t = t.data();
    assert_eq!(t["opened_at"], "2024-03-04T14:45:00Z", "09:45 New York");
    assert_eq!(t["pnl"], "250.00");
    assert_eq!(t["notes"], "first");
    assert_eq!(t["stop"], "169");
    assert_eq!(t["tags"][0]["name"], "a");
    let summary = u.client.get("/api/v1/analytics/summary").await;
    assert_eq!(totals(summary.data()), (json!(2), json!("350.00")));

    // A fill that leaves 10 shares open at 10:45 joins the two trades into one.
    let bridge = format!("{head}2024-03-04,10:40:00,AAPL,10,171.00,Buy,0\n");
    assert_eq!(upload(&u.client, &bridge, &[]).await.status, 201);
    let list = trades_of(&u.client.get("/api/v1/trades").await);
    assert_eq!(list.len(), 1, "{list:?}");
    let t = &list[0];
    assert_eq!(
        t["id"],
        early.as_str(),
        "the trade with the opening fill survives"
    );
    assert_eq!(t["status"], "open");
    assert_eq!(t["notes"], "first\n\nsecond");
    assert_eq!(t["setup"], "Pullback");
    assert_eq!(t["stop"], "169");
    let tags: Vec<&str> = t["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(tags, vec!["a", "b"]);
    let files = u
        .client
        .get(&format!("/api/v1/trades/{early}/attachments"))
        .await;
    assert_eq!(
        files.data().as_array().map(Vec::len),
        Some(1),
        "{}",
        files.text
    );
    u.client
        .get(&format!("/api/v1/trades/{late}"))
        .await
        .fails(404, "NOT_FOUND");
    let summary = u.client.get("/api/v1/analytics/summary").await;
    assert_eq!(totals(summary.data()), (json!(0), json!("0.00")));
}

async fn purging_the_trade_before_a_flip_keeps_the_next_one_whole(s: &TestServer) {
    let u = s.user("Flo").await;
    // Long 100, a sell of 300 that closes it and opens a short 200, a cover of 200.
    let csv = "Date,Time,Symbol,Quantity,Price,Side,Commission\n\
        2024-03-04,10:00:00,AAPL,100,170.00,Buy,1.00\n\
        2024-03-04,10:30:00,AAPL,300,172.00,Sell,3.00\n\
        2024-03-04,11:00:00,AAPL,200,171.00,Buy,2.00\n";
    assert_eq!(upload(&u.client, csv, &[]).await.status, 201);
    let list = trades_of(&u.client.get("/api/v1/trades").await);
    assert_eq!(list.len(), 2, "{list:?}");
    // Newest first: the short opened by the flip, then the long.
    let (short, long) = (
        list[0]["id"].as_str().unwrap(),
        list[1]["id"].as_str().unwrap(),
    );
    let r = u
        .client
        .patch(
            &format!("/api/v1/trades/{short}"),
            json!({"notes": "keep me"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = u
        .client
        .delete(&format!("/api/v1/trades/{long}?purge=true"))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let list = trades_of(&u.client.get("/api/v1/trades").await);
    assert_eq!(list.len(), 1, "{list:?}");
    let t = u.client.get(&format!("/api/v1/trades/{short}")).await;
    assert_eq!(t.status, 200, "the short keeps its id: {}", t.text);
    let t = t.data();
    assert_eq!(t["notes"], "keep me");
    assert_eq!(t["side"], "short");
    assert_eq!(t["quantity"], "200");
    assert_eq!(t["opened_at"], "2024-03-04T15:30:00Z");
    assert_eq!(t["incomplete"], false, "its opening fill is still there");
    // (172 - 171) × 200 less its share of the flip's fees (2.00) and the cover's (2.00).
    assert_eq!(t["pnl"], "196.00");
    // What is left of the flip: a sell of 200 with two thirds of its fees.
    let execs = u.client.get("/api/v1/executions").await;
    let rows = execs.data()["executions"].as_array().unwrap();
    let sizes: Vec<(String, String, String)> = rows
        .iter()
        .map(|e| {
            (
                e["side"].as_str().unwrap().to_string(),
                e["quantity"].as_str().unwrap().to_string(),
                e["fees"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(sizes.len(), 2, "{sizes:?}");
    assert!(
        sizes.contains(&("sell".into(), "200".into(), "2.00".into())),
        "{sizes:?}"
    );
    // Re-importing the statement brings back only the purged trade's own fill.
    let again = upload(&u.client, csv, &[]).await;
    assert_eq!(again.data()["duplicates"], 2, "{}", again.text);
}

async fn export_reimports_without_duplicates(s: &TestServer) {
    let u = s.user("Eli").await;
    assert_eq!(upload(&u.client, GENERIC, &[]).await.status, 201);
    let res = u
        .client
        .http
        .get(format!("{}/api/v1/trades/export?format=csv", u.client.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    assert!(csv.lines().count() >= 6, "{csv}");
    let again = upload(
        &u.client,
        &csv,
        &[("format", "generic"), ("timezone", "UTC")],
    )
    .await;
    assert_eq!(again.status, 201, "{}", again.text);
    assert_eq!(again.data()["executions"], 0, "{}", again.text);
    assert_eq!(again.data()["duplicates"], 5);
    let json = u.client.get("/api/v1/trades/export?format=json").await;
    assert_eq!(
        json.body["trades"].as_array().unwrap().len(),
        3,
        "{}",
        json.text
    );
    assert_eq!(json.body["executions"].as_array().unwrap().len(), 5);
    u.client
        .get("/api/v1/trades/export?format=xlsx")
        .await
        .fails(400, "VALIDATION_ERROR");
}

async fn manual_trades_validate_their_input(s: &TestServer) {
    let u = s.user("Max").await;
    let ok = u
        .client
        .post(
            "/api/v1/trades",
            json!({"symbol": "es", "instrument": "future", "multiplier": "50", "side": "short",
                   "quantity": "2", "entry_price": "5100.25", "entry_time": "2024-03-04T14:30:00Z",
                   "exit_price": "5090", "exit_time": "2024-03-04T15:00:00Z", "fees": "4.50",
                   "tags": ["scalp"], "stop": "5105.25"}),
        )
        .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    let t = ok.data();
    assert_eq!(t["symbol"], "ES");
    assert_eq!(t["manual"], true);
    // 2 × 50 × 10.25 = 1025, less 4.50 fees.
    assert_eq!(t["pnl"], "1020.50");
    assert_eq!(t["risk"], "500.00");
    assert_eq!(t["tags"][0]["name"], "scalp");
    for (body, field) in [
        (
            json!({"symbol": "", "side": "long", "quantity": "1", "entry_price": "1", "entry_time": "2024-03-04T14:30:00Z"}),
            "symbol",
        ),
        (
            json!({"symbol": "AAPL", "side": "up", "quantity": "1", "entry_price": "1", "entry_time": "2024-03-04T14:30:00Z"}),
            "side",
        ),
        (
            json!({"symbol": "AAPL", "side": "long", "quantity": "-1", "entry_price": "1", "entry_time": "2024-03-04T14:30:00Z"}),
            "quantity",
        ),
        (
            json!({"symbol": "AAPL", "side": "long", "quantity": "1", "entry_price": "0", "entry_time": "2024-03-04T14:30:00Z"}),
            "entry_price",
        ),
        (
            json!({"symbol": "AAPL", "side": "long", "quantity": "1", "entry_price": "1", "entry_time": "yesterday"}),
            "entry_time",
        ),
        (
            json!({"symbol": "AAPL", "side": "long", "quantity": "1", "entry_price": "1", "entry_time": "2024-03-04T14:30:00Z", "exit_price": "2"}),
            "exit_time",
        ),
        (
            json!({"symbol": "AAPL", "side": "long", "quantity": "1", "entry_price": "1", "entry_time": "2024-03-04T14:30:00Z", "exit_price": "2", "exit_time": "2024-03-03T14:30:00Z"}),
            "exit_time",
        ),
        (
            json!({"symbol": "AAPL", "side": "long", "quantity": "1", "entry_price": "1", "entry_time": "2024-03-04T14:30:00Z", "fees": "-1"}),
            "fees",
        ),
    ] {
        let e = u.client.post("/api/v1/trades", body).await;
        e.fails(400, "VALIDATION_ERROR");
        assert_eq!(e.body["error"]["details"]["field"], field, "{}", e.text);
    }
}

async fn journal_respects_roles_and_tenants(s: &TestServer) {
    let owner = s.user("Own").await;
    let member = s.join(&owner, "Mem", "member").await;
    let viewer = s.join(&owner, "View", "viewer").await;
    let stranger = s.user("Eve").await;

    let c = upload(&owner.client, GENERIC, &[]).await;
    assert_eq!(c.status, 201, "{}", c.text);
    let import_id = c.data()["id"].as_str().unwrap().to_string();
    let trades = trades_of(&owner.client.get("/api/v1/trades").await);
    let id = trades[0]["id"].as_str().unwrap().to_string();

    // Everyone in the workspace reads; the viewer cannot import, edit or delete.
    assert_eq!(
        trades_of(&viewer.client.get("/api/v1/trades").await).len(),
        3
    );
    upload(&viewer.client, GENERIC, &[])
        .await
        .fails(403, "FORBIDDEN");
    viewer
        .client
        .patch(&format!("/api/v1/trades/{id}"), json!({"notes": "x"}))
        .await
        .fails(403, "FORBIDDEN");
    viewer
        .client
        .delete(&format!("/api/v1/trades/{id}"))
        .await
        .fails(403, "FORBIDDEN");
    // A member edits their own trades but not the owner's.
    member
        .client
        .patch(&format!("/api/v1/trades/{id}"), json!({"notes": "x"}))
        .await
        .fails(403, "FORBIDDEN");
    let mine = member
        .client
        .post(
            "/api/v1/trades",
            json!({"symbol": "AMD", "side": "long", "quantity": "5", "entry_price": "150",
                   "entry_time": "2024-03-07T14:30:00Z"}),
        )
        .await;
    assert_eq!(mine.status, 201, "{}", mine.text);
    let mine_id = mine.data()["id"].as_str().unwrap().to_string();
    let r = member
        .client
        .patch(
            &format!("/api/v1/trades/{mine_id}"),
            json!({"notes": "mine"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    // The owner edits anyone's.
    let r = owner
        .client
        .patch(
            &format!("/api/v1/trades/{mine_id}"),
            json!({"setup": "gap"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    // Another tenant sees nothing and touches nothing, through every route.
    let l = stranger.client.get("/api/v1/trades").await;
    assert_eq!(l.data()["pagination"]["total"], 0);
    assert_eq!(
        stranger.client.get("/api/v1/executions").await.data()["pagination"]["total"],
        0
    );
    assert_eq!(
        stranger
            .client
            .get("/api/v1/analytics/summary")
            .await
            .data()["total_trades"],
        0
    );
    assert_eq!(
        stranger
            .client
            .get("/api/v1/tags")
            .await
            .data()
            .as_array()
            .unwrap()
            .len(),
        0
    );
    stranger
        .client
        .get(&format!("/api/v1/trades/{id}"))
        .await
        .fails(404, "NOT_FOUND");
    stranger
        .client
        .patch(
            &format!("/api/v1/trades/{id}"),
            json!({"notes": "pwned", "tags": ["x"]}),
        )
        .await
        .fails(404, "NOT_FOUND");
    stranger
        .client
        .delete(&format!("/api/v1/trades/{id}"))
        .await
        .fails(404, "NOT_FOUND");
    stranger
        .client
        .delete(&format!("/api/v1/trades/{id}?purge=true"))
        .await
        .fails(404, "NOT_FOUND");
    stranger
        .client
        .post(&format!("/api/v1/trades/{id}/restore"), json!({}))
        .await
        .fails(404, "NOT_FOUND");
    stranger
        .client
        .get(&format!("/api/v1/imports/{import_id}"))
        .await
        .fails(404, "NOT_FOUND");
    stranger
        .client
        .delete(&format!("/api/v1/imports/{import_id}"))
        .await
        .fails(404, "NOT_FOUND");
    let csv = stranger
        .client
        .http
        .get(format!(
            "{}/api/v1/trades/export?format=csv",
            stranger.client.base
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 1, "header only: {csv}");
    // The same file in another workspace is new there (dedupe is per workspace).
    let theirs = upload(&stranger.client, GENERIC, &[]).await;
    assert_eq!(theirs.data()["executions"], 5);
    let still = owner.client.get(&format!("/api/v1/trades/{id}")).await;
    assert_ne!(still.data()["notes"], "pwned");
    // Unauthenticated callers get the envelope.
    s.client()
        .get("/api/v1/trades")
        .await
        .fails(401, "UNAUTHORIZED");
}

async fn saved_column_mappings_import_any_csv(s: &TestServer) {
    let u = s.user("Map").await;
    let csv = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../journal/tests/data/imports/custom_broker.csv"
    ))
    .unwrap();
    // Not a known format: refused with a pointer to the mapper.
    upload(&u.client, &csv, &[])
        .await
        .fails(400, "VALIDATION_ERROR");
    let mapping = json!({
        "date": "Trade Date", "time": "Trade Time", "datetime_format": "%d.%m.%Y %H:%M:%S",
        "symbol": "Ticker", "side": "B/S", "quantity": "Shares", "price": "Fill Price",
        "fees": ["Commission", "Reg Fee"], "account": "Acct", "exec_id": "Exec ID", "order_id": null
    });
    let bad = u
        .client
        .post(
            "/api/v1/imports/mappings",
            json!({"name": "My broker", "mapping": {"date": "", "datetime_format": "%d", "symbol": "x",
                   "side": "", "quantity": "q", "price": "p", "fees": []}}),
        )
        .await;
    bad.fails(400, "VALIDATION_ERROR");
    assert_eq!(bad.body["error"]["details"]["field"], "date");
    let saved = u
        .client
        .post(
            "/api/v1/imports/mappings",
            json!({"name": "My broker", "mapping": mapping}),
        )
        .await;
    assert_eq!(saved.status, 201, "{}", saved.text);
    // An empty date format means "the usual forms" (the mapper's choice when no common
    // format reads the sample); it saves too.
    let mut usual = mapping.clone();
    usual["datetime_format"] = json!("");
    let r = u
        .client
        .post(
            "/api/v1/imports/mappings",
            json!({"name": "Usual dates", "mapping": usual}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let list = u.client.get("/api/v1/imports/mappings").await;
    assert_eq!(list.data()[0]["name"], "My broker");
    assert_eq!(list.data().as_array().unwrap().len(), 2);
    let r = upload(
        &u.client,
        &csv,
        &[("mapping", "My broker"), ("dry_run", "true")],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.data()["format"], "mapped");
    // The sample's last row has a side the mapping cannot read, reported with its line.
    assert_eq!(r.data()["errors"][0]["line"], 9, "{}", r.text);
    assert_eq!(r.data()["executions"], 7);
    let first = &r.data()["preview_rows"][0];
    assert_eq!(first["account"], "ACC-9");
    assert_eq!(first["fees"], "1.02");
    // Another workspace does not see the mapping.
    let other = s.user("Nomap").await;
    upload(&other.client, &csv, &[("mapping", "My broker")])
        .await
        .fails(400, "VALIDATION_ERROR");
    // A mapping keeps its statement timezone: the next file is read in it unless the
    // import names another. An unknown zone is refused when saving.
    let mut berlin = mapping.clone();
    berlin["timezone"] = json!("Mars/Olympus");
    let r = u
        .client
        .post(
            "/api/v1/imports/mappings",
            json!({"name": "Berlin broker", "mapping": berlin}),
        )
        .await;
    r.fails(400, "VALIDATION_ERROR");
    assert_eq!(
        r.body["error"]["details"]["field"], "timezone",
        "{}",
        r.text
    );
    berlin["timezone"] = json!("Europe/Berlin");
    let r = u
        .client
        .post(
            "/api/v1/imports/mappings",
            json!({"name": "Berlin broker", "mapping": berlin}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.data()["mapping"]["timezone"], "Europe/Berlin");
    let first_time = |r: &Resp| r.data()["preview_rows"][0]["time"].clone();
    let r = upload(
        &u.client,
        &csv,
        &[("mapping", "Berlin broker"), ("dry_run", "true")],
    )
    .await;
    assert_eq!(first_time(&r), "2024-03-04T08:30:15Z", "{}", r.text);
    let r = upload(
        &u.client,
        &csv,
        &[
            ("mapping", "Berlin broker"),
            ("timezone", "America/New_York"),
            ("dry_run", "true"),
        ],
    )
    .await;
    assert_eq!(first_time(&r), "2024-03-04T14:30:15Z", "{}", r.text);
}

async fn deleting_a_workspace_or_a_user_takes_their_journal_along(s: &TestServer) {
    let owner = s.user("Wanda").await;
    let desk = owner
        .client
        .post("/api/v1/workspaces", json!({"name": "Desk"}))
        .await;
    assert_eq!(desk.status, 201, "{}", desk.text);
    let desk: uuid::Uuid = desk.data()["id"].as_str().unwrap().parse().unwrap();
    let activate = |c: &Client, ws: uuid::Uuid| {
        let c = c.clone();
        async move {
            let r = c
                .put(
                    "/api/v1/me/active-workspace",
                    json!({"workspace_id": ws.to_string()}),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
        }
    };
    activate(&owner.client, desk).await;
    assert_eq!(upload(&owner.client, GENERIC, &[]).await.status, 201);
    // A member trades in the desk and in their own workspace.
    let inv = owner
        .client
        .post(
            &format!("/api/v1/workspaces/{desk}/invites"),
            json!({"email": "milo@example.com", "role": "member"}),
        )
        .await;
    assert_eq!(inv.status, 201, "{}", inv.text);
    let milo = s.user("Milo").await;
    let token = inv.data()["token"].as_str().unwrap();
    let r = milo
        .client
        .post(&format!("/api/v1/invites/{token}/accept"), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    activate(&milo.client, milo.workspace).await;
    assert_eq!(upload(&milo.client, GENERIC, &[]).await.status, 201);
    assert_eq!(s.rows_in("executions", milo.workspace).await, 5);
    activate(&milo.client, desk).await;
    let mine = milo
        .client
        .post(
            "/api/v1/trades",
            json!({"symbol": "AMD", "side": "long", "quantity": "5", "entry_price": "150",
                   "entry_time": "2024-03-07T14:30:00Z"}),
        )
        .await;
    assert_eq!(mine.status, 201, "{}", mine.text);
    let mine = mine.data()["id"].as_str().unwrap().to_string();
    assert_eq!(s.rows_in("executions", desk).await, 6);
    assert_eq!(s.rows_in("trades", desk).await, 4);

    // Milo leaves for good: their own workspace's journal goes, the desk keeps their
    // trade with no owner.
    let r = milo
        .client
        .delete_json("/api/v1/me", json!({"password": crate::common::PASSWORD}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(s.rows_in("executions", milo.workspace).await, 0);
    assert_eq!(s.rows_in("trades", milo.workspace).await, 0);
    assert_eq!(s.rows_in("trades", desk).await, 4);
    let t = owner.client.get(&format!("/api/v1/trades/{mine}")).await;
    assert_eq!(t.status, 200, "{}", t.text);
    assert_eq!(t.data()["owner_id"], Value::Null);

    // Deleting the desk deletes its journal (tags and trades' tag links with it).
    let r = owner
        .client
        .patch(&format!("/api/v1/trades/{mine}"), json!({"tags": ["gap"]}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = owner
        .client
        .delete(&format!("/api/v1/workspaces/{desk}"))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    for table in ["executions", "trades", "tags", "imports"] {
        assert_eq!(s.rows_in(table, desk).await, 0, "{table}");
    }
}

async fn tags_are_renamed_recoloured_and_deleted(s: &TestServer) {
    let owner = s.user("Tom").await;
    assert_eq!(upload(&owner.client, GENERIC, &[]).await.status, 201);
    let trades = trades_of(&owner.client.get("/api/v1/trades").await);
    for t in &trades[..2] {
        let id = t["id"].as_str().unwrap();
        let r = owner
            .client
            .patch(
                &format!("/api/v1/trades/{id}"),
                json!({"tags": ["breakout", "a-plus"]}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let tags = owner.client.get("/api/v1/tags").await;
    let tag_id = |name: &str| {
        tags.data()
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .map(|t| t["id"].as_str().unwrap().to_string())
            .unwrap()
    };
    let (plus, breakout) = (tag_id("a-plus"), tag_id("breakout"));

    // Rename and recolour: every trade shows the new name; the filter uses it.
    let r = owner
        .client
        .patch(
            &format!("/api/v1/tags/{plus}"),
            json!({"name": " A+ ", "color": "#EC4899"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        r.data(),
        &json!({"id": plus, "name": "A+", "color": "#ec4899"})
    );
    let tagged = owner.client.get("/api/v1/trades?tag=A%2B").await;
    assert_eq!(tagged.data()["pagination"]["total"], 2);
    let t = &trades_of(&tagged)[0];
    assert!(t["tags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["name"] == "A+" && g["color"] == "#ec4899"));

    // Refusals say why.
    let patch = |id: &str, body: Value| {
        let c = &owner.client;
        let path = format!("/api/v1/tags/{id}");
        async move { c.patch(&path, body).await }
    };
    let taken = patch(&plus, json!({"name": "BREAKOUT"})).await;
    taken.fails(409, "CONFLICT");
    assert_eq!(taken.message(), "A tag named “breakout” already exists");
    let bad = patch(&plus, json!({"color": "red"})).await;
    bad.fails(400, "VALIDATION_ERROR");
    assert!(
        bad.message()
            .starts_with("'red' is not a tag colour: use one of #3b82f6"),
        "{}",
        bad.message()
    );
    patch(&plus, json!({"name": ""}))
        .await
        .fails(400, "VALIDATION_ERROR");
    patch(&plus, json!({"name": "a,b"}))
        .await
        .fails(400, "VALIDATION_ERROR");
    patch(&uuid::Uuid::new_v4().to_string(), json!({"name": "x"}))
        .await
        .fails(404, "NOT_FOUND");

    // Members tag trades but do not manage tags; another workspace cannot see them.
    let member = s.join(&owner, "Max", "member").await;
    let no = member
        .client
        .patch(&format!("/api/v1/tags/{plus}"), json!({"name": "mine"}))
        .await;
    no.fails(403, "FORBIDDEN");
    member
        .client
        .delete(&format!("/api/v1/tags/{plus}"))
        .await
        .fails(403, "FORBIDDEN");
    let stranger = s.user("Sid").await;
    stranger
        .client
        .patch(&format!("/api/v1/tags/{plus}"), json!({"name": "hijack"}))
        .await
        .fails(404, "NOT_FOUND");
    stranger
        .client
        .delete(&format!("/api/v1/tags/{breakout}"))
        .await
        .fails(404, "NOT_FOUND");
    // The same through the server function the page calls, with the stranger's session.
    use leptos::server_fn::ServerFn;
    let r = stranger
        .client
        .raw(
            stranger
                .client
                .http
                .post(s.url(app::server_fns::JournalDeleteTag::url()))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("id={breakout}")),
        )
        .await;
    assert_eq!(r.status.as_u16(), 404, "{}", r.text);

    // Delete: the tag leaves its trades, the trades stay.
    let d = owner
        .client
        .delete(&format!("/api/v1/tags/{breakout}"))
        .await;
    assert_eq!(d.status, 200, "{}", d.text);
    let all = owner.client.get("/api/v1/trades").await;
    assert_eq!(all.data()["pagination"]["total"], 3);
    assert!(trades_of(&all).iter().all(|t| t["tags"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["name"] != "breakout")));
    assert_eq!(
        owner
            .client
            .get("/api/v1/tags")
            .await
            .data()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    owner
        .client
        .delete(&format!("/api/v1/tags/{breakout}"))
        .await
        .fails(404, "NOT_FOUND");
}

/// MAE / MFE of a trade from the workspace's bars of its symbol (highs 11, 12, 11.8, 11.2,
/// 10.9; lows 9.5, 10, 10.8, 10.1, 10): a long of 100 from 10.5 with its stop at 9.5 went
/// 100 against (-1R) and 150 for it (+1.5R).
async fn excursions_come_from_stored_bars(s: &TestServer) {
    let csv = "date,open,high,low,close,volume\n2024-01-08,10,11,9.5,10.5,1000\n\
               2024-01-09,10.5,12,10,11.5,1500\n2024-01-10,11.5,11.8,10.8,11,1200\n\
               2024-01-11,11,11.2,10.1,10.2,900\n2024-01-12,10.2,10.9,10,10.8,1100\n";
    // Each case in its own workspace: one account's fills of a contract make one FIFO book.
    let with_bars = |name: &'static str| async move {
        let u = s.user(name).await;
        let imp = u
            .client
            .raw(
                u.client
                    .http
                    .post(format!(
                        "{}/api/v1/market/bars/import?symbol=ZZMAE&interval=1D",
                        u.client.base
                    ))
                    .header("content-type", "text/csv")
                    .body(csv),
            )
            .await;
        assert_eq!(imp.status, 201, "{}", imp.text);
        u
    };
    let trade = |symbol: &str, side: &str, stop: Option<&str>| {
        let mut t = json!({"symbol": symbol, "side": side, "quantity": "100",
               "entry_price": "10.5", "entry_time": "2024-01-08T15:00:00Z",
               "exit_price": "10.8", "exit_time": "2024-01-12T20:00:00Z"});
        if let Some(stop) = stop {
            t["stop"] = json!(stop);
        }
        t
    };
    let u = with_bars("Mae").await;
    let t = u
        .client
        .post("/api/v1/trades", trade("ZZMAE", "long", Some("9.5")))
        .await;
    assert_eq!(t.status, 201, "{}", t.text);
    let id = t.data()["id"].as_str().unwrap().to_string();
    // The list leaves it out (one read of bars per trade is for the detail).
    let list = u.client.get("/api/v1/trades").await;
    assert!(list.data()["trades"][0].get("excursion").is_none());
    let one = u.client.get(&format!("/api/v1/trades/{id}")).await;
    assert_eq!(
        one.data()["excursion"],
        json!({"mae": "-100.00", "mfe": "150.00", "mae_r": -1.0, "mfe_r": 1.5,
               "worst_price": "9.5", "best_price": "12", "interval": "1D", "bars": 5}),
        "{}",
        one.text
    );
    // A short of the same: the high is its worst, the low its best; no stop, no R.
    let u = with_bars("Mfe").await;
    let t = u
        .client
        .post("/api/v1/trades", trade("ZZMAE", "short", None))
        .await;
    let id = t.data()["id"].as_str().unwrap().to_string();
    let one = u.client.get(&format!("/api/v1/trades/{id}")).await;
    let e = &one.data()["excursion"];
    assert_eq!(
        (e["mae"].as_str(), e["mfe"].as_str()),
        (Some("-150.00"), Some("100.00")),
        "{}",
        one.text
    );
    assert_eq!(e["mae_r"], json!(null));
    // No bars of the symbol, or bars that stop before the trade ends: no figures.
    let u = with_bars("Nob").await;
    let t = u
        .client
        .post("/api/v1/trades", trade("ZZNONE", "long", Some("9.5")))
        .await;
    let id = t.data()["id"].as_str().unwrap().to_string();
    let one = u.client.get(&format!("/api/v1/trades/{id}")).await;
    assert!(one.data().get("excursion").is_none(), "{}", one.text);
    let u = with_bars("Lat").await;
    let mut late = trade("ZZMAE", "long", Some("9.5"));
    late["exit_time"] = json!("2024-01-20T20:00:00Z");
    let t = u.client.post("/api/v1/trades", late).await;
    let id = t.data()["id"].as_str().unwrap().to_string();
    let one = u.client.get(&format!("/api/v1/trades/{id}")).await;
    assert!(one.data().get("excursion").is_none(), "{}", one.text);
}
