//! Orders and their life cycle. `next_status` is the single source of truth for what may happen to
//! an order next and who may do it; the server, the pages and the background jobs all ask it.
//!
//! placed → accepted (or refused: refund) → shipped (carrier + tracking) → in transit → out for
//! delivery → delivered (seller/carrier, or the buyer confirming receipt) → completed (after the
//! quiet period). Also: delivery problem, cancelled by the buyer before acceptance, cancelled by
//! the seller before shipping, and cancelled automatically when the seller does not accept in time.

use crate::domain::{checkout::ShippingAddress, Money, OrderId, ProductId, PurchaseId, ShopId};
use crate::domain::locale::{self, Locale};
use crate::error::AppError;
use crate::i18n::td_string;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderStatus {
    Placed,
    Accepted,
    Refused,
    Shipped,
    InTransit,
    OutForDelivery,
    DeliveryException,
    Delivered,
    Completed,
    CancelledByBuyer,
    CancelledBySeller,
    /// The seller did not accept within the deadline; the marketplace cancelled and refunded.
    CancelledUnaccepted,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 12] = [
        OrderStatus::Placed,
        OrderStatus::Accepted,
        OrderStatus::Refused,
        OrderStatus::Shipped,
        OrderStatus::InTransit,
        OrderStatus::OutForDelivery,
        OrderStatus::DeliveryException,
        OrderStatus::Delivered,
        OrderStatus::Completed,
        OrderStatus::CancelledByBuyer,
        OrderStatus::CancelledBySeller,
        OrderStatus::CancelledUnaccepted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Placed => "placed",
            OrderStatus::Accepted => "accepted",
            OrderStatus::Refused => "refused",
            OrderStatus::Shipped => "shipped",
            OrderStatus::InTransit => "in_transit",
            OrderStatus::OutForDelivery => "out_for_delivery",
            OrderStatus::DeliveryException => "delivery_exception",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Completed => "completed",
            OrderStatus::CancelledByBuyer => "cancelled_by_buyer",
            OrderStatus::CancelledBySeller => "cancelled_by_seller",
            OrderStatus::CancelledUnaccepted => "cancelled_unaccepted",
        }
    }

    pub fn parse(s: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The status in `l`.
    pub fn label_in(self, l: Locale) -> &'static str {
        match self {
            OrderStatus::Placed => td_string!(l, status.placed),
            OrderStatus::Accepted => td_string!(l, status.accepted),
            OrderStatus::Refused => td_string!(l, status.refused),
            OrderStatus::Shipped => td_string!(l, status.shipped),
            OrderStatus::InTransit => td_string!(l, status.in_transit),
            OrderStatus::OutForDelivery => td_string!(l, status.out_for_delivery),
            OrderStatus::DeliveryException => td_string!(l, status.delivery_exception),
            OrderStatus::Delivered => td_string!(l, status.delivered),
            OrderStatus::Completed => td_string!(l, status.completed),
            OrderStatus::CancelledByBuyer => td_string!(l, status.cancelled_by_buyer),
            OrderStatus::CancelledBySeller => td_string!(l, status.cancelled_by_seller),
            OrderStatus::CancelledUnaccepted => td_string!(l, status.cancelled_unaccepted),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::Placed => "Placed",
            OrderStatus::Accepted => "Accepted by seller",
            OrderStatus::Refused => "Refused by seller",
            OrderStatus::Shipped => "Shipped",
            OrderStatus::InTransit => "In transit",
            OrderStatus::OutForDelivery => "Out for delivery",
            OrderStatus::DeliveryException => "Delivery problem",
            OrderStatus::Delivered => "Delivered",
            OrderStatus::Completed => "Completed",
            OrderStatus::CancelledByBuyer => "Cancelled by buyer",
            OrderStatus::CancelledBySeller => "Cancelled by seller",
            OrderStatus::CancelledUnaccepted => "Cancelled: not accepted in time",
        }
    }

    /// Nothing more can happen to the order.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            OrderStatus::Refused
                | OrderStatus::Completed
                | OrderStatus::CancelledByBuyer
                | OrderStatus::CancelledBySeller
                | OrderStatus::CancelledUnaccepted
        )
    }

    /// The order ended without delivery: the buyer is refunded and the stock goes back on sale.
    pub fn is_refunded(self) -> bool {
        matches!(
            self,
            OrderStatus::Refused | OrderStatus::CancelledByBuyer | OrderStatus::CancelledBySeller | OrderStatus::CancelledUnaccepted
        )
    }

    /// With the carrier: shipped and not yet delivered.
    pub fn is_on_the_way(self) -> bool {
        matches!(
            self,
            OrderStatus::Shipped | OrderStatus::InTransit | OrderStatus::OutForDelivery | OrderStatus::DeliveryException
        )
    }
}

