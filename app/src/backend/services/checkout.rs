//! Checkout: turns a buyer's cart into one purchase with one order per seller, in one transaction.
//! Stock is taken with a conditional update (never read-then-write), and the idempotency key makes a
//! double click or a retried request return the same purchase instead of a second one.

use crate::backend::db::{carts, orders, Db, DbError};
use crate::backend::live::{LiveHub, Topic};
use crate::backend::services::cart::group;
use crate::backend::services::orders::{record, Change, ChangeBody, Parties};
use crate::domain::checkout::{PurchaseReceipt, ShippingAddress};
use crate::domain::deadlines::{accept_deadline, ship_deadline};
use crate::domain::order::{notifications_for, Actor, OrderStatus, SystemNote};
use crate::domain::{Money, PurchaseId, UserId};
use crate::error::AppError;

async fn existing_receipt(db: &Db, buyer: UserId, key: &str) -> Result<Option<PurchaseReceipt>, AppError> {
    let Some(p) = orders::purchase_by_key(&db.pool, buyer, key).await? else {
        return Ok(None);
    };
    let order_ids = orders::order_ids_of_purchase(&db.pool, PurchaseId(p.id)).await?;
    Ok(Some(PurchaseReceipt { purchase_id: PurchaseId(p.id), order_ids, total: Money(p.total_cents), payment_reference: p.payment_reference }))
}

#[tracing::instrument(skip(db, live, address), fields(buyer = %buyer))]
pub async fn place_order(db: &Db, live: &LiveHub, buyer: UserId, key: &str, address: &ShippingAddress, now: i64) -> Result<PurchaseReceipt, AppError> {
    if let Some(done) = existing_receipt(db, buyer, key).await? {
        return Ok(done);
    }
    let mut tx = db.begin().await?;
    // The order keeps the products named as the buyer saw them.
    let cart = group(carts::lines(&mut *tx, buyer).await?, crate::backend::web::locale::current().locale);
    if cart.is_empty() {
        tx.rollback().await.map_err(DbError::from)?;
        // A retry that raced the first request past the check above finds the purchase now.
        return match existing_receipt(db, buyer, key).await? {
            Some(done) => Ok(done),
            None => Err(AppError::invalid(crate::i18n::td_string!(crate::domain::locale::request(), server.checkout.empty).to_string())),
        };
    }
    let payment_reference = format!("SIM-{}", uuid::Uuid::new_v4().simple().to_string()[..10].to_uppercase());
    let purchase = match orders::insert_purchase(&mut tx, buyer, key, cart.total(), &payment_reference, now).await {
        Ok(id) => id,
        Err(DbError::Conflict(_)) => {
            tx.rollback().await.map_err(DbError::from)?;
            return existing_receipt(db, buyer, key).await?.ok_or_else(|| AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.checkout.processing).to_string()));
        }
        Err(e) => return Err(e.into()),
    };
    for g in &cart.groups {
        if crate::backend::db::shops::is_suspended(&mut tx, g.shop_id).await? {
            tx.rollback().await.map_err(DbError::from)?;
            return Err(AppError::Conflict(crate::i18n::td_string!(crate::domain::locale::request(), server.checkout.shop_unavailable, shop = &g.shop_name).to_string()));
        }
    }
    // Products whose sale brings the stock down to the seller's low-stock line: (shop, product, left).
    let mut running_low = Vec::new();
    for g in &cart.groups {
        for line in &g.lines {
            let Some((left, line_low)) = orders::take_stock(&mut tx, line.product_id, line.quantity).await? else {
                tx.rollback().await.map_err(DbError::from)?; // no stock taken, no purchase, cart kept
                let (left, for_sale) = crate::backend::db::catalog::sale_state(&db.pool, line.product_id).await?;
                return Err(AppError::Conflict(if !for_sale {
                    crate::i18n::td_string!(crate::domain::locale::request(), server.checkout.not_for_sale, name = &line.name).to_string()
                } else if left == 0 {
                    crate::i18n::td_string!(crate::domain::locale::request(), server.checkout.sold_out, name = &line.name).to_string()
                } else if left >= line.quantity {
                    // Restocked between the attempt and this answer.
                    crate::i18n::td_string!(crate::domain::locale::request(), server.checkout.restocked, name = &line.name).to_string()
                } else {
                    crate::i18n::td_string!(crate::domain::locale::request(), server.checkout.only_left, left = left, name = &line.name).to_string()
                }));
            };
            if crate::domain::inventory::crosses_low_stock(left + line.quantity, left, line_low) {
                running_low.push((g.shop_id, line.product_id, left));
            }
        }
    }
    let mut order_ids = Vec::new();
    let mut parties = Vec::new();
    for g in &cart.groups {
        let handling_days = orders::shop_handling_days(&mut tx, g.shop_id).await?;
        let new = orders::NewOrder {
            purchase,
            buyer,
            shop: g.shop_id,
            subtotal: g.subtotal(),
            shipping: g.shipping,
            address,
            accept_by: accept_deadline(now),
            ship_by: ship_deadline(now, handling_days),
        };
        let order = orders::insert_order(&mut tx, &new, now).await?;
        for l in &g.lines {
            orders::insert_item(&mut tx, order, l.product_id, l.unit_price, l.quantity).await?;
        }
        let note = SystemNote::Paid { total: g.total(), reference: payment_reference.clone() };
        let event = orders::insert_system_event(&mut tx, order, OrderStatus::Placed, Some(buyer), &note, now).await?;
        let (seller, shop_name) = orders::shop_owner_of(&mut tx, order).await?;
        parties.push((Parties { order, buyer, seller, shop_name }, event, note));
        order_ids.push(order);
    }
    // The sellers hear of their new orders (feeds last: every transaction takes user rows last).
    let changes: Vec<Change<'_>> = parties
        .iter()
        .map(|(p, event, note)| Change {
            parties: p,
            status: OrderStatus::Placed,
            dedupe_key: format!("event:{event}"),
            notices: notifications_for(OrderStatus::Placed, Actor::Buyer),
            body: ChangeBody::Note(note.clone()),
        })
        .collect();
    for (shop, product, left) in &running_low {
        crate::backend::services::inventory::tell_running_low(&mut tx, *shop, *product, *left, &format!("purchase:{purchase}"), now).await?;
    }
    record(&mut tx, &changes, now).await?;
    carts::clear(&mut tx, buyer).await?;
    tx.commit().await.map_err(DbError::from)?;
    tracing::info!(purchase = %purchase, orders = order_ids.len(), "purchase placed");
    for (p, _, _) in &parties {
        live.publish(&[Topic::Order(p.order), Topic::User(p.buyer), Topic::User(p.seller)]).await;
    }
    Ok(PurchaseReceipt { purchase_id: purchase, order_ids, total: cart.total(), payment_reference })
}
