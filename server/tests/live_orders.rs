//! Live order tracking against the booted app: the order life cycle through `advance_order`, the
//! live streams (authorisation, delivery after commit, resume without loss or duplicates), the
//! deadline jobs with time moved forward, notifications and the seller's orders desk. The same
//! suite runs on SQLite and on Postgres; the cross-server test needs Postgres.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::backend::clock;
use app::backend::db::catalog;
use app::backend::services::orders::{run_due_jobs, JobReport};
use app::domain::deadlines::DAY_MS;
use app::domain::live::LiveMessage;
use app::domain::order::OrderStatus;
use app::domain::ProductId;
use common::{act, buy, demo_client, EventStream, TestApp};
use reqwest::StatusCode;
use std::time::Duration;

const CREPE_PAN: i64 = 1; // Atelier Lumière, sold by seller@troika.test
const TEA_TOWELS: i64 = 2; // Atelier Lumière

fn order_status(msg: &LiveMessage) -> (i64, OrderStatus) {
    match msg {
        LiveMessage::Order { order_id, status, .. } => (order_id.0, *status),
        other => panic!("expected an order event, got {other:?}"),
    }
}

/// A buyer, the seller of Atelier Lumière, and an order between them the seller has accepted.
async fn accepted_order(app: &TestApp) -> (reqwest::Client, reqwest::Client, i64) {
    let buyer = demo_client(app, "buyer@troika.test").await;
    let seller = demo_client(app, "seller@troika.test").await;
    let order = buy(app, &buyer, CREPE_PAN, 1).await;
    assert_eq!(act(app, &seller, order, "accept", &[]).await.0, StatusCode::OK);
    (buyer, seller, order)
}

