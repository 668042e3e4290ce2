//! What sellers earn: commission rates set by admins and kept by each sale, order statements for
//! their seller only, completed orders posted once to the shop's ledger, payouts (simulated) that
//! take exactly what is payable, a refund after a payout as a debit on the next one, the monthly
//! statement file, and a ledger that always sums to the orders' statements.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::backend::clock;
use app::backend::services::{earnings::run_posting_job, orders::run_due_jobs};
use app::domain::deadlines::DAY_MS;
use app::domain::earnings::commission_of;
use common::{act, buy, demo_client, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::Value;

/// Accepted, shipped, received by the buyer and completed by the job after the quiet period.
async fn complete(app: &TestApp, buyer: &Client, seller: &Client, order: i64) {
    assert_eq!(act(app, seller, order, "accept", &[]).await.0, StatusCode::OK);
    assert_eq!(act(app, seller, order, "ship", &[("carrier", "DHL"), ("tracking_number", "JD0146000077")]).await.0, StatusCode::OK);
    assert_eq!(act(app, buyer, order, "confirm_receipt", &[]).await.0, StatusCode::OK);
    let (db, live) = (&app.state().db, &app.state().live);
    assert!(run_due_jobs(db, live, clock::now_ms() + 15 * DAY_MS).await.unwrap().completed >= 1);
    let (_, o) = app.call(buyer, "get_order", &[("id", &order.to_string())]).await;
    assert_eq!(o["status"], "Completed", "{o}");
}

async fn earnings(app: &TestApp, seller: &Client) -> Value {
    let (status, page) = app.call(seller, "get_earnings", &[]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page
}

async fn statement(app: &TestApp, client: &Client, order: i64) -> (StatusCode, Value) {
    app.call(client, "get_order_statement", &[("order_id", &order.to_string())]).await
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar::<sqlx::Any, i64>(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&app.state().db.pool).await.unwrap()
}

/// The ledger's invariants, over every shop: what was posted is what the completed orders'
/// statements say is due, and every payout is exactly the sum of the postings it took.
async fn assert_ledger_balances(app: &TestApp) {
    let db = &app.state().db;
    let completed = sqlx::query_as::<sqlx::Any, (i64, i64)>("SELECT id, shop_id FROM orders WHERE status = 'completed' ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .unwrap();
    let mut due = 0;
    for (order, shop) in &completed {
        let s = app::backend::db::earnings::statement(&db.pool, app::domain::ShopId(*shop), app::domain::OrderId(*order)).await.unwrap().unwrap();
        due += s.net.0;
    }
    let posted = scalar(app, "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM ledger_entries").await;
    assert_eq!(posted, due, "the ledger sums to the completed orders' nets");
    let paid = scalar(app, "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM payouts").await;
    let taken = scalar(app, "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM ledger_entries WHERE payout_id IS NOT NULL").await;
    assert_eq!(paid, taken, "payouts are exactly the postings they took");
    let mismatched = scalar(
        app,
        "SELECT COUNT(*) FROM payouts p WHERE p.amount_cents <> (SELECT CAST(COALESCE(SUM(l.amount_cents), 0) AS BIGINT) FROM ledger_entries l WHERE l.payout_id = p.id)",
    )
    .await;
    assert_eq!(mismatched, 0, "each payout is the sum of its own postings");
}

#[tokio::test]
async fn admins_set_commission_rates_and_each_sale_keeps_the_rate_it_was_made_at() {
    let app = TestApp::spawn().await;
    let admin = demo_client(&app, "admin@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let buyer = demo_client(&app, "buyer@troika.test").await;

    // Only admins set rates; a bad rate or category is named, and changes nothing.
    let set = |client: &Client, category: &'static str, rate: &'static str| {
        let (app, client) = (&app, client.clone());
        async move { app.call(&client, "set_commission", &[("category", category), ("rate", rate)]).await }
    };
    assert_eq!(set(&app.client(), "kitchen", "12").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(set(&seller, "kitchen", "12").await.0, StatusCode::FORBIDDEN);
    let (status, body) = set(&admin, "kitchen", "twelve").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["Invalid"]["fields"]["rate"].as_str().unwrap().contains("0 to 50 %"), "{body}");
    assert_eq!(set(&admin, "kitchen", "51").await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = set(&admin, "no-such-thing", "12").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["Invalid"]["fields"]["category"].is_string(), "{body}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM commission_changes").await, 0, "nothing changed");
    assert_eq!(set(&admin, "kitchen", "12.5").await.0, StatusCode::OK);

    // Sellers read the rates before listing: the product form's categories carry them.
    let (status, editor) = app.call(&seller, "get_product_editor", &[]).await;
    assert_eq!(status, StatusCode::OK, "{editor}");
    let kitchen = editor["categories"].as_array().unwrap().iter().find(|c| c["slug"] == "kitchen").unwrap().clone();
    assert_eq!(kitchen["rate_bp"], 1250);

    // The crêpe pan (kitchen) bought twice at 12.5 %; the rate then rises to 20 %.
    let first = buy(&app, &buyer, 1, 2).await;
    assert_eq!(set(&admin, "kitchen", "20").await.0, StatusCode::OK);
    let second = buy(&app, &buyer, 1, 1).await;
    let (status, s1) = statement(&app, &seller, first).await;
    assert_eq!(status, StatusCode::OK, "{s1}");
    let amount = s1["lines"][0]["amount"].as_i64().unwrap();
    assert_eq!(s1["lines"][0]["rate_bp"], 1250, "the first order keeps its rate");
    assert_eq!(s1["commission"].as_i64().unwrap(), commission_of(amount, 1250));
    assert_eq!(s1["net"].as_i64().unwrap(), amount + s1["shipping"].as_i64().unwrap() - commission_of(amount, 1250));
    assert_eq!(s1["payable"], false, "pending until the order completes");
    let (_, s2) = statement(&app, &seller, second).await;
    assert_eq!(s2["lines"][0]["rate_bp"], 2000, "a new sale takes the new rate");

    // The seller sees it on the order; the buyer never does.
    let (_, as_seller) = app.call(&seller, "get_order", &[("id", &first.to_string())]).await;
    assert_eq!(as_seller["statement"]["commission"], s1["commission"]);
    let (_, as_buyer) = app.call(&buyer, "get_order", &[("id", &first.to_string())]).await;
    assert!(as_buyer["statement"].is_null(), "{as_buyer}");

    // A statement is its seller's only.
    let other_seller = demo_client(&app, "seller2@troika.test").await;
    assert_eq!(statement(&app, &other_seller, first).await.0, StatusCode::NOT_FOUND);
    assert_eq!(statement(&app, &buyer, first).await.0, StatusCode::NOT_FOUND);
    assert_eq!(statement(&app, &app.client(), first).await.0, StatusCode::UNAUTHORIZED);

    // Every change is in the admin's log, which only admins read.
    let (status, log) = app.call(&admin, "commission_changes", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(log.as_array().unwrap().len(), 2);
    assert!(log[0].as_str().unwrap().starts_with("Kitchen & Home: 12.5 % → 20 %, by Ada Admin"), "{log}");
    assert_eq!(app.call(&seller, "commission_changes", &[]).await.0, StatusCode::FORBIDDEN);
    app.stop().await;
}

#[tokio::test]
async fn completed_orders_become_payable_once_and_a_refund_after_a_payout_is_a_debit_on_the_next() {
    let app = TestApp::spawn().await;
    let db = &app.state().db;
    let admin = demo_client(&app, "admin@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let buyer = demo_client(&app, "buyer@troika.test").await;

    // The demo history's completed orders are posted first.
    run_posting_job(db, clock::now_ms()).await.unwrap();
    let before = earnings(&app, &seller).await;
    let payable0 = before["payable"].as_i64().unwrap();
    assert!(payable0 > 0, "the demo history left Atelier Lumière something payable: {before}");

    // An order under way is pending, not payable.
    let order = buy(&app, &buyer, 1, 1).await;
    let net = statement(&app, &seller, order).await.1["net"].as_i64().unwrap();
    let during = earnings(&app, &seller).await;
    assert_eq!(during["pending"].as_i64().unwrap() - before["pending"].as_i64().unwrap(), net);
    assert_eq!(during["payable"].as_i64().unwrap(), payable0);

    // Completed: posted once, however many servers post at the same moment.
    complete(&app, &buyer, &seller, order).await;
    let now = clock::now_ms();
    let (a, b) = tokio::join!(run_posting_job(db, now), run_posting_job(db, now));
    assert_eq!(a.unwrap() + b.unwrap(), 1, "one sale posted once");
    assert_eq!(run_posting_job(db, now).await.unwrap(), 0);
    let after = earnings(&app, &seller).await;
    assert_eq!(after["payable"].as_i64().unwrap(), payable0 + net);
    assert_eq!(after["pending"], before["pending"]);
    assert_eq!(after["entries"][0]["order"], order);
    assert_eq!(after["entries"][0]["kind"], "Sale");
    assert_ledger_balances(&app).await;

    // Payouts are the admin's (simulated); they take everything payable.
    assert_eq!(app.call(&seller, "run_payouts", &[]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.call(&app.client(), "run_payouts", &[]).await.0, StatusCode::UNAUTHORIZED);
    let (status, paid) = app.call(&admin, "run_payouts", &[]).await;
    assert_eq!(status, StatusCode::OK, "{paid}");
    let after_payout = earnings(&app, &seller).await;
    assert_eq!(after_payout["payable"], 0);
    assert_eq!(after_payout["paid"].as_i64().unwrap(), payable0 + net);
    assert_eq!(after_payout["payouts"].as_array().unwrap().len(), 1);
    assert_eq!(app.call(&admin, "run_payouts", &[]).await.1[0], 0, "nothing left to pay");
    assert_ledger_balances(&app).await;

    // Within the shop's 30-day return period the buyer still opens a claim on the completed order;
    // the seller refunds €5.00. That refund is a debit, less the commission returned with it.
    let (status, claim) = app
        .call(&buyer, "open_claim", &[("order_id", &order.to_string()), ("reason", "damaged"), ("remedy", "partial_refund"), ("amount", "5.00"), ("message", "The handle came loose after a week.")])
        .await;
    assert_eq!(status, StatusCode::OK, "a return within the period: {claim}");
    let id = claim.as_i64().unwrap().to_string();
    let client_id = uuid::Uuid::new_v4().to_string();
    let (status, offer) = app
        .call(&seller, "make_claim_offer", &[("claim_id", &id), ("client_id", &client_id), ("remedy", "partial_refund"), ("amount", "5.00"), ("note", "Sorry about that.")])
        .await;
    assert_eq!(status, StatusCode::OK, "{offer}");
    let (status, body) = app.call(&buyer, "answer_claim_offer", &[("claim_id", &id), ("offer", &offer.as_i64().unwrap().to_string()), ("answer", "accept")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(run_posting_job(db, clock::now_ms()).await.unwrap(), 1, "the refund is posted");
    let refunded = statement(&app, &seller, order).await.1;
    assert_eq!(refunded["refunded"], 500);
    let debit = net - refunded["net"].as_i64().unwrap();
    assert!(debit > 0 && debit < 500, "the commission on the refunded part comes back: {refunded}");
    let owing = earnings(&app, &seller).await;
    assert_eq!(owing["payable"].as_i64().unwrap(), -debit);
    assert_eq!(owing["entries"][0]["kind"], "Refund");
    assert_eq!(app.call(&admin, "run_payouts", &[]).await.1[0], 0, "a negative balance waits for new sales");
    assert_ledger_balances(&app).await;

    // The next sale's payout carries the debit.
    let next = buy(&app, &buyer, 1, 1).await;
    let next_net = statement(&app, &seller, next).await.1["net"].as_i64().unwrap();
    complete(&app, &buyer, &seller, next).await;
    run_posting_job(db, clock::now_ms()).await.unwrap();
    assert_eq!(app.call(&admin, "run_payouts", &[]).await.1[1].as_i64().unwrap(), next_net - debit);
    let last = earnings(&app, &seller).await;
    assert_eq!(last["payable"], 0);
    assert_eq!(last["paid"].as_i64().unwrap(), payable0 + net + next_net - debit);
    assert_ledger_balances(&app).await;

    // The month's statement file: brought forward, every posting and payout, carried forward.
    let month = clock::month_of(clock::now_ms());
    let res = seller.get(app.url(&format!("/seller/earnings/{month}.csv"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains(&format!("statement-{month}.csv")));
    let text = res.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "date,type,order,description,amount");
    assert!(lines[1].contains("Balance brought forward") && lines[1].ends_with(",0.00"), "{text}");
    assert_eq!(lines.iter().filter(|l| l.contains(",Payout (simulated),")).count(), 2, "{text}");
    assert!(lines.iter().any(|l| l.contains(",Refund,") && l.ends_with(&format!(",-{}.{:02}", debit / 100, debit % 100))), "{text}");
    assert!(lines.last().unwrap().contains("Balance carried forward") && lines.last().unwrap().ends_with(",0.00"), "{text}");
    // A seller who reads French gets the same file with French words (same columns, same amounts).
    let french = seller.get(app.url(&format!("/seller/earnings/{month}.csv"))).header("accept-language", "fr").send().await.unwrap().text().await.unwrap();
    let french_lines: Vec<&str> = french.lines().collect();
    assert_eq!(french_lines.len(), lines.len());
    assert_eq!(french_lines[0], "date,type,order,description,amount");
    assert!(french_lines[1].contains("Solde reporté") && french_lines[1].ends_with(",0.00"), "{french}");
    assert_eq!(french_lines.iter().filter(|l| l.contains(",Versement (simulé),")).count(), 2, "{french}");
    assert!(french_lines.last().unwrap().contains("Solde à reporter"), "{french}");
    for (client, path, expected) in [
        (app.client(), format!("/seller/earnings/{month}.csv"), StatusCode::UNAUTHORIZED),
        (buyer.clone(), format!("/seller/earnings/{month}.csv"), StatusCode::NOT_FOUND),
        (seller.clone(), "/seller/earnings/2026-13.csv".to_string(), StatusCode::NOT_FOUND),
        (seller.clone(), "/seller/earnings/notes.txt".to_string(), StatusCode::NOT_FOUND),
    ] {
        assert_eq!(client.get(app.url(&path)).send().await.unwrap().status(), expected, "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn after_its_return_period_a_completed_order_takes_no_claim() {
    let app = TestApp::spawn().await;
    let seller = demo_client(&app, "seller3@troika.test").await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    // Café Sol takes returns for 7 days.
    let product = scalar(&app, "SELECT p.id FROM products p JOIN shops s ON s.id = p.shop_id WHERE s.return_days = 7 AND p.stock > 0 ORDER BY p.id LIMIT 1").await;
    let order = buy(&app, &buyer, product, 1).await;
    complete(&app, &buyer, &seller, order).await;
    sqlx::query("UPDATE orders SET delivered_at = delivered_at - $1 WHERE id = $2")
        .bind(8 * DAY_MS)
        .bind(order)
        .execute(&app.state().db.pool)
        .await
        .unwrap();
    let (_, o) = app.call(&buyer, "get_order", &[("id", &order.to_string())]).await;
    assert_eq!(o["may_claim"], false);
    let (status, body) = app
        .call(&buyer, "open_claim", &[("order_id", &order.to_string()), ("reason", "damaged"), ("remedy", "full_refund"), ("message", "Broken.")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.to_string().contains("return period has ended"), "{body}");
    app.stop().await;
}
