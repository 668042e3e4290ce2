//! What sellers earn and the marketplace pays: commission rates (admins set them; every change
//! kept), each order's statement (its seller only), the shop's ledger and balances, the monthly
//! statement file, and payouts (simulated: no money moves, and every page says so).

use crate::backend::clock;
use crate::backend::db::{earnings as db, Db, DbError};
use crate::backend::services::accounts::require_admin;
use crate::backend::services::inventory::own_shop;
use crate::domain::earnings::{parse_rate, rate_in, EarningsPage, EntryKind, LedgerEntry, Payout, Statement};
use crate::domain::user::SessionUser;
use crate::domain::{Money, OrderId};
use crate::error::AppError;
use crate::i18n::td_string;

/// The seller's earnings: what is pending, payable and paid, the latest postings and payouts.
pub async fn page(db: &Db, seller: &SessionUser, now: i64) -> Result<EarningsPage, AppError> {
    let (shop, _, shop_name) = own_shop(db, seller).await?;
    db::post_due(db, Some(shop), now).await?;
    let pending = db::pending(&db.pool, shop).await?;
    let (payable, paid) = db::balances(&db.pool, shop).await?;
    let entries = db::entries(&db.pool, shop, 0, i64::MAX, 100).await?.into_iter().filter_map(entry).collect();
    let payouts = db::payouts(&db.pool, shop, 0, i64::MAX).await?.into_iter().map(|(id, amount, at)| Payout { id, amount: Money(amount), at: clock::display(at) }).collect();
    let mut months = Vec::new();
    if let Some(first) = db::first_posting(&db.pool, shop).await? {
        let (mut month, last) = (clock::month_of(now), clock::month_of(first));
        while months.len() < 36 {
            months.push(month.clone());
            if month <= last {
                break;
            }
            let Some((start, _)) = clock::month_range(&month) else { break };
            month = clock::month_of(start - 1);
        }
    }
    Ok(EarningsPage { shop_name, pending: Money(pending), payable: Money(payable), paid: Money(paid), entries, payouts, months })
}

fn entry((id, order, kind, amount, at, paid_in): db::EntryRow) -> Option<LedgerEntry> {
    Some(LedgerEntry { id, order: OrderId(order), kind: EntryKind::parse(&kind)?, amount: Money(amount), at: clock::display(at), paid_in })
}

/// One order's statement, for its seller (anyone else: 404).
pub async fn statement(db: &Db, seller: &SessionUser, order: OrderId) -> Result<Statement, AppError> {
    let (shop, _, _) = own_shop(db, seller).await?;
    db::statement(&db.pool, shop, order).await?.ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.earnings.no_order).to_string()))
}

/// The month's statement as CSV: the balance brought forward, every posting and payout of month
/// "YYYY-MM" in order, the month's totals and the balance carried forward.
pub async fn month_csv(db: &Db, seller: &SessionUser, month: &str, now: i64) -> Result<(String, Vec<u8>), AppError> {
    let (shop, slug, shop_name) = own_shop(db, seller).await?;
    let (from, to) = clock::month_range(month).ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.earnings.no_month).to_string()))?;
    db::post_due(db, Some(shop), now).await?;
    let opening = db::balance_at(&db.pool, shop, from).await?;
    let mut rows: Vec<(i64, [String; 4])> = Vec::new();
    let (mut credits, mut debits) = (0i64, 0i64);
    // The words in the seller's language; the column names, dates' order and amounts stay the same
    // for spreadsheets in any language.
    let l = crate::domain::locale::request();
    for (id, order, kind, amount, at, payout) in db::entries(&db.pool, shop, from, to, 100_000).await? {
        let kind = EntryKind::parse(&kind).ok_or_else(|| crate::backend::internal(format!("ledger entry {id} has an unknown kind {kind:?}")))?;
        if amount >= 0 { credits += amount } else { debits += amount }
        let (label, note) = match kind {
            EntryKind::Sale => (td_string!(l, statement_csv.sale), td_string!(l, statement_csv.sale_note)),
            EntryKind::Refund => (td_string!(l, statement_csv.refund), td_string!(l, statement_csv.refund_note)),
        };
        let note = payout.map_or_else(|| note.to_string(), |p| td_string!(l, statement_csv.in_payout, note = note, payout = p).to_string());
        rows.push((at, [label.to_string(), order.to_string(), note, Money(amount).plain()]));
    }
    let mut paid = 0i64;
    for (id, amount, at) in db::payouts(&db.pool, shop, from, to).await? {
        paid += amount;
        rows.push((at, [td_string!(l, statement_csv.payout).into(), String::new(), td_string!(l, statement_csv.payout_note, payout = id).to_string(), Money(-amount).plain()]));
    }
    rows.sort_by_key(|(at, _)| *at);
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = crate::backend::internal;
    w.write_record(["date", "type", "order", "description", "amount"]).map_err(fail)?;
    w.write_record([clock::display(from).as_str(), td_string!(l, statement_csv.brought_forward), "", &shop_name, &Money(opening).plain()]).map_err(fail)?;
    for (at, [kind, order, note, amount]) in &rows {
        w.write_record([clock::display(*at).as_str(), kind, order, note, amount]).map_err(fail)?;
    }
    let end = clock::display(to.min(now).max(from));
    w.write_record([end.as_str(), td_string!(l, statement_csv.credits), "", "", &Money(credits).plain()]).map_err(fail)?;
    w.write_record([end.as_str(), td_string!(l, statement_csv.debits), "", "", &Money(debits).plain()]).map_err(fail)?;
    w.write_record([end.as_str(), td_string!(l, statement_csv.paid_out), "", "", &Money(-paid).plain()]).map_err(fail)?;
    w.write_record([end.as_str(), td_string!(l, statement_csv.carried_forward), "", "", &Money(opening + credits + debits - paid).plain()]).map_err(fail)?;
    let bytes = w.into_inner().map_err(|e| crate::backend::internal(e.into_error()))?;
    Ok((format!("{slug}-statement-{month}.csv"), bytes))
}

