//! Product photos: a seller uploads a JPEG, PNG or WebP (checked by its content), it is stored
//! upright at a few widths as WebP with its metadata gone, served with a year-long cache by every
//! app server, and shown as the product's picture; anything else is refused and nothing stored.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{demo_client, ServerProcess, TestApp};
use image::{ImageEncoder, RgbImage};
use reqwest::{multipart, Client, StatusCode};
use serde_json::Value;

/// A `w`×`h` JPEG with an EXIF block that says where it was taken (a GPS marker we can look for).
fn jpeg_with_location(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8]));
    let mut out = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    // A little-endian EXIF directory with one entry, followed by a recognisable "GPS" payload.
    let mut exif = b"II\x2a\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00".to_vec();
    exif.extend_from_slice(b"GPS-48.8584N-2.2945E");
    enc.set_exif_metadata(exif).unwrap();
    enc.write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8).unwrap();
    out
}

async fn upload(app: &TestApp, client: &Client, product: i64, name: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
    let part = multipart::Part::bytes(bytes).file_name(name.to_string()).mime_str("image/jpeg").unwrap();
    let form = multipart::Form::new().part("photo", part);
    let res = client.post(app.url(&format!("/seller/products/{product}/photos"))).multipart(form).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar::<sqlx::Any, i64>(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&app.state().db.pool).await.unwrap()
}

/// The seller's product with no photo yet (a new listing).
async fn new_product(app: &TestApp, seller: &Client) -> i64 {
    let form = [
        ("id", "0"),
        ("product[name]", "Stonewashed work apron"),
        ("product[description]", "Stonewashed linen, one size, two pockets."),
        ("product[category]", "kitchen"),
        ("product[price]", "29.00"),
        ("product[stock]", "4"),
        ("product[low_stock]", "1"),
    ];
    let (status, id) = app.call(seller, "save_product", &form).await;
    assert_eq!(status, StatusCode::OK, "{id}");
    id.as_i64().unwrap()
}

