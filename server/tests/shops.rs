//! Sellers run their own shops: applying to sell, the admin's approval or rejection, suspension
//! and reinstatement, the seller's edits, and each order keeping the policies it was bought under.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{buy, demo_client, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::Value;

fn shop_form(name: &str) -> Vec<(String, String)> {
    [
        ("name", name),
        ("city", "Porto"),
        ("country", "Portugal"),
        ("description", "Hand-painted azulejo tiles and ceramics from our studio."),
        ("opening_hours", "Mon–Fri 10:00–18:00"),
        ("contact_email", "ola@azulejo.example"),
        ("contact_phone", "+351 22 123 4567"),
        ("return_template", "buyer-pays-14"),
        ("return_policy", ""),
        ("return_days", ""),
        ("handling_days", "3"),
        ("shipping_fee", "5.50"),
    ]
    .into_iter()
    .map(|(k, v)| (format!("shop[{k}]"), v.to_string()))
    .collect()
}

async fn call_owned(app: &TestApp, client: &Client, endpoint: &str, form: &[(String, String)]) -> (StatusCode, Value) {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call(client, endpoint, &pairs).await
}

async fn pending_id(app: &TestApp, admin: &Client, name: &str) -> i64 {
    let (status, page) = app.call(admin, "get_shops_admin", &[]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["pending"].as_array().unwrap().iter().find(|a| a["profile"]["name"] == name).expect("the application is waiting")["id"].as_i64().unwrap()
}

async fn role_of(app: &TestApp, client: &Client) -> String {
    let (_, info) = app.call(client, "get_session_info", &[]).await;
    info["user"]["role"].as_str().unwrap_or_default().to_string()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar::<sqlx::Any, i64>(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&app.state().db.pool).await.unwrap()
}

#[tokio::test]
async fn an_approved_application_opens_the_shop_and_makes_its_applicant_a_seller() {
    let app = TestApp::spawn().await;
    let person = app.new_buyer(1).await;
    let (status, body) = call_owned(&app, &person, "apply_to_sell", &shop_form("Azulejo Vivo")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, page) = app.call(&person, "get_sell_page", &[]).await;
    assert_eq!(page["latest"]["status"], "Pending", "{page}");
    // A second application while one waits is refused.
    let (status, _) = call_owned(&app, &person, "apply_to_sell", &shop_form("Azulejo Vivo Two")).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Nobody but an admin decides (another buyer, a seller: 403), and the shop is not open yet.
    let id = pending_id(&app, &demo_client(&app, "admin@troika.test").await, "Azulejo Vivo").await;
    for email in ["buyer@troika.test", "seller@troika.test", "moderator@troika.test"] {
        let other = demo_client(&app, email).await;
        let (status, _) = app.call(&other, "approve_application", &[("application_id", &id.to_string())]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{email}");
        assert_eq!(app.call(&other, "get_shops_admin", &[]).await.0, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.client().get(app.url("/shop/azulejo-vivo")).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    let admin = demo_client(&app, "admin@troika.test").await;
    let (status, slug) = app.call(&admin, "approve_application", &[("application_id", &id.to_string())]).await;
    assert_eq!(status, StatusCode::OK, "{slug}");
    assert_eq!(slug, "azulejo-vivo");
    // Approving twice (a second admin, a double click) finds it decided.
    assert_eq!(app.call(&admin, "approve_application", &[("application_id", &id.to_string())]).await.0, StatusCode::CONFLICT);

    assert_eq!(role_of(&app, &person).await, "seller", "the same session goes on as a seller");
    let res = app.client().get(app.url("/shop/azulejo-vivo")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(html.contains("Azulejo Vivo") && html.contains("Mon–Fri 10:00–18:00"));
    assert!(html.contains("o•••@azulejo.example"), "the contact email is masked");
    assert!(!html.contains("ola@azulejo.example") && !html.contains("123 4567"), "the full contact details never reach buyers");

    let (_, notes) = app.call(&person, "list_notifications", &[]).await;
    let first = &notes.as_array().unwrap()[0];
    assert_eq!(first["title"], "Your shop is approved", "{notes}");
    assert_eq!(first["href"], "/sell");

    let (_, page) = app.call(&admin, "get_shops_admin", &[]).await;
    assert!(page["pending"].as_array().unwrap().is_empty());
    let log = &page["log"][0];
    assert_eq!(log["action"], "Approved");
    assert_eq!(log["subject"], "Azulejo Vivo");
    assert!(log["by"].as_str().unwrap().contains("admin@troika.test"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM role_changes WHERE to_role = 'seller'").await, 1, "the role change is audited too");
    // The new seller edits their shop: their own only, and the name stays.
    let mut edit = shop_form("Another Name");
    edit.iter_mut().find(|(k, _)| k == "shop[handling_days]").unwrap().1 = "5".into();
    assert_eq!(call_owned(&app, &person, "update_my_shop", &edit).await.0, StatusCode::OK);
    let (_, mine) = app.call(&person, "get_my_shop", &[]).await;
    assert_eq!(mine["name"], "Azulejo Vivo");
    assert_eq!(mine["form"]["handling_days"], "5");
    let buyer = demo_client(&app, "buyer@troika.test").await;
    assert_eq!(call_owned(&app, &buyer, "update_my_shop", &edit).await.0, StatusCode::NOT_FOUND, "a buyer has no shop to edit");
    assert_eq!(call_owned(&app, &app.client(), "update_my_shop", &edit).await.0, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn a_rejected_applicant_reads_the_reason_and_may_apply_again() {
    let app = TestApp::spawn().await;
    let person = app.new_buyer(2).await;
    assert_eq!(call_owned(&app, &person, "apply_to_sell", &shop_form("Maybe Later")).await.0, StatusCode::OK);
    let admin = demo_client(&app, "admin@troika.test").await;
    let id = pending_id(&app, &admin, "Maybe Later").await.to_string();
    // A reason is required.
    let (status, body) = app.call(&admin, "reject_application", &[("application_id", &id), ("reason", "no")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["Invalid"]["fields"]["reason"].is_string(), "{body}");
    let reason = "Please describe what you make yourself: resold goods are not allowed.";
    assert_eq!(app.call(&admin, "reject_application", &[("application_id", &id), ("reason", reason)]).await.0, StatusCode::OK);

    let (_, page) = app.call(&person, "get_sell_page", &[]).await;
    assert_eq!(page["latest"]["status"], "Rejected");
    assert_eq!(page["latest"]["reason"], reason);
    assert_eq!(page["draft"]["name"], "Maybe Later", "the form starts from what they sent");
    assert_eq!(role_of(&app, &person).await, "buyer");
    let (_, notes) = app.call(&person, "list_notifications", &[]).await;
    assert_eq!(notes[0]["body"], reason);
    assert_eq!(call_owned(&app, &person, "apply_to_sell", &shop_form("Maybe Later")).await.0, StatusCode::OK, "they apply again");
    let (_, page) = app.call(&admin, "get_shops_admin", &[]).await;
    assert_eq!(page["log"][0]["action"], "Rejected");
    assert_eq!(page["log"][0]["reason"], reason);
    app.stop().await;
}

#[tokio::test]
async fn a_bad_application_names_every_field_keeps_what_was_typed_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let person = app.new_buyer(3).await;
    let mut form = shop_form("Atelier Lumière");
    for (k, v) in form.iter_mut() {
        match k.as_str() {
            "shop[contact_email]" => *v = "not-an-email".into(),
            "shop[handling_days]" => *v = "soon".into(),
            "shop[shipping_fee]" => *v = "-3".into(),
            "shop[description]" => *v = "Tiles.".into(),
            _ => {}
        }
    }
    let (status, body) = call_owned(&app, &person, "apply_to_sell", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    for field in ["contact_email", "handling_days", "shipping_fee", "description"] {
        assert!(body["Invalid"]["fields"][field].is_string(), "{field}: {body}");
    }
    let (_, page) = app.call(&person, "get_sell_page", &[]).await;
    assert_eq!(page["draft"]["contact_email"], "not-an-email", "what was typed comes back");
    assert!(page["latest"].is_null());
    // A name another shop has is refused by its field.
    let (status, body) = call_owned(&app, &person, "apply_to_sell", &shop_form("Atelier Lumière")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["Invalid"]["fields"]["name"].as_str().unwrap().contains("exists"), "{body}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM shop_applications").await, 0);
    // Sellers and staff do not apply.
    for email in ["seller@troika.test", "mediator@troika.test"] {
        let (status, _) = call_owned(&app, &demo_client(&app, email).await, "apply_to_sell", &shop_form("Second Shop")).await;
        assert_eq!(status, StatusCode::CONFLICT, "{email}");
    }
    // Without JavaScript the form post comes back to the form, which shows the message.
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = person.post(app.url("/api/apply_to_sell")).header("accept", "text/html").header("referer", app.url("/sell")).form(&pairs).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert!(back.starts_with("/sell") || back.starts_with(&app.url("/sell")), "{back}");
    let html = person.get(app.url(&back.replace(&app.base, ""))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("not-an-email"), "the typed email is in the form again");
    app.stop().await;
}

#[tokio::test]
async fn a_suspended_shop_leaves_the_storefront_while_its_open_orders_go_on() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let admin = demo_client(&app, "admin@troika.test").await;
    let order = buy(&app, &buyer, 1, 1).await; // Atelier Lumière's crêpe pan
    let shop_id = count(&app, "SELECT id FROM shops WHERE slug = 'atelier-lumiere'").await.to_string();
    assert_eq!(app.call(&buyer, "add_to_cart", &[("product_id", "1"), ("quantity", "1")]).await.0, StatusCode::OK);

    assert_eq!(app.call(&seller, "suspend_shop", &[("shop_id", &shop_id), ("reason", "Too many unanswered claims this month.")]).await.0, StatusCode::FORBIDDEN);
    let (status, body) = app.call(&admin, "suspend_shop", &[("shop_id", &shop_id), ("reason", "Too many unanswered claims this month.")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.call(&admin, "suspend_shop", &[("shop_id", &shop_id), ("reason", "Too many unanswered claims this month.")]).await.0, StatusCode::CONFLICT);

    let (_, found) = app.call(&buyer, "search_products", &[("input[q]", "crepe")]).await;
    assert!(found["products"].as_array().unwrap().iter().all(|p| p["shop_slug"] != "atelier-lumiere"), "{found}");
    let (_, newest) = app.call(&buyer, "newest_products", &[]).await;
    assert!(newest.as_array().unwrap().iter().all(|p| p["shop_slug"] != "atelier-lumiere"));
    for path in ["/product/1", "/shop/atelier-lumiere"] {
        let res = app.client().get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(res.text().await.unwrap().contains("temporarily unavailable"), "{path}");
    }
    assert_eq!(app.call(&buyer, "add_to_cart", &[("product_id", "1"), ("quantity", "1")]).await.0, StatusCode::NOT_FOUND);
    let (status, body) = app.call(&buyer, "place_order", &common::address(&uuid::Uuid::new_v4().to_string())).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["Conflict"].as_str().unwrap().contains("temporarily unavailable"), "{body}");
    // The order placed before goes on.
    assert_eq!(common::act(&app, &seller, order, "accept", &[]).await.0, StatusCode::OK);
    let (_, notes) = app.call(&seller, "list_notifications", &[]).await;
    assert!(notes.as_array().unwrap().iter().any(|n| n["title"] == "Your shop is suspended" && n["href"] == "/seller/shop"), "{notes}");
    let (_, mine) = app.call(&seller, "get_my_shop", &[]).await;
    assert_eq!(mine["suspended"], "Too many unanswered claims this month.");

    assert_eq!(app.call(&admin, "reinstate_shop", &[("shop_id", &shop_id)]).await.0, StatusCode::OK);
    assert_eq!(app.client().get(app.url("/product/1")).send().await.unwrap().status(), StatusCode::OK);
    let (status, body) = app.call(&buyer, "place_order", &common::address(&uuid::Uuid::new_v4().to_string())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, page) = app.call(&admin, "get_shops_admin", &[]).await;
    let actions: Vec<&str> = page["log"].as_array().unwrap().iter().map(|d| d["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["Reinstated", "Suspended"]);
    app.stop().await;
}

#[tokio::test]
async fn each_order_keeps_the_policies_it_was_bought_under() {
    let app = TestApp::spawn().await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let before = buy(&app, &buyer, 1, 1).await;
    let (_, mine) = app.call(&seller, "get_my_shop", &[]).await;
    let mut form: Vec<(String, String)> =
        mine["form"].as_object().unwrap().iter().map(|(k, v)| (format!("shop[{k}]"), v.as_str().unwrap().to_string())).collect();
    for (k, v) in form.iter_mut() {
        match k.as_str() {
            "shop[return_policy]" => *v = "Returns only for faulty items, within 10 days of delivery.".into(),
            "shop[return_days]" => *v = "10".into(),
            "shop[handling_days]" => *v = "6".into(),
            "shop[translated_description]" | "shop[translated_return_policy]" => v.clear(),
            _ => {}
        }
    }
    let (status, body) = call_owned(&app, &seller, "update_my_shop", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let after = buy(&app, &buyer, 1, 1).await;
    let policy = |order: i64| {
        let (app, buyer) = (&app, &buyer);
        async move { app.call(buyer, "get_order", &[("id", &order.to_string())]).await.1["policy"].clone() }
    };
    let old = policy(before).await;
    assert_eq!(old["return_days"], 30, "{old}");
    assert_eq!(old["handling_days"], 2);
    assert!(old["return_policy"].as_str().unwrap().starts_with("Return any unused item within 30 days"));
    let new = policy(after).await;
    assert_eq!(new["return_days"], 10);
    assert_eq!(new["handling_days"], 6);
    let html = buyer.get(app.url(&format!("/orders/{before}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("30-day returns") && html.contains("Ships within 2 business days"), "the order page shows its own policy");

    // The order keeps both versions of the policy it was bought under: a French reader gets the
    // French one of its time, not the shop's current text.
    let order_page = |who: &'static str, order: i64, language: &'static str| {
        let (app, client) = (&app, if who == "buyer" { &buyer } else { &seller });
        async move {
            let res = client.get(app.url(&format!("/orders/{order}"))).header("accept-language", language).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            res.text().await.unwrap()
        }
    };
    let fr = order_page("buyer", before, "fr").await;
    assert!(fr.contains("Tout article inutilisé peut être retourné sous 30 jours"), "the French policy of its time");
    assert!(!fr.contains("data-testid=\"original-language\""), "no note: the seller wrote it in French too");
    assert!(fr.contains("Poêle à crêpes en fonte, 24 cm") && !fr.contains("Cast-iron crêpe pan"), "the line's name in French too");
    let en = order_page("buyer", before, "en").await;
    assert!(en.contains("Return any unused item within 30 days") && !en.contains("Tout article"), "English readers read the original");
    assert!(en.contains("Cast-iron crêpe pan, 24 cm"));
    // The shop now has its policy in English only: a French reader of the new order reads it as
    // written, marked English and said so.
    let fr = order_page("buyer", after, "fr").await;
    assert!(fr.contains("<span lang=\"en\">Returns only for faulty items, within 10 days of delivery.</span>"), "{fr}");
    assert!(fr.contains("Affiché tel que le vendeur l’a écrit, en anglais."), "the note says which language");
    // The seller's side of the order speaks French too: earnings, commission, what is due.
    let desk = order_page("seller", before, "fr").await;
    assert!(desk.contains("Vos gains sur cette commande") && desk.contains("Net qui vous est dû") && desk.contains("en attente jusqu’à la fin de la commande"), "{desk}");
    assert!(!desk.contains("Your earnings") && !desk.contains("pending until"), "no English left");
    app.stop().await;
}
