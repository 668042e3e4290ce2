//! Reviews and moderation against the booted app: who may review (only the buyer of a delivered
//! order), who may moderate (403 for anyone else), claims (two moderators at once: one wins),
//! decisions with reasons and the audit log, appeals to another moderator, reports, edits going
//! back to the queue, sellers' replies, bulk approval of clean items, the queue's live stream,
//! and ratings and the Top seller badge computed from published reviews and real orders only.
//! The same suite runs on SQLite and on Postgres.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::domain::live::LiveMessage;
use common::{act, buy, demo_client, EventStream, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::Value;

const CREPE_PAN: i64 = 1; // Atelier Lumière (seller@troika.test)

struct People {
    ana: Client,
    seller: Client,
    moderator: Client,
}

async fn people(app: &TestApp) -> People {
    People {
        ana: demo_client(app, "buyer@troika.test").await,
        seller: demo_client(app, "seller@troika.test").await,
        moderator: demo_client(app, "moderator@troika.test").await,
    }
}

/// `buyer` buys `product` from Atelier Lumière; the seller accepts and ships; the buyer confirms
/// receipt. Returns the order.
async fn delivered(app: &TestApp, buyer: &Client, seller: &Client, product: i64) -> i64 {
    let order = buy(app, buyer, product, 1).await;
    assert_eq!(act(app, seller, order, "accept", &[]).await.0, StatusCode::OK);
    assert_eq!(act(app, seller, order, "ship", &[("carrier", "DHL"), ("tracking_number", "JD0146000031")]).await.0, StatusCode::OK);
    let (status, body) = act(app, buyer, order, "confirm_receipt", &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    order
}

async fn write(app: &TestApp, client: &Client, order: i64, product: i64, stars: &str, title: &str, body: &str) -> (StatusCode, Value) {
    app.call(client, "save_review", &[
        ("order_id", &order.to_string()),
        ("product_id", &product.to_string()),
        ("stars", stars),
        ("seller_stars", "5"),
        ("title", title),
        ("body", body),
    ])
    .await
}

async fn queue(app: &TestApp, moderator: &Client) -> Value {
    let (status, q) = app.call(moderator, "get_moderation_queue", &[]).await;
    assert_eq!(status, StatusCode::OK, "{q}");
    q
}

/// The queue item for review `id`.
async fn item(app: &TestApp, moderator: &Client, id: i64) -> Option<Value> {
    queue(app, moderator).await["items"].as_array().unwrap().iter().find(|i| i["id"] == id).cloned()
}

async fn rating(app: &TestApp, product: i64) -> (i64, i64) {
    let (_, r) = app.call(&app.client(), "list_product_reviews", &[("product_id", &product.to_string())]).await;
    (r["rating"]["sum"].as_i64().unwrap(), r["rating"]["count"].as_i64().unwrap())
}

async fn public_titles(app: &TestApp, product: i64) -> Vec<String> {
    let (_, r) = app.call(&app.client(), "list_product_reviews", &[("product_id", &product.to_string())]).await;
    r["reviews"].as_array().unwrap().iter().map(|x| x["title"].as_str().unwrap().to_string()).collect()
}

async fn decide(app: &TestApp, moderator: &Client, id: i64, version: i64, approve: bool, reason: &str, note: &str) -> (StatusCode, Value) {
    let (id, version) = (id.to_string(), version.to_string());
    if approve {
        app.call(moderator, "approve_review", &[("review_id", &id), ("version", &version), ("note", note)]).await
    } else {
        app.call(moderator, "reject_review", &[("review_id", &id), ("version", &version), ("reason", reason), ("note", note)]).await
    }
}

async fn notification_titles(app: &TestApp, client: &Client) -> Vec<String> {
    let (_, list) = app.call(client, "list_notifications", &[]).await;
    list.as_array().unwrap().iter().map(|n| n["title"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn only_the_buyer_of_a_delivered_order_reviews_and_nothing_unpublished_counts() {
    let app = TestApp::spawn().await;
    let p = people(&app).await;
    let before = rating(&app, CREPE_PAN).await;

    // Not delivered yet: refused with a reason, nothing stored.
    let order = buy(&app, &p.ana, CREPE_PAN, 1).await;
    let (status, body) = write(&app, &p.ana, order, CREPE_PAN, "5", "Lovely pan", "Heats evenly, easy to clean.").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("delivered"), "{body}");
    assert_eq!(act(&app, &p.seller, order, "accept", &[]).await.0, StatusCode::OK);
    assert_eq!(act(&app, &p.seller, order, "ship", &[("carrier", "DHL"), ("tracking_number", "JD0146000031")]).await.0, StatusCode::OK);
    assert_eq!(act(&app, &p.ana, order, "confirm_receipt", &[]).await.0, StatusCode::OK);

    // Nobody else reviews Ana's purchase: another buyer, the seller (404), a guest (401).
    for email in ["buyer2@troika.test", "seller@troika.test"] {
        let other = demo_client(&app, email).await;
        let (status, _) = write(&app, &other, order, CREPE_PAN, "1", "Terrible", "Never bought it but hate it.").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{email}");
    }
    assert_eq!(write(&app, &app.client(), order, CREPE_PAN, "1", "Terrible", "Never bought it.").await.0, StatusCode::UNAUTHORIZED);
    // A product that is not in the order.
    assert_eq!(write(&app, &p.ana, order, 2, "5", "Towels", "Soft and absorbent towels.").await.0, StatusCode::NOT_FOUND);

    // Bad input: a message per field, nothing stored.
    let (status, body) = app
        .call(&p.ana, "save_review", &[("order_id", &order.to_string()), ("product_id", "1"), ("stars", "7"), ("title", "ok"), ("body", "meh")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["stars", "seller_stars", "title", "body"] {
        assert!(body["Invalid"]["fields"][field].is_string(), "{field}: {body}");
    }
    assert!(app.call(&p.ana, "list_my_reviews", &[]).await.1["written"].as_array().unwrap().is_empty());

    // The review: pending, not public, not counted.
    let (status, id) = write(&app, &p.ana, order, CREPE_PAN, "4", "Solid pan", "Heats evenly; the handle gets hot.").await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_i64().unwrap();
    let mine = app.call(&p.ana, "list_my_reviews", &[]).await.1;
    assert_eq!(mine["written"][0]["state"], "Pending");
    assert_eq!(rating(&app, CREPE_PAN).await, before, "a pending review never reaches the rating");
    assert!(!public_titles(&app, CREPE_PAN).await.contains(&"Solid pan".to_string()));
    // Saving again edits the same review (one per order line).
    let (status, again) = write(&app, &p.ana, order, CREPE_PAN, "5", "Solid pan, really", "Heats evenly; the handle gets hot.").await;
    assert_eq!((status, again.as_i64()), (StatusCode::OK, Some(id)));
    let form = app.call(&p.ana, "get_review_form", &[("order_id", &order.to_string()), ("product_id", "1")]).await.1;
    assert_eq!(form["current"]["title"], "Solid pan, really");
    // The order page offers the review's state per line.
    let detail = app.call(&p.ana, "get_order", &[("id", &order.to_string())]).await.1;
    assert_eq!(detail["may_review"], true);
    assert_eq!(detail["reviews"][0][1], id);

    // Published: counted, shown with "verified purchase"; rejected later: out again.
    let v = item(&app, &p.moderator, id).await.unwrap()["version"].as_i64().unwrap();
    assert_eq!(decide(&app, &p.moderator, id, v, true, "", "").await.0, StatusCode::OK);
    assert_eq!(rating(&app, CREPE_PAN).await, (before.0 + 5, before.1 + 1));
    let (_, r) = app.call(&app.client(), "list_product_reviews", &[("product_id", "1")]).await;
    let shown = r["reviews"].as_array().unwrap().iter().find(|x| x["id"] == id).unwrap().clone();
    assert_eq!(shown["verified"], true);
    assert_eq!(shown["author"], "Ana B.");
    app.stop().await;
}

#[tokio::test]
async fn only_moderators_moderate_and_of_two_claiming_at_once_one_wins() {
    let app = TestApp::spawn().await;
    let p = people(&app).await;
    let order = delivered(&app, &p.ana, &p.seller, CREPE_PAN).await;
    let id = write(&app, &p.ana, order, CREPE_PAN, "5", "Great pan", "Crêpes come out thin and golden.").await.1.as_i64().unwrap();
    let id_s = id.to_string();

    // Buyers, sellers and mediators: 403 on every moderation function; guests 401.
    let mediator = demo_client(&app, "mediator@troika.test").await;
    for client in [&p.ana, &p.seller, &mediator] {
        assert_eq!(app.call(client, "get_moderation_queue", &[]).await.0, StatusCode::FORBIDDEN);
        assert_eq!(app.call(client, "claim_review", &[("review_id", &id_s)]).await.0, StatusCode::FORBIDDEN);
        assert_eq!(decide(&app, client, id, 1, true, "", "").await.0, StatusCode::FORBIDDEN);
        assert_eq!(app.call(client, "approve_clean_reviews", &[("items", &format!("{id}:1"))]).await.0, StatusCode::FORBIDDEN);
        assert_eq!(app.call(client, "list_moderation_log", &[]).await.0, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.call(&app.client(), "get_moderation_queue", &[]).await.0, StatusCode::UNAUTHORIZED);
    assert!(item(&app, &p.moderator, id).await.is_some(), "still waiting: nothing changed");

    // Two moderators claim at the same moment: one wins, the other is told.
    let admin = demo_client(&app, "admin@troika.test").await;
    let form = [("review_id", id_s.as_str())];
    let (a, b) = tokio::join!(app.call(&p.moderator, "claim_review", &form), app.call(&admin, "claim_review", &form));
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{a:?} {b:?}");
    let (winner, loser) = if a.0 == StatusCode::OK { (&p.moderator, &admin) } else { (&admin, &p.moderator) };
    let seen = item(&app, loser, id).await.unwrap();
    assert!(seen["claimed_by"].is_string() && seen["claimed_by_me"] == false, "{seen}");
    // The loser cannot decide it either.
    let (status, body) = decide(&app, loser, id, 1, false, "spam", "").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("Another moderator"), "{body}");

    // The winner approves: the author and the seller hear of it; the log keeps who, what, the text.
    assert_eq!(decide(&app, winner, id, 1, true, "", "Fine.").await.0, StatusCode::OK);
    assert!(item(&app, winner, id).await.is_none());
    assert!(notification_titles(&app, &p.ana).await.iter().any(|t| t == "Your review is published"));
    assert!(notification_titles(&app, &p.seller).await.iter().any(|t| t.starts_with("New review: 5 stars")));
    let log = app.call(winner, "list_moderation_log", &[]).await.1;
    let entry = &log[0];
    assert_eq!((entry["review_id"].as_i64(), entry["approved"].as_bool(), entry["title"].as_str()), (Some(id), Some(true), Some("Great pan")));
    assert_eq!(entry["note"], "Fine.");
    // Deciding again: it was decided already.
    assert_eq!(decide(&app, loser, id, 1, false, "spam", "").await.0, StatusCode::CONFLICT);
    app.stop().await;
}

#[tokio::test]
async fn flags_order_the_queue_and_a_rejection_says_why_and_may_be_appealed_once_to_another_moderator() {
    let app = TestApp::spawn().await;
    let p = people(&app).await;
    let order = delivered(&app, &p.ana, &p.seller, CREPE_PAN).await;
    let before = rating(&app, CREPE_PAN).await;
    let (status, id) = write(&app, &p.ana, order, CREPE_PAN, "1", "Arnaque", "Quelle arnaque ! Écrivez-moi : ana.lima@example.com ou 06 12 34 56 78").await;
    assert_eq!(status, StatusCode::OK);
    let id = id.as_i64().unwrap();
    let it = item(&app, &p.moderator, id).await.unwrap();
    let flags: Vec<&str> = it["flags"].as_array().unwrap().iter().map(|f| f["flag"].as_str().unwrap()).collect();
    for f in ["Profanity", "Email", "Phone"] {
        assert!(flags.contains(&f), "{f}: {flags:?}");
    }
    assert!(it["flags"][0]["reason"].as_str().unwrap().len() > 5, "every flag says why");
    assert_eq!(it["flags"][0]["detail"], "arnaque", "what was found, apart from the words a page writes around it");
    // Highest risk first.
    let q = queue(&app, &p.moderator).await;
    let risks: Vec<i64> = q["items"].as_array().unwrap().iter().map(|i| i["risk"].as_i64().unwrap()).collect();
    assert!(risks.windows(2).all(|w| w[0] >= w[1]), "{risks:?}");
    assert_eq!(q["items"][0]["id"], id, "the riskiest first");
    assert_eq!(it["author"]["name"], "Ana Buyer");
    assert!(it["order_summary"].as_str().unwrap().contains(&format!("Order #{order}")));

    // A rejection needs a reason from the list.
    assert_eq!(decide(&app, &p.moderator, id, 1, false, "", "").await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(decide(&app, &p.moderator, id, 1, false, "other", "").await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = decide(&app, &p.moderator, id, 1, false, "personal_data", "Please leave out contact details.").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mine = app.call(&p.ana, "list_my_reviews", &[]).await.1;
    let written = &mine["written"][0];
    assert_eq!(written["state"], "Rejected");
    assert_eq!(written["rejection"]["reason"], "PersonalData", "the reason travels as its kind; the page words it");
    assert_eq!(written["rejection"]["note"], "Please leave out contact details.");
    assert_eq!(written["may_appeal"], true);
    let (_, notes) = app.call(&p.ana, "list_notifications", &[]).await;
    let told = notes.as_array().unwrap().iter().find(|n| n["title"] == "Your review was not published").unwrap();
    assert!(told["body"].as_str().unwrap().contains("Personal data"), "{told}");
    assert!(told["href"].as_str().unwrap().starts_with("/reviews"), "{told}");
    assert_eq!(rating(&app, CREPE_PAN).await, before);
    // A rejected review is not edited: it is appealed.
    assert_eq!(write(&app, &p.ana, order, CREPE_PAN, "2", "Edited", "Trying to sneak it back in.").await.0, StatusCode::CONFLICT);

    // The appeal goes to another moderator.
    assert_eq!(app.call(&p.ana, "appeal_review", &[("review_id", &id.to_string()), ("text", "short")]).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.call(&p.ana, "appeal_review", &[("review_id", &id.to_string()), ("text", "I removed nothing, but the pan really was a scam.")]).await;
    assert_eq!(status, StatusCode::OK);
    let it = item(&app, &p.moderator, id).await.unwrap();
    assert_eq!((it["queue"].as_str(), it["excluded"].as_bool()), (Some("Appeal"), Some(true)));
    assert_eq!(it["earlier_rejection"]["reason"], "PersonalData");
    assert_eq!(app.call(&p.moderator, "claim_review", &[("review_id", &id.to_string())]).await.0, StatusCode::CONFLICT);
    assert_eq!(decide(&app, &p.moderator, id, 1, true, "", "").await.0, StatusCode::CONFLICT);
    let admin = demo_client(&app, "admin@troika.test").await;
    assert_eq!(decide(&app, &admin, id, 1, false, "personal_data", "Upheld.").await.0, StatusCode::OK);
    // Once only.
    assert_eq!(app.call(&p.ana, "appeal_review", &[("review_id", &id.to_string()), ("text", "Please look a third time at it.")]).await.0, StatusCode::CONFLICT);
    let log = app.call(&admin, "list_moderation_log", &[]).await.1;
    let about: Vec<&Value> = log.as_array().unwrap().iter().filter(|d| d["review_id"] == id).collect();
    assert_eq!(about.len(), 2, "both decisions are kept: {log}");
    assert_eq!((about[0]["queue"].as_str(), about[0]["reason"].as_str()), (Some("Appeal"), Some("PersonalData")), "kinds, not words");
    assert!(about[1]["body"].as_str().unwrap().contains("ana.lima@example.com"), "the text as it was judged");
    app.stop().await;
}

#[tokio::test]
async fn an_edit_goes_back_to_moderation_and_a_decision_on_the_old_text_does_not_apply() {
    let app = TestApp::spawn().await;
    let p = people(&app).await;
    let order = delivered(&app, &p.ana, &p.seller, CREPE_PAN).await;
    let before = rating(&app, CREPE_PAN).await;
    let id = write(&app, &p.ana, order, CREPE_PAN, "5", "Great pan", "Crêpes come out thin and golden.").await.1.as_i64().unwrap();
    // The author edits while a moderator reads version 1: the decision on version 1 is refused.
    assert_eq!(app.call(&p.moderator, "claim_review", &[("review_id", &id.to_string())]).await.0, StatusCode::OK);
    write(&app, &p.ana, order, CREPE_PAN, "4", "Great pan, heavy", "Crêpes come out thin and golden. It is heavy.").await;
    let (status, body) = decide(&app, &p.moderator, id, 1, true, "", "").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("changed this review"), "{body}");
    assert_eq!(decide(&app, &p.moderator, id, 2, true, "", "").await.0, StatusCode::OK);
    assert_eq!(rating(&app, CREPE_PAN).await, (before.0 + 4, before.1 + 1));
    // Editing the published review takes it out of the ratings and back to the queue.
    write(&app, &p.ana, order, CREPE_PAN, "2", "Cracked after a month", "The enamel cracked after a month of use.").await;
    assert_eq!(rating(&app, CREPE_PAN).await, before);
    assert!(!public_titles(&app, CREPE_PAN).await.iter().any(|t| t.starts_with("Great pan") || t.starts_with("Cracked")));
    let it = item(&app, &p.moderator, id).await.unwrap();
    assert_eq!((it["queue"].as_str(), it["version"].as_i64()), (Some("Edited"), Some(3)));
    app.stop().await;
}

#[tokio::test]
async fn sellers_reply_once_per_review_through_moderation_and_anyone_signed_in_may_report() {
    let app = TestApp::spawn().await;
    let p = people(&app).await;
    let order = delivered(&app, &p.ana, &p.seller, CREPE_PAN).await;
    let id = write(&app, &p.ana, order, CREPE_PAN, "3", "Fine pan", "Works, but the handle gets hot quickly.").await.1.as_i64().unwrap();
    let id_s = id.to_string();
    // No reply before the review is public.
    assert_eq!(app.call(&p.seller, "reply_to_review", &[("review_id", &id_s), ("body", "Thanks!")]).await.0, StatusCode::CONFLICT);
    decide(&app, &p.moderator, id, 1, true, "", "").await;
    // Another seller cannot answer; an empty reply is refused.
    let other = demo_client(&app, "seller2@troika.test").await;
    assert_eq!(app.call(&other, "reply_to_review", &[("review_id", &id_s), ("body", "Buy ours instead")]).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.call(&p.seller, "reply_to_review", &[("review_id", &id_s), ("body", " ")]).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, reply) = app.call(&p.seller, "reply_to_review", &[("review_id", &id_s), ("body", "Thank you! Use the silicone sleeve we include.")]).await;
    assert_eq!(status, StatusCode::OK);
    let reply = reply.as_i64().unwrap();
    // Screened and queued like a review; not public until approved.
    let it = item(&app, &p.moderator, reply).await.unwrap();
    assert_eq!(it["is_reply"], true);
    assert_eq!(it["parent"][0], "Fine pan");
    let shown = |r: Value| r["reviews"].as_array().unwrap().iter().find(|x| x["id"] == id).unwrap()["reply"].clone();
    assert!(shown(app.call(&app.client(), "list_product_reviews", &[("product_id", "1")]).await.1).is_null());
    // A second reply edits the first (one per review).
    let (_, again) = app.call(&p.seller, "reply_to_review", &[("review_id", &id_s), ("body", "Thank you! The silicone sleeve we include helps.")]).await;
    assert_eq!(again.as_i64(), Some(reply));
    decide(&app, &p.moderator, reply, 2, true, "", "").await;
    let r = shown(app.call(&app.client(), "list_product_reviews", &[("product_id", "1")]).await.1);
    assert_eq!((r["shop_name"].as_str(), r["body"].as_str()), (Some("Atelier Lumière"), Some("Thank you! The silicone sleeve we include helps.")));
    assert!(notification_titles(&app, &p.ana).await.iter().any(|t| t == "The seller replied to your review"));

    // Reports: a reason is required; one per person; the review comes back with the report and stays public.
    let ben = demo_client(&app, "buyer2@troika.test").await;
    assert_eq!(app.call(&app.client(), "report_review", &[("review_id", &id_s), ("reason", "spam")]).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(app.call(&ben, "report_review", &[("review_id", &id_s), ("reason", "")]).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.call(&ben, "report_review", &[("review_id", &id_s), ("reason", "off_topic"), ("note", "About the sleeve")]).await.0, StatusCode::OK);
    assert_eq!(app.call(&ben, "report_review", &[("review_id", &id_s), ("reason", "spam")]).await.0, StatusCode::CONFLICT);
    let it = item(&app, &p.moderator, id).await.unwrap();
    assert_eq!(it["queue"], "Reported");
    assert_eq!(it["reports"][0]["note"], "About the sleeve");
    assert!(public_titles(&app, CREPE_PAN).await.contains(&"Fine pan".to_string()), "still published while looked at");
    // Kept: the report is resolved and the review leaves the queue.
    let v = it["version"].as_i64().unwrap();
    assert_eq!(decide(&app, &p.moderator, id, v, true, "", "Not off topic.").await.0, StatusCode::OK);
    assert!(item(&app, &p.moderator, id).await.is_none());
    assert!(public_titles(&app, CREPE_PAN).await.contains(&"Fine pan".to_string()));
    app.stop().await;
}

#[tokio::test]
async fn bulk_approval_publishes_only_clean_unchanged_items_and_near_duplicates_are_flagged() {
    let app = TestApp::spawn().await;
    let p = people(&app).await;
    let ben = demo_client(&app, "buyer2@troika.test").await;
    let o1 = delivered(&app, &p.ana, &p.seller, CREPE_PAN).await;
    let o2 = delivered(&app, &ben, &p.seller, CREPE_PAN).await;
    let text = "Heats evenly from the centre to the rim and the crêpes slide right off every time.";
    let clean = write(&app, &p.ana, o1, CREPE_PAN, "5", "Even heat", text).await.1.as_i64().unwrap();
    let copy = write(&app, &ben, o2, CREPE_PAN, "5", "Even heat!", text).await.1.as_i64().unwrap();
    let it = item(&app, &p.moderator, copy).await.unwrap();
    assert_eq!(it["flags"][0]["flag"], "NearDuplicate", "another account's text: {it}");
    let items = format!("{clean}:1,{copy}:1");
    let (status, n) = app.call(&p.moderator, "approve_clean_reviews", &[("items", &items)]).await;
    assert_eq!((status, n.as_i64()), (StatusCode::OK, Some(1)), "only the clean one");
    assert!(item(&app, &p.moderator, clean).await.is_none());
    assert!(item(&app, &p.moderator, copy).await.is_some(), "the flagged one waits for a person");
    assert_eq!(app.call(&p.moderator, "approve_clean_reviews", &[("items", "x:y")]).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    app.stop().await;
}

#[tokio::test]
async fn the_queue_stream_wakes_moderators_when_a_review_arrives_and_refuses_everyone_else() {
    let app = TestApp::spawn().await;
    let p = people(&app).await;
    assert_eq!(EventStream::open(&app, &app.client(), "/live/moderation", None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(EventStream::open(&app, &p.ana, "/live/moderation", None).await.status, StatusCode::FORBIDDEN);
    let order = delivered(&app, &p.ana, &p.seller, CREPE_PAN).await;
    let mut stream = EventStream::open(&app, &p.moderator, "/live/moderation", None).await;
    assert_eq!(stream.status, StatusCode::OK);
    let waiting = match stream.next().await {
        LiveMessage::Ready { unread: Some(n), .. } => n,
        other => panic!("{other:?}"),
    };
    write(&app, &p.ana, order, CREPE_PAN, "5", "Great pan", "Crêpes come out thin and golden.").await;
    match stream.next().await {
        LiveMessage::Resync { unread: Some(n), .. } => assert_eq!(n, waiting + 1),
        other => panic!("{other:?}"),
    }
    // A page that reconnects starts with a resync (it may have missed changes).
    let mut again = EventStream::open(&app, &p.moderator, "/live/moderation", Some(3)).await;
    assert!(matches!(again.next().await, LiveMessage::Resync { .. }));
    app.stop().await;
}

#[tokio::test]
async fn performance_and_the_top_seller_badge_come_from_real_orders_claims_and_published_reviews() {
    let app = TestApp::spawn().await;
    let p = people(&app).await;
    // The demo history: Atelier Lumière ships on time and is rated 5 stars over six orders.
    let (status, perf) = app.call(&p.seller, "get_seller_performance", &[]).await;
    assert_eq!(status, StatusCode::OK, "{perf}");
    assert_eq!(perf["top_seller"], true, "{perf}");
    assert!(perf["checks"].as_array().unwrap().iter().all(|c| c["holds"] == true));
    let orders = perf["figures"].as_array().unwrap().iter().find(|f| f["label"] == "Orders").unwrap().clone();
    assert_eq!(orders["orders"].as_array().unwrap().len(), 6, "the drill-down lists the orders behind the figure");
    // Nordlys shipped a sweater late and has two orders: no badge, and the late order is named.
    let nordlys = demo_client(&app, "seller2@troika.test").await;
    let perf = app.call(&nordlys, "get_seller_performance", &[]).await.1;
    assert_eq!(perf["top_seller"], false);
    let late = perf["figures"].as_array().unwrap().iter().find(|f| f["label"] == "Late shipments").unwrap().clone();
    assert_eq!(late["orders"].as_array().unwrap().len(), 1, "{late}");
    // Buyers have no performance page.
    assert_eq!(app.call(&p.ana, "get_seller_performance", &[]).await.0, StatusCode::FORBIDDEN);
    // Search filters by the badge; cards and the seller card carry it.
    let (_, page) = app.call(&app.client(), "search_products", &[("input[badge]", "top"), ("input[category]", "coffee-tea")]).await;
    let shops: std::collections::BTreeSet<&str> = page["products"].as_array().unwrap().iter().map(|p| p["shop_name"].as_str().unwrap()).collect();
    assert_eq!(shops.into_iter().collect::<Vec<_>>(), ["Atelier Lumière", "Café Sol"], "the two demo top sellers");
    let (_, top) = app.call(&app.client(), "search_products", &[("input[badge]", "top")]).await;
    assert!(top["total"].as_i64().unwrap() < 60, "the filter leaves the other shops' products out: {}", top["total"]);
    let (_, product) = app.call(&app.client(), "get_product", &[("id", "1")]).await;
    assert_eq!(product["shop"]["top_seller"], true);
    // The shop rating is the seller stars of published reviews only (the seeded pending ones do not count).
    assert_eq!((product["shop"]["rating"]["sum"].as_i64(), product["shop"]["rating"]["count"].as_i64()), (Some(30), Some(6)));
    app.stop().await;
}

/// A page as a browser that reads `language` gets it (the demo accounts have chosen none).
async fn page_in(app: &TestApp, client: &Client, path: &str, language: &str) -> String {
    let res = client.get(app.url(path)).header("accept-language", language).header("accept", "text/html").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.text().await.unwrap()
}

#[tokio::test]
async fn moderators_and_authors_read_the_queue_the_flags_and_the_reasons_in_french() {
    let app = TestApp::spawn().await;
    let p = people(&app).await;
    let order = delivered(&app, &p.ana, &p.seller, CREPE_PAN).await;
    let (status, id) = write(&app, &p.ana, order, CREPE_PAN, "5", "Terrible", "Broken, useless, a scam. Call me: 06 12 34 56 78").await;
    assert_eq!(status, StatusCode::OK);
    let id = id.as_i64().unwrap();

    let fr = page_in(&app, &p.moderator, "/moderation", "fr").await;
    for words in ["File de modération", "Insulte ou grossièreté : scam", "Contient un numéro de téléphone (donnée personnelle)", "5 étoiles, mais le texte se lit comme une plainte", "Motif du refus", "Données personnelles (e-mail, téléphone, adresse)", "Prendre en charge"] {
        assert!(fr.contains(words), "{words}");
    }
    // (The island's props carry the queue as the service gives it; what is shown is French.)
    assert!(!fr.contains(">Contains a phone number") && !fr.contains(">Reason for rejecting"), "no English shown in the queue");
    let en = page_in(&app, &p.moderator, "/moderation", "en").await;
    for words in ["Moderation queue", "Insult or profanity: scam", "Contains a phone number (personal data)", "5 stars, but the text reads as a complaint", "Reason for rejecting"] {
        assert!(en.contains(words), "{words}");
    }

    // Rejected with a reason of the policy: the log and the author read it in their language.
    assert_eq!(decide(&app, &p.moderator, id, 1, false, "personal_data", "").await.0, StatusCode::OK);
    let log = page_in(&app, &p.moderator, "/moderation/log", "fr").await;
    assert!(log.contains("Refusé : Données personnelles (e-mail, téléphone, adresse)") && log.contains("Nouveau"), "French log");
    let mine = page_in(&app, &p.ana, "/reviews", "fr").await;
    assert!(mine.contains("Vos avis") && mine.contains("Non publié") && mine.contains("Données personnelles"), "French reviews page");
    let mine = page_in(&app, &p.ana, "/reviews", "en").await;
    assert!(mine.contains("Not published: ") && mine.contains("Personal data (e-mail, phone, address)"), "English reviews page");
    app.stop().await;
}
