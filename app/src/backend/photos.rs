//! Product photos on the server: an upload is checked by its content (not its name), decoded
//! within limits (a small file claiming a huge picture is refused before any pixel is read), turned
//! upright by its EXIF orientation, stripped of every piece of metadata (decoded to pixels and
//! encoded again: no location, no camera), and stored at a few widths as WebP in the database, so
//! every app server serves every photo. Processing runs off the async threads, a bounded number at
//! a time, so uploads cannot starve pages or exhaust memory.
//!
//! Routes: `POST /seller/products/{id}/photos` (a plain multipart form, with or without
//! JavaScript) and `GET /photos/{id}/{width}.webp` (a year-long, immutable cache: a photo never
//! changes; a new one gets a new address).

use crate::backend::db::{photos as db, users, DbError};
use crate::backend::services::inventory;
use crate::backend::{auth::USER_KEY, clock, AppState};
use crate::domain::photo::{scaled_height, variant_widths, PhotoRefusal, MAX_BYTES, MAX_PHOTOS, MAX_SIDE, MIN_HEIGHT, MIN_WIDTH};
use crate::domain::user::SessionUser;
use crate::domain::{ProductId, UserId};
use crate::error::AppError;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;
use std::sync::OnceLock;
use tokio::sync::Semaphore;
use tower_sessions::Session;

/// WebP quality for stored copies (0–100).
const QUALITY: f32 = 80.0;
/// The most memory one decode may take (a 12,000 × 12,000 RGBA picture is 576 MB).
const MAX_DECODE_BYTES: u64 = 600 * 1024 * 1024;

/// One stored copy of a photo.
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub webp: Vec<u8>,
}

/// An upload made ready to store: the upright picture's size and its copies, largest first.
pub struct Processed {
    pub width: u32,
    pub height: u32,
    pub variants: Vec<Variant>,
}

fn refused_by(e: &image::ImageError) -> PhotoRefusal {
    match e {
        image::ImageError::Limits(_) => PhotoRefusal::TooBig,
        image::ImageError::Unsupported(_) => PhotoRefusal::NotAnImage,
        _ => PhotoRefusal::Unreadable,
    }
}

/// Checks and converts one upload (CPU work: call it off the async threads, see `process_bounded`).
pub fn process(bytes: &[u8]) -> Result<Processed, PhotoRefusal> {
    if bytes.is_empty() {
        return Err(PhotoRefusal::NoFile);
    }
    if bytes.len() > MAX_BYTES {
        return Err(PhotoRefusal::TooLarge);
    }
    // The content decides, never the file's name or the type the browser claims.
    let format = image::guess_format(bytes).map_err(|_| PhotoRefusal::NotAnImage)?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err(PhotoRefusal::NotAnImage);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| refused_by(&e))?;
    let (w, h) = decoder.dimensions();
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(PhotoRefusal::TooBig);
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|e| refused_by(&e))?;
    picture.apply_orientation(orientation);
    if picture.width() < MIN_WIDTH || picture.height() < MIN_HEIGHT {
        return Err(PhotoRefusal::TooSmall);
    }
    copies_of(picture)
}

/// The stored copies of an upright picture, largest first.
pub fn copies_of(picture: DynamicImage) -> Result<Processed, PhotoRefusal> {
    let (w, h) = (picture.width(), picture.height());
    // Largest first, each copy made from the one before (far less work than from the original).
    let mut widths = variant_widths(w);
    widths.sort_unstable_by(|a, b| b.cmp(a));
    let mut variants = Vec::with_capacity(widths.len());
    let mut source = picture;
    for width in widths {
        let height = scaled_height(w, h, width);
        if source.width() >= 2 * width {
            // A large step down: an area average in integers (each source pixel counted once) is
            // as sharp as a filter here, faster (a 12-megapixel photo's copies: 239 → 193 ms) and
            // needs no float copy of the picture (the filter's was 61 MB: one photo's peak went
            // from ~97 to ~39 MB).
            source = source.thumbnail_exact(width, height);
        } else if source.width() != width {
            source = source.resize_exact(width, height, image::imageops::FilterType::Triangle);
        }
        variants.push(Variant { width, height, webp: encode_webp(&source)? });
    }
    let (width, height) = variants.first().map(|v| (v.width, v.height)).unwrap_or((w, h));
    Ok(Processed { width, height, variants })
}

fn encode_webp(picture: &DynamicImage) -> Result<Vec<u8>, PhotoRefusal> {
    let (w, h) = (picture.width(), picture.height());
    let encoded = if picture.color().has_alpha() {
        let rgba = picture.to_rgba8();
        webp::Encoder::from_rgba(rgba.as_raw(), w, h).encode_simple(false, QUALITY)
    } else {
        let rgb = picture.to_rgb8();
        webp::Encoder::from_rgb(rgb.as_raw(), w, h).encode_simple(false, QUALITY)
    };
    encoded.map(|m| m.to_vec()).map_err(|e| {
        tracing::warn!(error = ?e, "a photo could not be encoded as WebP");
        PhotoRefusal::Unreadable
    })
}

