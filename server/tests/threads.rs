//! Conversations between buyers and sellers: only the two parties read one (and mediators once it
//! became a claim), messages arrive live over the same room socket as claims and are stored once
//! per client id, contact details are flagged and warned about, the answer clock counts a missed
//! answer once however many servers run the job, a conversation turned into a claim keeps its
//! history, and e-mail notices reach a real SMTP server (maildev) batched and retried.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use app::backend::clock;
use app::backend::services::{mail::run_mail_job, threads::run_answer_jobs};
use app::domain::room::{EntryKind, RoomFrame};
use common::{act, buy, demo_client, demo_with_cookie, RoomSocket, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::Value;

const CREPE_PAN: i64 = 1; // Atelier Lumière (seller@troika.test)
const HOUR: i64 = 3_600_000;

async fn ask(app: &TestApp, buyer: &Client, product: i64, client_id: &str, body: &str, confirm: bool) -> (StatusCode, Value) {
    let confirm = if confirm { "yes" } else { "" };
    app.call(buyer, "ask_seller", &[("product_id", &product.to_string()), ("client_id", client_id), ("body", body), ("confirm", confirm)]).await
}

async fn post(app: &TestApp, who: &Client, thread: i64, client_id: &str, body: &str) -> (StatusCode, Value) {
    app.call(who, "post_thread_message", &[("thread_id", &thread.to_string()), ("client_id", client_id), ("body", body)]).await
}

async fn thread(app: &TestApp, who: &Client, thread: i64) -> (StatusCode, Value) {
    app.call(who, "get_thread", &[("id", &thread.to_string())]).await
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar::<sqlx::Any, i64>(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&app.state().db.pool).await.unwrap()
}

fn messages(view: &Value) -> Vec<String> {
    view["entries"].as_array().unwrap().iter().filter(|e| e["kind"] == "Message").map(|e| e["body"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_two_parties_read_a_conversation_and_each_message_arrives_live_once() {
    let app = TestApp::spawn().await;
    let (buyer, _) = demo_with_cookie(&app, "buyer@troika.test").await;
    let (seller, seller_cookie) = demo_with_cookie(&app, "seller@troika.test").await;
    let (other, other_cookie) = demo_with_cookie(&app, "buyer2@troika.test").await;
    let other_seller = demo_client(&app, "seller2@troika.test").await;
    let mediator = demo_client(&app, "mediator@troika.test").await;

    // Bad input changes nothing and names the field.
    let (status, body) = ask(&app, &buyer, CREPE_PAN, "q-1", "   ", false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("body"), "{body}");
    let (status, _) = ask(&app, &buyer, 999_999, "q-1", "Does it fit?", false).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM threads").await, 0);

    // The buyer asks; a retry with the same client id stores nothing new.
    let (status, t) = ask(&app, &buyer, CREPE_PAN, "q-1", "Does it work on induction?", false).await;
    assert_eq!(status, StatusCode::OK, "{t}");
    let t = t.as_i64().unwrap();
    let (status, again) = ask(&app, &buyer, CREPE_PAN, "q-1", "Does it work on induction?", false).await;
    assert_eq!((status, again.as_i64()), (StatusCode::OK, Some(t)));
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM thread_entries WHERE thread_id = {t}")).await, 1);
    // The seller cannot ask their own shop.
    let (status, _) = ask(&app, &seller, CREPE_PAN, "q-own", "Hello me", false).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Only the buyer and the shop's seller read it: everyone else gets 404, guests 401.
    let (status, view) = thread(&app, &seller, t).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["buyer_name"], "Ana Buyer");
    assert!(!view.to_string().contains("buyer@troika.test"), "the seller never sees the buyer's e-mail address");
    assert_eq!(view["state"], "Waiting");
    assert!(view["countdown"].as_str().unwrap().ends_with("left"), "{view}");
    for who in [&other, &other_seller, &mediator] {
        assert_eq!(thread(&app, who, t).await.0, StatusCode::NOT_FOUND);
        assert_eq!(post(&app, who, t, "x-1", "Hi").await.0, StatusCode::NOT_FOUND);
    }
    assert_eq!(thread(&app, &app.client(), t).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(RoomSocket::connect_thread(&app, &other_cookie, t, None).await.err(), Some(404));
    assert_eq!(RoomSocket::connect_thread(&app, "", t, None).await.err(), Some(401));

    // The seller's socket gets the buyer's next message live, once, even when sent twice.
    let mut room = RoomSocket::connect_thread(&app, &seller_cookie, t, Some(view["cursor"].as_i64().unwrap())).await.unwrap();
    assert!(matches!(room.next().await, RoomFrame::Ready { .. }));
    assert_eq!(post(&app, &buyer, t, "m-2", "And in the oven?").await.0, StatusCode::OK);
    assert_eq!(post(&app, &buyer, t, "m-2", "And in the oven?").await.0, StatusCode::OK);
    let entry = room.next_entry().await;
    assert_eq!((entry.kind, entry.body.as_str()), (EntryKind::Message, "And in the oven?"));
    assert!(room.next_entry_within(std::time::Duration::from_millis(500)).await.is_none(), "a retried send arrives once");

    // Contact details: the sender is warned first (nothing stored), may send anyway; only the
    // sender and staff see the flag.
    let before = scalar(&app, "SELECT COUNT(*) FROM thread_entries").await;
    let (status, warned) = post(&app, &buyer, t, "m-3", "Call me on 06 12 34 56 78 or write to ana@example.com").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{warned}");
    assert!(warned.to_string().contains("Send it anyway?"), "{warned}");
    assert!(warned["Invalid"]["fields"]["confirm"].is_string(), "the form is told to offer sending anyway: {warned}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM thread_entries").await, before);
    let (status, _) = app
        .call(&buyer, "post_thread_message", &[("thread_id", &t.to_string()), ("client_id", "m-3"), ("body", "Call me on 06 12 34 56 78 or write to ana@example.com"), ("confirm", "yes")])
        .await;
    assert_eq!(status, StatusCode::OK);
    let flagged = room.next_entry().await;
    assert!(flagged.flags.is_empty(), "the other side does not see the screening's flags");
    let (_, mine) = thread(&app, &buyer, t).await;
    let last = mine["entries"].as_array().unwrap().last().unwrap().clone();
    assert!(last["flags"].as_array().unwrap().len() >= 2, "{last}");
    // The sender's page names what was found in the sender's language.
    let res = buyer.post(app.url("/language")).form(&[("lang", "fr"), ("back", "/messages")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = buyer.get(app.url(&format!("/messages/{t}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Signalé : contient une adresse e-mail (donnée personnelle), contient un numéro de téléphone (donnée personnelle)"), "{page}");
    let res = buyer.post(app.url("/language")).form(&[("lang", "en"), ("back", "/messages")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // The inboxes: the seller's shows it waiting with its countdown; the buyer's shows it.
    let (_, inbox) = app.call(&seller, "get_inbox", &[("of", "shop")]).await;
    assert_eq!(inbox["waiting"], 1, "{inbox}");
    assert_eq!(inbox["threads"][0]["id"], t);
    assert!(inbox["threads"][0]["countdown"].as_str().unwrap().contains("left"));
    let (_, filtered) = app.call(&seller, "get_inbox", &[("of", "shop"), ("state", "answered")]).await;
    assert_eq!(filtered["threads"].as_array().unwrap().len(), 0);
    let (status, bad) = app.call(&seller, "get_inbox", &[("of", "shop"), ("topic", "nonsense")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    let (_, theirs) = app.call(&other, "get_inbox", &[]).await;
    assert_eq!(theirs["threads"].as_array().unwrap().len(), 0, "another buyer's inbox stays empty");
    let (status, _) = app.call(&other, "get_inbox", &[("of", "shop")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a buyer has no shop inbox");

    // The seller answers: the clock stops in time; "no answer needed" then has nothing to stop.
    assert_eq!(post(&app, &seller, t, "s-1", "Yes, induction and oven up to 260 °C.").await.0, StatusCode::OK);
    let (_, view) = thread(&app, &buyer, t).await;
    assert_eq!(view["state"], "Answered");
    assert_eq!(messages(&view).len(), 4);
    let (status, _) = app.call(&seller, "mark_no_answer_needed", &[("thread_id", &t.to_string())]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM answer_clocks WHERE answered_at IS NOT NULL").await, 1);

    // A thank-you: the seller marks it as needing no answer (kept for audit, not counted).
    assert_eq!(post(&app, &buyer, t, "m-4", "Thanks!").await.0, StatusCode::OK);
    let (status, _) = app.call(&buyer, "mark_no_answer_needed", &[("thread_id", &t.to_string())]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only the seller may");
    let (status, _) = app.call(&seller, "mark_no_answer_needed", &[("thread_id", &t.to_string())]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, perf) = app.call(&seller, "get_seller_performance", &[]).await;
    let lines = perf["messages"].as_array().unwrap();
    assert_eq!(lines.len(), 2, "{perf}");
    assert!(lines.iter().any(|l| l["outcome"] == "NoAnswerNeeded"));
    assert!(lines.iter().any(|l| l["outcome"] == "OnTime"));
    let figure = perf["figures"].as_array().unwrap().iter().find(|f| f["label"] == "First answers to messages in time").unwrap().clone();
    assert!(figure["value"].as_str().unwrap().starts_with("1 of 1 (100.0 %)"), "{figure}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missed_answer_is_counted_and_announced_once_however_many_servers_run_the_job() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let (_, t) = ask(&app, &buyer, CREPE_PAN, "q-late", "Is the handle riveted?", false).await;
    let t = t.as_i64().unwrap();
    // A message minutes old is not a miss: nothing counts yet and the badge is not at risk.
    let (_, perf) = app.call(&seller, "get_seller_performance", &[]).await;
    let figure = perf["figures"].as_array().unwrap().iter().find(|f| f["label"] == "First answers to messages in time").unwrap().clone();
    assert_eq!(figure["value"], "no messages due yet", "{figure}");
    let check = perf["checks"].as_array().unwrap().iter().find(|c| c["what"] == "First answers to messages in time").unwrap().clone();
    assert_eq!(check["holds"], true);
    assert_eq!(run_answer_jobs(app.state(), clock::now_ms()).await.unwrap(), 0, "not due yet");

    // A second app server on the same database runs the same job at the same moment.
    let config = server::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: app.state().db.url.clone(),
        db_max_connections: 4,
        settings: app::backend::Settings::default(),
        jobs_every_secs: 0,
    };
    let other = server::prepare_state(&config, server::leptos_options("target/site")).await.unwrap();
    let later = clock::now_ms() + 25 * HOUR;
    let (a, b) = tokio::join!(run_answer_jobs(app.state(), later), run_answer_jobs(&other, later));
    assert_eq!(a.unwrap() + b.unwrap(), 1, "marked once in all");
    assert_eq!(run_answer_jobs(app.state(), later + HOUR).await.unwrap(), 0, "and never again");
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM thread_entries WHERE thread_id = {t} AND kind = 'answer_late'")).await, 1);
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM notifications WHERE thread_id = {t} AND dedupe_key LIKE '%late%'")).await, 1);
    let (_, view) = thread(&app, &buyer, t).await;
    assert!(view["entries"].as_array().unwrap().iter().any(|e| e["kind"] == "AnswerLate"), "the buyer sees it is late");
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM answer_clocks WHERE thread_id = {t} AND missed_at IS NOT NULL")).await, 1);
    // It counts as missed once its deadline has passed (the record at that moment: 0 of 1 in time).
    let clocks = app::backend::db::threads::clocks_of_shop(&app.state().db.pool, app::domain::ShopId(1), 0).await.unwrap();
    let clocks: Vec<_> = clocks.iter().map(|c| c.clock()).collect();
    assert_eq!(app::domain::thread::answer_record(&clocks, later).0..=app::domain::thread::answer_record(&clocks, later).1, 0..=1);
    // An answer after the deadline stops the clock, late; the missed mark stays.
    assert_eq!(post(&app, &seller, t, "s-late", "Sorry, yes it is.").await.0, StatusCode::OK);
    assert_eq!(run_answer_jobs(app.state(), later + 2 * HOUR).await.unwrap(), 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conversation_about_an_order_shows_the_order_and_keeps_its_history_when_it_becomes_a_claim() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let other = demo_client(&app, "buyer2@troika.test").await;
    let mediator = demo_client(&app, "mediator@troika.test").await;
    let order = buy(&app, &buyer, CREPE_PAN, 1).await;
    assert_eq!(act(&app, &seller, order, "accept", &[]).await.0, StatusCode::OK);
    assert_eq!(act(&app, &seller, order, "ship", &[("carrier", "DHL"), ("tracking_number", "JD0146000055")]).await.0, StatusCode::OK);
    let o = order.to_string();
    // Only the order's buyer may start it; the topic is checked.
    let (status, _) = app.call(&other, "message_seller", &[("order_id", &o), ("client_id", "o-1"), ("topic", "where_is_order"), ("body", "Where?")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, bad) = app.call(&buyer, "message_seller", &[("order_id", &o), ("client_id", "o-1"), ("topic", "weather"), ("body", "Where?")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    let (status, t) = app
        .call(&buyer, "message_seller", &[("order_id", &o), ("client_id", "o-1"), ("topic", "where_is_order"), ("body", "Where is my parcel? It has been a week.")])
        .await;
    assert_eq!(status, StatusCode::OK, "{t}");
    let t = t.as_i64().unwrap();
    let (_, view) = thread(&app, &buyer, t).await;
    assert_eq!(view["topic"], "WhereIsOrder");
    assert_eq!(view["order"]["id"], order);
    assert_eq!(view["order"]["shipment"][1], "JD0146000055", "the order panel shows the tracking");
    assert_eq!(view["order"]["status"], "Shipped");
    assert_eq!(view["may_claim"], true);
    // The panel's status is in the reader's language.
    let page = seller.get(app.url(&format!("/messages/{t}"))).header("accept-language", "fr").send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<span class=\"status\">Expédiée</span>"), "{page}");
    let (_, o_view) = app.call(&buyer, "get_order", &[("id", &o)]).await;
    assert_eq!(o_view["thread"], t, "the order page links to it");
    assert_eq!(post(&app, &seller, t, "s-1", "It left on Monday with DHL.").await.0, StatusCode::OK);
    // Mediators do not read a plain conversation.
    assert_eq!(thread(&app, &mediator, t).await.0, StatusCode::NOT_FOUND);

    // It becomes a claim: the claim links it, mediators read it, its history is kept.
    let (status, claim) = app
        .call(&buyer, "open_claim", &[("order_id", &o), ("reason", "not_received"), ("remedy", "full_refund"), ("message", "Still nothing.")])
        .await;
    assert_eq!(status, StatusCode::OK, "{claim}");
    let claim = claim.as_i64().unwrap();
    let (_, room) = app.call(&buyer, "get_claim_room", &[("id", &claim.to_string())]).await;
    assert_eq!(room["thread"], t);
    let (status, seen) = thread(&app, &mediator, t).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert_eq!(messages(&seen), vec!["Where is my parcel? It has been a week.", "It left on Monday with DHL."]);
    assert_eq!(seen["state"], "Claim");
    // The seller had answered, so the clock stopped in time; a later question is counted with the claim.
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM answer_clocks WHERE thread_id = {t} AND answered_at IS NOT NULL")).await, 1);
    assert!(seen["entries"].as_array().unwrap().iter().any(|e| e["kind"] == "ClaimOpened"));
    // From now on it continues in the claim's room.
    assert_eq!(post(&app, &buyer, t, "m-late", "Hello?").await.0, StatusCode::CONFLICT);
    assert_eq!(post(&app, &mediator, t, "x-1", "Hello").await.0, StatusCode::CONFLICT);
    assert_eq!(thread(&app, &other, t).await.0, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saved_replies_are_checked_and_filled_from_the_order() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let (status, bad) = app.call(&seller, "save_reply", &[("title", ""), ("body", "Hello {name}")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.to_string().contains("title") && bad.to_string().contains("{name} is not a placeholder"), "{bad}");
    let (status, _) = app.call(&seller, "save_reply", &[("title", "Shipped"), ("body", "Hello {buyer}, order {order} left today: {tracking}.")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.call(&buyer, "save_reply", &[("title", "x"), ("body", "y")]).await.0, StatusCode::FORBIDDEN, "buyers have no shop");
    let order = buy(&app, &buyer, CREPE_PAN, 1).await;
    assert_eq!(act(&app, &seller, order, "accept", &[]).await.0, StatusCode::OK);
    assert_eq!(act(&app, &seller, order, "ship", &[("carrier", "DHL"), ("tracking_number", "JD0146000066")]).await.0, StatusCode::OK);
    let (_, t) = app.call(&buyer, "message_seller", &[("order_id", &order.to_string()), ("client_id", "o-1"), ("topic", "where_is_order"), ("body", "Shipped?")]).await;
    let (_, view) = thread(&app, &seller, t.as_i64().unwrap()).await;
    assert_eq!(view["replies"][0]["body"], format!("Hello Ana Buyer, order #{order} left today: JD0146000066 (DHL)."));
    // {return_policy}: the shop's policy in the language the buyer reads (the shop wrote both).
    let (status, _) = app.call(&seller, "save_reply", &[("title", "Returns"), ("body", "{return_policy}")]).await;
    assert_eq!(status, StatusCode::OK);
    let policy = |view: &Value| view["replies"].as_array().unwrap().iter().find(|r| r["title"] == "Returns").unwrap()["body"].as_str().unwrap().to_string();
    let (_, view) = thread(&app, &seller, t.as_i64().unwrap()).await;
    assert!(policy(&view).starts_with("Return any unused item within 30 days"), "{view}");
    let res = buyer.post(app.url("/language")).form(&[("lang", "fr"), ("back", "/messages")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, view) = thread(&app, &seller, t.as_i64().unwrap()).await;
    assert!(policy(&view).starts_with("Tout article inutilisé peut être retourné sous 30 jours"), "{view}");
    let (_, list) = app.call(&seller, "get_saved_replies", &[]).await;
    let id = list.as_array().unwrap().iter().find(|r| r["title"] == "Shipped").unwrap()["id"].as_i64().unwrap();
    let other_seller = demo_client(&app, "seller2@troika.test").await;
    assert_eq!(app.call(&other_seller, "delete_reply", &[("id", &id.to_string())]).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.call(&seller, "delete_reply", &[("id", &id.to_string())]).await.0, StatusCode::OK);
    app.stop().await;
}

/// A real SMTP server for the test: maildev from the end2end packages, on free ports.
struct MailDev {
    child: std::process::Child,
    web: u16,
}

impl MailDev {
    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
    }

    async fn start_on(smtp: u16) -> MailDev {
        let bin = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end/node_modules/.bin/maildev");
        assert!(bin.exists(), "maildev is missing: run `bash .ci/test.sh` (or `cd end2end && npm ci`) to install the test packages");
        let web = Self::free_port();
        let child = std::process::Command::new(bin)
            .args(["--smtp", &smtp.to_string(), "--web", &web.to_string(), "--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--silent"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start maildev");
        let m = MailDev { child, web };
        for _ in 0..80 {
            if reqwest::get(format!("http://127.0.0.1:{}/api/email", m.web)).await.is_ok_and(|r| r.status().is_success()) {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        panic!("maildev did not start");
    }

    async fn received(&self) -> Vec<Value> {
        let v: Value = reqwest::get(format!("http://127.0.0.1:{}/api/email", self.web)).await.unwrap().json().await.unwrap();
        v.as_array().cloned().unwrap_or_default()
    }
}

impl Drop for MailDev {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e_mail_notices_are_batched_per_conversation_retried_when_the_server_is_down_and_never_doubled() {
    let smtp = MailDev::free_port();
    let settings = app::backend::Settings { smtp_url: Some(format!("smtp://127.0.0.1:{smtp}")), ..common::test_settings() };
    let app = TestApp::spawn_with(settings).await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let site = "https://troika.example";

    // Three messages in a row: one notice for the seller.
    let (_, t) = ask(&app, &buyer, CREPE_PAN, "q-1", "Is it heavy?", false).await;
    let t = t.as_i64().unwrap();
    assert_eq!(post(&app, &buyer, t, "m-2", "And the diameter?").await.0, StatusCode::OK);
    assert_eq!(post(&app, &buyer, t, "m-3", "Thanks in advance.").await.0, StatusCode::OK);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM email_outbox").await, 1, "batched");
    let now = clock::now_ms();

    // The SMTP server is down: the send fails, is kept, and waits before the next try.
    assert_eq!(run_mail_job(app.state(), site, now).await.unwrap(), 0);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NULL AND attempts = 1 AND last_error IS NOT NULL").await, 1);
    let mail = MailDev::start_on(smtp).await;
    assert_eq!(run_mail_job(app.state(), site, now + 1_000).await.unwrap(), 0, "still backing off");
    assert_eq!(run_mail_job(app.state(), site, now + 60_000).await.unwrap(), 1);
    assert_eq!(run_mail_job(app.state(), site, now + 120_000).await.unwrap(), 0, "sent once");
    let got = mail.received().await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["to"][0]["address"], "seller@troika.test");
    assert!(got[0]["subject"].as_str().unwrap().contains("waiting for your answer"), "{}", got[0]["subject"]);
    let text = got[0]["text"].as_str().unwrap();
    assert!(text.contains(&format!("{site}/messages/{t}")), "{text}");
    assert!(!text.contains("Is it heavy?"), "a notice says a message waits, not what it says");

    // The seller answers: the buyer's notice. Another buyer message right after the seller's
    // notice went out waits out the 15-minute window.
    assert_eq!(post(&app, &seller, t, "s-1", "1.2 kg, 24 cm.").await.0, StatusCode::OK);
    assert_eq!(run_mail_job(app.state(), site, now + 121_000).await.unwrap(), 1);
    assert_eq!(post(&app, &buyer, t, "m-4", "Perfect, ordering now.").await.0, StatusCode::OK);
    assert_eq!(run_mail_job(app.state(), site, now + 180_000).await.unwrap(), 0, "within 15 minutes of the last one");
    assert_eq!(run_mail_job(app.state(), site, now + 60_000 + 15 * 60_000).await.unwrap(), 1);
    let got = mail.received().await;
    let to: Vec<&str> = got.iter().map(|m| m["to"][0]["address"].as_str().unwrap()).collect();
    assert_eq!(to, vec!["seller@troika.test", "buyer@troika.test", "seller@troika.test"]);
    app.stop().await;
    drop(mail);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_smtp_server_notices_stay_in_the_app() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let (status, _) = ask(&app, &buyer, CREPE_PAN, "q-1", "Any discount?", false).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM email_outbox").await, 0);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM notifications WHERE thread_id IS NOT NULL").await, 1, "the seller's bell has it");
    app.stop().await;
}

async fn send_photo(app: &TestApp, client: &Client, thread: i64, client_id: &str, caption: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
    use reqwest::multipart;
    let part = multipart::Part::bytes(bytes).file_name("photo.jpg").mime_str("image/jpeg").unwrap();
    let form = multipart::Form::new().text("client_id", client_id.to_string()).text("body", caption.to_string()).part("photo", part);
    let res = client.post(app.url(&format!("/messages/{thread}/photo"))).header("origin", app.base.clone()).multipart(form).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    use image::ImageEncoder;
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8).unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photos_in_a_conversation_are_checked_like_product_photos_and_shown_to_its_parties_only() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let other = demo_client(&app, "buyer2@troika.test").await;
    let (_, t) = ask(&app, &buyer, CREPE_PAN, "q-1", "Is this scratch normal? Photo follows.", false).await;
    let t = t.as_i64().unwrap();
    // Not an image, and someone else's conversation: refused, nothing stored.
    let (status, body) = send_photo(&app, &buyer, t, "p-0", "", b"%PDF-1.4 not a photo".to_vec()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
    assert_eq!(send_photo(&app, &other, t, "p-x", "", jpeg(800, 600)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(send_photo(&app, &app.client(), t, "p-y", "", jpeg(800, 600)).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM thread_photos").await, 0);
    // A real photo with a caption; a retry stores nothing new.
    let (status, body) = send_photo(&app, &buyer, t, "p-1", "The scratch, near the handle", jpeg(1600, 1200)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, again) = send_photo(&app, &buyer, t, "p-1", "The scratch, near the handle", jpeg(1600, 1200)).await;
    assert_eq!((status, &again["seq"]), (StatusCode::CREATED, &body["seq"]));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM thread_photos").await, 1);
    let (_, view) = thread(&app, &seller, t).await;
    let last = view["entries"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["body"], "The scratch, near the handle");
    let photo = last["photo"]["id"].as_i64().expect("the entry carries its photo");
    let url = app.url(&format!("/messages/photos/{photo}/640.webp"));
    let res = seller.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/webp");
    assert_eq!(res.headers()["cache-control"], "private, max-age=3600");
    assert_eq!(other.get(&url).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    assert_eq!(app.client().get(&url).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_published_as_public_qa_shows_on_the_product_page_only_after_a_moderator_approves_it() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let moderator = demo_client(&app, "moderator@troika.test").await;
    let (_, t) = ask(&app, &buyer, CREPE_PAN, "q-1", "Can it go in the dishwasher?", false).await;
    let t = t.as_i64().unwrap();
    let ts = t.to_string();
    let publish = |who: &Client| {
        let (app, who, ts) = (&app, who.clone(), ts.clone());
        async move { app.call(&who, "publish_question", &[("thread_id", &ts)]).await.0 }
    };
    assert_eq!(publish(&seller).await, StatusCode::CONFLICT, "nothing to publish before the answer");
    assert_eq!(post(&app, &seller, t, "s-1", "Better not: wash it by hand and oil it lightly.").await.0, StatusCode::OK);
    assert_eq!(publish(&buyer).await, StatusCode::FORBIDDEN, "the seller publishes, not the buyer");
    assert_eq!(publish(&demo_client(&app, "seller2@troika.test").await).await, StatusCode::NOT_FOUND);
    assert_eq!(publish(&seller).await, StatusCode::OK);
    assert_eq!(publish(&seller).await, StatusCode::CONFLICT, "once");
    let questions = || async { app.call(&app.client(), "get_product_questions", &[("product_id", &CREPE_PAN.to_string())]).await.1 };
    assert_eq!(questions().await, serde_json::json!([]), "not shown while pending");
    let (_, view) = thread(&app, &seller, t).await;
    assert_eq!(view["public_qa"], "Your public Q&A waits for a moderator.");
    // The moderator sees it in the one queue, without an order, and approves it.
    let (_, q) = app.call(&moderator, "get_moderation_queue", &[]).await;
    let item = q["items"].as_array().unwrap().iter().find(|i| i["is_question"] == true).cloned().expect("the question is in the queue");
    assert_eq!(item["title"], "Can it go in the dishwasher?");
    assert_eq!(item["order_id"], Value::Null);
    let (status, decided) = app
        .call(&moderator, "approve_review", &[("review_id", &item["id"].to_string()), ("version", &item["version"].to_string())])
        .await;
    assert_eq!(status, StatusCode::OK, "{decided}");
    let shown = questions().await;
    assert_eq!(shown[0]["question"], "Can it go in the dishwasher?");
    assert_eq!(shown[0]["answer"], "Better not: wash it by hand and oil it lightly.");
    assert!(!shown.to_string().contains("Ana"), "the buyer is not named");
    // Reviews and ratings are untouched; the seller is told.
    let (_, reviews) = app.call(&app.client(), "list_product_reviews", &[("product_id", &CREPE_PAN.to_string())]).await;
    assert!(reviews["reviews"].as_array().unwrap().iter().all(|r| r["title"] != "Can it go in the dishwasher?"));
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM notifications WHERE title = 'Your public answer is published'").await, 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seller_can_ask_troika_to_step_in_and_the_claim_goes_to_a_mediator_with_the_conversation() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let mediator = demo_client(&app, "mediator@troika.test").await;
    let order = buy(&app, &buyer, CREPE_PAN, 1).await;
    assert_eq!(act(&app, &seller, order, "accept", &[]).await.0, StatusCode::OK);
    let (_, t) = app
        .call(&buyer, "message_seller", &[("order_id", &order.to_string()), ("client_id", "o-1"), ("topic", "return"), ("body", "I want to return it, unused.")])
        .await;
    let t = t.as_i64().unwrap();
    let ts = t.to_string();
    let (_, view) = thread(&app, &seller, t).await;
    assert_eq!(view["may_escalate"], true);
    let step_in = |who: Client, remedy: &'static str, message: &'static str| {
        let (app, ts) = (&app, ts.clone());
        async move { app.call(&who, "ask_troika_to_step_in", &[("thread_id", &ts), ("remedy", remedy), ("message", message)]).await }
    };
    assert_eq!(step_in(buyer.clone(), "full_refund", "Help").await.0, StatusCode::FORBIDDEN, "the seller's door");
    let (status, bad) = step_in(seller.clone(), "partial_refund", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert!(bad.to_string().contains("amount") && bad.to_string().contains("message"), "{bad}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM claims").await, 0, "nothing opened");
    let (status, claim) = step_in(seller.clone(), "return_and_refund", "The buyer used it and wants a full refund; please decide.").await;
    assert_eq!(status, StatusCode::OK, "{claim}");
    let claim = claim.as_i64().unwrap();
    let (_, room) = app.call(&mediator, "get_claim_room", &[("id", &claim.to_string())]).await;
    assert_eq!(room["claim"]["state"], "Escalated");
    assert_eq!(room["claim"]["opened_by_seller"], true);
    assert_eq!(room["thread"], t);
    assert_eq!(thread(&app, &mediator, t).await.0, StatusCode::OK, "the mediator reads the conversation");
    // The buyer's message was waiting: its clock ended with the claim, counted there, never missed.
    assert_eq!(scalar(&app, &format!("SELECT COUNT(*) FROM answer_clocks WHERE thread_id = {t} AND claimed_at IS NOT NULL")).await, 1);
    assert_eq!(run_answer_jobs(app.state(), clock::now_ms() + 48 * HOUR).await.unwrap(), 0);
    let (_, perf) = app.call(&seller, "get_seller_performance", &[]).await;
    assert!(perf["messages"].as_array().unwrap().iter().any(|l| l["outcome"] == "BecameClaim"), "{perf}");
    assert_eq!(step_in(seller.clone(), "return_and_refund", "Again").await.0, StatusCode::CONFLICT);
    assert_eq!(app.call(&mediator, "take_claim", &[("claim_id", &claim.to_string())]).await.0, StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn each_side_of_a_conversation_sees_which_language_the_other_reads() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let (status, t) = ask(&app, &buyer, CREPE_PAN, "q-lang", "Est-ce que ça va sur une plaque à induction ?", false).await;
    assert_eq!(status, StatusCode::OK, "{t}");
    let t = t.as_i64().unwrap();
    // Both signed in from English pages: their accounts read English.
    let (_, view) = thread(&app, &seller, t).await;
    assert_eq!(view["others_read"], serde_json::json!(["The buyer reads English"]));
    // The buyer switches to French: the seller now knows to answer in French.
    let res = buyer.post(app.url("/language")).header("referer", app.url("/")).form(&[("lang", "fr"), ("back", "/")]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, view) = thread(&app, &seller, t).await;
    assert_eq!(view["others_read"], serde_json::json!(["The buyer reads French"]));
    // The buyer reads, in French, which language the seller reads.
    let (_, view) = thread(&app, &buyer, t).await;
    assert_eq!(view["others_read"], serde_json::json!(["Le vendeur lit l’anglais"]));
    let page = seller.get(app.url(&format!("/messages/{t}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("The buyer reads French"));
    app.stop().await;
}
