//! Market data, indicators, charts, analyses and quotas over HTTP (spec 004), with roles
//! and tenants.

use crate::common::{Client, Resp, TestServer};
use crate::on_both_backends;
use serde_json::{json, Value};

on_both_backends!(
    builtin_bars_symbols_and_aggregation,
    bar_imports_are_all_or_nothing,
    indicators_over_posted_bars,
    generate_list_show_image_delete,
    analyse_a_chart,
    quotas_stop_at_the_plan_limit,
    charts_respect_roles_and_tenants,
    templates_bulk_and_simulated_data,
    analyses_become_planned_trades,
    corporate_actions_adjust_bars,
);

/// Five daily bars of a made-up symbol, Monday to Friday.
const CSV: &str = "date,open,high,low,close,volume\n\
2024-01-08,10,11,9.5,10.5,1000\n\
2024-01-09,10.5,12,10,11.5,1500\n\
2024-01-10,11.5,11.8,10.8,11,1200\n\
2024-01-11,11,11.2,10.1,10.2,900\n\
2024-01-12,10.2,10.9,10,10.8,1100\n";

/// POSTs `csv` as `text/csv` to `path` (under the API base).
async fn post_csv(c: &Client, path: &str, csv: &str) -> Resp {
    c.raw(
        c.http
            .post(format!("{}{path}", c.base))
            .header("content-type", "text/csv")
            .body(csv.to_string()),
    )
    .await
}

async fn import_csv(c: &Client, symbol: &str, csv: &str) -> Resp {
    post_csv(
        c,
        &format!("/api/v1/market/bars/import?symbol={symbol}&interval=1D"),
        csv,
    )
    .await
}

async fn generate(c: &Client, body: Value) -> Resp {
    c.post("/api/v1/charts/generate", body).await
}

fn rsi_bb(symbol: &str) -> Value {
    json!({
        "symbol": symbol, "interval": "1D", "range": "1Y", "theme": "dark",
        "studies": [
            {"name": "Relative Strength Index", "input": {"period": 14}},
            {"name": "Bollinger Bands", "input": {"period": 20, "stddev": 2}}
        ],
        "drawings": [{"name": "Horizontal Line", "input": {"price": 500},
                      "override": {"linecolor": "#f23645", "text": "Resistance"}}]
    })
}

async fn builtin_bars_symbols_and_aggregation(s: &TestServer) {
    let u = s.user("Ada").await;
    let syms = u.client.get("/api/v1/market/symbols").await;
    assert_eq!(syms.status, 200, "{}", syms.text);
    let list = syms.data().as_array().unwrap();
    let names: Vec<&str> = list.iter().map(|v| v["symbol"].as_str().unwrap()).collect();
    for want in ["AAPL", "FB", "GOOG", "IBM", "MSFT"] {
        assert!(names.contains(&want), "{names:?}");
    }
    assert!(list
        .iter()
        .all(|v| v["shared"] == true && v["source"] == "sample"));

    let d = u
        .client
        .get("/api/v1/market/bars?symbol=aapl&interval=1D&from=2013-01-01T00:00:00Z&to=2013-02-01T00:00:00Z")
        .await;
    assert_eq!(d.status, 200, "{}", d.text);
    let daily = d.data()["bars"].as_array().unwrap().clone();
    // January 2013 had 21 NYSE sessions (1 January and Martin Luther King Day closed).
    assert_eq!(daily.len(), 21, "{}", d.text);
    assert_eq!(d.data()["symbol"], "AAPL");
    assert_eq!(d.data()["aggregated"], false);
    assert!(
        d.data()["note"].as_str().unwrap().contains("bokeh"),
        "{}",
        d.text
    );
    let first_t = daily[0]["t"].as_i64().unwrap();
    assert_eq!(first_t, 1_357_084_800_000, "2013-01-02T00:00:00Z");
    assert_eq!(daily[0]["c"], 549.03);

    // Weekly bars are aggregated from the daily ones: same high, low and volume in total.
    let w = u
        .client
        .get("/api/v1/market/bars?symbol=AAPL&interval=1W&from=2012-12-31T00:00:00Z&to=2013-02-04T00:00:00Z")
        .await;
    assert_eq!(w.status, 200, "{}", w.text);
    assert_eq!(w.data()["aggregated"], true);
    let weekly = w.data()["bars"].as_array().unwrap();
    assert_eq!(weekly.len(), 5);
    let vol = |bars: &[Value]| bars.iter().map(|b| b["v"].as_f64().unwrap()).sum::<f64>();
    let d2 = u
        .client
        .get("/api/v1/market/bars?symbol=AAPL&interval=1D&from=2012-12-31T00:00:00Z&to=2013-02-04T00:00:00Z")
        .await;
    let days = d2.data()["bars"].as_array().unwrap();
    assert_eq!(vol(weekly), vol(days));
    let max_high = days
        .iter()
        .map(|b| b["h"].as_f64().unwrap())
        .fold(f64::MIN, f64::max);
    let w_high = weekly
        .iter()
        .map(|b| b["h"].as_f64().unwrap())
        .fold(f64::MIN, f64::max);
    assert_eq!(max_high, w_high);

    u.client
        .get("/api/v1/market/bars?symbol=AAPL&interval=2D")
        .await
        .fails(400, "VALIDATION_ERROR");
    u.client
        .get("/api/v1/market/bars?symbol=NOPE&interval=1D")
        .await
        .fails(404, "NOT_FOUND");
}