/// Who acts on an order, relative to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    Buyer,
    Seller,
    /// The marketplace itself: background jobs (deadlines, completion).
    System,
}

/// The kinds of action, without their data: what the pages offer as buttons and forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActionKind {
    Accept,
    Refuse,
    Ship,
    InTransit,
    OutForDelivery,
    DeliveryProblem,
    MarkDelivered,
    ConfirmReceipt,
    CancelByBuyer,
    CancelBySeller,
    Complete,
    CancelUnaccepted,
}

impl ActionKind {
    pub const ALL: [ActionKind; 12] = [
        ActionKind::Accept,
        ActionKind::Refuse,
        ActionKind::Ship,
        ActionKind::InTransit,
        ActionKind::OutForDelivery,
        ActionKind::DeliveryProblem,
        ActionKind::MarkDelivered,
        ActionKind::ConfirmReceipt,
        ActionKind::CancelByBuyer,
        ActionKind::CancelBySeller,
        ActionKind::Complete,
        ActionKind::CancelUnaccepted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Accept => "accept",
            ActionKind::Refuse => "refuse",
            ActionKind::Ship => "ship",
            ActionKind::InTransit => "in_transit",
            ActionKind::OutForDelivery => "out_for_delivery",
            ActionKind::DeliveryProblem => "delivery_problem",
            ActionKind::MarkDelivered => "mark_delivered",
            ActionKind::ConfirmReceipt => "confirm_receipt",
            ActionKind::CancelByBuyer => "cancel_by_buyer",
            ActionKind::CancelBySeller => "cancel_by_seller",
            ActionKind::Complete => "complete",
            ActionKind::CancelUnaccepted => "cancel_unaccepted",
        }
    }

    pub fn parse(s: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The button text.
    pub fn label(self) -> &'static str {
        match self {
            ActionKind::Accept => "Accept order",
            ActionKind::Refuse => "Refuse and refund",
            ActionKind::Ship => "Mark shipped",
            ActionKind::InTransit => "In transit",
            ActionKind::OutForDelivery => "Out for delivery",
            ActionKind::DeliveryProblem => "Delivery problem",
            ActionKind::MarkDelivered => "Mark delivered",
            ActionKind::ConfirmReceipt => "I received this order",
            ActionKind::CancelByBuyer => "Cancel order",
            ActionKind::CancelBySeller => "Cancel and refund",
            ActionKind::Complete => "Complete",
            ActionKind::CancelUnaccepted => "Cancel (not accepted in time)",
        }
    }

    /// Who may take this action.
    pub fn actor(self) -> Actor {
        match self {
            ActionKind::ConfirmReceipt | ActionKind::CancelByBuyer => Actor::Buyer,
            ActionKind::Complete | ActionKind::CancelUnaccepted => Actor::System,
            _ => Actor::Seller,
        }
    }

    /// Where the action leads, from the statuses it is allowed in; `None` where it is not allowed.
    fn leads_to(self, from: OrderStatus) -> Option<OrderStatus> {
        use OrderStatus as S;
        let on_the_way = from.is_on_the_way();
        let to = match self {
            ActionKind::Accept if from == S::Placed => S::Accepted,
            ActionKind::Refuse if from == S::Placed => S::Refused,
            ActionKind::CancelByBuyer if from == S::Placed => S::CancelledByBuyer,
            ActionKind::CancelUnaccepted if from == S::Placed => S::CancelledUnaccepted,
            ActionKind::Ship if from == S::Accepted => S::Shipped,
            ActionKind::CancelBySeller if from == S::Accepted => S::CancelledBySeller,
            // Carrier updates: any order on the way may be reported in transit again (a new scan),
            // out for delivery, or held up; "out for delivery" twice in a row is a no-op, refused.
            ActionKind::InTransit if on_the_way => S::InTransit,
            ActionKind::OutForDelivery if on_the_way && from != S::OutForDelivery => S::OutForDelivery,
            ActionKind::DeliveryProblem if on_the_way => S::DeliveryException,
            ActionKind::MarkDelivered | ActionKind::ConfirmReceipt if on_the_way => S::Delivered,
            ActionKind::Complete if from == S::Delivered => S::Completed,
            _ => return None,
        };
        Some(to)
    }

    /// Whether the action needs a note (a reason or a carrier message).
    pub fn needs_note(self) -> bool {
        matches!(self, ActionKind::Refuse | ActionKind::CancelBySeller | ActionKind::DeliveryProblem)
    }
}

/// What an actor does to an order, with its validated data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderAction {
    pub kind: ActionKind,
    /// For `Ship`: (carrier, tracking number).
    pub shipment: Option<(String, String)>,
    /// A reason or carrier message; empty where none was given.
    pub note: String,
}

