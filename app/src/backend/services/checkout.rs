//! Checkout: turns a buyer's cart into one purchase with one order per seller, in one transaction.
//! Stock is taken with a conditional update (never read-then-write), and the idempotency key makes a
//! double click or a retried request return the same purchase instead of a second one.

use crate::backend::db::{carts, orders, Db, DbError};
use crate::backend::services::cart::group;
use crate::domain::checkout::{PurchaseReceipt, ShippingAddress};
use crate::domain::order::OrderStatus;
use crate::domain::{Money, PurchaseId, UserId};
use crate::error::AppError;

async fn existing_receipt(db: &Db, buyer: UserId, key: &str) -> Result<Option<PurchaseReceipt>, AppError> {
    let Some(p) = orders::purchase_by_key(&db.pool, buyer, key).await? else {
        return Ok(None);
    };
    let order_ids = orders::order_ids_of_purchase(&db.pool, PurchaseId(p.id)).await?;
    Ok(Some(PurchaseReceipt { purchase_id: PurchaseId(p.id), order_ids, total: Money(p.total_cents), payment_reference: p.payment_reference }))
}

#[tracing::instrument(skip(db, address), fields(buyer = %buyer))]
pub async fn place_order(db: &Db, buyer: UserId, key: &str, address: &ShippingAddress, now: i64) -> Result<PurchaseReceipt, AppError> {
    if let Some(done) = existing_receipt(db, buyer, key).await? {
        return Ok(done);
    }
    let mut tx = db.begin().await?;
    let cart = group(carts::lines(&mut *tx, buyer).await?);
    if cart.is_empty() {
        tx.rollback().await.map_err(DbError::from)?;
        // A retry that raced the first request past the check above finds the purchase now.
        return match existing_receipt(db, buyer, key).await? {
            Some(done) => Ok(done),
            None => Err(AppError::invalid("Your cart is empty.")),
        };
    }
    let payment_reference = format!("SIM-{}", uuid::Uuid::new_v4().simple().to_string()[..10].to_uppercase());
    let purchase = match orders::insert_purchase(&mut tx, buyer, key, cart.total(), &payment_reference, now).await {
        Ok(id) => id,
        Err(DbError::Conflict(_)) => {
            tx.rollback().await.map_err(DbError::from)?;
            return existing_receipt(db, buyer, key).await?.ok_or_else(|| AppError::Conflict("This checkout is already being processed.".into()));
        }
        Err(e) => return Err(e.into()),
    };
    for line in cart.groups.iter().flat_map(|g| &g.lines) {
        if !orders::take_stock(&mut tx, line.product_id, line.quantity).await? {
            tx.rollback().await.map_err(DbError::from)?; // no stock taken, no purchase, cart kept
            let left = crate::backend::db::catalog::stock_of(&db.pool, line.product_id).await?;
            return Err(AppError::Conflict(if left == 0 {
                format!("Sorry, “{}” has just sold out. Remove it from your cart to continue.", line.name)
            } else {
                format!("Sorry, only {left} of “{}” left. Lower the quantity in your cart to continue.", line.name)
            }));
        }
    }
    let mut order_ids = Vec::new();
    for g in &cart.groups {
        let order = orders::insert_order(
            &mut tx,
            &orders::NewOrder { purchase, buyer, shop: g.shop_id, subtotal: g.subtotal(), shipping: g.shipping, address },
            now,
        )
        .await?;
        for l in &g.lines {
            orders::insert_item(&mut tx, order, l.product_id, &l.name, l.unit_price, l.quantity).await?;
        }
        orders::insert_event(&mut tx, order, OrderStatus::Placed, Some(buyer), &format!("Paid {} (simulated payment {payment_reference}).", g.total()), now).await?;
        order_ids.push(order);
    }
    carts::clear(&mut tx, buyer).await?;
    tx.commit().await.map_err(DbError::from)?;
    tracing::info!(purchase = %purchase, orders = order_ids.len(), "purchase placed");
    Ok(PurchaseReceipt { purchase_id: purchase, order_ids, total: cart.total(), payment_reference })
}
