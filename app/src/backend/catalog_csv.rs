//! A seller's products and stock as a CSV file: exported, edited in a spreadsheet, imported back.
//!
//! The import is all or nothing. The whole file is checked first (every row, every column, against
//! the catalogue and the shop's products) and every bad row is reported with its line and column;
//! then every row is applied in one transaction. Stock changes keep the stock page's rule: a
//! product's new `stock` is set against `stock_seen`, the level the export showed, so a sale
//! between export and import is never overwritten; if one happened, nothing is imported and the
//! seller is told to export again.

use crate::backend::db::{catalog, inventory as db, DbError};
use crate::backend::services::inventory::{answer_waiting, own_shop, wake};
use crate::backend::{clock, drafts, AppState};
use crate::domain::inventory::{ImportReport, ProductDraft, ProductInput, ProductStatus, StockChange};
use crate::domain::text::cut;
use crate::domain::user::SessionUser;
use crate::domain::ProductId;
use crate::error::AppError;
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use tower_sessions::Session;

/// The file's columns, in the order an export writes them.
pub const COLUMNS: [&str; 12] =
    ["id", "name", "category", "price", "stock", "stock_seen", "low_stock", "status", "description", "language", "translated_name", "translated_description"];
/// Columns a file may leave out: a new product has no id and no level seen, and is put on sale;
/// its texts are in English unless `language` says otherwise, with no translation unless given.
const OPTIONAL: [&str; 6] = ["id", "stock_seen", "status", "language", "translated_name", "translated_description"];
/// The most rows one import takes, and the largest file.
pub const MAX_ROWS: usize = 5_000;
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// How many problems a report lists (the count says how many there were).
pub const REPORT_MAX: usize = 16;

/// One problem in an imported file: where (line, and column when it is about one) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub line: u64,
    /// 1-based column number and the column's name.
    pub column: Option<(usize, String)>,
    pub message: String,
}

impl RowError {
    pub fn text(&self) -> String {
        match &self.column {
            Some((n, name)) => {
                crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.line_column, line = self.line, n = n, name = name, message = &self.message).to_string()
            }
            None => crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.line, line = self.line, message = &self.message).to_string(),
        }
    }
}

/// One checked row of an imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: u64,
    pub id: Option<ProductId>,
    pub draft: ProductDraft,
    pub stock_seen: Option<i64>,
    pub status: Option<ProductStatus>,
}