/// Every category's commission (anyone signed in may read them: sellers see them before listing).
pub async fn rates(db: &Db) -> Result<Vec<crate::domain::inventory::CategoryChoice>, AppError> {
    Ok(db::rates(&db.pool).await?)
}

/// An admin sets a category's commission; it applies to sales from now on (each order keeps the
/// rate of its sale).
#[tracing::instrument(skip(db, admin), fields(admin = %admin.id))]
pub async fn set_rate(db: &Db, admin: &SessionUser, category: &str, rate: &str, now: i64) -> Result<i64, AppError> {
    require_admin(admin)?;
    let bp = parse_rate(rate).map_err(|m| AppError::invalid_field("rate", m))?;
    let mut tx = db.begin().await?;
    if db::set_rate(&mut tx, category.trim(), bp, admin.id, now).await?.is_none() {
        return Err(AppError::invalid_field("category", crate::i18n::td_string!(crate::domain::locale::request(), server.common.category).to_string()));
    }
    tx.commit().await.map_err(DbError::from)?;
    tracing::info!(category, bp, "commission rate set");
    Ok(bp)
}

/// The latest rate changes, for the admin's page: "Kitchen: 10 % → 12 %, by Ada, 2 Dec 2026, 10:00 UTC".
pub async fn rate_changes(db: &Db, admin: &SessionUser) -> Result<Vec<String>, AppError> {
    require_admin(admin)?;
    Ok(db::rate_changes(&db.pool, 50)
        .await?
        .into_iter()
        .map(|(category, from, to, by, at)| {
            let l = crate::domain::locale::request();
            let (from, to) = (rate_in(l, from), rate_in(l, to));
            td_string!(l, earnings.rate_change, category = category, from = from, to = to, by = by, at = clock::display_in(l, at)).to_string()
        })
        .collect())
}

/// Posts what is due, then pays out every shop with something payable (simulated). How many shops
/// were paid and how much in all.
#[tracing::instrument(skip(db, admin), fields(admin = %admin.id))]
pub async fn run_payouts(db: &Db, admin: &SessionUser, now: i64) -> Result<(usize, Money), AppError> {
    require_admin(admin)?;
    db::post_due(db, None, now).await?;
    let (mut shops, mut total) = (0, 0);
    for shop in db::shops_with_payable(&db.pool).await? {
        let mut tx = db.begin().await?;
        match db::pay_out(&mut tx, shop, Some(admin.id), now).await? {
            Some(amount) => {
                tx.commit().await.map_err(DbError::from)?;
                shops += 1;
                total += amount;
            }
            None => tx.rollback().await.map_err(DbError::from)?,
        }
    }
    tracing::info!(shops, total, "payouts made (simulated)");
    Ok((shops, Money(total)))
}

/// The background job: posts completed orders and refunds to the ledgers.
pub async fn run_posting_job(db: &Db, now: i64) -> Result<usize, AppError> {
    Ok(db::post_due(db, None, now).await?)
}

/// `GET /seller/earnings/{YYYY-MM}.csv`: the month's statement file (guests 401, no shop 404).
pub async fn download_month(
    axum::extract::State(state): axum::extract::State<crate::backend::AppState>,
    session: tower_sessions::Session,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let outcome = async {
        let seller = crate::backend::photos::signed_in(&state, &session).await?.ok_or(AppError::Unauthenticated)?;
        let month = file.strip_suffix(".csv").ok_or_else(|| AppError::NotFound(crate::i18n::td_string!(crate::domain::locale::request(), server.earnings.no_statement).to_string()))?;
        month_csv(&state.db, &seller, month, clock::now_ms()).await
    }
    .await;
    match outcome {
        Ok((name, bytes)) => crate::backend::errors::csv_attachment(&name, bytes),
        Err(e) => e.into_response(),
    }
}
