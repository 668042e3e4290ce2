//! Sellers run their catalogue and stock: only a shop's seller reaches its products, hidden and
//! archived products leave the storefront (archived ones stay on past orders), stock edits racing
//! checkouts lose and double nothing, a sale down to the low-stock line tells the seller, and a
//! restock tells waiting buyers once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{address, buy, demo_client, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::Value;

fn product_form(id: i64, name: &str, price: &str, stock: &str, low: &str) -> Vec<(String, String)> {
    let mut form = vec![("id".to_string(), id.to_string())];
    for (k, v) in [
        ("name", name),
        ("description", "Turned by hand from a single piece of walnut."),
        ("category", "kitchen"),
        ("price", price),
        ("stock", stock),
        ("low_stock", low),
    ] {
        form.push((format!("product[{k}]"), v.to_string()));
    }
    form
}

async fn call_owned(app: &TestApp, client: &Client, endpoint: &str, form: &[(String, String)]) -> (StatusCode, Value) {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.call(client, endpoint, &pairs).await
}

async fn list(app: &TestApp, seller: &Client, name: &str, stock: i64, low: i64) -> i64 {
    let (status, id) = call_owned(app, seller, "save_product", &product_form(0, name, "34.50", &stock.to_string(), &low.to_string())).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    id.as_i64().unwrap()
}

async fn searched(app: &TestApp, q: &str) -> Vec<String> {
    let (_, page) = app.call(&app.client(), "search_products", &[("input[q]", q)]).await;
    page["products"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_string()).collect()
}

async fn stock_change(app: &TestApp, seller: &Client, product: i64, change: &str, units: i64, seen: i64) -> (StatusCode, Value) {
    app.call(seller, "change_stock", &[
        ("product_id", &product.to_string()),
        ("stock[change]", change),
        ("stock[units]", &units.to_string()),
        ("stock[seen]", &seen.to_string()),
    ])
    .await
}