/// The form behind every order action, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderActionInput {
    pub action: String,
    pub carrier: String,
    pub tracking_number: String,
    pub note: String,
}

pub const MAX_NOTE_LEN: usize = 500;
pub const MAX_CARRIER_LEN: usize = 60;
pub const MAX_TRACKING_LEN: usize = 40;

impl TryFrom<OrderActionInput> for OrderAction {
    type Error = AppError;

    fn try_from(input: OrderActionInput) -> Result<Self, AppError> {
        let kind = ActionKind::parse(input.action.trim()).ok_or_else(|| AppError::invalid(td_string!(locale::request(), server.order.unknown_action).to_string()))?;
        let note = input.note.trim().to_string();
        let mut fields = crate::error::FieldErrors::new();
        if note.chars().count() > MAX_NOTE_LEN {
            fields.insert("note".into(), td_string!(locale::request(), server.order.note_long, max = MAX_NOTE_LEN).to_string());
        } else if kind.needs_note() && note.is_empty() {
            let msg = match kind {
                ActionKind::DeliveryProblem => td_string!(locale::request(), server.order.say_problem),
                _ => td_string!(locale::request(), server.order.give_reason),
            };
            fields.insert("note".into(), msg.into());
        }
        let mut shipment = None;
        if kind == ActionKind::Ship {
            let carrier = input.carrier.trim().to_string();
            let tracking: String = input.tracking_number.split_whitespace().collect::<Vec<_>>().join("");
            if carrier.is_empty() {
                fields.insert("carrier".into(), td_string!(locale::request(), server.order.carrier_missing).to_string());
            } else if carrier.chars().count() > MAX_CARRIER_LEN {
                fields.insert("carrier".into(), td_string!(locale::request(), server.order.carrier_long, max = MAX_CARRIER_LEN).to_string());
            }
            if tracking.is_empty() {
                fields.insert("tracking_number".into(), td_string!(locale::request(), server.order.tracking_missing).to_string());
            } else if tracking.chars().count() > MAX_TRACKING_LEN || !tracking.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                fields.insert(
                    "tracking_number".into(),
                    td_string!(locale::request(), server.order.tracking_format, max = MAX_TRACKING_LEN).to_string(),
                );
            }
            shipment = Some((carrier, tracking.to_uppercase()));
        }
        if !fields.is_empty() {
            return Err(AppError::from_fields(fields));
        }
        Ok(OrderAction { kind, shipment, note })
    }
}

/// Why an action cannot be taken now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionError {
    /// The actor may never take this action (a buyer cannot ship).
    NotYours { action: ActionKind, actor: Actor },
    /// Not in this status (cannot ship an order that is not accepted).
    NotNow { action: ActionKind, status: OrderStatus },
}

impl std::fmt::Display for TransitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransitionError::NotYours { action, .. } => match action.actor() {
                Actor::Buyer => f.write_str(td_string!(locale::request(), server.order.only_buyer)),
                Actor::Seller => f.write_str(td_string!(locale::request(), server.order.only_seller)),
                Actor::System => f.write_str(td_string!(locale::request(), server.order.automatic)),
            },
            TransitionError::NotNow { action, status } => {
                let l = locale::request();
                let what = match action {
                    ActionKind::Accept | ActionKind::Refuse | ActionKind::CancelByBuyer | ActionKind::CancelUnaccepted => {
                        td_string!(l, server.order.not_now_waiting)
                    }
                    ActionKind::Ship | ActionKind::CancelBySeller => td_string!(l, server.order.not_now_accepted),
                    ActionKind::Complete => td_string!(l, server.order.not_now_delivered),
                    ActionKind::OutForDelivery if *status == OrderStatus::OutForDelivery => td_string!(l, server.order.not_now_out),
                    _ => td_string!(l, server.order.not_now_shipped),
                };
                let status = status.label_in(l);
                write!(f, "{}", td_string!(l, server.order.not_now, what = what, status = status))
            }
        }
    }
}

impl From<TransitionError> for AppError {
    fn from(e: TransitionError) -> Self {
        match e {
            TransitionError::NotYours { .. } => AppError::Forbidden,
            TransitionError::NotNow { .. } => AppError::Conflict(e.to_string()),
        }
    }
}

/// The state machine: the status `action` leads to from `from` when `actor` takes it.
pub fn next_status(from: OrderStatus, action: ActionKind, actor: Actor) -> Result<OrderStatus, TransitionError> {
    if action.actor() != actor {
        return Err(TransitionError::NotYours { action, actor });
    }
    action.leads_to(from).ok_or(TransitionError::NotNow { action, status: from })
}