async fn bar_imports_are_all_or_nothing(s: &TestServer) {
    let u = s.user("Bo").await;
    let r = import_csv(&u.client, "ZZTEST", CSV).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.data()[0]["bars"], 5);
    assert_eq!(r.data()[0]["symbol"], "ZZTEST");
    let b = u.client.get("/api/v1/market/bars?symbol=ZZTEST").await;
    assert_eq!(b.status, 200, "{}", b.text);
    assert_eq!(b.data()["source"], "import");
    assert_eq!(b.data()["bars"][1]["c"], 11.5);

    // A bad row (high below close) refuses the whole file, naming the line.
    let bad = CSV
        .replace(
            "2024-01-10,11.5,11.8,10.8,11,1200",
            "2024-01-10,11.5,11.8,10.8,12,1200",
        )
        .replace("ZZ", "");
    let r = import_csv(&u.client, "ZZBAD", &bad).await;
    r.fails(400, "VALIDATION_ERROR");
    assert!(r.message().contains("line 4"), "{}", r.message());
    u.client
        .get("/api/v1/market/bars?symbol=ZZBAD")
        .await
        .fails(404, "NOT_FOUND");

    // JSON bodies too; a re-import corrects bars at the same times.
    let j = u
        .client
        .post(
            "/api/v1/market/bars/import",
            json!({"symbol": "ZZTEST", "interval": "1D",
                   "bars": [{"t": 1_704_672_000_000_i64, "o": 10, "h": 11, "l": 9.5, "c": 10.7, "v": 1000}]}),
        )
        .await;
    assert_eq!(j.status, 201, "{}", j.text);
    let b = u.client.get("/api/v1/market/bars?symbol=ZZTEST").await;
    assert_eq!(b.data()["bars"].as_array().unwrap().len(), 5);
    assert_eq!(b.data()["bars"][0]["c"], 10.7);
}

