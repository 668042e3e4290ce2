//! The dispute room against the booted app: opening a claim, who may reach the room (server
//! functions, page and socket), the socket protocol (live delivery in order, resume after a
//! disconnect with exactly what was missed, idempotent sends, private messages and notes,
//! presence, typing, read markers), offers, escalation, mediators, decisions, the claim jobs with
//! time moved forward. The same suite runs on SQLite and on Postgres; the cross-server test needs
//! Postgres.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::backend::services::disputes::{run_claim_jobs, ClaimJobReport};
use app::domain::deadlines::{DAY_MS, HOUR_MS};
use app::domain::dispute::Party;
use app::domain::room::{ClientFrame, EntryKind, RoomFrame};
use common::{act, buy, demo_with_cookie, RoomSocket, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::time::Duration;

const CREPE_PAN: i64 = 1; // Atelier Lumière (seller@troika.test), €49.00 + shipping

struct Party3 {
    buyer: (Client, String),
    seller: (Client, String),
    mediator: (Client, String),
}

async fn parties(app: &TestApp) -> Party3 {
    Party3 {
        buyer: demo_with_cookie(app, "buyer@troika.test").await,
        seller: demo_with_cookie(app, "seller@troika.test").await,
        mediator: demo_with_cookie(app, "mediator@troika.test").await,
    }
}

/// An order the seller accepted and shipped.
async fn shipped_order(app: &TestApp, p: &Party3) -> i64 {
    let order = buy(app, &p.buyer.0, CREPE_PAN, 1).await;
    assert_eq!(act(app, &p.seller.0, order, "accept", &[]).await.0, StatusCode::OK);
    let (status, body) = act(app, &p.seller.0, order, "ship", &[("carrier", "DHL"), ("tracking_number", "JD0146000031")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    order
}

async fn open_claim(app: &TestApp, client: &Client, order: i64) -> (StatusCode, Value) {
    app.call(client, "open_claim", &[
        ("order_id", &order.to_string()),
        ("reason", "damaged"),
        ("remedy", "full_refund"),
        ("message", "The pan arrived with a cracked handle."),
    ])
    .await
}

/// A shipped order with an open claim on it: (order, claim).
async fn claim_on_shipped_order(app: &TestApp, p: &Party3) -> (i64, i64) {
    let order = shipped_order(app, p).await;
    let (status, body) = open_claim(app, &p.buyer.0, order).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (order, body.as_i64().expect("the claim id"))
}

async fn say(app: &TestApp, client: &Client, claim: i64, client_id: &str, body: &str, audience: &str) -> (StatusCode, Value) {
    app.call(client, "post_claim_message", &[
        ("claim_id", &claim.to_string()),
        ("client_id", client_id),
        ("body", body),
        ("audience", audience),
    ])
    .await
}

fn cid() -> String {
    uuid::Uuid::new_v4().to_string()
}

async fn room(app: &TestApp, client: &Client, claim: i64) -> Value {
    let (status, body) = app.call(client, "get_claim_room", &[("id", &claim.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn bodies(room: &Value) -> Vec<String> {
    room["entries"].as_array().unwrap().iter().map(|e| e["body"].as_str().unwrap().to_string()).collect()
}

async fn age_claim(app: &TestApp, claim: i64, by_ms: i64) {
    sqlx::query("UPDATE claims SET opened_at = opened_at - $1, last_activity_at = last_activity_at - $1 WHERE id = $2")
        .bind(by_ms)
        .bind(claim)
        .execute(&app.state().db.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_claim_opens_once_per_order_only_after_shipping_and_only_by_its_buyer() {
    let app = TestApp::spawn().await;
    let p = parties(&app).await;
    let order = buy(&app, &p.buyer.0, CREPE_PAN, 1).await;
    let (status, body) = open_claim(&app, &p.buyer.0, order).await;
    assert_eq!(status, StatusCode::CONFLICT, "not shipped yet: {body}");

    assert_eq!(act(&app, &p.seller.0, order, "accept", &[]).await.0, StatusCode::OK);
    assert_eq!(act(&app, &p.seller.0, order, "ship", &[("carrier", "DHL"), ("tracking_number", "JD0146000031")]).await.0, StatusCode::OK);
    assert_eq!(open_claim(&app, &p.seller.0, order).await.0, StatusCode::FORBIDDEN, "the seller cannot claim against themselves");
    let (stranger, _) = demo_with_cookie(&app, "buyer2@troika.test").await;
    assert_eq!(open_claim(&app, &stranger, order).await.0, StatusCode::NOT_FOUND, "another buyer's order does not exist for them");

    let (status, body) = app
        .call(&p.buyer.0, "open_claim", &[("order_id", &order.to_string()), ("reason", "sad"), ("remedy", "partial_refund"), ("amount", "500"), ("message", " ")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["reason", "amount", "message"] {
        assert!(body["Invalid"]["fields"][field].is_string(), "{field} is named: {body}");
    }
    assert_eq!(app.call(&p.buyer.0, "list_claims", &[]).await.1["claims"].as_array().unwrap().len(), 0, "bad input changed nothing");

    let (status, body) = open_claim(&app, &p.buyer.0, order).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let claim = body.as_i64().unwrap();
    let (status, body) = open_claim(&app, &p.buyer.0, order).await;
    assert_eq!(status, StatusCode::CONFLICT, "one open claim per order: {body}");

    let r = room(&app, &p.seller.0, claim).await;
    assert_eq!(r["claim"]["state"], "AwaitingSeller");
    assert_eq!(r["viewer"], "Seller");
    assert_eq!(r["claim"]["deadlines"][0]["label"], "Seller must answer within");
    assert_eq!(bodies(&r)[1], "The pan arrived with a cracked handle.");
    let (_, order_body) = app.call(&p.buyer.0, "get_order", &[("id", &order.to_string())]).await;
    assert_eq!(order_body["claim"][0].as_i64(), Some(claim), "the order links to its claim");
    assert_eq!(order_body["may_claim"], false);
    let (_, notes) = app.call(&p.seller.0, "list_notifications", &[]).await;
    assert_eq!(notes[0]["href"], format!("/claims/{claim}"), "the seller is told, with a link to the room: {notes}");
    app.stop().await;
}

#[tokio::test]
async fn only_the_parties_and_mediators_reach_the_room_on_every_path() {
    let app = TestApp::spawn().await;
    let p = parties(&app).await;
    let (_, claim) = claim_on_shipped_order(&app, &p).await;
    let (stranger, stranger_cookie) = demo_with_cookie(&app, "buyer2@troika.test").await;
    let (other_seller, other_seller_cookie) = demo_with_cookie(&app, "seller2@troika.test").await;
    let id = claim.to_string();

    for (who, client, cookie) in [("another buyer", &stranger, &stranger_cookie), ("another seller", &other_seller, &other_seller_cookie)] {
        assert_eq!(app.call(client, "get_claim_room", &[("id", &id)]).await.0, StatusCode::NOT_FOUND, "{who}: server fn");
        assert_eq!(say(&app, client, claim, &cid(), "let me in", "all").await.0, StatusCode::NOT_FOUND, "{who}: posting");
        assert_eq!(RoomSocket::connect(&app, cookie, claim, None).await.err(), Some(404), "{who}: socket");
        let page = client.get(app.url(&format!("/claims/{claim}"))).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::NOT_FOUND, "{who}: page");
        let text = page.text().await.unwrap();
        assert!(!text.contains("cracked handle"), "{who}: nothing of the room leaks");
    }
    let guest = app.client();
    assert_eq!(app.call(&guest, "get_claim_room", &[("id", &id)]).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(RoomSocket::connect(&app, "", claim, None).await.err(), Some(401));
    assert_eq!(app.call(&p.seller.0, "withdraw_claim", &[("claim_id", &id)]).await.0, StatusCode::FORBIDDEN, "only the buyer withdraws");
    assert_eq!(app.call(&p.buyer.0, "take_claim", &[("claim_id", &id)]).await.0, StatusCode::FORBIDDEN, "only mediators take claims");
    assert_eq!(app.call(&stranger, "take_claim", &[("claim_id", &id)]).await.0, StatusCode::NOT_FOUND);

    for who in [&p.buyer, &p.seller, &p.mediator] {
        let mut socket = RoomSocket::connect(&app, &who.1, claim, None).await.expect("a party connects");
        assert!(matches!(socket.next().await, RoomFrame::Ready { cursor: 2 }));
        let page = who.0.get(app.url(&format!("/claims/{claim}"))).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        socket.close().await;
    }
    app.stop().await;
}

#[tokio::test]
async fn messages_reach_every_party_in_order_and_a_reconnect_gets_exactly_what_it_missed() {
    let app = TestApp::spawn().await;
    let p = parties(&app).await;
    let (_, claim) = claim_on_shipped_order(&app, &p).await;
    let mut buyer = RoomSocket::connect(&app, &p.buyer.1, claim, None).await.unwrap();
    let mut seller = RoomSocket::connect(&app, &p.seller.1, claim, None).await.unwrap();
    let mut mediator = RoomSocket::connect(&app, &p.mediator.1, claim, None).await.unwrap();
    for s in [&mut buyer, &mut seller, &mut mediator] {
        assert_eq!(s.next().await, RoomFrame::Ready { cursor: 2 });
    }

    let (status, body) = say(&app, &p.seller.0, claim, &cid(), "Sorry! Could you send a photo?", "all").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body.as_i64(), Some(3), "the room's next number");
    for s in [&mut buyer, &mut seller, &mut mediator] {
        let e = s.next_entry().await;
        assert_eq!((e.seq, e.kind, e.party, e.body.as_str()), (3, EntryKind::Message, Party::Seller, "Sorry! Could you send a photo?"));
        assert_eq!(e.author, "Camille Laurent");
    }
    assert_eq!(room(&app, &p.buyer.0, claim).await["claim"]["state"], "SellerResponded", "the seller's answer moves the claim on");

    // The buyer drops off; three messages later they come back after the last one they saw.
    buyer.close().await;
    for text in ["One", "Two", "<script>alert('x')</script> Three"] {
        assert_eq!(say(&app, &p.seller.0, claim, &cid(), text, "all").await.0, StatusCode::OK);
    }
    let mut buyer = RoomSocket::connect(&app, &p.buyer.1, claim, Some(3)).await.unwrap();
    assert_eq!(buyer.next().await, RoomFrame::Ready { cursor: 3 });
    let missed: Vec<(i64, String)> = [buyer.next_entry().await, buyer.next_entry().await, buyer.next_entry().await].into_iter().map(|e| (e.seq, e.body)).collect();
    assert_eq!(missed, vec![(4, "One".into()), (5, "Two".into()), (6, "<script>alert('x')</script> Three".into())], "stored as typed; escaped when shown");
    assert!(buyer.next_entry_within(Duration::from_millis(400)).await.is_none(), "nothing twice");

    // A client whose cursor the room never issued is told to resync.
    let mut stray = RoomSocket::connect(&app, &p.buyer.1, claim, Some(99)).await.unwrap();
    assert_eq!(stray.next().await, RoomFrame::Resync { cursor: 6 });

    // The seller's socket saw the same four, in order.
    let seen: Vec<i64> = [seller.next_entry().await, seller.next_entry().await, seller.next_entry().await].iter().map(|e| e.seq).collect();
    assert_eq!(seen, vec![4, 5, 6]);
    app.stop().await;
}

#[tokio::test]
async fn a_retried_send_with_the_same_client_id_is_stored_once() {
    let app = TestApp::spawn().await;
    let p = parties(&app).await;
    let (_, claim) = claim_on_shipped_order(&app, &p).await;
    let mut seller = RoomSocket::connect(&app, &p.seller.1, claim, None).await.unwrap();
    assert!(matches!(seller.next().await, RoomFrame::Ready { .. }));

    let id = cid();
    let first = say(&app, &p.buyer.0, claim, &id, "Here is the photo.", "all").await;
    let again = say(&app, &p.buyer.0, claim, &id, "Here is the photo.", "all").await;
    assert_eq!(first, again, "the retry answers with the same place in the room");
    // Two retries racing each other (a reconnect while the first send was still in flight).
    let id2 = cid();
    let (a, b) = tokio::join!(say(&app, &p.buyer.0, claim, &id2, "And another.", "all"), say(&app, &p.buyer.0, claim, &id2, "And another.", "all"));
    assert_eq!(a.0, StatusCode::OK);
    assert_eq!(a, b);

    let e = seller.next_entry().await;
    assert_eq!((e.seq, e.client_id.as_deref()), (3, Some(id.as_str())));
    assert_eq!(seller.next_entry().await.seq, 4);
    assert!(seller.next_entry_within(Duration::from_millis(400)).await.is_none(), "each stored once");
    assert_eq!(bodies(&room(&app, &p.buyer.0, claim).await).len(), 4);

    assert_eq!(say(&app, &p.buyer.0, claim, "x", "hello", "all").await.0, StatusCode::UNPROCESSABLE_ENTITY, "a client id is required");
    assert_eq!(say(&app, &p.buyer.0, claim, &cid(), "   ", "all").await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(say(&app, &p.buyer.0, claim, &cid(), "psst", "seller").await.0, StatusCode::FORBIDDEN, "only mediators address one party");
    app.stop().await;
}

#[tokio::test]
async fn a_silent_seller_is_escalated_after_24_hours_and_quiet_claims_are_warned_then_closed() {
    let app = TestApp::spawn().await;
    let p = parties(&app).await;
    let (order, claim) = claim_on_shipped_order(&app, &p).await;
    let state = app.state();
    let now = app::backend::clock::now_ms();
    assert_eq!(run_claim_jobs(&state.db, &state.live, now + 23 * HOUR_MS).await.unwrap(), ClaimJobReport::default());
    let report = run_claim_jobs(&state.db, &state.live, now + 25 * HOUR_MS).await.unwrap();
    assert_eq!(report, ClaimJobReport { escalated: 1, ..Default::default() });
    assert_eq!(run_claim_jobs(&state.db, &state.live, now + 26 * HOUR_MS).await.unwrap(), ClaimJobReport::default(), "once");
    let r = room(&app, &p.buyer.0, claim).await;
    assert_eq!(r["claim"]["state"], "Escalated");
    assert!(bodies(&r).last().unwrap().contains("counts against the seller's response record"));
    let missed: i64 = sqlx::query_scalar("SELECT seller_reply_missed FROM claims WHERE id = $1").bind(claim).fetch_one(&state.db.pool).await.unwrap();
    assert_eq!(missed, 1, "the lapse is on the seller's record");
    let (_, notes) = app.call(&p.seller.0, "list_notifications", &[]).await;
    assert!(notes[0]["title"].as_str().unwrap().contains("went to a mediator"), "{notes}");

    // Quiet for 11 days: warned (once); at 14 days: closed, and the order can complete again.
    let t = now + 25 * HOUR_MS;
    assert_eq!(run_claim_jobs(&state.db, &state.live, t + 11 * DAY_MS - HOUR_MS).await.unwrap(), ClaimJobReport::default());
    assert_eq!(run_claim_jobs(&state.db, &state.live, t + 11 * DAY_MS).await.unwrap().warned, 1);
    assert_eq!(run_claim_jobs(&state.db, &state.live, t + 12 * DAY_MS).await.unwrap(), ClaimJobReport::default(), "warned once");
    assert_eq!(run_claim_jobs(&state.db, &state.live, t + 14 * DAY_MS).await.unwrap().closed, 1);
    let r = room(&app, &p.buyer.0, claim).await;
    assert_eq!(r["claim"]["state"], "Closed");
    assert_eq!(r["claim"]["outcome"], "ClosedIdle");
    assert_eq!(say(&app, &p.buyer.0, claim, &cid(), "hello?", "all").await.0, StatusCode::CONFLICT, "the room is read-only now");
    let (_, o) = app.call(&p.buyer.0, "get_order", &[("id", &order.to_string())]).await;
    assert_eq!(o["may_claim"], true, "a new claim may be opened on the order");
    app.stop().await;
}

#[tokio::test]
async fn the_seller_offers_a_partial_refund_and_the_buyer_accepts_with_one_tap() {
    let app = TestApp::spawn().await;
    let p = parties(&app).await;
    let (order, claim) = claim_on_shipped_order(&app, &p).await;
    let id = claim.to_string();
    let mut buyer = RoomSocket::connect(&app, &p.buyer.1, claim, None).await.unwrap();
    assert!(matches!(buyer.next().await, RoomFrame::Ready { .. }));

    let offer = |amount: &'static str| {
        let app = &app;
        let seller = p.seller.0.clone();
        let id = id.clone();
        async move {
            app.call(&seller, "make_claim_offer", &[("claim_id", &id), ("client_id", &cid()), ("remedy", "partial_refund"), ("amount", amount), ("note", "For the handle.")]).await
        }
    };
    let (status, body) = offer("99999").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "more than the order: {body}");
    assert!(body["Invalid"]["fields"]["amount"].is_string());
    assert_eq!(app.call(&p.buyer.0, "make_claim_offer", &[("claim_id", &id), ("client_id", &cid()), ("remedy", "full_refund")]).await.0, StatusCode::FORBIDDEN);

    let first = offer("10").await.1.as_i64().unwrap();
    let second = offer("15.00").await.1.as_i64().unwrap();
    let e = buyer.next_entry().await;
    assert_eq!((e.seq, e.kind), (first, EntryKind::Offer));
    let e = buyer.next_entry().await;
    assert_eq!((e.seq, e.remedy), (second, Some(app::domain::dispute::Remedy::PartialRefund(app::domain::Money(1500)))));
    let r = room(&app, &p.buyer.0, claim).await;
    assert_eq!(r["can"]["answer"].as_i64(), Some(second), "the newest offer is the one to answer");

    let answer = |offer: i64, answer: &'static str| {
        let app = &app;
        let buyer = p.buyer.0.clone();
        let id = id.clone();
        async move { app.call(&buyer, "answer_claim_offer", &[("claim_id", &id), ("offer", &offer.to_string()), ("answer", answer)]).await }
    };
    assert_eq!(answer(first, "accept").await.0, StatusCode::CONFLICT, "a replaced offer cannot be accepted");
    assert_eq!(app.call(&p.seller.0, "answer_claim_offer", &[("claim_id", &id), ("offer", &second.to_string()), ("answer", "accept")]).await.0, StatusCode::FORBIDDEN);
    let (status, body) = answer(second, "accept").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, Some("Resolved")), "{body}");
    assert_eq!(answer(second, "accept").await.0, StatusCode::CONFLICT, "accepted once");
    let e = buyer.next_entry().await;
    assert_eq!((e.kind, e.refers_to), (EntryKind::OfferAccepted, Some(second)));

    for who in [&p.buyer.0, &p.seller.0, &p.mediator.0] {
        let r = room(&app, who, claim).await;
        assert_eq!(r["claim"]["state"], "Resolved");
        assert_eq!(r["claim"]["outcome"]["Settled"]["PartialRefund"], 1500);
    }
    let (_, o) = app.call(&p.buyer.0, "get_order", &[("id", &order.to_string())]).await;
    assert_eq!(o["refunded"], 1500, "the order is refunded €15.00");
    assert!(o["history"][0]["note"].as_str().unwrap().contains("settled: Partial refund of €15.00"), "{}", o["history"][0]);
    let (_, notes) = app.call(&p.seller.0, "list_notifications", &[]).await;
    assert!(notes[0]["title"].as_str().unwrap().contains("resolved"), "{notes}");
    app.stop().await;
}

#[tokio::test]
async fn escalation_waits_for_a_fair_chance_one_mediator_takes_it_and_decides_with_a_reason() {
    let app = TestApp::spawn().await;
    let p = parties(&app).await;
    let (order, claim) = claim_on_shipped_order(&app, &p).await;
    let id = claim.to_string();
    assert_eq!(say(&app, &p.seller.0, claim, &cid(), "The handle was fine when it left.", "all").await.0, StatusCode::OK);
    let (status, body) = app.call(&p.buyer.0, "escalate_claim", &[("claim_id", &id)]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["Conflict"].as_str().unwrap().starts_with("The seller gets a fair chance first"), "{body}");
    assert!(room(&app, &p.buyer.0, claim).await["can"]["escalate_later"].is_string());
    assert_eq!(app.call(&p.mediator.0, "take_claim", &[("claim_id", &id)]).await.0, StatusCode::CONFLICT, "not escalated yet");

    age_claim(&app, claim, 3 * DAY_MS).await;
    let (status, body) = app.call(&p.buyer.0, "escalate_claim", &[("claim_id", &id), ("note", "We do not agree.")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (admin, _) = demo_with_cookie(&app, "admin@troika.test").await;
    let (queue_status, queue) = app.call(&p.mediator.0, "list_claims", &[("tab", "queue")]).await;
    assert_eq!(queue_status, StatusCode::OK);
    assert_eq!(queue["claims"][0]["id"].as_i64(), Some(claim), "in the mediators' queue");
    assert_eq!(app.call(&p.buyer.0, "list_claims", &[("tab", "queue")]).await.1["tabs"].as_array().unwrap().len(), 0, "no queue for buyers");

    // Two mediators take it at the same moment: one gets it.
    let form = [("claim_id", id.as_str())];
    let (a, b) = tokio::join!(app.call(&p.mediator.0, "take_claim", &form), app.call(&admin, "take_claim", &form));
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{a:?} {b:?}");
    let (winner, loser) = if a.0 == StatusCode::OK { (&p.mediator.0, &admin) } else { (&admin, &p.mediator.0) };
    let taken: Vec<String> = bodies(&room(&app, &p.buyer.0, claim).await).into_iter().filter(|b| b.contains("is now working on this claim")).collect();
    assert_eq!(taken.len(), 1);

    assert_eq!(app.call(loser, "decide_claim", &[("claim_id", &id), ("decision", "reject"), ("reason", "x")]).await.0, StatusCode::CONFLICT);
    let (status, body) = app.call(winner, "decide_claim", &[("claim_id", &id), ("decision", "full_refund"), ("reason", " ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a decision needs its reason: {body}");
    let (status, body) = app.call(winner, "decide_claim", &[("claim_id", &id), ("decision", "full_refund"), ("reason", "The photos show a crack from transport.")]).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, Some("Resolved")), "{body}");
    let r = room(&app, &p.seller.0, claim).await;
    assert!(bodies(&r).last().unwrap().contains("The photos show a crack from transport."), "everyone reads the reason");
    let (_, o) = app.call(&p.buyer.0, "get_order", &[("id", &order.to_string())]).await;
    assert_eq!(o["refunded"], o["total"], "fully refunded");
    app.stop().await;
}

#[tokio::test]
async fn a_mediator_can_address_one_party_and_notes_stay_among_mediators() {
    let app = TestApp::spawn().await;
    let p = parties(&app).await;
    let (_, claim) = claim_on_shipped_order(&app, &p).await;
    let state = app.state();
    run_claim_jobs(&state.db, &state.live, app::backend::clock::now_ms() + 25 * HOUR_MS).await.unwrap();
    assert_eq!(say(&app, &p.mediator.0, claim, &cid(), "Before I take it…", "buyer").await.0, StatusCode::CONFLICT, "take it first");
    assert_eq!(app.call(&p.mediator.0, "take_claim", &[("claim_id", &claim.to_string())]).await.0, StatusCode::OK);

    let mut buyer = RoomSocket::connect(&app, &p.buyer.1, claim, None).await.unwrap();
    let mut seller = RoomSocket::connect(&app, &p.seller.1, claim, None).await.unwrap();
    assert!(matches!(buyer.next().await, RoomFrame::Ready { .. }));
    assert!(matches!(seller.next().await, RoomFrame::Ready { .. }));
    assert_eq!(say(&app, &p.mediator.0, claim, &cid(), "Could you send me the photo privately?", "buyer").await.0, StatusCode::OK);
    assert_eq!(say(&app, &p.mediator.0, claim, &cid(), "Seller has two late claims this month.", "mediators").await.0, StatusCode::OK);
    assert_eq!(say(&app, &p.mediator.0, claim, &cid(), "Thank you both.", "all").await.0, StatusCode::OK);

    let to_buyer = buyer.next_entry().await;
    assert_eq!((to_buyer.body.as_str(), to_buyer.audience), ("Could you send me the photo privately?", app::domain::dispute::Audience::Buyer));
    assert_eq!(buyer.next_entry().await.body, "Thank you both.", "the note never reaches the buyer");
    assert_eq!(seller.next_entry().await.body, "Thank you both.", "neither the private message nor the note reach the seller");
    for (who, client) in [("buyer", &p.buyer.0), ("seller", &p.seller.0)] {
        let b = bodies(&room(&app, client, claim).await);
        assert!(!b.iter().any(|x| x.contains("late claims")), "{who} never reads the note");
    }
    assert!(!bodies(&room(&app, &p.seller.0, claim).await).iter().any(|x| x.contains("privately")));
    assert!(bodies(&room(&app, &p.mediator.0, claim).await).iter().any(|x| x.contains("late claims")));
    app.stop().await;
}

#[tokio::test]
async fn presence_typing_and_read_markers_reach_the_other_parties() {
    let app = TestApp::spawn().await;
    let p = parties(&app).await;
    let (_, claim) = claim_on_shipped_order(&app, &p).await;
    let mut buyer = RoomSocket::connect(&app, &p.buyer.1, claim, None).await.unwrap();
    assert!(matches!(buyer.next().await, RoomFrame::Ready { .. }));
    let mut seller = RoomSocket::connect(&app, &p.seller.1, claim, None).await.unwrap();
    let present = buyer.until(|f| match f {
        RoomFrame::Presence { present } if present.len() == 2 => Some(present.clone()),
        _ => None,
    }).await;
    assert_eq!(present.iter().map(|x| x.party).collect::<Vec<_>>(), vec![Party::Buyer, Party::Seller], "ordered by user: buyer, then seller");
    assert!(present.iter().any(|x| x.party == Party::Seller && x.name == "Camille Laurent"));

    seller.send(&ClientFrame::Typing { audience: app::domain::dispute::Audience::All }).await;
    let typing = buyer.until(|f| match f {
        RoomFrame::Typing { party, name } => Some((*party, name.clone())),
        _ => None,
    }).await;
    assert_eq!(typing, (Party::Seller, "Camille Laurent".to_string()));

    buyer.send(&ClientFrame::Seen { seq: 2 }).await;
    let seen = seller.until(|f| match f {
        RoomFrame::Seen { party, seq } => Some((*party, *seq)),
        _ => None,
    }).await;
    assert_eq!(seen, (Party::Buyer, 2));
    assert_eq!(room(&app, &p.seller.0, claim).await["reads"], serde_json::json!([["Buyer", 2]]), "stored for the next visit");

    seller.close().await;
    let present = buyer.until(|f| match f {
        RoomFrame::Presence { present } if present.len() == 1 => Some(present.clone()),
        _ => None,
    }).await;
    assert_eq!(present[0].party, Party::Buyer, "the seller left");
    app.stop().await;
}

#[tokio::test]
async fn the_buyer_withdraws_and_the_room_becomes_read_only() {
    let app = TestApp::spawn().await;
    let p = parties(&app).await;
    let (_, claim) = claim_on_shipped_order(&app, &p).await;
    let id = claim.to_string();
    assert_eq!(app.call(&p.buyer.0, "withdraw_claim", &[("claim_id", &id), ("note", "Glued it, all good.")]).await.0, StatusCode::OK);
    let r = room(&app, &p.seller.0, claim).await;
    assert_eq!((r["claim"]["state"].as_str(), r["claim"]["outcome"].as_str()), (Some("Closed"), Some("Withdrawn")));
    assert_eq!(r["can"]["message"], false);
    assert_eq!(app.call(&p.buyer.0, "withdraw_claim", &[("claim_id", &id)]).await.0, StatusCode::CONFLICT);
    assert_eq!(say(&app, &p.seller.0, claim, &cid(), "ok", "all").await.0, StatusCode::CONFLICT);
    app.stop().await;
}

// Several worker threads, as in the real server: rendering must not touch browser-only values.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_javascript_the_room_shows_the_conversation_and_takes_a_message_by_form_post() {
    let app = TestApp::spawn().await;
    let p = parties(&app).await;
    let (_, claim) = claim_on_shipped_order(&app, &p).await;
    let html = p.seller.0.get(app.url(&format!("/claims/{claim}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("The pan arrived with a cracked handle."));
    let room_url = app.url(&format!("/claims/{claim}"));
    let res = p
        .seller
        .0
        .post(app.url("/api/post_claim_message"))
        .header("accept", "text/html")
        .header("referer", &room_url)
        .form(&[("claim_id", claim.to_string().as_str()), ("client_id", "form-0001-aaaa"), ("body", "<b>Sorry</b> about that")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "back to the room: {}", res.status());
    let html = p.buyer.0.get(&room_url).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("&lt;b&gt;Sorry&lt;/b&gt; about that"), "user text is escaped");
    assert!(!html.contains("<b>Sorry</b>"));
    app.stop().await;
}

#[tokio::test]
async fn a_message_posted_through_one_server_reaches_parties_on_another() {
    if !common::is_postgres() {
        eprintln!("skipped: needs TROIKA_TEST_POSTGRES_URL (two app servers on one Postgres)");
        return;
    }
    let dir = std::env::temp_dir().join(format!("troika-x-{}", uuid::Uuid::new_v4().simple()));
    let url = common::fresh_database_url(&dir).await;
    let a = common::ServerProcess::start(&url).await;
    let b = common::ServerProcess::start(&url).await;
    let pa = parties(&a.app).await;
    let pb = parties(&b.app).await;
    let (_, claim) = claim_on_shipped_order(&a.app, &pa).await;

    let mut buyer_on_a = RoomSocket::connect(&a.app, &pa.buyer.1, claim, None).await.unwrap();
    assert!(matches!(buyer_on_a.next().await, RoomFrame::Ready { .. }));
    let mut seller_on_b = RoomSocket::connect(&b.app, &pb.seller.1, claim, None).await.unwrap();
    assert!(matches!(seller_on_b.next().await, RoomFrame::Ready { .. }));
    // Presence crosses servers too.
    buyer_on_a.until(|f| matches!(f, RoomFrame::Presence { present } if present.len() == 2).then_some(())).await;

    assert_eq!(say(&b.app, &pb.seller.0, claim, &cid(), "Sent through B", "all").await.0, StatusCode::OK);
    let e = buyer_on_a.next_entry().await;
    assert_eq!((e.seq, e.body.as_str()), (3, "Sent through B"));
    seller_on_b.send(&ClientFrame::Typing { audience: app::domain::dispute::Audience::All }).await;
    buyer_on_a.until(|f| matches!(f, RoomFrame::Typing { party: Party::Seller, .. }).then_some(())).await;
    assert_eq!(say(&a.app, &pa.buyer.0, claim, &cid(), "Got it on A", "all").await.0, StatusCode::OK);
    assert_eq!(seller_on_b.next_entry().await.body, "Sent through B", "their own message, stored and echoed");
    assert_eq!(seller_on_b.next_entry().await.body, "Got it on A");
}

#[tokio::test]
async fn what_troika_writes_in_the_room_reads_in_each_partys_language() {
    let app = TestApp::spawn().await;
    let p = parties(&app).await;
    // The seller reads French (their choice); the buyer never chose: English.
    let res = p.seller.0.post(app.url("/language")).form(&[("lang", "fr"), ("back", "/claims")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, claim) = claim_on_shipped_order(&app, &p).await;
    age_claim(&app, claim, 3 * DAY_MS).await;
    let (status, body) = app.call(&p.buyer.0, "escalate_claim", &[("claim_id", &claim.to_string()), ("note", "We do not agree.")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let english = bodies(&room(&app, &p.buyer.0, claim).await);
    assert_eq!(english[0], "Ana Buyer opened a claim: Damaged. They ask for: Full refund. The seller has 24 hours to answer.");
    assert_eq!(english.last().unwrap(), "Ana Buyer (buyer) asked a mediator to step in. We do not agree.");
    let french = bodies(&room(&app, &p.seller.0, claim).await);
    assert_eq!(french[0], "Ana Buyer a ouvert une réclamation : Endommagé. Demande : Remboursement intégral. Le vendeur a 24 heures pour répondre.");
    assert_eq!(french.last().unwrap(), "Ana Buyer (acheteur) a demandé l’intervention d’un médiateur. We do not agree.", "people's own words as written");
    assert_eq!(french[1], english[1], "the buyer's message as written");

    // The live room says the same in each reader's language.
    let (status, body) = app.call(&p.mediator.0, "take_claim", &[("claim_id", &claim.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut seller = RoomSocket::connect(&app, &format!("{}; troika_lang=fr", p.seller.1), claim, Some(0)).await.unwrap();
    let mut buyer = RoomSocket::connect(&app, &p.buyer.1, claim, Some(0)).await.unwrap();
    assert!(matches!(seller.next().await, RoomFrame::Ready { .. }));
    assert!(matches!(buyer.next().await, RoomFrame::Ready { .. }));
    let (mut fr, mut en) = (Vec::new(), Vec::new());
    for _ in 0..english.len() + 1 {
        fr.push(seller.next_entry().await.body);
        en.push(buyer.next_entry().await.body);
    }
    assert!(fr.last().unwrap().contains("(médiateur) traite désormais cette réclamation"), "{fr:?}");
    assert!(en.last().unwrap().contains("(mediator) is now working on this claim"), "{en:?}");
    assert_eq!(fr[0], french[0]);
    app.stop().await;
}