/// The products of a shop as a CSV file (a header, then one row per product).
pub fn export(rows: &[(ProductId, ProductDraft, ProductStatus)]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for (id, d, status) in rows {
        let (stock, id) = (d.stock.to_string(), id.0.to_string());
        w.write_record([id.as_str(), &d.name, &d.category, &d.price.plain(), &stock, &stock, &d.low_stock.to_string(), status.as_str(), &d.description,
            crate::domain::locale::code(d.language), &d.translated_name, &d.translated_description])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// Checks a whole file: its rows, or every problem found (never only the first).
pub fn parse(bytes: &[u8]) -> Result<Vec<ImportRow>, Vec<RowError>> {
    let whole = |message: &str| vec![RowError { line: 1, column: None, message: message.into() }];
    if bytes.len() > MAX_BYTES {
        return Err(vec![too_large_row()]);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(whole(crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.not_utf8)));
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.to_ascii_lowercase()).collect(),
        Err(_) => return Err(whole(crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.no_header))),
    };
    let mut errors = Vec::new();
    let mut at = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        if !COLUMNS.contains(&name.as_str()) {
            errors.push(RowError { line: 1, column: Some((i + 1, name.clone())), message: crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.unknown_column, columns = COLUMNS.join(", ")).to_string() });
        } else if at.insert(name.clone(), i).is_some() {
            errors.push(RowError { line: 1, column: Some((i + 1, name.clone())), message: crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.named_twice).into() });
        }
    }
    for name in COLUMNS.iter().filter(|c| !OPTIONAL.contains(c) && !at.contains_key(**c)) {
        errors.push(RowError { line: 1, column: None, message: crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.missing_column, name = name).to_string() });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::new();
    let mut ids = HashSet::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(text, p.byte()));
                errors.push(RowError { line, column: None, message: crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.unreadable_line).into() });
                break;
            }
        };
        let line = record.position().map_or(0, |p| line_at(text, p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if rows.len() + errors.len() >= MAX_ROWS {
            errors.push(RowError { line, column: None, message: crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.too_many, max = MAX_ROWS).to_string() });
            break;
        }
        if record.len() != header.len() {
            errors.push(RowError { line, column: None, message: crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.values, n = record.len(), columns = header.len()).to_string() });
            continue;
        }
        let get = |name: &str| at.get(name).and_then(|i| record.get(*i)).unwrap_or("").to_string();
        let mut bad = |name: &str, message: String| {
            let column = at.get(name).map(|i| (i + 1, name.to_string()));
            errors.push(RowError { line, column, message });
        };
        let id = match get("id").as_str() {
            "" => None,
            s => match s.parse::<i64>() {
                Ok(n) if n > 0 => Some(ProductId(n)),
                _ => {
                    bad("id", crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.bad_id).into());
                    None
                }
            },
        };
        if let Some(id) = id {
            if !ids.insert(id) {
                bad("id", crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.id_twice, id = id).to_string());
            }
        }
        let stock_seen = match get("stock_seen").as_str() {
            "" if id.is_some() => {
                bad("stock_seen", crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.stock_seen_empty).into());
                None
            }
            "" => None,
            s => match s.parse::<i64>() {
                Ok(n) if n >= 0 => Some(n),
                _ => {
                    bad("stock_seen", crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.stock_seen_number).into());
                    None
                }
            },
        };
        let status = match get("status").as_str() {
            "" => None,
            s => match ProductStatus::parse(&s.to_ascii_lowercase()) {
                Some(st) => Some(st),
                None => {
                    bad("status", crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.status_word).into());
                    None
                }
            },
        };
        let input = ProductInput {
            name: get("name"),
            description: get("description"),
            category: get("category"),
            price: get("price"),
            stock: get("stock"),
            low_stock: get("low_stock"),
            language: get("language"),
            translated_name: get("translated_name"),
            translated_description: get("translated_description"),
        };
        match ProductDraft::try_from(input) {
            Ok(draft) => rows.push(ImportRow { line, id, draft, stock_seen, status }),
            Err(AppError::Invalid { fields, .. }) if !fields.is_empty() => {
                for (field, message) in fields {
                    bad(&field, message);
                }
            }
            Err(e) => bad("name", e.to_string()),
        }
    }
    if errors.is_empty() && rows.is_empty() {
        return Err(whole(crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.no_products)));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// The line (from 1) at byte `at` of `text`: the csv reader does not count blank lines.