/// What `actor` may do to an order in `status` (in the order the buttons are shown).
pub fn allowed_actions(status: OrderStatus, actor: Actor) -> Vec<ActionKind> {
    ActionKind::ALL.into_iter().filter(|a| next_status(status, *a, actor).is_ok()).collect()
}

/// Who is told of a change (besides the live timeline every party sees).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    Buyer,
    Seller,
}

/// The notifications a change to `to` (by `actor`) sends: (recipient, kind).
pub fn notifications_for(to: OrderStatus, actor: Actor) -> Vec<(Recipient, NotificationKind)> {
    use NotificationKind as N;
    match to {
        OrderStatus::Placed => vec![(Recipient::Seller, N::NewOrder)],
        OrderStatus::Accepted => vec![(Recipient::Buyer, N::Accepted)],
        OrderStatus::Shipped => vec![(Recipient::Buyer, N::Shipped)],
        OrderStatus::DeliveryException => vec![(Recipient::Buyer, N::DeliveryProblem)],
        OrderStatus::Delivered if actor == Actor::Buyer => vec![(Recipient::Seller, N::Delivered)],
        OrderStatus::Delivered => vec![(Recipient::Buyer, N::Delivered)],
        OrderStatus::Refused | OrderStatus::CancelledBySeller => vec![(Recipient::Buyer, N::Cancelled)],
        OrderStatus::CancelledByBuyer => vec![(Recipient::Seller, N::Cancelled)],
        OrderStatus::CancelledUnaccepted => vec![(Recipient::Buyer, N::Cancelled), (Recipient::Seller, N::Cancelled)],
        OrderStatus::InTransit | OrderStatus::OutForDelivery | OrderStatus::Completed => vec![],
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotificationKind {
    NewOrder,
    Accepted,
    Shipped,
    DeliveryProblem,
    Delivered,
    Cancelled,
    Late,
    /// Something happened in a claim about the order (opened, offer, escalated, resolved…).
    Claim,
    /// A review was published or not, a reply came, an appeal was decided.
    Review,
    /// About the person's shop: their application to sell was decided, or the shop was suspended
    /// or reinstated.
    Shop,
    /// A sale brought one of the seller's products down to its low-stock line.
    LowStock,
    /// A product the person asked about is back in stock.
    BackInStock,
    /// About a conversation: a buyer has waited past the answer window, or it became a claim.
    Message,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 13] = [
        NotificationKind::NewOrder,
        NotificationKind::Accepted,
        NotificationKind::Shipped,
        NotificationKind::DeliveryProblem,
        NotificationKind::Delivered,
        NotificationKind::Cancelled,
        NotificationKind::Late,
        NotificationKind::Claim,
        NotificationKind::Review,
        NotificationKind::Shop,
        NotificationKind::LowStock,
        NotificationKind::BackInStock,
        NotificationKind::Message,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::NewOrder => "new_order",
            NotificationKind::Accepted => "accepted",
            NotificationKind::Shipped => "shipped",
            NotificationKind::DeliveryProblem => "delivery_problem",
            NotificationKind::Delivered => "delivered",
            NotificationKind::Cancelled => "cancelled",
            NotificationKind::Late => "late",
            NotificationKind::Claim => "claim",
            NotificationKind::Review => "review",
            NotificationKind::Shop => "shop",
            NotificationKind::LowStock => "low_stock",
            NotificationKind::BackInStock => "back_in_stock",
            NotificationKind::Message => "message",
        }
    }

    pub fn parse(s: &str) -> Option<NotificationKind> {
        NotificationKind::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// The title of a notification for `recipient`, in their language `l` (its body is the history
/// note of the change).
pub fn notification_title(l: Locale, kind: NotificationKind, recipient: Recipient, order: OrderId, shop: &str) -> String {
    match (kind, recipient) {
        (NotificationKind::NewOrder, _) => td_string!(l, notices.order.new_order, order = order).to_string(),
        (NotificationKind::Accepted, _) => td_string!(l, notices.order.accepted, shop = shop, order = order).to_string(),
        (NotificationKind::Shipped, _) => td_string!(l, notices.order.shipped, order = order).to_string(),
        (NotificationKind::DeliveryProblem, _) => td_string!(l, notices.order.delivery_problem, order = order).to_string(),
        (NotificationKind::Delivered, Recipient::Buyer) => td_string!(l, notices.order.delivered, order = order).to_string(),
        (NotificationKind::Delivered, Recipient::Seller) => td_string!(l, notices.order.received, order = order).to_string(),
        (NotificationKind::Cancelled, _) => td_string!(l, notices.order.cancelled, order = order).to_string(),
        (NotificationKind::Late, Recipient::Buyer) => td_string!(l, notices.order.running_late, order = order).to_string(),
        (NotificationKind::Late, Recipient::Seller) => td_string!(l, notices.order.late, order = order).to_string(),
        (NotificationKind::Claim, _) => td_string!(l, notices.order.claim, order = order).to_string(),
        (NotificationKind::Review, _) => td_string!(l, notices.order.review, order = order).to_string(),
        (NotificationKind::Message, _) => td_string!(l, notices.order.message, order = order).to_string(),
        (NotificationKind::Shop | NotificationKind::LowStock | NotificationKind::BackInStock, _) => {
            td_string!(l, notices.order.shop, shop = shop).to_string()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub id: OrderId,
    pub purchase_id: PurchaseId,
    pub shop_name: String,
    pub shop_slug: String,
    pub status: OrderStatus,
    pub total: Money,
    pub item_count: i64,
    pub placed_at: String,
    /// "Late: …" when a deadline has passed, for the buyer, the seller and the marketplace alike.
    pub late: Option<String>,
    /// "Estimated delivery by 27 Nov" while the order is on its way to delivery.
    pub estimate: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderLine {
    pub product_id: ProductId,
    pub name: String,
    pub unit_price: Money,
    pub quantity: i64,
}

impl OrderLine {
    pub fn line_total(&self) -> Money {
        self.unit_price.times(self.quantity)
    }
}

/// One entry of the status history: what happened, when, by whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderEvent {
    pub status: OrderStatus,
    pub at: String,
    pub actor: String,
    pub note: String,
}

/// What Troika itself writes in an order's history (people's notes stay as they wrote them). It is
/// kept as a kind and its values (`order_events.note_kind`, `note_args`), so each reader reads it in
/// their language; the `note` column keeps the English text, and older rows only have that.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SystemNote {
    /// "Paid €49.00 (simulated payment SIM-…)."
    Paid { total: Money, reference: String },
    /// A change of status: what Troika says about it, what the person wrote (as written), the refund.
    Moved {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        said: Option<MoveNote>,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        refund: Option<Money>,
    },
    /// "Claim #3 settled: Full refund. Refunded €49.00 (simulated)." / "Claim #3: Withdrawn by the buyer."
    ClaimEnded {
        claim: i64,
        outcome: crate::domain::dispute::Outcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        refund: Option<Money>,
    },
}

/// What Troika says about a change of status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "said", rename_all = "snake_case")]
pub enum MoveNote {
    /// "La Poste, tracking number AB123."
    Shipped { carrier: String, tracking: String },
    NotAcceptedInTime,
    NoProblemReported,
    ReceiptConfirmed,
}

impl SystemNote {
    /// The kind, as stored in `order_events.note_kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            SystemNote::Paid { .. } => "paid",
            SystemNote::Moved { .. } => "moved",
            SystemNote::ClaimEnded { .. } => "claim_ended",
        }
    }

    /// The values, as stored in `order_events.note_args` (JSON, the kind included).
    pub fn args(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A stored note: the kind and values when there are (and Troika can read them), else the text.
    pub fn stored(args: Option<&str>) -> Option<SystemNote> {
        serde_json::from_str(args?).ok()
    }

    /// The note in `l`; the English is what the history always said.
    pub fn text(&self, l: Locale) -> String {
        match self {
            SystemNote::Paid { total, reference } => {
                td_string!(l, events.paid, total = locale::money(l, *total), reference = reference).to_string()
            }
            SystemNote::Moved { said, note, refund } => {
                let mut parts: Vec<String> = Vec::new();
                match said {
                    Some(MoveNote::Shipped { carrier, tracking }) => {
                        parts.push(td_string!(l, events.shipped, carrier = carrier, tracking = tracking).to_string())
                    }
                    Some(MoveNote::NotAcceptedInTime) => parts.push(td_string!(l, events.not_accepted).to_string()),
                    Some(MoveNote::NoProblemReported) => parts.push(td_string!(l, events.no_problem).to_string()),
                    Some(MoveNote::ReceiptConfirmed) => parts.push(td_string!(l, events.receipt_confirmed).to_string()),
                    None => {}
                }
                if !note.is_empty() {
                    parts.push(note.clone());
                }
                if let Some(m) = refund {
                    parts.push(td_string!(l, events.refunded, amount = locale::money(l, *m)).to_string());
                }
                parts.join(" ")
            }
            SystemNote::ClaimEnded { claim, outcome, refund } => {
                use crate::domain::dispute::Outcome;
                match outcome {
                    Outcome::Settled(remedy) => {
                        let remedy = remedy.label_in(l);
                        match refund {
                            Some(m) => td_string!(l, events.claim_refunded, claim = claim, remedy = remedy, amount = locale::money(l, *m)).to_string(),
                            None => td_string!(l, events.claim_settled, claim = claim, remedy = remedy).to_string(),
                        }
                    }
                    Outcome::Rejected => td_string!(l, events.claim_rejected, claim = claim).to_string(),
                    Outcome::Withdrawn => td_string!(l, events.claim_withdrawn, claim = claim).to_string(),
                    Outcome::ClosedIdle => td_string!(l, events.claim_closed_idle, claim = claim).to_string(),
                }
            }
        }
    }
}

/// How the person looking at an order relates to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Viewer {
    Buyer,
    Seller,
    /// Marketplace staff (mediators, admins): may read, act through disputes.
    Staff,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub id: OrderId,
    pub purchase_id: PurchaseId,
    pub shop_id: ShopId,
    pub shop_name: String,
    pub shop_slug: String,
    pub status: OrderStatus,
    pub lines: Vec<OrderLine>,
    pub subtotal: Money,
    pub shipping: Money,
    pub total: Money,
    pub refunded: Money,
    pub address: ShippingAddress,
    pub payment_reference: String,
    pub placed_at: String,
    /// (carrier, tracking number) once shipped.
    pub shipment: Option<(String, String)>,
    /// The shop's return policy and handling time as they were when the order was placed.
    pub policy: crate::domain::shop::OrderPolicy,
    /// "Accept by …" / "Ship by …" while that deadline is ahead, for the parties to see.
    pub deadlines: Vec<String>,
    pub late: Option<String>,
    pub estimate: Option<String>,
    /// Newest first.
    pub history: Vec<OrderEvent>,
    /// The id of the newest history entry: live updates resume after it.
    pub last_event_id: i64,
    pub viewer: Viewer,
    /// What the viewer may do now.
    pub actions: Vec<ActionKind>,
    /// The latest claim about the order, if any.
    pub claim: Option<(crate::domain::ClaimId, crate::domain::dispute::ClaimState)>,
    /// The buyer may open a claim now (shipped, or late, and no claim open).
    pub may_claim: bool,
    /// The buyer may review the order's products (delivered); with the reviews written so far.
    pub may_review: bool,
    pub reviews: Vec<(ProductId, crate::domain::ReviewId, crate::domain::review::ReviewState)>,
    /// For the order's seller: the commission kept at the sale and the net due (the statement).
    pub statement: Option<crate::domain::earnings::Statement>,
    /// The conversation between the buyer and the seller about this order, if one started.
    #[serde(default)]
    pub thread: Option<crate::domain::ThreadId>,
}

/// The seller dashboard's tabs: orders by what they need next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ShopOrderTab {
    ToAccept,
    ToShip,
    Late,
    OnTheWay,
    Done,
}