async fn status_of(app: &TestApp, client: &reqwest::Client, order: i64) -> (String, usize) {
    let (status, body) = app.call(client, "get_order", &[("id", &order.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (body["status"].as_str().unwrap().to_string(), body["history"].as_array().unwrap().len())
}

#[tokio::test]
async fn the_sellers_update_reaches_the_buyers_feed_and_order_stream_after_commit() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let order = buy(&app, &buyer, CREPE_PAN, 1).await;

    let mut feed = EventStream::open(&app, &buyer, "/live/feed", None).await;
    assert_eq!(feed.status, StatusCode::OK);
    let LiveMessage::Ready { unread, .. } = feed.next().await else { panic!("ready first") };
    assert_eq!(unread, Some(0), "the buyer has nothing unread yet");
    let mut timeline = EventStream::open(&app, &buyer, &format!("/live/orders/{order}"), None).await;
    assert!(matches!(timeline.next().await, LiveMessage::Ready { .. }));

    let (status, body) = act(&app, &seller, order, "accept", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let msg = feed.next().await;
    assert_eq!(order_status(&msg), (order, OrderStatus::Accepted));
    assert_eq!(msg.unread(), Some(1), "the acceptance notice is counted");
    assert_eq!(order_status(&timeline.next().await), (order, OrderStatus::Accepted));

    let (status, body) = act(&app, &seller, order, "ship", &[("carrier", "La Poste"), ("tracking_number", "6a 123 456")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(order_status(&feed.next().await), (order, OrderStatus::Shipped));
    assert_eq!(order_status(&timeline.next().await), (order, OrderStatus::Shipped));

    // The order page shows it (also without JavaScript: it is rendered on the server).
    let html = buyer.get(app.url(&format!("/orders/{order}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Shipped with") && html.contains("6A123456"), "carrier and tracking number on the page");
    app.stop().await;
}

#[tokio::test]
async fn streams_are_refused_to_guests_and_to_anyone_outside_the_order() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let order = buy(&app, &buyer, CREPE_PAN, 1).await;
    let path = format!("/live/orders/{order}");

    let guest = app.client();
    assert_eq!(EventStream::open(&app, &guest, "/live/feed", None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(EventStream::open(&app, &guest, &path, None).await.status, StatusCode::UNAUTHORIZED);
    for outsider in ["buyer2@troika.test", "seller2@troika.test", "moderator@troika.test"] {
        let client = demo_client(&app, outsider).await;
        assert_eq!(EventStream::open(&app, &client, &path, None).await.status, StatusCode::NOT_FOUND, "{outsider}");
        let (status, _) = app.call(&client, "get_order", &[("id", &order.to_string())]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{outsider} reads nothing of the order");
    }
    for party in ["seller@troika.test", "mediator@troika.test"] {
        let client = demo_client(&app, party).await;
        let mut s = EventStream::open(&app, &client, &path, None).await;
        assert_eq!(s.status, StatusCode::OK, "{party}");
        assert!(matches!(s.next().await, LiveMessage::Ready { .. }));
    }
    // Another buyer's feed carries nothing of this order.
    let other = demo_client(&app, "buyer2@troika.test").await;
    let mut other_feed = EventStream::open(&app, &other, "/live/feed", None).await;
    other_feed.next().await;
    let seller = demo_client(&app, "seller@troika.test").await;
    assert_eq!(act(&app, &seller, order, "accept", &[]).await.0, StatusCode::OK);
    assert!(other_feed.next_within(Duration::from_millis(500)).await.is_none());
    app.stop().await;
}

#[tokio::test]
async fn resuming_after_a_disconnect_delivers_every_missed_event_exactly_once() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let order = buy(&app, &buyer, CREPE_PAN, 1).await;

    let mut feed = EventStream::open(&app, &buyer, "/live/feed", None).await;
    let LiveMessage::Ready { cursor, .. } = feed.next().await else { panic!("ready first") };
    drop(feed); // the phone goes through a tunnel

    assert_eq!(act(&app, &seller, order, "accept", &[]).await.0, StatusCode::OK);
    assert_eq!(act(&app, &seller, order, "ship", &[("carrier", "DHL"), ("tracking_number", "JD0001")]).await.0, StatusCode::OK);
    assert_eq!(act(&app, &seller, order, "in_transit", &[("note", "Left the Lyon hub")]).await.0, StatusCode::OK);

    let mut feed = EventStream::open(&app, &buyer, "/live/feed", Some(cursor)).await;
    assert!(matches!(feed.next().await, LiveMessage::Ready { cursor: c, .. } if c == cursor));
    let mut got = Vec::new();
    while let Some((id, msg)) = feed.next_within(Duration::from_millis(700)).await {
        assert_eq!(id, Some(msg.cursor()), "each event carries its id for the next resume");
        got.push((msg.cursor(), order_status(&msg).1));
    }
    assert_eq!(
        got,
        vec![(cursor + 1, OrderStatus::Accepted), (cursor + 2, OrderStatus::Shipped), (cursor + 3, OrderStatus::InTransit)],
        "each missed change once, in order"
    );

    // Resuming from the middle gives only what came after it.
    let mut feed = EventStream::open(&app, &buyer, "/live/feed", Some(cursor + 2)).await;
    feed.next().await;
    assert_eq!(order_status(&feed.next().await).1, OrderStatus::InTransit);
    assert!(feed.next_within(Duration::from_millis(500)).await.is_none(), "nothing twice");

    // The order stream resumes the same way, after a history entry id.
    let mut timeline = EventStream::open(&app, &buyer, &format!("/live/orders/{order}"), Some(0)).await;
    timeline.next().await;
    let mut statuses = Vec::new();
    while let Some((_, msg)) = timeline.next_within(Duration::from_millis(700)).await {
        statuses.push(order_status(&msg).1);
    }
    assert_eq!(statuses, vec![OrderStatus::Placed, OrderStatus::Accepted, OrderStatus::Shipped, OrderStatus::InTransit]);
    app.stop().await;
}

#[tokio::test]
async fn a_client_too_far_behind_or_ahead_is_told_to_resync_instead_of_replaying() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let order = buy(&app, &buyer, CREPE_PAN, 1).await;
    let (_, info) = app.call(&buyer, "get_session_info", &[]).await;
    let user = app::domain::UserId(info["user"]["id"].as_i64().unwrap());
    // More changes than one replay may carry.
    let db = &app.state().db;
    let mut tx = db.begin().await.unwrap();
    for _ in 0..app::domain::live::MAX_REPLAY + 5 {
        app::backend::db::feed::append(&mut tx, user, app::domain::OrderId(order), OrderStatus::Placed, 0).await.unwrap();
    }
    tx.commit().await.unwrap();
    let cursor = app::backend::db::feed::cursor(&db.pool, user).await.unwrap();

    let mut behind = EventStream::open(&app, &buyer, "/live/feed", Some(0)).await;
    assert_eq!(behind.next().await, LiveMessage::Resync { cursor, unread: Some(0) });
    let mut ahead = EventStream::open(&app, &buyer, "/live/feed", Some(cursor + 1000)).await;
    assert_eq!(ahead.next().await, LiveMessage::Resync { cursor, unread: Some(0) });
    // Entries pruned away leave a gap: resync too (only the first, real-time entry is kept here).
    app::backend::db::feed::prune(&db.pool, 1).await.unwrap();
    let mut gap = EventStream::open(&app, &buyer, "/live/feed", Some(1)).await;
    assert_eq!(gap.next().await, LiveMessage::Resync { cursor, unread: Some(0) });
    // Up to date: just ready.
    let mut current = EventStream::open(&app, &buyer, "/live/feed", Some(cursor)).await;
    assert_eq!(current.next().await, LiveMessage::Ready { cursor, unread: Some(0) });
    app.stop().await;
}

#[tokio::test]
async fn illegal_moves_are_refused_with_a_clear_message_and_change_nothing() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let order = buy(&app, &buyer, CREPE_PAN, 1).await;
    let before = status_of(&app, &buyer, order).await;

    let (status, body) = act(&app, &seller, order, "ship", &[("carrier", "DHL"), ("tracking_number", "X1")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.to_string().contains("Only an accepted order can be shipped"), "{body}");
    let (status, _) = act(&app, &buyer, order, "accept", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a buyer cannot accept their own order");
    let (status, body) = act(&app, &seller, order, "refuse", &[("note", "  ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a refusal needs a reason: {body}");
    let (status, _) = act(&app, &seller, order, "teleport", &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let other_seller = demo_client(&app, "seller2@troika.test").await;
    assert_eq!(act(&app, &other_seller, order, "accept", &[]).await.0, StatusCode::NOT_FOUND);
    let mediator = demo_client(&app, "mediator@troika.test").await;
    assert_eq!(act(&app, &mediator, order, "accept", &[]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, &buyer, order).await, before, "nothing changed");

    assert_eq!(act(&app, &seller, order, "accept", &[]).await.0, StatusCode::OK);
    let (status, body) = act(&app, &seller, order, "ship", &[("carrier", ""), ("tracking_number", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["Invalid"]["fields"]["carrier"].is_string() && body["Invalid"]["fields"]["tracking_number"].is_string(), "{body}");
    // Accepting twice (a double tap, or two devices) moves it once.
    let (status, body) = act(&app, &seller, order, "accept", &[]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(status_of(&app, &buyer, order).await, ("Accepted".into(), 2));
    app.stop().await;
}

#[tokio::test]
async fn two_devices_acting_at_once_move_the_order_once() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let order = buy(&app, &buyer, CREPE_PAN, 1).await;
    let phone = demo_client(&app, "seller@troika.test").await;
    let laptop = demo_client(&app, "seller@troika.test").await;
    let (a, b) = tokio::join!(act(&app, &phone, order, "accept", &[]), act(&app, &laptop, order, "refuse", &[("note", "Out of stock")]));
    let oks = [a.0, b.0].iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(oks, 1, "exactly one wins: {a:?} {b:?}");
    assert!([a.0, b.0].contains(&StatusCode::CONFLICT));
    assert_eq!(status_of(&app, &buyer, order).await.1, 2, "one history entry after the placement");
    app.stop().await;
}

#[tokio::test]
async fn an_order_not_accepted_in_24_hours_is_cancelled_refunded_and_restocked_by_the_job() {
    let app = TestApp::spawn().await;
    let db = &app.state().db;
    let stock_before = catalog::stock_of(&db.pool, ProductId(TEA_TOWELS)).await.unwrap();
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let order = buy(&app, &buyer, TEA_TOWELS, 3).await;
    assert_eq!(catalog::stock_of(&db.pool, ProductId(TEA_TOWELS)).await.unwrap(), stock_before - 3);

    let now = clock::now_ms();
    let live = &app.state().live;
    assert_eq!(run_due_jobs(db, live, now + DAY_MS - 60_000).await.unwrap(), JobReport::default(), "still in time");
    let report = run_due_jobs(db, live, now + DAY_MS + 60_000).await.unwrap();
    assert_eq!(report.cancelled, 1);
    assert_eq!(run_due_jobs(db, live, now + DAY_MS + 120_000).await.unwrap().cancelled, 0, "once");

    let (_, body) = app.call(&buyer, "get_order", &[("id", &order.to_string())]).await;
    assert_eq!(body["status"], "CancelledUnaccepted");
    assert_eq!(body["refunded"], body["total"], "fully refunded");
    assert_eq!(body["history"][0]["actor"], "Troika");
    assert!(body["history"][0]["note"].as_str().unwrap().contains("did not accept the order within 24 hours"));
    assert_eq!(catalog::stock_of(&db.pool, ProductId(TEA_TOWELS)).await.unwrap(), stock_before, "back in stock");
    let (_, list) = app.call(&buyer, "list_notifications", &[]).await;
    assert!(list.to_string().contains(&format!("Order #{order} was cancelled")), "{list}");
    app.stop().await;
}

#[tokio::test]
async fn a_late_shipment_is_flagged_for_everyone_and_announced_once() {
    let app = TestApp::spawn().await;
    let (db, live) = (&app.state().db, &app.state().live);
    let (buyer, seller, order) = accepted_order(&app).await;
    let mut feed = EventStream::open(&app, &seller, "/live/feed", None).await;
    feed.next().await;

    let later = clock::now_ms() + 10 * DAY_MS;
    assert_eq!(run_due_jobs(db, live, later).await.unwrap().flagged_late, 1);
    assert_eq!(run_due_jobs(db, live, later + 1000).await.unwrap().flagged_late, 0, "announced once");
    let msg = feed.next().await;
    assert_eq!(order_status(&msg), (order, OrderStatus::Accepted), "the seller's desk is woken");

    for (client, title) in [(&buyer, "is running late"), (&seller, "is late")] {
        let (_, list) = app.call(client, "list_notifications", &[]).await;
        let n = list.as_array().unwrap().iter().filter(|n| n["title"].as_str().unwrap().contains(title)).count();
        assert_eq!(n, 1, "{title}: {list}");
    }
    // The marketplace sees it on the all-shops desk.
    let mediator = demo_client(&app, "mediator@troika.test").await;
    let (status, desk) = app.call(&mediator, "list_shop_orders", &[("tab", "to-ship")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(desk["shop_name"], serde_json::Value::Null, "staff see every shop");
    assert!(desk["orders"].as_array().unwrap().iter().any(|o| o["id"] == order));
    // The tab counts (one query): the accepted order is to ship; at the real `now` it is not late yet.
    // ("Done" holds the demo history's completed orders.)
    let counts: Vec<(String, i64)> = serde_json::from_value(desk["counts"].clone()).unwrap();
    assert_eq!(counts[..4], [
        ("ToAccept".to_string(), 0),
        ("ToShip".to_string(), 1),
        ("Late".to_string(), 0),
        ("OnTheWay".to_string(), 0),
    ]);
    app.stop().await;
}

#[tokio::test]
async fn a_delivered_order_completes_after_the_quiet_period() {
    let app = TestApp::spawn().await;
    let (db, live) = (&app.state().db, &app.state().live);
    let (buyer, seller, order) = accepted_order(&app).await;
    assert_eq!(act(&app, &seller, order, "ship", &[("carrier", "DHL"), ("tracking_number", "JD1")]).await.0, StatusCode::OK);
    assert_eq!(act(&app, &seller, order, "out_for_delivery", &[]).await.0, StatusCode::OK);
    assert_eq!(act(&app, &buyer, order, "confirm_receipt", &[]).await.0, StatusCode::OK);
    let (_, list) = app.call(&seller, "list_notifications", &[]).await;
    assert!(list.to_string().contains(&format!("The buyer received order #{order}")));

    let now = clock::now_ms();
    assert_eq!(run_due_jobs(db, live, now + 13 * DAY_MS).await.unwrap().completed, 0);
    assert_eq!(run_due_jobs(db, live, now + 15 * DAY_MS).await.unwrap().completed, 1);
    assert_eq!(status_of(&app, &buyer, order).await.0, "Completed");
    app.stop().await;
}

#[tokio::test]
async fn the_orders_desk_shows_a_seller_only_their_own_shop() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let order = buy(&app, &buyer, CREPE_PAN, 2).await;

    let seller = demo_client(&app, "seller@troika.test").await;
    let (status, desk) = app.call(&seller, "list_shop_orders", &[("tab", "to-accept")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(desk["shop_name"], "Atelier Lumière");
    let card = desk["orders"].as_array().unwrap().iter().find(|o| o["id"] == order).expect("the new order").clone();
    assert_eq!(card["ship_to"], "Ana Lima · Lisboa, Portugal", "what shipping needs");
    assert!(!card.to_string().contains("@"), "no buyer e-mail on the desk");
    assert_eq!(card["items"][0][1], 2);

    let other = demo_client(&app, "seller2@troika.test").await;
    let (_, desk) = app.call(&other, "list_shop_orders", &[("tab", "to-accept")]).await;
    assert!(desk["orders"].as_array().unwrap().iter().all(|o| o["id"] != order), "another shop sees nothing of it");
    assert_eq!(app.call(&buyer, "list_shop_orders", &[]).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.call(&app.client(), "list_shop_orders", &[]).await.0, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn notifications_are_counted_listed_and_marked_read_by_their_owner_only() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let order = buy(&app, &buyer, CREPE_PAN, 1).await;
    let (_, info) = app.call(&seller, "get_session_info", &[]).await;
    assert!(info["unread"].as_i64().unwrap() >= 1, "the seller is told of the new order: {info}");
    assert_eq!(act(&app, &seller, order, "accept", &[]).await.0, StatusCode::OK);

    let (_, list) = app.call(&buyer, "list_notifications", &[]).await;
    let first = list[0].clone();
    assert_eq!(first["title"], format!("Atelier Lumière accepted order #{order}"));
    assert_eq!(first["unread"], true);
    // Someone else cannot mark it read.
    let other = demo_client(&app, "buyer2@troika.test").await;
    assert_eq!(app.call(&other, "mark_notification_read", &[("id", &first["id"].to_string())]).await.0, StatusCode::OK);
    assert_eq!(app.call(&buyer, "get_session_info", &[]).await.1["unread"], 1);
    assert_eq!(app.call(&buyer, "mark_notification_read", &[("id", &first["id"].to_string())]).await.0, StatusCode::OK);
    assert_eq!(app.call(&buyer, "get_session_info", &[]).await.1["unread"], 0);
    assert_eq!(app.call(&seller, "mark_all_notifications_read", &[]).await.0, StatusCode::OK);
    assert_eq!(app.call(&seller, "get_session_info", &[]).await.1["unread"], 0);
    app.stop().await;
}

/// Two real server processes on one Postgres database: a buyer follows their order through one,
/// the seller moves it through the other.
#[tokio::test]
async fn an_update_through_one_server_reaches_a_buyer_connected_to_another() {
    if !common::is_postgres() {
        eprintln!("skipped: needs TROIKA_TEST_POSTGRES_URL (the test command runs it on Postgres)");
        return;
    }
    let dir = std::env::temp_dir().join(format!("troika-two-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = common::fresh_database_url(&dir).await;
    let a = common::ServerProcess::start(&url).await;
    let b = common::ServerProcess::start(&url).await;

    let buyer = a.app.client();
    assert!(a.app.sign_in(&buyer, "buyer@troika.test", app::backend::seed::DEMO_PASSWORD).await.0.is_success());
    let order = buy(&a.app, &buyer, CREPE_PAN, 1).await;
    let mut feed = EventStream::open(&a.app, &buyer, "/live/feed", None).await;
    feed.next().await;
    let mut timeline = EventStream::open(&a.app, &buyer, &format!("/live/orders/{order}"), None).await;
    timeline.next().await;

    let seller = b.app.client();
    assert!(b.app.sign_in(&seller, "seller@troika.test", app::backend::seed::DEMO_PASSWORD).await.0.is_success());
    for (action, extra, expected) in [
        ("accept", vec![], OrderStatus::Accepted),
        ("ship", vec![("carrier", "DHL"), ("tracking_number", "JD77")], OrderStatus::Shipped),
    ] {
        let (status, body) = act(&b.app, &seller, order, action, &extra).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(order_status(&feed.next().await), (order, expected), "through server A");
        assert_eq!(order_status(&timeline.next().await), (order, expected));
    }
    drop(a);
    drop(b);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn each_party_is_told_and_reads_the_history_in_their_own_language() {
    use app::domain::locale::{money, Locale};
    use app::domain::Money;
    let app = TestApp::spawn().await;
    let (db, live) = (&app.state().db, &app.state().live);
    // The seller reads French (kept on the account); the buyer never chose: English.
    let seller = demo_client(&app, "seller@troika.test").await;
    let res = seller.post(app.url("/language")).form(&[("lang", "fr"), ("back", "/seller/orders")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let order = buy(&app, &buyer, CREPE_PAN, 1).await;

    // The new order's notification is written in the seller's language, whoever caused it.
    let (_, list) = app.call(&seller, "list_notifications", &[]).await;
    let new = list.as_array().unwrap().iter().find(|n| n["title"] == format!("Nouvelle commande n° {order} à accepter")).unwrap_or_else(|| panic!("{list}"));
    let (_, english) = app.call(&buyer, "get_order", &[("id", &order.to_string())]).await;
    let total = Money(english["total"].as_i64().unwrap());
    assert_eq!(english["history"][0]["note"].as_str().unwrap().split(" (").next(), Some(format!("Paid {}", money(Locale::en, total)).as_str()));
    let reference = english["payment_reference"].as_str().unwrap().to_string();
    assert_eq!(new["body"], format!("Payé {} (paiement simulé {reference}).", money(Locale::fr, total)));
    assert_eq!(english["history"][0]["note"], format!("Paid {total} (simulated payment {reference})."), "English as always");

    // The same stored history entry reads in French for the French reader (page and server fn).
    let (_, french) = app.call(&seller, "get_order", &[("id", &order.to_string())]).await;
    assert_eq!(french["history"][0]["note"], format!("Payé {} (paiement simulé {reference}).", money(Locale::fr, total)));
    let page = seller.get(app.url(&format!("/orders/{order}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("Payé {}", money(Locale::fr, total))), "the order page shows the note in French");

    // The seller accepts: the English buyer is told in English.
    assert_eq!(act(&app, &seller, order, "accept", &[]).await.0, StatusCode::OK);
    let (_, list) = app.call(&buyer, "list_notifications", &[]).await;
    assert!(list.to_string().contains(&format!("accepted order #{order}")), "{list}");

    // A background job (no request, no language of its own) writes to each in their language.
    let later = clock::now_ms() + 10 * DAY_MS;
    assert_eq!(run_due_jobs(db, live, later).await.unwrap().flagged_late, 1);
    let (_, list) = app.call(&seller, "list_notifications", &[]).await;
    let late = list.as_array().unwrap().iter().find(|n| n["title"] == format!("La commande n° {order} est en retard")).unwrap_or_else(|| panic!("{list}"));
    assert!(late["body"].as_str().unwrap().starts_with("Elle devait être expédiée au plus tard le "), "{late}");
    assert!(late["body"].as_str().unwrap().contains(" à "), "a French date: {late}");
    let (_, list) = app.call(&buyer, "list_notifications", &[]).await;
    let late = list.as_array().unwrap().iter().find(|n| n["title"] == format!("Order #{order} is running late")).unwrap_or_else(|| panic!("{list}"));
    assert!(late["body"].as_str().unwrap().starts_with("It was due to ship by "), "{late}");
    app.stop().await;
}