fn line_at(text: &str, at: u64) -> u64 {
    let mut at = usize::try_from(at).unwrap_or(usize::MAX).min(text.len());
    // A record's position can be that of the blank lines before it.
    while matches!(text.as_bytes().get(at), Some(b'\n' | b'\r')) {
        at += 1;
    }
    text.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() as u64 + 1
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Imported {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

fn report_of(errors: &[RowError]) -> ImportReport {
    ImportReport { problems: errors.iter().take(REPORT_MAX).map(|e| cut(&e.text(), 400)).collect(), count: errors.len() }
}

enum Refused {
    Rows(Vec<RowError>),
    /// Over `MAX_BYTES`: 413, with the one problem as its row.
    TooLarge,
    Failed(AppError),
}

/// "The file is larger than 2 MB…", in the request's language: the one problem of a file too large.
fn too_large_row() -> RowError {
    RowError { line: 1, column: None, message: crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.too_large).to_string() }
}

impl From<AppError> for Refused {
    fn from(e: AppError) -> Self {
        Refused::Failed(e)
    }
}

impl From<DbError> for Refused {
    fn from(e: DbError) -> Self {
        Refused::Failed(e.into())
    }
}

/// Imports a checked file into the seller's shop: everything, or (any problem) nothing.
async fn import(state: &AppState, seller: &SessionUser, bytes: &[u8], now: i64) -> Result<Imported, Refused> {
    if bytes.len() > MAX_BYTES {
        return Err(Refused::TooLarge);
    }
    let rows = parse(bytes).map_err(Refused::Rows)?;
    let (shop, _, shop_name) = own_shop(&state.db, seller).await?;
    let categories: HashMap<String, crate::domain::catalog::Category> =
        catalog::categories(&state.db.pool, crate::domain::locale::Locale::en).await?.into_iter().map(|c| (c.slug.clone(), c)).collect();
    let existing: HashMap<ProductId, (ProductDraft, ProductStatus)> =
        db::catalog_of_shop(&state.db.pool, shop).await?.into_iter().map(|(id, d, s)| (id, (d, s))).collect();
    // Checked against the shop and the catalogue before anything is written.
    let mut errors = Vec::new();
    let col = |name: &str| COLUMNS.iter().position(|c| *c == name).map(|i| (i + 1, name.to_string()));
    for row in &rows {
        if !categories.contains_key(&row.draft.category) {
            let slugs: Vec<&str> = categories.keys().map(String::as_str).collect();
            errors.push(RowError { line: row.line, column: col("category"), message: crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.no_category, slugs = sorted(slugs)).to_string() });
        }
        match row.id.map(|id| (id, existing.get(&id))) {
            Some((id, None)) => errors.push(RowError { line: row.line, column: col("id"), message: crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.no_product, id = id).to_string() }),
            Some((_, Some((_, from)))) => {
                if let Some(to) = row.status.filter(|to| to != from && !from.may_become(*to)) {
                    errors.push(RowError { line: row.line, column: col("status"), message: crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.status_change, from = from.as_str(), to = to.as_str()).to_string() });
                }
            }
            None if row.status == Some(ProductStatus::Archived) => {
                errors.push(RowError { line: row.line, column: col("status"), message: crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.new_archived).into() })
            }
            None => {}
        }
    }
    if !errors.is_empty() {
        return Err(Refused::Rows(errors));
    }
    let mut done = Imported::default();
    let mut told = Vec::new();
    let mut tx = state.db.begin().await?;
    for row in &rows {
        let Some(category) = categories.get(&row.draft.category) else { continue };
        match row.id {
            None => {
                let image = format!("/img/{}.svg", category.slug);
                let new = catalog::NewProduct {
                    shop,
                    category: category.id,
                    name: &row.draft.name,
                    description: &row.draft.description,
                    language: row.draft.language,
                    translated: row.draft.translated(),
                    price: row.draft.price,
                    stock: row.draft.stock,
                    low_stock: row.draft.low_stock,
                    image: &image,
                };
                let id = catalog::insert_product(&mut tx, &new, now).await?;
                if row.status == Some(ProductStatus::Hidden) {
                    db::set_status(&mut tx, id, ProductStatus::Listed, ProductStatus::Hidden, now).await?;
                }
                done.created += 1;
            }
            Some(id) => {
                let Some((was, from)) = existing.get(&id) else { continue };
                let mut changed = false;
                let details = ProductDraft { stock: was.stock, ..row.draft.clone() };
                if &details != was {
                    db::update_details(&mut tx, id, &details, category.id, now).await?;
                    changed = true;
                }
                if let Some(to) = row.status.filter(|to| to != from) {
                    if !db::set_status(&mut tx, id, *from, to, now).await? {
                        tx.rollback().await.map_err(DbError::from)?;
                        return Err(Refused::Rows(vec![RowError { line: row.line, column: col("status"), message: crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.changed_meanwhile, name = &was.name).to_string() }]));
                    }
                    changed = true;
                }
                let seen = row.stock_seen.unwrap_or(was.stock);
                if row.draft.stock != seen {
                    if db::change_stock(&mut tx, id, StockChange::Set { to: row.draft.stock, seen }).await?.is_none() {
                        let now_level = db::stock_in(&mut tx, id).await?;
                        tx.rollback().await.map_err(DbError::from)?;
                        return Err(Refused::Rows(vec![RowError {
                            line: row.line,
                            column: col("stock"),
                            message: crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.stock_conflict, name = &was.name, now = now_level, seen = seen).to_string(),
                        }]));
                    }
                    changed = true;
                }
                if changed {
                    told.extend(answer_waiting(&mut tx, id, &shop_name, now).await?);
                    done.updated += 1;
                } else {
                    done.unchanged += 1;
                }
            }
        }
    }
    tx.commit().await.map_err(DbError::from)?;
    crate::backend::search::catalog_changed(state).await;
    wake(&state.live, &told).await;
    tracing::info!(seller = %seller.id, created = done.created, updated = done.updated, "catalogue imported");
    Ok(done)
}

fn sorted(mut v: Vec<&str>) -> String {
    v.sort_unstable();
    v.join(", ")
}