impl ShopOrderTab {
    pub const ALL: [ShopOrderTab; 5] =
        [ShopOrderTab::ToAccept, ShopOrderTab::ToShip, ShopOrderTab::Late, ShopOrderTab::OnTheWay, ShopOrderTab::Done];

    pub fn as_str(self) -> &'static str {
        match self {
            ShopOrderTab::ToAccept => "to-accept",
            ShopOrderTab::ToShip => "to-ship",
            ShopOrderTab::Late => "late",
            ShopOrderTab::OnTheWay => "on-the-way",
            ShopOrderTab::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<ShopOrderTab> {
        ShopOrderTab::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ShopOrderTab::ToAccept => "To accept",
            ShopOrderTab::ToShip => "To ship",
            ShopOrderTab::Late => "Late",
            ShopOrderTab::OnTheWay => "In transit",
            ShopOrderTab::Done => "Done",
        }
    }

    /// The statuses in this tab (the late tab is decided by deadlines, not status alone).
    pub fn statuses(self) -> Vec<OrderStatus> {
        use OrderStatus as S;
        match self {
            ShopOrderTab::ToAccept => vec![S::Placed],
            ShopOrderTab::ToShip => vec![S::Accepted],
            ShopOrderTab::Late => vec![S::Placed, S::Accepted],
            ShopOrderTab::OnTheWay => OrderStatus::ALL.into_iter().filter(|s| s.is_on_the_way()).collect(),
            ShopOrderTab::Done => OrderStatus::ALL.into_iter().filter(|s| *s == S::Delivered || s.is_closed()).collect(),
        }
    }
}