/// A drawn photo for demo product `n`: a lit object on a soft background, 640 × 480, its shape
/// and colour picked by `n`. Drawn once per process: every demo seeding reuses the copies.
pub fn demo_photo(n: usize) -> Option<&'static Processed> {
    static DRAWN: OnceLock<Vec<Processed>> = OnceLock::new();
    let drawn = DRAWN.get_or_init(|| (0..DEMO_PHOTOS).filter_map(|i| copies_of(draw(i, PALETTE[i % PALETTE.len()])).ok()).collect());
    drawn.get(n % drawn.len().max(1))
}

/// Distinct demo drawings (products beyond share them).
const DEMO_PHOTOS: usize = 36;

const PALETTE: [[u8; 3]; 6] = [[196, 92, 60], [70, 120, 160], [110, 150, 90], [150, 100, 160], [200, 160, 70], [90, 90, 100]];

fn draw(n: usize, rgb: [u8; 3]) -> DynamicImage {
    let (w, h) = (640u32, 480u32);
    let (cx, cy) = (320.0 + ((n * 37) % 90) as f32 - 45.0, 230.0 + ((n * 23) % 40) as f32 - 20.0);
    let r = 120.0 + ((n * 13) % 50) as f32;
    let square = n % 3 == 1;
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        // Background: a warm-to-cool vertical wash.
        let t = fy / h as f32;
        let mut px = [(238.0 - 30.0 * t) as u8, (232.0 - 20.0 * t) as u8, (222.0 - 5.0 * t) as u8];
        // A soft shadow under the object.
        let shadow = ((fx - cx) / (r * 1.1)).powi(2) + ((fy - (cy + r * 0.95)) / (r * 0.25)).powi(2);
        if shadow < 1.0 {
            for c in &mut px {
                *c = (*c as f32 * (0.75 + 0.25 * shadow)) as u8;
            }
        }
        let (dx, dy) = ((fx - cx) / r, (fy - cy) / r);
        let inside = if square { dx.abs() < 0.8 && dy.abs() < 0.8 } else { dx * dx + dy * dy < 1.0 };
        if inside {
            // Lit from the top left.
            let light = (1.15 - 0.45 * (dx + 0.4).hypot(dy + 0.4)).clamp(0.45, 1.2);
            px = [0, 1, 2].map(|i| (rgb[i] as f32 * light).min(255.0) as u8);
        }
        image::Rgb(px)
    });
    DynamicImage::ImageRgb8(img)
}

/// How many photos are processed at once: one per core, at most four (a 12-megapixel photo takes
/// ~40 MB while it is worked on, 36 MB of them its pixels, so memory stays bounded however many
/// cores); the others wait their turn.
fn slots() -> &'static Semaphore {
    static SLOTS: OnceLock<Semaphore> = OnceLock::new();
    SLOTS.get_or_init(|| Semaphore::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).min(4)))
}

/// `process` on a blocking thread, at most `slots()` at a time.
pub async fn process_bounded(bytes: Vec<u8>) -> Result<Processed, PhotoRefusal> {
    let Ok(_slot) = slots().acquire().await else { return Err(PhotoRefusal::Unreadable) };
    tokio::task::spawn_blocking(move || process(&bytes)).await.unwrap_or(Err(PhotoRefusal::Unreadable))
}

/// The signed-in person of a plain route's session (a deleted account reads as signed out).
pub(crate) async fn signed_in(state: &AppState, session: &Session) -> Result<Option<SessionUser>, AppError> {
    let Some(id) = session.get::<i64>(USER_KEY).await.map_err(crate::backend::auth::session_failed)? else {
        return Ok(None);
    };
    Ok(users::find_by_id(&state.db.pool, UserId(id)).await?.map(|u| u.to_session_user()))
}

pub(crate) fn wants_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
}

/// A browser's form goes back to the product's page (which shows the outcome); other clients get
/// the status and a JSON body like a server function's.
fn answer(html: bool, product: i64, outcome: Result<i64, AppError>) -> Response {
    if html {
        let to = match &outcome {
            Ok(_) => format!("/seller/products/{product}?photo=added#photos"),
            Err(AppError::Invalid { fields, .. }) => {
                let code = fields.get("photo_code").cloned().unwrap_or_else(|| PhotoRefusal::Unreadable.code().into());
                format!("/seller/products/{product}?photo_error={code}#photos")
            }
            Err(AppError::Unauthenticated) => format!("/signin?next=/seller/products/{product}"),
            Err(_) => format!("/seller/products/{product}?photo_error=failed#photos"),
        };
        return see_other(&to);
    }
    json_answer(outcome.map(|id| serde_json::json!({ "photo_id": id })))
}