async fn indicators_over_posted_bars(s: &TestServer) {
    let u = s.user("Cy").await;
    let bars: Vec<Value> = (0..40)
        .map(|i| {
            let c = 100.0 + (i as f64 * 0.7).sin() * 5.0 + i as f64 * 0.2;
            json!({"t": i * 86_400_000_i64, "o": c, "h": c + 1.0, "l": c - 1.0, "c": c, "v": 1000})
        })
        .collect();
    let r = u
        .client
        .post(
            "/api/v1/indicators",
            json!({"bars": bars, "indicators": [
                {"name": "sma", "params": {"period": 3}},
                {"name": "macd"}, {"name": "bbands"}, {"name": "stoch"}, {"name": "adx"}
            ]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let series = r.data()["series"].as_array().unwrap();
    let outputs: Vec<String> = series
        .iter()
        .map(|s| {
            format!(
                "{}.{}",
                s["name"].as_str().unwrap(),
                s["output"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        outputs,
        [
            "sma.sma",
            "macd.macd",
            "macd.signal",
            "macd.hist",
            "bbands.upper",
            "bbands.middle",
            "bbands.lower",
            "stoch.k",
            "stoch.d",
            "adx.adx",
            "adx.plus_di",
            "adx.minus_di"
        ]
    );
    let sma = series[0]["values"].as_array().unwrap();
    assert_eq!(sma.len(), 40);
    assert!(sma[1].is_null());
    let c = |i: usize| bars[i]["c"].as_f64().unwrap();
    let want = (c(0) + c(1) + c(2)) / 3.0;
    assert!((sma[2].as_f64().unwrap() - want).abs() < 1e-12);
    let r = u
        .client
        .post(
            "/api/v1/indicators",
            json!({"bars": bars, "indicators": [{"name": "rsi", "params": {"period": 1}}]}),
        )
        .await;
    r.fails(400, "VALIDATION_ERROR");
    assert!(
        r.message().starts_with("indicators[0] (rsi):"),
        "{}",
        r.message()
    );
}

async fn generate_list_show_image_delete(s: &TestServer) {
    let u = s.user("Di").await;
    let g = generate(&u.client, rsi_bb("AAPL")).await;
    assert_eq!(g.status, 201, "{}", g.text);
    let d = g.data();
    let id = d["chartId"].as_str().unwrap().to_string();
    assert_eq!(d["url"], format!("/api/v1/charts/{id}/image"));
    assert_eq!(d["metadata"]["format"], "PNG");
    assert_eq!(d["metadata"]["resolution"], "1200x675");
    assert_eq!(d["metadata"]["dataSource"], "sample");
    assert_eq!(d["quota"], json!({"used": 1, "limit": 5, "remaining": 4}));

    let img = u
        .client
        .http
        .get(s.url(d["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(img.status(), 200);
    assert_eq!(img.headers()["content-type"], "image/png");
    let bytes = img.bytes().await.unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // Width and height from the IHDR chunk.
    assert_eq!(u32::from_be_bytes(bytes[16..20].try_into().unwrap()), 1200);
    assert_eq!(u32::from_be_bytes(bytes[20..24].try_into().unwrap()), 675);

    let svg = generate(
        &u.client,
        json!({"symbol": "MSFT", "interval": "1W", "range": "5Y", "format": "svg", "style": "line",
               "width": 800, "height": 450, "studies": [{"name": "ema", "input": {"period": 20}}]}),
    )
    .await;
    assert_eq!(svg.status, 201, "{}", svg.text);
    let svg_url = svg.data()["url"].as_str().unwrap().to_string();
    let body = u.client.http.get(s.url(&svg_url)).send().await.unwrap();
    assert_eq!(body.headers()["content-type"], "image/svg+xml");
    let text = body.text().await.unwrap();
    assert!(text.contains("<svg") && text.contains("MSFT") && text.contains("EMA 20"));

    let l = u.client.get("/api/v1/charts?limit=1").await;
    assert_eq!(l.status, 200, "{}", l.text);
    assert_eq!(
        l.data()["pagination"],
        json!({"total": 2, "limit": 1, "offset": 0, "hasMore": true})
    );
    assert_eq!(l.data()["charts"][0]["symbol"], "MSFT");
    let l = u.client.get("/api/v1/charts?symbol=AAPL").await;
    assert_eq!(l.data()["charts"].as_array().unwrap().len(), 1);
    u.client
        .get("/api/v1/charts?limit=101")
        .await
        .fails(400, "VALIDATION_ERROR");

    let one = u.client.get(&format!("/api/v1/charts/{id}")).await;
    assert_eq!(one.status, 200, "{}", one.text);
    assert_eq!(
        one.data()["config"]["studies"][0]["name"],
        "Relative Strength Index"
    );
    assert_eq!(one.data()["chart"]["analysesCount"], 0);

    // Bad requests name the field and cost nothing.
    let bad = generate(
        &u.client,
        json!({"symbol": "AAPL", "studies": [{"name": "Ichimoku"}]}),
    )
    .await;
    bad.fails(400, "VALIDATION_ERROR");
    assert_eq!(bad.body["error"]["details"]["field"], "studies[0].name");
    generate(&u.client, json!({"symbol": "AAPL", "width": 50}))
        .await
        .fails(400, "VALIDATION_ERROR");
    generate(&u.client, json!({"symbol": "NOPE"}))
        .await
        .fails(404, "NOT_FOUND");
    let q = u.client.get("/api/v1/user/quota").await;
    assert_eq!(q.data()["quota"]["charts"]["used"], 2, "{}", q.text);

    let del = u.client.delete(&format!("/api/v1/charts/{id}")).await;
    assert_eq!(del.status, 200, "{}", del.text);
    u.client
        .get(&format!("/api/v1/charts/{id}"))
        .await
        .fails(404, "NOT_FOUND");
    let gone = u.client.get(&format!("/api/v1/charts/{id}/image")).await;
    gone.fails(404, "NOT_FOUND");
}

async fn analyse_a_chart(s: &TestServer) {
    let u = s.user("Ed").await;
    let g = generate(&u.client, rsi_bb("IBM")).await;
    assert_eq!(g.status, 201, "{}", g.text);
    let id = g.data()["chartId"].as_str().unwrap().to_string();
    let a = u
        .client
        .post(
            &format!("/api/v1/charts/{id}/analyze"),
            json!({"prompt": "Swing trade?"}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.text);
    let d = a.data();
    let an = &d["analysis"];
    assert!(["LONG", "SHORT", "NEUTRAL"].contains(&an["recommendation"].as_str().unwrap()));
    assert!(["bullish", "bearish", "sideways"].contains(&an["trend"].as_str().unwrap()));
    let conf = an["confidence"].as_u64().unwrap();
    assert!((1..=10).contains(&conf));
    assert!(!an["signals"].as_array().unwrap().is_empty());
    assert!(an["analysisText"].as_str().unwrap().len() > 40);
    // The entry is the last close of the chart's bars.
    let bars = u
        .client
        .get("/api/v1/market/bars?symbol=IBM&interval=1D")
        .await;
    let last = bars.data()["bars"].as_array().unwrap().last().unwrap()["c"]
        .as_f64()
        .unwrap();
    assert_eq!(
        an["entryPrice"].as_f64().unwrap(),
        (last * 100.0).round() / 100.0
    );
    if an["recommendation"] == "LONG" {
        assert!(
            an["stopLoss"].as_f64().unwrap() < last && last < an["takeProfit"].as_f64().unwrap()
        );
    }
    assert_eq!(d["metadata"]["model"], "refract-technical-1");
    assert_eq!(d["quota"], json!({"used": 1, "limit": 3, "remaining": 2}));

    // Deterministic: a second analysis says the same.
    let again = u
        .client
        .post(&format!("/api/v1/charts/{id}/analyze"), json!({}))
        .await;
    assert_eq!(again.data()["analysis"], d["analysis"]);

    let aid = d["analysisId"].as_str().unwrap();
    let one = u.client.get(&format!("/api/v1/analyses/{aid}")).await;
    assert_eq!(one.status, 200, "{}", one.text);
    assert_eq!(one.data()["analysis"], d["analysis"]);
    let chart = u.client.get(&format!("/api/v1/charts/{id}")).await;
    assert_eq!(chart.data()["analyses"].as_array().unwrap().len(), 2);
    assert_eq!(chart.data()["chart"]["analysesCount"], 2);

    // Deleting the chart deletes its analyses.
    u.client.delete(&format!("/api/v1/charts/{id}")).await;
    u.client
        .get(&format!("/api/v1/analyses/{aid}"))
        .await
        .fails(404, "NOT_FOUND");
}

async fn quotas_stop_at_the_plan_limit(s: &TestServer) {
    let u = s.user("Flo").await;
    // Concurrent requests cannot overshoot the free plan's 5 charts.
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let c = u.client.clone();
            tokio::spawn(
                async move { generate(&c, json!({"symbol": "GOOG", "range": "1M"})).await },
            )
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        let r = t.await.unwrap();
        if r.status == 429 {
            assert_eq!(r.code(), "QUOTA_EXCEEDED", "{}", r.text);
            assert_eq!(
                r.message(),
                "Monthly chart generation limit reached. Upgrade your plan to continue."
            );
        }
        statuses.push(r.status.as_u16());
    }
    statuses.sort();
    assert_eq!(statuses, [201, 201, 201, 201, 201, 429, 429, 429]);
    let q = u.client.get("/api/v1/user/quota").await;
    assert_eq!(q.status, 200, "{}", q.text);
    assert_eq!(q.data()["plan"], "free");
    assert_eq!(
        q.data()["quota"]["charts"],
        json!({"used": 5, "limit": 5, "remaining": 0})
    );
    assert_eq!(
        q.data()["quota"]["analyses"],
        json!({"used": 0, "limit": 3, "remaining": 3})
    );
    let reset = q.data()["quota"]["resetAt"].as_str().unwrap();
    assert!(reset.ends_with("-01T00:00:00Z"), "{reset}");

    // Analyses have their own limit.
    let l = u.client.get("/api/v1/charts?limit=1").await;
    let id = l.data()["charts"][0]["id"].as_str().unwrap().to_string();
    for _ in 0..3 {
        let a = u
            .client
            .post(&format!("/api/v1/charts/{id}/analyze"), json!({}))
            .await;
        assert_eq!(a.status, 201, "{}", a.text);
    }
    u.client
        .post(&format!("/api/v1/charts/{id}/analyze"), json!({}))
        .await
        .fails(429, "QUOTA_EXCEEDED");
}

async fn charts_respect_roles_and_tenants(s: &TestServer) {
    let owner = s.user("Gus").await;
    let viewer = s.join(&owner, "Vi", "viewer").await;
    let stranger = s.user("Eve").await;
    let g = generate(&owner.client, json!({"symbol": "AAPL", "range": "3M"})).await;
    assert_eq!(g.status, 201, "{}", g.text);
    let id = g.data()["chartId"].as_str().unwrap().to_string();
    let a = owner
        .client
        .post(&format!("/api/v1/charts/{id}/analyze"), json!({}))
        .await;
    let aid = a.data()["analysisId"].as_str().unwrap().to_string();
    assert_eq!(import_csv(&owner.client, "ZZOWN", CSV).await.status, 201);

    // A viewer reads but cannot generate, analyse, import or delete.
    assert_eq!(
        viewer
            .client
            .get(&format!("/api/v1/charts/{id}"))
            .await
            .status,
        200
    );
    generate(&viewer.client, json!({"symbol": "AAPL"}))
        .await
        .fails(403, "FORBIDDEN");
    viewer
        .client
        .post(&format!("/api/v1/charts/{id}/analyze"), json!({}))
        .await
        .fails(403, "FORBIDDEN");
    import_csv(&viewer.client, "ZZV", CSV)
        .await
        .fails(403, "FORBIDDEN");
    viewer
        .client
        .delete(&format!("/api/v1/charts/{id}"))
        .await
        .fails(403, "FORBIDDEN");

    // Another workspace sees none of it, through any route.
    for path in [
        format!("/api/v1/charts/{id}"),
        format!("/api/v1/charts/{id}/image"),
        format!("/api/v1/analyses/{aid}"),
        "/api/v1/market/bars?symbol=ZZOWN".to_string(),
    ] {
        stranger.client.get(&path).await.fails(404, "NOT_FOUND");
    }
    stranger
        .client
        .post(&format!("/api/v1/charts/{id}/analyze"), json!({}))
        .await
        .fails(404, "NOT_FOUND");
    stranger
        .client
        .delete(&format!("/api/v1/charts/{id}"))
        .await
        .fails(404, "NOT_FOUND");
    let l = stranger.client.get("/api/v1/charts").await;
    assert_eq!(l.data()["pagination"]["total"], 0);
    let syms = stranger.client.get("/api/v1/market/symbols").await;
    assert!(!syms.text.contains("ZZOWN"));
    // Importing the same symbol elsewhere does not touch the owner's bars.
    let other = CSV.replace(",10.5,1000", ",10.6,1000");
    assert_eq!(
        import_csv(&stranger.client, "ZZOWN", &other).await.status,
        201
    );
    let mine = owner.client.get("/api/v1/market/bars?symbol=ZZOWN").await;
    assert_eq!(mine.data()["bars"][0]["c"], 10.5);
    assert_eq!(
        owner
            .client
            .get(&format!("/api/v1/charts/{id}"))
            .await
            .status,
        200
    );
}

async fn templates_bulk_and_simulated_data(s: &TestServer) {
    let u = s.user("Hal").await;
    // Simulated bars are stored under their own source, and say so everywhere.
    let sim = u
        .client
        .post(
            "/api/v1/market/simulate",
            json!({"symbol": "SIMX", "bars": 300, "seed": 7, "sigma": 0.3, "jumpLambda": 2.0,
                   "jumpStd": 0.05}),
        )
        .await;
    assert_eq!(sim.status, 201, "{}", sim.text);
    assert_eq!(sim.data()["bars"], 300);
    let b = u.client.get("/api/v1/market/bars?symbol=SIMX").await;
    assert_eq!(b.data()["source"], "simulated");
    assert!(b.data()["note"]
        .as_str()
        .unwrap()
        .starts_with("Simulated data"));
    // Same seed, same bars.
    let again = u
        .client
        .post(
            "/api/v1/market/simulate",
            json!({"symbol": "SIMY", "bars": 300, "seed": 7, "sigma": 0.3, "jumpLambda": 2.0,
                   "jumpStd": 0.05}),
        )
        .await;
    assert_eq!(again.status, 201);
    let b2 = u.client.get("/api/v1/market/bars?symbol=SIMY").await;
    assert_eq!(b.data()["bars"], b2.data()["bars"]);
    u.client
        .post("/api/v1/market/simulate", json!({"bars": 0}))
        .await
        .fails(400, "VALIDATION_ERROR");

    // A template, then a watchlist from it.
    let t = u
        .client
        .post(
            "/api/v1/charts/templates",
            json!({"name": "Swing", "config": {"symbol": "AAPL", "range": "6M", "format": "svg",
                   "studies": [{"name": "rsi"}]}}),
        )
        .await;
    assert_eq!(t.status, 201, "{}", t.text);
    let tid = t.data()["id"].as_str().unwrap().to_string();
    u.client
        .post(
            "/api/v1/charts/templates",
            json!({"name": "Swing", "config": {"symbol": "X"}}),
        )
        .await
        .fails(409, "CONFLICT");
    u.client
        .post(
            "/api/v1/charts/templates",
            json!({"name": "Bad", "config": {"symbol": "X", "theme": "neon"}}),
        )
        .await
        .fails(400, "VALIDATION_ERROR");
    assert_eq!(
        u.client
            .get("/api/v1/charts/templates")
            .await
            .data()
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let bulk = u
        .client
        .post(
            "/api/v1/charts/bulk",
            json!({"symbols": ["SIMX", "NOPE", "IBM"], "templateId": tid}),
        )
        .await;
    assert_eq!(bulk.status, 200, "{}", bulk.text);
    let d = bulk.data();
    assert_eq!(
        (d["generated"].as_u64(), d["failed"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(d["results"][1]["error"]["code"], "NOT_FOUND");
    let sim_chart = &d["results"][0]["chart"];
    assert_eq!(sim_chart["metadata"]["dataSource"], "simulated");
    let svg = u
        .client
        .http
        .get(s.url(sim_chart["url"].as_str().unwrap()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(svg.contains("SIMULATED DATA"));
    // The free plan has 5 charts: 2 used; 3 more, and the rest of the list is refused.
    let more = u
        .client
        .post(
            "/api/v1/charts/bulk",
            json!({"symbols": ["AAPL", "MSFT", "GOOG", "FB"], "config": {"symbol": "", "range": "1M"}}),
        )
        .await;
    assert_eq!(more.status, 200, "{}", more.text);
    assert_eq!(more.data()["generated"], 3);
    assert_eq!(more.data()["results"][3]["error"]["code"], "QUOTA_EXCEEDED");

    let del = u
        .client
        .delete(&format!("/api/v1/charts/templates/{tid}"))
        .await;
    assert_eq!(del.status, 200, "{}", del.text);
    assert!(u
        .client
        .get("/api/v1/charts/templates")
        .await
        .data()
        .as_array()
        .unwrap()
        .is_empty());
}

/// `n` daily bars from 2023-01-02: a drift of `step` a day with a small wiggle.
fn trend_csv(n: usize, step: f64) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2023, 1, 2).unwrap();
    let mut out = String::from("date,open,high,low,close,volume\n");
    for i in 0..n {
        let d = start + chrono::Days::new(i as u64);
        let c = 100.0 + step * i as f64 + (i as f64).sin();
        let o = c - step;
        out += &format!(
            "{d},{o:.2},{:.2},{:.2},{c:.2},{}\n",
            c.max(o) + 0.8,
            c.min(o) - 0.8,
            1000 + 10 * i
        );
    }
    out
}

async fn analyses_become_planned_trades(s: &TestServer) {
    let owner = s.user("Pia").await;
    let member = s.join(&owner, "Mo", "member").await;
    let viewer = s.join(&owner, "Vic", "viewer").await;
    let stranger = s.user("Eve").await;
    assert_eq!(
        import_csv(&owner.client, "UPTR", &trend_csv(260, 0.5))
            .await
            .status,
        201
    );
    let g = generate(&owner.client, json!({"symbol": "UPTR", "range": "1Y"})).await;
    assert_eq!(g.status, 201, "{}", g.text);
    let id = g.data()["chartId"].as_str().unwrap().to_string();
    let a = owner
        .client
        .post(&format!("/api/v1/charts/{id}/analyze"), json!({}))
        .await;
    let an = a.data()["analysis"].clone();
    assert_eq!(an["recommendation"], "LONG", "{}", a.text);
    let aid = a.data()["analysisId"].as_str().unwrap().to_string();
    let plan_path = format!("/api/v1/analyses/{aid}/plan");

    // Viewers read but do not plan; other workspaces do not see the analysis at all.
    viewer
        .client
        .post(&plan_path, json!({}))
        .await
        .fails(403, "FORBIDDEN");
    stranger
        .client
        .post(&plan_path, json!({}))
        .await
        .fails(404, "NOT_FOUND");

    let p = member.client.post(&plan_path, json!({})).await;
    assert_eq!(p.status, 201, "{}", p.text);
    let plan = p.data().clone();
    assert_eq!(plan["symbol"], "UPTR");
    assert_eq!(plan["side"], "long");
    // The analysis's numbers, as exact decimal strings.
    let as_dec = |v: &Value| format!("{}", v.as_f64().unwrap());
    assert_eq!(plan["entry_price"], as_dec(&an["entryPrice"]));
    assert_eq!(plan["stop_price"], as_dec(&an["stopLoss"]));
    assert_eq!(plan["target_price"], as_dec(&an["takeProfit"]));
    assert_eq!(plan["analysis_id"], aid.as_str());
    let rr = an["riskRewardRatio"].as_f64().unwrap();
    assert!(
        (plan["risk_reward"].as_f64().unwrap() - rr).abs() <= 0.011,
        "{plan} {rr}"
    );
    assert!(plan["notes"]
        .as_str()
        .unwrap()
        .starts_with("From the refract-technical-1 analysis of UPTR 1D on "));
    // Once per analysis.
    owner
        .client
        .post(&plan_path, json!({}))
        .await
        .fails(409, "CONFLICT");

    let list = viewer.client.get("/api/v1/plans").await;
    assert_eq!(list.data().as_array().unwrap().len(), 1, "{}", list.text);
    assert_eq!(
        stranger.client.get("/api/v1/plans").await.data(),
        &json!([])
    );
    let pid = plan["id"].as_str().unwrap();
    let one = format!("/api/v1/plans/{pid}");
    stranger.client.delete(&one).await.fails(404, "NOT_FOUND");
    viewer.client.delete(&one).await.fails(403, "FORBIDDEN");
    assert_eq!(member.client.delete(&one).await.status, 200);
    owner.client.delete(&one).await.fails(404, "NOT_FOUND");
    assert_eq!(owner.client.get("/api/v1/plans").await.data(), &json!([]));

    // A flat market: no trade to plan, and the answer says why.
    assert_eq!(
        import_csv(&owner.client, "FLAT", &trend_csv(260, 0.0))
            .await
            .status,
        201
    );
    let g = generate(&owner.client, json!({"symbol": "FLAT", "range": "1Y"})).await;
    let fid = g.data()["chartId"].as_str().unwrap().to_string();
    let f = owner
        .client
        .post(&format!("/api/v1/charts/{fid}/analyze"), json!({}))
        .await;
    let rec = f.data()["analysis"]["recommendation"]
        .as_str()
        .unwrap()
        .to_string();
    let faid = f.data()["analysisId"].as_str().unwrap();
    let r = owner
        .client
        .post(&format!("/api/v1/analyses/{faid}/plan"), json!({}))
        .await;
    assert_eq!(rec, "NEUTRAL", "{}", f.text);
    r.fails(400, "VALIDATION_ERROR");
    assert!(r.message().contains("recommends NEUTRAL"), "{}", r.text);
}

async fn import_actions(c: &Client, symbol: &str, csv: &str) -> Resp {
    post_csv(
        c,
        &format!("/api/v1/market/actions/import?symbol={symbol}"),
        csv,
    )
    .await
}

fn closes(r: &Resp) -> Vec<f64> {
    r.data()["bars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["c"].as_f64().unwrap())
        .collect()
}

async fn corporate_actions_adjust_bars(s: &TestServer) {
    let owner = s.user("Cora").await;
    let viewer = s.join(&owner, "Val", "viewer").await;
    let stranger = s.user("Eve").await;

    // The sample's splits are built in.
    let a = owner.client.get("/api/v1/market/actions?symbol=aapl").await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(
        a.data(),
        &json!([
            {"date": "2000-06-21", "type": "split", "value": "2", "source": "sample", "builtIn": true},
            {"date": "2005-02-28", "type": "split", "value": "2", "source": "sample", "builtIn": true}
        ])
    );
    // Split-adjusted, AAPL's 2000-06-20 close (101.25 as traded) is a quarter: two 2:1
    // splits follow it, one outside the range asked for.
    let range = "symbol=AAPL&from=2000-06-20T00:00:00Z&to=2000-06-22T00:00:00Z";
    let raw = owner
        .client
        .get(&format!("/api/v1/market/bars?{range}"))
        .await;
    assert_eq!(closes(&raw), [101.25, 55.63]);
    assert_eq!(raw.data()["adjust"], "none");
    let adj = owner
        .client
        .get(&format!("/api/v1/market/bars?{range}&adjust=splits"))
        .await;
    assert_eq!(adj.data()["adjust"], "splits", "{}", adj.text);
    assert!(adj.data()["note"]
        .as_str()
        .unwrap()
        .ends_with("not adjusted for splits. Prices shown adjusted for splits."));
    assert_eq!(closes(&adj), [101.25 / 4.0, 55.63 / 2.0]);
    assert_eq!(adj.data()["bars"][1]["o"], 50.5 / 2.0);
    owner
        .client
        .get(&format!("/api/v1/market/bars?{range}&adjust=dividends"))
        .await
        .fails(400, "VALIDATION_ERROR");

    // A workspace's own dividends: all or nothing, then a total-return series.
    assert_eq!(import_csv(&owner.client, "ZZDIV", CSV).await.status, 201);
    let bad = import_actions(
        &owner.client,
        "ZZDIV",
        "date,type,value\n2024-01-11,dividend,0.55\n2024-01-12,split,0:1\n",
    )
    .await;
    bad.fails(400, "VALIDATION_ERROR");
    assert!(bad.message().contains("line 3: split"), "{}", bad.text);
    let none = owner
        .client
        .get("/api/v1/market/actions?symbol=ZZDIV")
        .await;
    assert_eq!(none.data(), &json!([]));
    import_actions(
        &viewer.client,
        "ZZDIV",
        "date,type,value\n2024-01-11,dividend,0.55\n",
    )
    .await
    .fails(403, "FORBIDDEN");
    let ok = import_actions(
        &owner.client,
        "ZZDIV",
        "date,type,value\n2024-01-11,dividend,0.55\n",
    )
    .await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(
        ok.data(),
        &json!({"symbol": "ZZDIV", "imported": 1, "dividends": 1, "splits": 0})
    );
    let total = owner
        .client
        .get("/api/v1/market/bars?symbol=ZZDIV&adjust=all")
        .await;
    // Factor 1 - 0.55/11 (the close before the ex-date) = 0.95 before 2024-01-11.
    let want: Vec<f64> = [10.5, 11.5, 11.0]
        .iter()
        .map(|c| c * 0.95)
        .chain([10.2, 10.8])
        .collect();
    let got = closes(&total);
    assert_eq!(got.len(), want.len(), "{}", total.text);
    for (g, w) in got.iter().zip(&want) {
        assert!((g - w).abs() < 1e-12, "{got:?} vs {want:?}");
    }
    let splits_only = owner
        .client
        .get("/api/v1/market/bars?symbol=ZZDIV&adjust=splits")
        .await;
    assert_eq!(closes(&splits_only), [10.5, 11.5, 11.0, 10.2, 10.8]);

    // A workspace's own action replaces the built-in one of that date, for it alone.
    let fix = import_actions(
        &owner.client,
        "AAPL",
        "date,type,value\n2000-06-21,split,3:1\n",
    )
    .await;
    assert_eq!(fix.status, 201, "{}", fix.text);
    let mine = owner.client.get("/api/v1/market/actions?symbol=AAPL").await;
    assert_eq!(mine.data()[0]["value"], "3", "{}", mine.text);
    assert_eq!(mine.data()[0]["builtIn"], false);
    assert_eq!(mine.data().as_array().unwrap().len(), 2);
    let theirs = stranger
        .client
        .get("/api/v1/market/actions?symbol=AAPL")
        .await;
    assert_eq!(theirs.data()[0]["value"], "2");
    assert_eq!(theirs.data()[0]["builtIn"], true);
    assert_eq!(
        stranger
            .client
            .get("/api/v1/market/actions?symbol=ZZDIV")
            .await
            .data(),
        &json!([])
    );
}