/// One order on the seller dashboard: only what packing and shipping need of the buyer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopOrderCard {
    pub id: OrderId,
    pub shop_name: String,
    pub status: OrderStatus,
    pub placed_at: String,
    /// "Ana Lima · Lisboa, Portugal"
    pub ship_to: String,
    pub items: Vec<(String, i64)>,
    pub total: Money,
    pub deadline: Option<String>,
    pub late: Option<String>,
    pub can_accept: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShopOrders {
    /// The shop's name; `None` for marketplace staff, who see every shop.
    pub shop_name: Option<String>,
    pub tab: ShopOrderTab,
    pub counts: Vec<(ShopOrderTab, i64)>,
    pub orders: Vec<ShopOrderCard>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActionKind as A;
    use OrderStatus as S;

    #[test]
    fn notes_troika_writes_read_in_each_language_and_keep_their_english() {
        let paid = SystemNote::Paid { total: Money(4900), reference: "SIM-AB12".into() };
        assert_eq!(paid.text(Locale::en), "Paid €49.00 (simulated payment SIM-AB12).");
        assert_eq!(paid.text(Locale::fr), "Payé 49,00\u{a0}€ (paiement simulé SIM-AB12).");
        let stored = SystemNote::stored(Some(&paid.args())).unwrap();
        assert_eq!(stored, paid, "what is stored reads back");
        assert_eq!(SystemNote::stored(Some("not json")), None, "an unreadable row keeps its text");
        let shipped = SystemNote::Moved {
            said: Some(MoveNote::Shipped { carrier: "DHL".into(), tracking: "JD1".into() }),
            note: "Left this morning.".into(),
            refund: None,
        };
        assert_eq!(shipped.text(Locale::en), "DHL, tracking number JD1. Left this morning.");
        assert_eq!(shipped.text(Locale::fr), "DHL, numéro de suivi JD1. Left this morning.", "what a person wrote stays as written");
        let refused = SystemNote::Moved { said: None, note: "Out of stock.".into(), refund: Some(Money(1250)) };
        assert_eq!(refused.text(Locale::en), "Out of stock. Refunded €12.50 (simulated).");
        let settled = SystemNote::ClaimEnded { claim: 3, outcome: crate::domain::dispute::Outcome::Settled(crate::domain::dispute::Remedy::FullRefund), refund: Some(Money(4900)) };
        assert_eq!(settled.text(Locale::en), "Claim #3 settled: Full refund. Refunded €49.00 (simulated).");
        assert_eq!(settled.text(Locale::fr), "Réclamation n° 3 réglée : Remboursement intégral. Remboursé 49,00\u{a0}€ (simulé).");
    }

    #[test]
    fn notification_titles_are_written_in_the_recipients_language() {
        let t = |l| notification_title(l, NotificationKind::Late, Recipient::Seller, OrderId(7), "Atelier");
        assert_eq!(t(Locale::en), "Order #7 is late");
        assert_eq!(t(Locale::fr), "La commande n° 7 est en retard");
    }

    #[test]
    fn statuses_and_actions_round_trip_through_their_stored_names() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
        }
        for a in ActionKind::ALL {
            assert_eq!(ActionKind::parse(a.as_str()), Some(a));
        }
        for n in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(n.as_str()), Some(n));
        }
        assert_eq!(OrderStatus::parse("lost"), None);
    }

    /// Every (status, action) pair that is allowed, with where it leads; everything else is refused.
    fn expected(from: OrderStatus, action: ActionKind) -> Option<OrderStatus> {
        let on_the_way = [S::Shipped, S::InTransit, S::OutForDelivery, S::DeliveryException];
        match (from, action) {
            (S::Placed, A::Accept) => Some(S::Accepted),
            (S::Placed, A::Refuse) => Some(S::Refused),
            (S::Placed, A::CancelByBuyer) => Some(S::CancelledByBuyer),
            (S::Placed, A::CancelUnaccepted) => Some(S::CancelledUnaccepted),
            (S::Accepted, A::Ship) => Some(S::Shipped),
            (S::Accepted, A::CancelBySeller) => Some(S::CancelledBySeller),
            (s, A::InTransit) if on_the_way.contains(&s) => Some(S::InTransit),
            (s, A::OutForDelivery) if on_the_way.contains(&s) && s != S::OutForDelivery => Some(S::OutForDelivery),
            (s, A::DeliveryProblem) if on_the_way.contains(&s) => Some(S::DeliveryException),
            (s, A::MarkDelivered | A::ConfirmReceipt) if on_the_way.contains(&s) => Some(S::Delivered),
            (S::Delivered, A::Complete) => Some(S::Completed),
            _ => None,
        }
    }

    #[test]
    fn every_allowed_and_forbidden_transition_matches_the_table() {
        let mut allowed = 0;
        for from in OrderStatus::ALL {
            for action in ActionKind::ALL {
                for actor in [Actor::Buyer, Actor::Seller, Actor::System] {
                    let got = next_status(from, action, actor);
                    match expected(from, action) {
                        Some(to) if actor == action.actor() => {
                            assert_eq!(got, Ok(to), "{from:?} --{action:?} by {actor:?}");
                            allowed += 1;
                        }
                        Some(_) => assert!(matches!(got, Err(TransitionError::NotYours { .. })), "{from:?} {action:?} {actor:?}"),
                        None if actor == action.actor() => {
                            assert_eq!(got, Err(TransitionError::NotNow { action, status: from }), "{from:?} {action:?}")
                        }
                        None => assert!(got.is_err()),
                    }
                }
            }
        }
        assert_eq!(allowed, 26, "the number of allowed transitions");
    }

    #[test]
    fn closed_orders_allow_nothing_for_anyone() {
        for s in OrderStatus::ALL.into_iter().filter(|s| s.is_closed()) {
            for actor in [Actor::Buyer, Actor::Seller, Actor::System] {
                assert!(allowed_actions(s, actor).is_empty(), "{s:?} {actor:?}");
            }
        }
    }

    #[test]
    fn the_seller_is_offered_accept_or_refuse_and_the_buyer_cancel_on_a_new_order() {
        assert_eq!(allowed_actions(S::Placed, Actor::Seller), vec![A::Accept, A::Refuse]);
        assert_eq!(allowed_actions(S::Placed, Actor::Buyer), vec![A::CancelByBuyer]);
        assert_eq!(allowed_actions(S::Accepted, Actor::Buyer), vec![]);
        assert_eq!(allowed_actions(S::Shipped, Actor::Buyer), vec![A::ConfirmReceipt]);
        assert_eq!(
            allowed_actions(S::Shipped, Actor::Seller),
            vec![A::InTransit, A::OutForDelivery, A::DeliveryProblem, A::MarkDelivered]
        );
    }

    #[test]
    fn refusals_say_who_may_act_or_what_the_order_is_now() {
        let e = next_status(S::Placed, A::Ship, Actor::Seller).unwrap_err();
        assert_eq!(e.to_string(), "Only an accepted order can be shipped or cancelled by the seller; this order is now “Placed”.");
        assert_eq!(AppError::from(e).status(), 409);
        let e = next_status(S::Placed, A::Accept, Actor::Buyer).unwrap_err();
        assert_eq!(e.to_string(), "Only the seller can do this.");
        assert_eq!(AppError::from(e).status(), 403);
    }

    fn input(action: &str, carrier: &str, tracking: &str, note: &str) -> OrderActionInput {
        OrderActionInput { action: action.into(), carrier: carrier.into(), tracking_number: tracking.into(), note: note.into() }
    }

    #[test]
    fn shipping_needs_a_carrier_and_a_well_formed_tracking_number() {
        let err = OrderAction::try_from(input("ship", " ", "", "")).unwrap_err();
        assert!(err.field("carrier").is_some() && err.field("tracking_number").is_some());
        let err = OrderAction::try_from(input("ship", "DHL", "<script>", "")).unwrap_err();
        assert!(err.field("tracking_number").is_some());
        let ok = OrderAction::try_from(input("ship", " La Poste ", "6a 1234 5678", "")).unwrap();
        assert_eq!(ok.shipment, Some(("La Poste".into(), "6A12345678".into())));
    }

    #[test]
    fn refusing_and_reporting_a_problem_need_a_reason() {
        assert!(OrderAction::try_from(input("refuse", "", "", "  ")).unwrap_err().field("note").is_some());
        assert!(OrderAction::try_from(input("delivery_problem", "", "", "")).unwrap_err().field("note").is_some());
        assert!(OrderAction::try_from(input("accept", "", "", "")).is_ok());
        assert!(OrderAction::try_from(input("accept", "", "", &"x".repeat(501))).is_err());
        assert!(OrderAction::try_from(input("teleport", "", "", "")).is_err());
    }

    #[test]
    fn notifications_go_to_the_other_party() {
        use NotificationKind as N;
        assert_eq!(notifications_for(S::Placed, Actor::Buyer), vec![(Recipient::Seller, N::NewOrder)]);
        assert_eq!(notifications_for(S::Shipped, Actor::Seller), vec![(Recipient::Buyer, N::Shipped)]);
        assert_eq!(notifications_for(S::Delivered, Actor::Buyer), vec![(Recipient::Seller, N::Delivered)]);
        assert_eq!(notifications_for(S::Delivered, Actor::Seller), vec![(Recipient::Buyer, N::Delivered)]);
        assert_eq!(notifications_for(S::CancelledByBuyer, Actor::Buyer), vec![(Recipient::Seller, N::Cancelled)]);
        assert!(notifications_for(S::InTransit, Actor::Seller).is_empty());
    }
}
