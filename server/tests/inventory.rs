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

#[tokio::test]
async fn stock_notices_name_the_product_in_each_recipients_language() {
    let app = TestApp::spawn().await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let mut form = product_form(0, "Little ash bowl", "18.00", "4", "2");
    form.push(("product[language]".into(), "en".into()));
    form.push(("product[translated_name]".into(), "Petit bol en frêne".into()));
    form.push(("product[translated_description]".into(), "Tourné à la main dans un seul morceau de frêne.".into()));
    let (status, id) = call_owned(&app, &seller, "save_product", &form).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    let id = id.as_i64().unwrap();
    // The seller reads French; the buyer who buys reads English, the one who waits French.
    let buyer = demo_client(&app, "buyer@troika.test").await;
    let waiting = demo_client(&app, "buyer2@troika.test").await;
    for client in [&seller, &waiting] {
        let res = client.post(app.url("/language")).form(&[("lang", "fr"), ("back", "/")]).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let titles = |list: Vec<Value>| list.iter().map(|n| n["title"].as_str().unwrap().to_string()).filter(|t| t.contains("bol") || t.contains("bowl")).collect::<Vec<_>>();

    buy(&app, &buyer, id, 2).await; // 2 left: on the line
    assert_eq!(titles(notifications(&app, &seller).await), ["Plus que 2 « Petit bol en frêne » en stock"]);
    buy(&app, &buyer, id, 2).await; // sold out
    assert_eq!(app.call(&waiting, "notify_when_back", &[("product_id", &id.to_string())]).await.0, StatusCode::OK);
    assert_eq!(app.call(&buyer, "notify_when_back", &[("product_id", &id.to_string())]).await.0, StatusCode::OK);
    assert_eq!(stock_change(&app, &seller, id, "add", 3, 0).await.0, StatusCode::OK);
    assert_eq!(titles(notifications(&app, &waiting).await), ["« Petit bol en frêne » est de nouveau en stock"]);
    assert_eq!(titles(notifications(&app, &buyer).await), ["“Little ash bowl” is back in stock"]);
    app.stop().await;
}

async fn export_csv(app: &TestApp, client: &Client) -> (StatusCode, String) {
    let res = client.get(app.url("/seller/products.csv")).send().await.unwrap();
    let status = res.status();
    if status == StatusCode::OK {
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        assert_eq!(res.headers()["cache-control"], "no-store");
        assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    }
    (status, res.text().await.unwrap())
}

/// Posts `csv` as the import form's file, with one more header (as a browser without JavaScript, or
/// in another language, sends it).
async fn post_import(app: &TestApp, client: &Client, csv: Vec<u8>, header: Option<(&str, &str)>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(csv).file_name("products.csv").mime_str("text/csv").unwrap();
    let mut req = client.post(app.url("/seller/products/import")).multipart(reqwest::multipart::Form::new().part("file", part));
    if let Some((name, value)) = header {
        req = req.header(name, value);
    }
    req.send().await.unwrap()
}

async fn import_csv(app: &TestApp, client: &Client, csv: &str) -> (StatusCode, Value) {
    let res = post_import(app, client, csv.as_bytes().to_vec(), None).await;
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The products table as text: what "nothing changed" compares.
async fn catalogue_snapshot(app: &TestApp) -> String {
    let rows: Vec<(i64, String, i64, i64, i64, String)> =
        sqlx::query_as("SELECT id, name, price_cents, stock, low_stock, status FROM products ORDER BY id").fetch_all(&app.state().db.pool).await.unwrap();
    format!("{rows:?}")
}

#[tokio::test]
async fn a_catalogue_file_round_trips_and_a_bad_one_changes_nothing() {
    let app = TestApp::spawn().await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let (status, file) = export_csv(&app, &seller).await;
    assert_eq!(status, StatusCode::OK, "{file}");
    let mut lines: Vec<String> = file.lines().map(str::to_string).collect();
    assert_eq!(lines[0], "id,name,category,price,stock,stock_seen,low_stock,status,description,language,translated_name,translated_description");
    let (_, page) = app.call(&seller, "get_inventory", &[]).await;
    assert_eq!(lines.len() - 1, page["items"].as_array().unwrap().len(), "one line per product of the shop");

    // Nobody else gets the file or imports into the shop.
    let buyer = demo_client(&app, "buyer@troika.test").await;
    assert_eq!(export_csv(&app, &buyer).await.0, StatusCode::NOT_FOUND);
    assert_eq!(export_csv(&app, &app.client()).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(import_csv(&app, &buyer, &file).await.0, StatusCode::NOT_FOUND);
    assert_eq!(import_csv(&app, &app.client(), &file).await.0, StatusCode::UNAUTHORIZED);
    // The stock page offers the file to its seller only.
    for (client, status, offered) in [(&seller, StatusCode::OK, true), (&buyer, StatusCode::NOT_FOUND, false), (&app.client(), StatusCode::UNAUTHORIZED, false)] {
        let res = client.get(app.url("/seller/products")).send().await.unwrap();
        assert_eq!(res.status(), status);
        assert_eq!(res.text().await.unwrap().contains("action=\"/seller/products/import\""), offered);
    }

    // A file with bad rows: every one reported by line and column, and nothing changes (the good
    // rows neither).
    let before = catalogue_snapshot(&app).await;
    let first: Vec<String> = csv_fields(&lines[1]);
    let id = first[0].clone();
    let mut bad = lines.clone();
    bad[1] = lines[1].replacen(&format!(",{},", first[3]), ",0.00,", 1);
    bad.push(",Brand new walnut spoon,kitchen,7.50,12,,2,listed,A spoon carved from walnut.,en,,".into());
    bad.push(",X,weapons,abc,1,,1,listed,short,en,,".into());
    bad.push("999999,Someone else's,kitchen,1.00,1,1,1,listed,Not a product of this shop.,en,,".into());
    let (status, body) = import_csv(&app, &seller, &(bad.join("\n") + "\n")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let rows = body["rows"].as_array().unwrap();
    let at = |line: u64, column: &str| rows.iter().any(|r| r["line"] == line && r["column"][1] == column);
    let n = lines.len() as u64;
    assert!(at(2, "price"), "{body}");
    assert!(at(n + 2, "name") && at(n + 2, "price") && at(n + 2, "description"), "{body}");
    assert!(rows.len() >= 4, "{body}");
    assert_eq!(catalogue_snapshot(&app).await, before, "nothing changed");
    // Checked against the shop too: an unknown category and someone else's id.
    let mut foreign = lines.clone();
    foreign.push(",Brand new walnut spoon,weapons,7.50,12,,2,listed,A spoon carved from walnut.,en,,".into());
    foreign.push("999999,Someone else's,kitchen,1.00,1,1,1,listed,Not a product of this shop.,en,,".into());
    let (status, body) = import_csv(&app, &seller, &(foreign.join("\n") + "\n")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let rows = body["rows"].as_array().unwrap();
    assert!(rows.iter().any(|r| r["line"] == n + 1 && r["column"][1] == "category"), "{body}");
    assert!(rows.iter().any(|r| r["line"] == n + 2 && r["column"][1] == "id"), "{body}");
    assert_eq!(catalogue_snapshot(&app).await, before, "nothing changed");

    // A good file: a new price, a stock change against the level seen, a new product.
    let stock: i64 = first[4].parse().unwrap();
    let mut good = first.clone();
    good[3] = "99.00".into();
    good[4] = (stock + 5).to_string();
    lines[1] = csv_line(&good);
    lines.push(",Brand new walnut spoon,kitchen,7.50,12,,2,hidden,A spoon carved from walnut.,en,,".into());
    let (status, body) = import_csv(&app, &seller, &(lines.join("\n") + "\n")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((body["created"].as_i64(), body["updated"].as_i64()), (Some(1), Some(1)), "{body}");
    let it = item(&app, &seller, id.parse().unwrap()).await;
    assert_eq!((it["price"].as_i64(), it["stock"].as_i64()), (Some(9900), Some(stock + 5)), "{it}");
    assert!(searched(&app, "walnut spoon").await.is_empty(), "imported hidden");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM products WHERE name = 'Brand new walnut spoon'").await, 1);

    // The same file again: nothing more is created... except the new line, which has no id: an
    // export is the file to edit. With the exported file, a sale since the export refuses the
    // stock change and everything else in the file.
    let (_, file) = export_csv(&app, &seller).await;
    buy(&app, &buyer, id.parse().unwrap(), 1).await;
    let before = catalogue_snapshot(&app).await;
    let mut edited: Vec<String> = file.lines().map(str::to_string).collect();
    let mut row = csv_fields(&edited[1]);
    row[4] = "50".into();
    row[3] = "1.00".into();
    edited[1] = csv_line(&row);
    let (status, body) = import_csv(&app, &seller, &(edited.join("\n") + "\n")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["rows"][0]["message"].as_str().unwrap().contains("export again"), "{body}");
    assert_eq!(catalogue_snapshot(&app).await, before, "the sale stands and the price is unchanged");

    // Without JavaScript the browser goes back to the stock page, which lists the problems.
    let res = post_import(&app, &seller, b"name,colour\nA,red\n".to_vec(), Some(("accept", "text/html"))).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/seller/products?import=refused#import");
    let (_, report) = app.call(&seller, "last_import_report", &[]).await;
    assert!(report["problems"][0].as_str().unwrap().starts_with("Line 1, column 2 (colour)"), "{report}");

    // A file over 2 MB: 413, with the one problem in the seller's language, and nothing imported.
    let huge = format!("name,category,price,stock\n{}", "Bol,kitchen,1.00,1\n".repeat(120_000));
    let res = post_import(&app, &seller, huge.into_bytes(), Some(("accept-language", "fr"))).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["rows"][0]["message"], "Le fichier dépasse 2 Mo : répartissez-le en plusieurs imports.", "{body}");
    assert_eq!(catalogue_snapshot(&app).await, before, "nothing imported");
    app.stop().await;
}

fn csv_fields(line: &str) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(line.as_bytes());
    r.records().next().unwrap().unwrap().iter().map(str::to_string).collect()
}

fn csv_line(fields: &[String]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(fields).unwrap();
    String::from_utf8(w.into_inner().unwrap()).unwrap().trim_end().to_string()
}