#[tokio::test]
async fn a_photo_is_stored_upright_at_three_widths_without_its_metadata_and_becomes_the_picture() {
    let app = TestApp::spawn().await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let product = new_product(&app, &seller).await;
    let original = jpeg_with_location(2000, 1500);
    assert!(original.windows(3).any(|w| w == b"GPS"), "the upload carries a location");

    let (status, body) = upload(&app, &seller, product, "apron.jpg", original).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let photo = body["photo_id"].as_i64().unwrap();

    for (width, height) in [(320u32, 240u32), (640, 480), (1280, 960)] {
        let res = app.client().get(app.url(&format!("/photos/{photo}/{width}.webp"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{width}");
        assert_eq!(res.headers()["content-type"], "image/webp");
        assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
        let bytes = res.bytes().await.unwrap();
        assert!(!bytes.windows(3).any(|w| w == b"GPS"), "no metadata is kept");
        assert!(!bytes.windows(4).any(|w| w == b"EXIF" || w == b"Exif"));
        let img = image::load_from_memory_with_format(&bytes, image::ImageFormat::WebP).unwrap();
        assert_eq!((img.width(), img.height()), (width, height));
    }
    assert_eq!(app.client().get(app.url(&format!("/photos/{photo}/999.webp"))).send().await.unwrap().status(), StatusCode::NOT_FOUND);

    // The product's picture is the photo, with its size and srcset, on its page and in search.
    let (_, detail) = app.call(&app.client(), "get_product", &[("id", &product.to_string())]).await;
    assert_eq!(detail["picture"]["src"], format!("/photos/{photo}"), "{detail}");
    assert_eq!((detail["picture"]["width"].as_i64(), detail["picture"]["height"].as_i64()), (Some(1280), Some(960)));
    let page = app.client().get(app.url(&format!("/product/{product}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("/photos/{photo}/320.webp 320w")), "srcset on the page");
    let (_, found) = app.call(&app.client(), "search_products", &[("input[q]", "stonewashed work")]).await;
    assert_eq!(found["products"][0]["picture"]["src"], format!("/photos/{photo}"), "{found}");

    // A second photo, made main; removing it gives the first back.
    let (_, second) = upload(&app, &seller, product, "two.png", jpeg_with_location(800, 800)).await;
    let second = second["photo_id"].as_i64().unwrap();
    let (status, _) = app.call(&seller, "set_main_photo", &[("product_id", &product.to_string()), ("photo_id", &second.to_string())]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, detail) = app.call(&app.client(), "get_product", &[("id", &product.to_string())]).await;
    assert_eq!(detail["picture"]["src"], format!("/photos/{second}"));
    assert_eq!(detail["picture"]["width"], 800, "a narrower original is never enlarged");
    let (status, _) = app.call(&seller, "remove_photo", &[("product_id", &product.to_string()), ("photo_id", &second.to_string())]).await;
    assert_eq!(status, StatusCode::OK);
    let (_, detail) = app.call(&app.client(), "get_product", &[("id", &product.to_string())]).await;
    assert_eq!(detail["picture"]["src"], format!("/photos/{photo}"));
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM photo_variants WHERE photo_id = {second}")).await, 0, "its copies are gone");
    app.stop().await;
}

#[tokio::test]
async fn anything_but_a_real_photo_of_ones_own_product_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let product = new_product(&app, &seller).await;
    let stored = || count(&app, "SELECT COUNT(*) FROM product_photos");
    let before = stored().await;

    // A text file named like a photo, a PDF, a cut-off JPEG, a tiny picture, a huge file.
    // A PNG cut off halfway (a JPEG cut short still shows its top part, as in a browser).
    let mut cut = Vec::new();
    image::DynamicImage::ImageRgb8(RgbImage::from_fn(1000, 800, |x, y| image::Rgb([(x * y % 251) as u8, 9, 90])))
        .write_to(&mut std::io::Cursor::new(&mut cut), image::ImageFormat::Png)
        .unwrap();
    cut.truncate(cut.len() / 2);
    let tiny = jpeg_with_location(100, 80);
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        ("holiday.jpg", b"just some words, not a picture".to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "not a JPEG, PNG or WebP"),
        ("scan.jpg", b"%PDF-1.7\n1 0 obj <<>> endobj".to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "not a JPEG, PNG or WebP"),
        ("cut.png", cut, StatusCode::UNPROCESSABLE_ENTITY, "could not be read"),
        ("tiny.jpg", tiny, StatusCode::UNPROCESSABLE_ENTITY, "too small"),
        ("huge.jpg", vec![0xFF; 8 * 1024 * 1024 + 100 * 1024], StatusCode::PAYLOAD_TOO_LARGE, "larger than 8 MB"),
    ];
    for (name, bytes, status, says) in cases {
        let (got, body) = upload(&app, &seller, product, name, bytes).await;
        assert_eq!(got, status, "{name}: {body}");
        assert!(body.to_string().contains(says), "{name}: {body}");
    }
    assert_eq!(stored().await, before, "nothing stored");

    // Someone else's product: 404 (another seller), 401 (signed out).
    let other = demo_client(&app, "seller2@troika.test").await;
    assert_eq!(upload(&app, &other, product, "a.jpg", jpeg_with_location(800, 600)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(upload(&app, &app.client(), product, "a.jpg", jpeg_with_location(800, 600)).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(app.call(&other, "remove_photo", &[("product_id", &product.to_string()), ("photo_id", "1")]).await.0, StatusCode::NOT_FOUND);

    // Six photos at most.
    for n in 0..6 {
        assert_eq!(upload(&app, &seller, product, "p.jpg", jpeg_with_location(700, 500)).await.0, StatusCode::CREATED, "photo {n}");
    }
    assert_eq!(upload(&app, &seller, product, "p.jpg", jpeg_with_location(700, 500)).await.0, StatusCode::CONFLICT);
    assert_eq!(stored().await, before + 6);

    // Without JavaScript the form goes back to the product's page, which names the problem.
    let part = multipart::Part::bytes(b"nope".to_vec()).file_name("x.jpg");
    let res = seller
        .post(app.url(&format!("/seller/products/{product}/photos")))
        .header("accept", "text/html")
        .multipart(multipart::Form::new().part("photo", part))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], format!("/seller/products/{product}?photo_error=too-many#photos"));
    app.stop().await;
}

#[tokio::test]
async fn a_photo_uploaded_through_one_server_is_served_by_another() {
    let app = TestApp::spawn().await;
    let seller = demo_client(&app, "seller@troika.test").await;
    let product = new_product(&app, &seller).await;
    let (status, body) = upload(&app, &seller, product, "apron.jpg", jpeg_with_location(1000, 750)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let photo = body["photo_id"].as_i64().unwrap();
    let other = ServerProcess::start_with(&app.state().db.url, &[]).await;
    let res = reqwest::get(other.app.url(&format!("/photos/{photo}/640.webp"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let img = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
    assert_eq!((img.width(), img.height()), (640, 480));
    drop(other);
    app.stop().await;
}