/// `GET /seller/products.csv`: the seller's products and stock (guests 401, no shop 404).
pub async fn download(State(state): State<AppState>, session: Session) -> Response {
    let outcome = async {
        let seller = crate::backend::photos::signed_in(&state, &session).await?.ok_or(AppError::Unauthenticated)?;
        let (shop, slug, _) = own_shop(&state.db, &seller).await?;
        let rows = db::catalog_of_shop(&state.db.pool, shop).await?;
        let bytes = export(&rows).map_err(crate::backend::internal)?;
        Ok::<_, AppError>((slug, bytes))
    }
    .await;
    match outcome {
        Ok((slug, bytes)) => crate::backend::errors::csv_attachment(&format!("{slug}-products.csv"), bytes),
        Err(e) => e.into_response(),
    }
}

/// `POST /seller/products/import`: the file in the form's `file` field. A browser's form goes back
/// to the stock page (which shows what was imported, or the problems); other clients get 200 with
/// the counts, or 422 with every problem (`rows`), 413 for a file over 2 MB.
pub async fn upload(State(state): State<AppState>, session: Session, headers: HeaderMap, multipart: Multipart) -> Response {
    let html = crate::backend::photos::wants_html(&headers);
    let outcome = async {
        let seller = crate::backend::photos::signed_in(&state, &session).await.map_err(Refused::Failed)?.ok_or(Refused::Failed(AppError::Unauthenticated))?;
        own_shop(&state.db, &seller).await?;
        let bytes = read_file(multipart).await?;
        import(&state, &seller, &bytes, clock::now_ms()).await
    }
    .await;
    let report = match &outcome {
        Ok(_) => drafts::forget(&session, "import").await,
        Err(Refused::Rows(rows)) => drafts::keep(&session, "import", "products", &report_of(rows)).await,
        Err(Refused::TooLarge) => {
            drafts::keep(&session, "import", "products", &report_of(&[too_large_row()])).await
        }
        Err(Refused::Failed(_)) => Ok(()),
    };
    if let Err(e) = report {
        tracing::warn!(error = %e, "could not keep the import report");
    }
    if html {
        let to = match &outcome {
            Ok(d) => format!("/seller/products?imported={}&updated={}#import", d.created, d.updated),
            Err(Refused::Rows(_) | Refused::TooLarge) => "/seller/products?import=refused#import".to_string(),
            Err(Refused::Failed(AppError::Unauthenticated)) => "/signin?next=/seller/products".to_string(),
            Err(Refused::Failed(_)) => "/seller/products?import=failed#import".to_string(),
        };
        let mut res = StatusCode::SEE_OTHER.into_response();
        if let Ok(v) = HeaderValue::from_str(&to) {
            res.headers_mut().insert(header::LOCATION, v);
        }
        return res;
    }
    match outcome {
        Ok(done) => axum::Json(done).into_response(),
        Err(refused @ (Refused::Rows(_) | Refused::TooLarge)) => {
            let (status, rows) = match refused {
                Refused::Rows(rows) => (StatusCode::UNPROCESSABLE_ENTITY, rows),
                _ => (StatusCode::PAYLOAD_TOO_LARGE, vec![too_large_row()]),
            };
            let message = crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.nothing_imported, count = i64::try_from(rows.len()).unwrap_or(i64::MAX)).to_string();
            let body = serde_json::json!({ "Invalid": { "message": message, "fields": { "file": message } }, "rows": rows });
            (status, axum::Json(body)).into_response()
        }
        Err(Refused::Failed(e)) => e.into_response(),
    }
}

/// The form's `file` field, given up past `MAX_BYTES` (the rest is read and dropped, so the browser
/// gets the answer instead of a connection cut mid-upload).
async fn read_file(mut multipart: Multipart) -> Result<Vec<u8>, Refused> {
    let too_large = || Refused::TooLarge;
    let unreadable = || Refused::Failed(AppError::invalid_field("file", crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.upload_unreadable)));
    while let Some(mut field) = multipart.next_field().await.map_err(|e| if e.status() == StatusCode::PAYLOAD_TOO_LARGE { too_large() } else { unreadable() })? {
        if field.name() != Some("file") {
            continue;
        }
        let (mut bytes, mut over) = (Vec::new(), false);
        while let Some(chunk) = field.chunk().await.map_err(|e| if e.status() == StatusCode::PAYLOAD_TOO_LARGE { too_large() } else { unreadable() })? {
            if over || bytes.len() + chunk.len() > MAX_BYTES {
                over = true;
                bytes = Vec::new();
            } else {
                bytes.extend_from_slice(&chunk);
            }
        }
        return if over { Err(too_large()) } else { Ok(bytes) };
    }
    Err(Refused::Failed(AppError::invalid_field("file", crate::i18n::td_string!(crate::domain::locale::request(), service_views.import.choose_file))))
}