/// A plain form's answer: on to `to`.
fn see_other(to: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// An upload's answer to a script: 201 with `body`, or the error with the status of its refusal.
fn json_answer(outcome: Result<serde_json::Value, AppError>) -> Response {
    match outcome {
        Ok(body) => (StatusCode::CREATED, axum::Json(body)).into_response(),
        Err(e) => {
            let status = match &e {
                AppError::Invalid { fields, .. } => fields
                    .get("photo_code")
                    .and_then(|c| PhotoRefusal::parse(c))
                    .and_then(|r| StatusCode::from_u16(r.status()).ok())
                    .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY),
                other => StatusCode::from_u16(other.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            };
            (status, axum::Json(e)).into_response()
        }
    }
}

pub(crate) fn refusal(r: PhotoRefusal) -> AppError {
    let mut fields = crate::error::FieldErrors::new();
    fields.insert("photo".into(), r.message());
    fields.insert("photo_code".into(), r.code().into());
    AppError::Invalid { message: r.message(), fields }
}

/// `POST /seller/products/{id}/photos`: adds the photo in the form's `photo` field to one of the
/// seller's products (someone else's: 404; signed out: 401). The first photo becomes the main one.
pub async fn upload(State(state): State<AppState>, session: Session, Path(product): Path<i64>, headers: HeaderMap, multipart: Multipart) -> Response {
    let html = wants_html(&headers);
    let outcome = add_photo(&state, &session, ProductId(product), multipart).await;
    answer(html, product, outcome)
}

async fn add_photo(state: &AppState, session: &Session, product: ProductId, multipart: Multipart) -> Result<i64, AppError> {
    let seller = signed_in(state, session).await?.ok_or(AppError::Unauthenticated)?;
    let (shop, _, _) = inventory::own_shop(&state.db, &seller).await?;
    if crate::backend::db::inventory::product_of_shop(&state.db.pool, shop, product).await?.is_none() {
        return Err(AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.inventory.no_product).to_string()));
    }
    if db::count(&state.db.pool, product).await? >= MAX_PHOTOS as i64 {
        return Err(refusal(PhotoRefusal::TooMany));
    }
    let (bytes, _) = read_form(multipart).await?;
    let processed = process_bounded(bytes).await.map_err(refusal)?;
    let mut tx = state.db.begin().await?;
    let id = db::insert(&mut tx, product, &processed, clock::now_ms()).await?;
    // Another upload of the same product may have landed meanwhile: the count decides, in the transaction.
    if db::count_in(&mut tx, product).await? > MAX_PHOTOS as i64 {
        tx.rollback().await.map_err(DbError::from)?;
        return Err(refusal(PhotoRefusal::TooMany));
    }
    tx.commit().await.map_err(DbError::from)?;
    tracing::info!(product = %product, photo = id, "photo added");
    Ok(id)
}

/// A form with a `photo` file: the file, read in pieces and given up past the limit (the route's
/// body limit stops anything larger), and its short text fields (at most 16, each cut at 8 KiB).
pub(crate) async fn read_form(mut multipart: Multipart) -> Result<(Vec<u8>, std::collections::HashMap<String, String>), AppError> {
    const TEXT_MAX: usize = 8 * 1024;
    let mut bytes = Vec::new();
    let mut texts = std::collections::HashMap::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(refusal(PhotoRefusal::TooLarge)),
            Err(_) => return Err(refusal(PhotoRefusal::Unreadable)),
        };
        let Some(name) = field.name().map(str::to_string) else { continue };
        let mut field = field;
        if name != "photo" {
            let mut text = Vec::new();
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) => {
                        if text.len() < TEXT_MAX {
                            text.extend_from_slice(&chunk[..chunk.len().min(TEXT_MAX - text.len())]);
                        }
                    }
                    Ok(None) => break,
                    Err(_) => return Err(refusal(PhotoRefusal::Unreadable)),
                }
            }
            if texts.len() < 16 {
                texts.insert(name, String::from_utf8_lossy(&text).into_owned());
            }
            continue;
        }
        let mut too_large = false;
        loop {
            match field.chunk().await {
                // Past the limit the rest is read and dropped (the route's body limit bounds it), so
                // the browser gets the answer instead of a connection cut mid-upload.
                Ok(Some(chunk)) if too_large || bytes.len() + chunk.len() > MAX_BYTES => {
                    too_large = true;
                    bytes = Vec::new();
                }
                Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(refusal(PhotoRefusal::TooLarge)),
                Err(_) => return Err(refusal(PhotoRefusal::Unreadable)),
            }
        }
        if too_large {
            return Err(refusal(PhotoRefusal::TooLarge));
        }
    }
    Ok((bytes, texts))
}