async fn item(app: &TestApp, seller: &Client, product: i64) -> Value {
    let (status, page) = app.call(seller, "get_inventory", &[]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().iter().find(|i| i["id"] == product).cloned().expect("the product is on the stock page")
}

async fn notifications(app: &TestApp, client: &Client) -> Vec<Value> {
    let (status, list) = app.call(client, "list_notifications", &[]).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list.as_array().cloned().unwrap_or_else(|| list["items"].as_array().cloned().unwrap_or_default())
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar::<sqlx::Any, i64>(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&app.state().db.pool).await.unwrap()
}

#[tokio::test]
async fn a_seller_lists_edits_hides_and_archives_only_their_own_products() {
    let app = TestApp::spawn().await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let before = count(&app, "SELECT COUNT(*) FROM products").await;

    // Every bad field is named; nothing is stored.
    let (status, body) = call_owned(&app, &seller, "save_product", &product_form(0, "W", "free", "-2", "")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    for f in ["name", "price", "stock", "low_stock"] {
        assert!(body["Invalid"]["fields"][f].is_string(), "{f}: {body}");
    }
    let mut bad_category = product_form(0, "Walnut bowl", "34.50", "5", "2");
    bad_category[3].1 = "weapons".into();
    let (status, body) = call_owned(&app, &seller, "save_product", &bad_category).await;
    assert!(body["Invalid"]["fields"]["category"].is_string(), "{status} {body}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM products").await, before, "nothing stored");
    // What was typed comes back in the form.
    let (_, editor) = app.call(&seller, "get_product_editor", &[("id", "0")]).await;
    assert_eq!(editor["form"]["category"], "weapons", "{editor}");

    let id = list(&app, &seller, "Walnut salad bowl", 5, 2).await;
    assert_eq!(searched(&app, "walnut salad").await, vec!["Walnut salad bowl".to_string()], "listed at once");
    let (_, editor) = app.call(&seller, "get_product_editor", &[("id", &id.to_string())]).await;
    assert_eq!(editor["form"]["price"], "34.50", "{editor}");
    assert_eq!(editor["status"], "Listed");

    // Nobody else reaches it: another seller and a buyer get 404, a guest 401.
    let other = demo_client(&app, "seller2@troika.test").await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    for client in [&other, &buyer] {
        assert_eq!(app.call(client, "get_product_editor", &[("id", &id.to_string())]).await.0, StatusCode::NOT_FOUND);
        assert_eq!(call_owned(&app, client, "save_product", &product_form(id, "Mine now", "1", "1", "1")).await.0, StatusCode::NOT_FOUND);
        assert_eq!(stock_change(&app, client, id, "set", 0, 5).await.0, StatusCode::NOT_FOUND);
        assert_eq!(app.call(client, "set_product_status", &[("product_id", &id.to_string()), ("status", "archived")]).await.0, StatusCode::NOT_FOUND);
    }
    assert_eq!(app.call(&buyer, "get_inventory", &[]).await.0, StatusCode::NOT_FOUND);
    assert_eq!(app.call(&app.client(), "get_inventory", &[]).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(item(&app, &seller, id).await["stock"], 5, "unchanged by the others");

    // The seller edits it: the new name is what search finds.
    let (status, body) = call_owned(&app, &seller, "save_product", &product_form(id, "Walnut serving bowl", "39.00", "999", "2")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(searched(&app, "walnut serving").await.len(), 1);
    assert!(searched(&app, "walnut salad").await.is_empty());
    assert_eq!(item(&app, &seller, id).await["stock"], 5, "the form does not change the stock: the stock page does");

    // A buyer buys one; then the seller hides it: out of search and its page, not for sale.
    let order = buy(&app, &buyer, id, 1).await;
    let (status, _) = app.call(&buyer, "add_to_cart", &[("product_id", &id.to_string()), ("quantity", "1")]).await;
    assert!(status.is_success());
    assert_eq!(app.call(&seller, "set_product_status", &[("product_id", &id.to_string()), ("status", "hidden")]).await.0, StatusCode::OK);
    assert!(searched(&app, "walnut serving").await.is_empty());
    assert_eq!(app.client().get(app.url(&format!("/product/{id}"))).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    let (status, body) = app.call(&buyer, "place_order", &address("after-hiding")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains("no longer for sale"), "{body}");
    assert_eq!(item(&app, &seller, id).await["stock"], 4, "no stock taken by the refused checkout");

    // Archived: gone from the storefront, still on the order; it comes back hidden, never straight to sale.
    assert_eq!(app.call(&seller, "set_product_status", &[("product_id", &id.to_string()), ("status", "archived")]).await.0, StatusCode::OK);
    assert_eq!(app.call(&seller, "set_product_status", &[("product_id", &id.to_string()), ("status", "listed")]).await.0, StatusCode::CONFLICT);
    let (status, detail) = app.call(&buyer, "get_order", &[("id", &order.to_string())]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(detail.to_string().contains("Walnut"), "the order keeps its item: {detail}");
    assert_eq!(app.call(&seller, "set_product_status", &[("product_id", &id.to_string()), ("status", "hidden")]).await.0, StatusCode::OK);
    assert_eq!(app.call(&seller, "set_product_status", &[("product_id", &id.to_string()), ("status", "listed")]).await.0, StatusCode::OK);
    assert_eq!(searched(&app, "walnut serving").await.len(), 1, "listed again");
    app.stop().await;
}

#[tokio::test]
async fn stock_edits_racing_fifty_checkouts_lose_and_double_nothing() {
    let app = TestApp::spawn().await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let id = list(&app, &seller, "Race bowl", 30, 0).await;
    let mut buyers = Vec::new();
    for n in 0..50 {
        let client = app.new_buyer(n).await;
        let (status, _) = app.call(&client, "add_to_cart", &[("product_id", &id.to_string()), ("quantity", "1")]).await;
        assert!(status.is_success());
        buyers.push(client);
    }
    // 50 checkouts at once while the seller adds 10 units, one at a time.
    let checkouts = futures::future::join_all(buyers.iter().enumerate().map(|(n, c)| {
        let app = &app;
        async move { app.call(c, "place_order", &address(&format!("stock-race-{n:04}"))).await }
    }));
    let adds = async {
        let mut results = Vec::new();
        for _ in 0..10 {
            results.push(stock_change(&app, &seller, id, "add", 1, 0).await);
        }
        results
    };
    let (results, added) = tokio::join!(checkouts, adds);
    assert!(added.iter().all(|(s, _)| *s == StatusCode::OK), "every add applies: {added:?}");
    let sold = results.iter().filter(|(s, _)| *s == StatusCode::OK).count() as i64;
    let refused = results.iter().filter(|(s, b)| *s == StatusCode::CONFLICT && b.to_string().contains("sold out")).count() as i64;
    let other: Vec<_> = results.iter().filter(|(s, b)| *s != StatusCode::OK && !(*s == StatusCode::CONFLICT && b.to_string().contains("sold out"))).collect();
    assert_eq!(sold + refused, 50, "each checkout either bought or was told it sold out: {other:?}");
    assert!((30..=40).contains(&sold), "{sold} sold");
    let stock = item(&app, &seller, id).await["stock"].as_i64().unwrap();
    assert_eq!(stock, 30 + 10 - sold, "stock = what there was + what was added − what was sold");
    let units = count(&app, &format!("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM order_items WHERE product_id = {id}")).await;
    assert_eq!(units, sold, "one order line per sale");

    // Setting the level against a stale value is refused and changes nothing.
    let (status, body) = stock_change(&app, &seller, id, "set", 100, stock + 1).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.to_string().contains(&format!("to {stock}")), "says the level now: {body}");
    assert_eq!(item(&app, &seller, id).await["stock"], stock);
    let (status, level) = stock_change(&app, &seller, id, "set", 100, stock).await;
    assert_eq!((status, level), (StatusCode::OK, Value::from(100)));
    // Removing more than there is: refused, unchanged.
    assert_eq!(stock_change(&app, &seller, id, "remove", 101, 0).await.0, StatusCode::CONFLICT);
    assert_eq!(stock_change(&app, &seller, id, "remove", 1, 0).await.1, Value::from(99));
    // A bad number is named.
    let (status, body) = app.call(&seller, "change_stock", &[("product_id", &id.to_string()), ("stock[change]", "add"), ("stock[units]", "lots")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["Invalid"]["fields"]["units"].is_string(), "{body}");
    app.stop().await;
}

#[tokio::test]
async fn sales_show_on_the_stock_page_the_low_stock_line_tells_the_seller_and_a_restock_tells_waiting_buyers_once() {
    let app = TestApp::spawn().await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let id = list(&app, &seller, "Little oak spoon", 5, 3).await;
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let waiting = demo_client(&app, "buyer2@troika.test").await;

    buy(&app, &buyer, id, 1).await; // 4 left: above the line
    assert!(!notifications(&app, &seller).await.iter().any(|n| n["title"].as_str().unwrap().contains("oak spoon")));
    buy(&app, &buyer, id, 1).await; // 3 left: on the line
    let low: Vec<Value> = notifications(&app, &seller).await.into_iter().filter(|n| n["title"].as_str().unwrap().contains("oak spoon")).collect();
    assert_eq!(low.len(), 1, "{low:?}");
    assert_eq!(low[0]["title"], "Only 3 of “Little oak spoon” left");
    assert_eq!(low[0]["href"], "/seller/products");
    let i = item(&app, &seller, id).await;
    assert_eq!((i["stock"].as_i64(), i["sold_7"].as_i64(), i["sold_30"].as_i64()), (Some(3), Some(2), Some(2)), "{i}");
    assert_eq!(i["runs_out_in"], 10, "3 units at 2 a week: about 10 days");

    // Asking before it is sold out: it is in stock. Then it sells out; asking is one request however often.
    assert_eq!(app.call(&waiting, "notify_when_back", &[("product_id", &id.to_string())]).await.0, StatusCode::CONFLICT);
    buy(&app, &buyer, id, 3).await;
    assert_eq!(notifications(&app, &seller).await.iter().filter(|n| n["title"].as_str().unwrap().contains("oak spoon")).count(), 1, "told once on the way down");
    for _ in 0..2 {
        assert_eq!(app.call(&waiting, "notify_when_back", &[("product_id", &id.to_string())]).await.0, StatusCode::OK);
    }
    assert_eq!(app.call(&waiting, "waiting_for_product", &[("product_id", &id.to_string())]).await.1, Value::from(true));
    assert_eq!(app.call(&app.client(), "notify_when_back", &[("product_id", &id.to_string())]).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(app.call(&seller, "notify_when_back", &[("product_id", &id.to_string())]).await.0, StatusCode::CONFLICT, "not for one's own product");

    // Restocking tells the waiting buyer once; a second restock does not tell again.
    assert_eq!(stock_change(&app, &seller, id, "add", 6, 0).await.0, StatusCode::OK);
    assert_eq!(stock_change(&app, &seller, id, "add", 2, 0).await.0, StatusCode::OK);
    let back: Vec<Value> = notifications(&app, &waiting).await.into_iter().filter(|n| n["title"].as_str().unwrap().contains("back in stock")).collect();
    assert_eq!(back.len(), 1, "{back:?}");
    assert_eq!(back[0]["href"], format!("/product/{id}"));
    assert_eq!(app.call(&waiting, "waiting_for_product", &[("product_id", &id.to_string())]).await.1, Value::from(false));
    app.stop().await;
}