/// The problems of the seller's last refused import, if it is the last thing they imported.
pub async fn last_report(session: &Session) -> Result<Option<ImportReport>, AppError> {
    drafts::get(session, "import", "products").await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;

    fn draft(name: &str, stock: i64) -> ProductDraft {
        ProductDraft { name: name.into(), description: "A fine thing, with a comma, and \"quotes\".".into(), category: "kitchen".into(), price: Money(1250), stock, low_stock: 3, ..ProductDraft::default() }
    }

    #[test]
    fn an_export_reads_back_as_the_same_products() {
        let rows = vec![(ProductId(7), draft("Teapot", 4), ProductStatus::Listed), (ProductId(9), draft("Mug; blue", 0), ProductStatus::Hidden)];
        let bytes = export(&rows).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("id,name,category,price,stock,stock_seen,low_stock,status,description,language,translated_name,translated_description\n"), "{text}");
        assert!(text.contains("7,Teapot,kitchen,12.50,4,4,3,listed,"), "{text}");
        let back = parse(&bytes).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].id, Some(ProductId(7)));
        assert_eq!(back[0].draft, rows[0].1);
        assert_eq!(back[0].stock_seen, Some(4));
        assert_eq!(back[1].status, Some(ProductStatus::Hidden));
        assert_eq!((back[0].line, back[1].line), (2, 3));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_column() {
        let file = "name,category,price,stock,low_stock,description\n\
                    Good kettle,kitchen,20.00,5,2,Boils water quickly.\n\
                    X,kitchen,abc,5,2,Too short a name and a bad price.\n\
                    Fine lamp,home,9.99,-1,2,Stock cannot go below zero.\n\
                    Short,home,9.99\n";
        let errors = parse(file.as_bytes()).unwrap_err();
        let texts: Vec<String> = errors.iter().map(RowError::text).collect();
        assert!(texts.iter().any(|t| t.starts_with("Line 3, column 1 (name):")), "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("Line 3, column 3 (price):")), "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("Line 4, column 4 (stock):")), "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("Line 5: This line has 3 values")), "{texts:?}");
        assert!(!texts.iter().any(|t| t.starts_with("Line 2")), "the good row is fine: {texts:?}");
    }

    #[test]
    fn the_header_is_checked_before_any_row() {
        let errors = parse(b"name,colour,price\nA,red,1\n").unwrap_err();
        let texts: Vec<String> = errors.iter().map(RowError::text).collect();
        assert!(texts.iter().any(|t| t.starts_with("Line 1, column 2 (colour): Unknown column")), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("“category” is missing")), "{texts:?}");
        assert!(parse(b"name,category,price,stock,low_stock,description\n").is_err(), "no rows");
        assert!(parse(&[0xff, 0xfe, 0x00]).is_err(), "not UTF-8");
    }

    #[test]
    fn an_existing_product_needs_the_level_seen_and_ids_are_unique() {
        let file = "id,name,category,price,stock,low_stock,description\n\
                    3,Teapot,kitchen,12.50,4,3,A pot for tea.\n";
        let errors = parse(file.as_bytes()).unwrap_err();
        assert!(errors[0].text().contains("stock_seen"), "{errors:?}");
        let file = "id,name,category,price,stock,stock_seen,low_stock,description\n\
                    3,Teapot,kitchen,12.50,4,4,3,A pot for tea.\n\
                    3,Teapot,kitchen,12.50,4,4,3,A pot for tea.\n";
        let errors = parse(file.as_bytes()).unwrap_err();
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].message.contains("earlier line"));
    }

    #[test]
    fn a_spreadsheet_byte_order_mark_and_blank_lines_are_fine() {
        let file = "\u{feff}name,category,price,stock,low_stock,description\n\nTeapot,kitchen,12.50,4,3,A pot for tea.\n,,,,,\n";
        let rows = parse(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 3);
    }
}