/// `POST /messages/{id}/photo`: a photo sent in a conversation (with an optional caption in `body`,
/// the sender's `client_id`, and `confirm` for a caption the screening warned about), checked and
/// stored like a product's. Its parties only (anyone else: 404; signed out: 401). A browser's form
/// goes back to the conversation; other clients get `{"seq": N}`.
pub async fn upload_message_photo(State(state): State<AppState>, session: Session, Path(thread): Path<i64>, headers: HeaderMap, multipart: Multipart) -> Response {
    let html = wants_html(&headers);
    let outcome = async {
        let user = signed_in(&state, &session).await?.ok_or(AppError::Unauthenticated)?;
        let (bytes, texts) = read_form(multipart).await?;
        let text = |k: &str| texts.get(k).cloned().unwrap_or_default();
        let confirm = !text("confirm").is_empty();
        crate::backend::services::threads::post_photo(&state, &user, crate::domain::ThreadId(thread), &text("client_id"), &text("body"), confirm, bytes, clock::now_ms()).await
    }
    .await;
    if html {
        let to = match &outcome {
            Ok(_) => format!("/messages/{thread}"),
            Err(AppError::Unauthenticated) => format!("/signin?next=/messages/{thread}"),
            Err(AppError::Invalid { fields, .. }) => match fields.get("photo_code") {
                Some(code) => format!("/messages/{thread}?photo_error={code}"),
                None => format!("/messages/{thread}?photo_error=caption"),
            },
            Err(_) => format!("/messages/{thread}?photo_error=failed"),
        };
        return see_other(&to);
    }
    json_answer(outcome.map(|seq| serde_json::json!({ "seq": seq })))
}

/// `GET /messages/photos/{id}/{width}.webp`: a photo sent in a conversation, for its readers only
/// (anyone else: 404; signed out: 401); kept privately by the browser.
pub async fn serve_message_photo(State(state): State<AppState>, session: Session, Path((photo, file)): Path<(i64, String)>) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "There is no such photo.").into_response();
    let Some(width) = file.strip_suffix(".webp").and_then(|w| w.parse::<i64>().ok()) else { return not_found() };
    let user = match signed_in(&state, &session).await {
        Ok(Some(u)) => u,
        Ok(None) => return (StatusCode::UNAUTHORIZED, "Sign in to see this photo.").into_response(),
        Err(e) => return (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE), "The photo cannot be read right now.").into_response(),
    };
    let found = async {
        let Some((thread, bytes)) = crate::backend::db::threads::photo_variant(&state.db.pool, photo, width).await? else { return Ok(None) };
        let row = crate::backend::db::threads::get(&state.db.pool, thread).await?;
        Ok::<_, DbError>(row.filter(|r| r.party_of(user.id, user.role.is_staff()).is_some()).map(|_| bytes))
    }
    .await;
    match found {
        Ok(Some(bytes)) => {
            let mut res = Response::new(Body::from(bytes));
            let h = res.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/webp"));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
            res
        }
        Ok(None) => not_found(),
        Err(e) => {
            let e: AppError = e.into();
            (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE), "The photo cannot be read right now.").into_response()
        }
    }
}

/// `GET /photos/{id}/{width}.webp`: one stored copy of a photo. A hidden product's photos are its
/// seller's alone; everything else is public and cached for a year.
pub async fn serve(State(state): State<AppState>, session: Session, Path((photo, file)): Path<(i64, String)>) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "There is no such photo.").into_response();
    let Some(width) = file.strip_suffix(".webp").and_then(|w| w.parse::<u32>().ok()) else { return not_found() };
    let found = match db::variant(&state.db.pool, photo, width).await {
        Ok(f) => f,
        Err(e) => {
            let e: AppError = e.into();
            return (StatusCode::from_u16(e.status()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE), "The photo cannot be read right now.").into_response();
        }
    };
    let Some(v) = found else { return not_found() };
    let public = v.status != crate::domain::inventory::ProductStatus::Hidden.as_str();
    if !public {
        let owner = signed_in(&state, &session).await.ok().flatten().map(|u| u.id);
        if owner != Some(UserId(v.owner_id)) {
            return not_found();
        }
    }
    let mut res = Response::new(Body::from(v.bytes));
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/webp"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if public { "public, max-age=31536000, immutable" } else { "private, max-age=3600" }),
    );
    res
}

/// The largest upload body read on the photo route: a file a little over the limit still gets its
/// message (it is read and dropped); anything larger is cut off with a bare 413.
pub const UPLOAD_BODY_LIMIT: usize = MAX_BYTES + 1024 * 1024;
