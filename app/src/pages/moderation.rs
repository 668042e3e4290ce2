use crate::api::moderation::{get_moderation_queue, ApproveCleanReviews, ApproveReview, ClaimReview, RejectReview};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::lang::use_lang;
use crate::components::reviews::{queue_label, stars_template, PolicyChoice, PolicySelect, StarLine};
use crate::domain::review::{Flag, Flagged, ModerationQueue, PolicyReason, QueueItem, QueueReason};
use crate::i18n::{td_string, Locale};
use crate::live::follow_moderation;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;

/// The four things a moderator does on the queue page.
#[derive(Clone, Copy)]
struct Actions {
    claim: ServerAction<ClaimReview>,
    approve: ServerAction<ApproveReview>,
    reject: ServerAction<RejectReview>,
    bulk: ServerAction<ApproveCleanReviews>,
}

/// A count in words, in the three forms a language may need (none, one, more), with `{n}` for
/// the number: built on the server, chosen in the browser as the count changes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Counted {
    zero: String,
    one: String,
    other: String,
}

impl Counted {
    fn say(&self, n: i64) -> String {
        let form = match n {
            0 => &self.zero,
            1 => &self.one,
            _ => &self.other,
        };
        fill(form, &[("n", &n.to_string())])
    }
}

/// `Counted` from a plural key: `counted!(l, area.key)` (the key's text takes `{{ shown }}`).
macro_rules! counted {
    ($l:expr, $($key:ident).+) => {
        Counted {
            zero: td_string!($l, $($key).+, count = 0i64, shown = "{n}").to_string(),
            one: td_string!($l, $($key).+, count = 1i64, shown = "{n}").to_string(),
            other: td_string!($l, $($key).+, count = 2i64, shown = "{n}").to_string(),
        }
    };
}

/// The words of the live queue, in the page's language: the island's code carries none, and it
/// draws items anew in the browser as the queue changes. `{x}` marks what the browser fills in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct QueueText {
    published: Counted,
    nothing_waiting: String,
    one_waiting: String,
    /// `{n}`, `{shown}`.
    some_shown: String,
    /// `{n}`.
    many_waiting: String,
    no_clean: String,
    approve_clean: Counted,
    public_question: String,
    sellers_reply: String,
    review: String,
    /// `{kind}`, `{id}`, `{queue}`.
    heading: String,
    queue: Vec<(QueueReason, String)>,
    /// `{n}`.
    risk: String,
    automatic_flags: String,
    /// Each flag's words; `{detail}` for what the screening found (words, a share, a count).
    flags: Vec<(Flag, String)>,
    mismatch_one_star: String,
    mismatch_five_stars: String,
    /// `{shop}`, `{order}`, `{at}`.
    where_from: String,
    /// `{name}`, `{since}`, `{written}`, `{published}`, `{rejected}`, `{orders}`.
    history: String,
    written: Counted,
    orders: Counted,
    in_reply_to: String,
    product: String,
    seller: String,
    /// `{n}`.
    stars: String,
    reported: String,
    /// The policy's reasons in words.
    reasons: Vec<(PolicyReason, String)>,
    /// `{reason}`.
    rejected_before: String,
    authors_appeal: String,
    /// `{name}`.
    working_on_it: String,
    excluded: String,
    own: String,
    claim: String,
    you_are_working: String,
    approve: String,
    reject_reason: PolicyChoice,
    note_to_author: String,
    optional: String,
    reject: String,
}

impl QueueText {
    fn new(l: Locale) -> Self {
        QueueText {
            published: counted!(l, moderation.published),
            nothing_waiting: td_string!(l, moderation.nothing_waiting).to_string(),
            one_waiting: td_string!(l, moderation.one_waiting).to_string(),
            some_shown: td_string!(l, moderation.some_shown, n = "{n}", shown = "{shown}").to_string(),
            many_waiting: td_string!(l, moderation.many_waiting, n = "{n}").to_string(),
            no_clean: td_string!(l, moderation.no_clean).to_string(),
            approve_clean: counted!(l, moderation.approve_clean),
            public_question: td_string!(l, moderation.public_question).to_string(),
            sellers_reply: td_string!(l, moderation.sellers_reply).to_string(),
            review: td_string!(l, moderation.review).to_string(),
            heading: td_string!(l, moderation.heading, kind = "{kind}", id = "{id}", queue = "{queue}").to_string(),
            queue: QUEUES.into_iter().map(|q| (q, queue_label(l, q).to_string())).collect(),
            risk: td_string!(l, moderation.risk, n = "{n}").to_string(),
            automatic_flags: td_string!(l, moderation.automatic_flags).to_string(),
            flags: FLAGS.into_iter().map(|f| (f, flag_words(l, f))).collect(),
            mismatch_one_star: td_string!(l, moderation.flag_mismatch_one_star).to_string(),
            mismatch_five_stars: td_string!(l, moderation.flag_mismatch_five_stars).to_string(),
            where_from: td_string!(l, moderation.where_from, shop = "{shop}", order = "{order}", at = "{at}").to_string(),
            history: td_string!(
                l,
                moderation.history,
                name = "{name}",
                since = "{since}",
                written = "{written}",
                published = "{published}",
                rejected = "{rejected}",
                orders = "{orders}"
            )
            .to_string(),
            written: counted!(l, moderation.written),
            orders: counted!(l, moderation.orders),
            in_reply_to: td_string!(l, moderation.in_reply_to).to_string(),
            product: td_string!(l, moderation.product).to_string(),
            seller: td_string!(l, moderation.seller).to_string(),
            stars: stars_template(l),
            reported: td_string!(l, moderation.reported).to_string(),
            reasons: PolicyReason::ALL.into_iter().map(|r| (r, r.label_in(l).to_string())).collect(),
            rejected_before: td_string!(l, moderation.rejected_before, reason = "{reason}").to_string(),
            authors_appeal: td_string!(l, moderation.authors_appeal).to_string(),
            working_on_it: td_string!(l, moderation.working_on_it, name = "{name}").to_string(),
            excluded: td_string!(l, moderation.excluded).to_string(),
            own: td_string!(l, moderation.own).to_string(),
            claim: td_string!(l, moderation.claim).to_string(),
            you_are_working: td_string!(l, moderation.you_are_working).to_string(),
            approve: td_string!(l, moderation.approve).to_string(),
            reject_reason: PolicyChoice::new(l, td_string!(l, moderation.reason_for_rejecting)),
            note_to_author: td_string!(l, moderation.note_to_author).to_string(),
            optional: td_string!(l, form.optional).to_string(),
            reject: td_string!(l, moderation.reject).to_string(),
        }
    }

    /// A policy reason in words.
    fn reason(&self, reason: PolicyReason) -> String {
        self.reasons.iter().find(|(r, _)| *r == reason).map_or_else(String::new, |(_, w)| w.clone())
    }

    /// What the screening found, in the flag's words with its detail (the words found, a share,
    /// a count, the stars).
    fn flag(&self, f: &Flagged) -> String {
        if f.flag == Flag::RatingMismatch {
            return if f.detail == "1" { self.mismatch_one_star.clone() } else { self.mismatch_five_stars.clone() };
        }
        self.flags.iter().find(|(flag, _)| *flag == f.flag).map_or_else(String::new, |(_, words)| fill(words, &[("detail", &f.detail)]))
    }
}

/// `template` with each `{key}` replaced by its value, in one pass (a value that happens to
/// contain `{…}`, a name for instance, stays as it is).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        match values.iter().find(|(k, _)| after.strip_prefix('{').and_then(|a| a.strip_prefix(k)).is_some_and(|a| a.starts_with('}'))) {
            Some((k, v)) => {
                out.push_str(v);
                rest = &after[k.len() + 2..];
            }
            None => {
                out.push('{');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every reason an item is in the queue.
const QUEUES: [QueueReason; 4] = [QueueReason::New, QueueReason::Edited, QueueReason::Reported, QueueReason::Appeal];

/// Every flag the screening raises.
const FLAGS: [Flag; 9] = [
    Flag::Profanity,
    Flag::Link,
    Flag::Email,
    Flag::Phone,
    Flag::Shouting,
    Flag::NearDuplicate,
    Flag::Burst,
    Flag::SelfReview,
    Flag::RatingMismatch,
];

/// A flag as moderators read it (`{detail}`: what the screening found).
fn flag_words(l: Locale, flag: Flag) -> String {
    match flag {
        Flag::Profanity => td_string!(l, moderation.flag_profanity, detail = "{detail}").to_string(),
        Flag::Link => td_string!(l, moderation.flag_link).to_string(),
        Flag::Email => td_string!(l, moderation.flag_email).to_string(),
        Flag::Phone => td_string!(l, moderation.flag_phone).to_string(),
        Flag::Shouting => td_string!(l, moderation.flag_shouting).to_string(),
        Flag::NearDuplicate => td_string!(l, moderation.flag_near_duplicate, detail = "{detail}").to_string(),
        Flag::Burst => td_string!(l, moderation.flag_burst, detail = "{detail}").to_string(),
        Flag::SelfReview => td_string!(l, moderation.flag_self_review).to_string(),
        // Two findings: which one is told by the text itself (see `QueueText::flag`).
        Flag::RatingMismatch => td_string!(l, moderation.flag_mismatch_one_star).to_string(),
    }
}

/// `/moderation`: pending reviews and replies, riskiest first, arriving live. A moderator claims
/// one (nobody else works on it meanwhile), then approves or rejects it with a reason; clean items
/// can be approved in bulk. Keyboard: j/k next and previous, c claim, a approve, r reject.
#[component]
pub fn ModerationPage() -> impl IntoView {
    let initial = Resource::new(|| (), |_| get_moderation_queue());
    let l = use_lang().locale;
    view! {
        <Title text=td_string!(l, moderation.title)/>
        <h1>{td_string!(l, moderation.title)}</h1>
        {moderation_tabs(l, true)}
        <p class="hint" id="keys-help">
            {td_string!(l, moderation.keys_keyboard)}" " <kbd>"j"</kbd> " "{td_string!(l, moderation.keys_next)}" " <kbd>"k"</kbd> " "{td_string!(l, moderation.keys_previous)}" " <kbd>"c"</kbd> " "{td_string!(l, moderation.keys_claim)}" "
            <kbd>"a"</kbd> " "{td_string!(l, moderation.keys_approve)}" " <kbd>"r"</kbd> " "{td_string!(l, moderation.keys_reject)}
        </p>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match initial.await {
                    Ok(q) => view! { <ModerationQueueLive initial=q text=QueueText::new(l)/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The moderation pages' tabs: the queue and the decisions log.
pub(crate) fn moderation_tabs(l: Locale, queue: bool) -> impl IntoView {
    view! {
        <nav aria-label=td_string!(l, moderation.nav_label) class="tabs">
            <ul role="list">
                <li><a class="tab" href="/moderation" aria-current=queue.then_some("page")>{td_string!(l, moderation.queue)}</a></li>
                <li><a class="tab" href="/moderation/log" aria-current=(!queue).then_some("page")>{td_string!(l, moderation.decisions_log)}</a></li>
            </ul>
        </nav>
    }
}

/// The queue itself, live in the browser (its code loads only on this page).
#[island(lazy)]
fn ModerationQueueLive(initial: ModerationQueue, text: QueueText) -> impl IntoView {
    let text = StoredValue::new(text);
    let actions = Actions {
        claim: ServerAction::<ClaimReview>::new(),
        approve: ServerAction::<ApproveReview>::new(),
        reject: ServerAction::<RejectReview>::new(),
        bulk: ServerAction::<ApproveCleanReviews>::new(),
    };
    let error = move || {
        actions
            .claim
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| actions.approve.value().get().and_then(Result::err))
            .or_else(|| actions.reject.value().get().and_then(Result::err))
            .or_else(|| actions.bulk.value().get().and_then(Result::err))
    };
    view! {
        {move || error().map(|e| view! { <Alert message=e.to_string()/> })}
        {move || actions.bulk.value().get().and_then(Result::ok).map(|n| view! {
            <p class="alert alert-success" role="status">{text.with_value(|t| t.published.say(n as i64))}</p>
        })}
        <QueueView initial actions text/>
    }
}

#[component]
fn QueueView(initial: ModerationQueue, actions: Actions, text: StoredValue<QueueText>) -> impl IntoView {
    let queue = RwSignal::new(initial);
    let changed = RwSignal::new(0u64);
    follow_moderation(move || changed.update(|n| *n += 1));
    // Reread the queue when it changes (live) or after this moderator acted. Items that did not
    // change keep their place on the page (and whatever is typed in their forms).
    Effect::new(move |first: Option<()>| {
        changed.track();
        actions.claim.version().track();
        actions.approve.version().track();
        actions.reject.version().track();
        actions.bulk.version().track();
        if first.is_some() {
            leptos::task::spawn_local(async move {
                if let Ok(q) = get_moderation_queue().await {
                    queue.set(q);
                    refocus_after_decision();
                }
            });
        }
    });
    keyboard_shortcuts();
    // The clean items shown (id:version), for bulk approval: worked out once per queue change.
    let clean = Memo::new(move |_| {
        queue.with(|q| {
            q.items
                .iter()
                .filter(|i| i.is_clean() && (i.claimed_by.is_none() || i.claimed_by_me))
                .map(|i| format!("{}:{}", i.id, i.version))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <p role="status" aria-live="polite" data-testid="queue-waiting">
            {move || queue.with(|q| text.with_value(|t| match q.waiting {
                0 => t.nothing_waiting.clone(),
                1 => t.one_waiting.clone(),
                n if n as usize > q.items.len() => fill(&t.some_shown, &[("n", &n.to_string()), ("shown", &q.items.len().to_string())]),
                n => fill(&t.many_waiting, &[("n", &n.to_string())]),
            }))}
        </p>
        <ActionForm action=actions.bulk attr:class="bulk-form">
            <input type="hidden" name="items" value=move || clean.with(|c| c.join(","))/>
            <button type="submit" disabled=move || clean.with(Vec::is_empty) || actions.bulk.pending().get()>
                {move || text.with_value(|t| match clean.with(Vec::len) {
                    0 => t.no_clean.clone(),
                    n => t.approve_clean.say(n as i64),
                })}
            </button>
        </ActionForm>
        <ol class="queue" role="list" data-testid="queue">
            <For
                each=move || queue.get().items
                key=|i| (i.id, i.version, i.claimed_by.clone(), i.queue, i.reports.len(), i.risk)
                children=move |item| view! { <QueueCard item actions text/> }
            />
        </ol>
    }
}

#[component]
fn QueueCard(item: QueueItem, actions: Actions, text: StoredValue<QueueText>) -> impl IntoView {
    let id = item.id;
    let t = text.get_value();
    let kind = if item.is_question { &t.public_question } else if item.is_reply { &t.sellers_reply } else { &t.review };
    let queue = t.queue.iter().find(|(q, _)| *q == item.queue).map(|(_, w)| w.clone()).unwrap_or_default();
    let heading = fill(&t.heading, &[("kind", kind), ("id", &id.to_string()), ("queue", &queue)]);
    let held_by_other = item.claimed_by.clone().filter(|_| !item.claimed_by_me);
    let author = &item.author;
    let history = fill(
        &t.history,
        &[
            ("name", &author.name),
            ("since", &author.member_since),
            ("written", &t.written.say(author.written)),
            ("published", &author.published.to_string()),
            ("rejected", &author.rejected.to_string()),
            ("orders", &t.orders.say(author.orders)),
        ],
    );
    let stars_label = t.stars.clone();
    let may_act = held_by_other.is_none() && !item.excluded && !item.own;
    let to_decide = item.clone();
    view! {
        <li>
            <article class="queue-item" class:risky={item.risk > 0} tabindex="0" data-review=id.0 data-testid=format!("queue-item-{id}")
                aria-labelledby=format!("qi-{id}")>
                <h2 id=format!("qi-{id}") class="queue-head">
                    {heading}
                    {(item.risk > 0).then(|| view! { <span class="risk">{fill(&t.risk, &[("n", &item.risk.to_string())])}</span> })}
                </h2>
                {(!item.flags.is_empty()).then(|| view! {
                    <ul class="flags" role="list" aria-label=t.automatic_flags.clone() data-testid="flags">
                        {item.flags.iter().map(|f| view! { <li class=format!("flag flag-{}", f.flag.as_str())>{t.flag(f)}</li> }).collect_view()}
                    </ul>
                })}
                <p class="muted">
                    <a href=format!("/product/{}", item.product_id)>{item.product_name.clone()}</a>
                    {fill(&t.where_from, &[("shop", &item.shop_name), ("order", &item.order_summary), ("at", &item.queued_at)])}
                </p>
                <p class="muted" data-testid="author-history">{history}</p>
                {item.parent.clone().map(|(title, b)| view! {
                    <blockquote class="parent-review"><p class="muted">{t.in_reply_to.clone()} <strong>{title}</strong></p><p>{b}</p></blockquote>
                })}
                <div class="judged">
                    {item.stars.map(|s| view! {
                        <p>{t.product.clone()} <StarLine stars=s label=stars_label.clone()/>
                            {item.seller_stars.map(|s| view! { {t.seller.clone()} <StarLine stars=s label=stars_label.clone()/> })}
                        </p>
                    })}
                    {(!item.title.is_empty()).then(|| view! { <p><strong>{item.title.clone()}</strong></p> })}
                    <p class="review-body">{item.body.clone()}</p>
                </div>
                {(!item.reports.is_empty()).then(|| view! {
                    <div class="reports">
                        <p><strong>{t.reported.clone()}</strong></p>
                        <ul role="list">
                            {item.reports.iter().map(|r| view! {
                                <li>{format!("{} · {}", t.reason(r.reason), r.at)}{(!r.note.is_empty()).then(|| format!(" — {}", r.note))}</li>
                            }).collect_view()}
                        </ul>
                    </div>
                })}
                {item.appeal.clone().map(|a| view! {
                    <div class="appeal-text">
                        {item.earlier_rejection.clone().map(|r| view! { <p>{format!("{}{}", fill(&t.rejected_before, &[("reason", &t.reason(r.reason))]), if r.note.is_empty() { String::new() } else { format!(" — {}", r.note) })}</p> })}
                        <p><strong>{t.authors_appeal.clone()}</strong>{a}</p>
                    </div>
                })}
                {held_by_other.map(|m| view! { <p class="claimed" data-testid="claimed-by">{fill(&t.working_on_it, &[("name", &m)])}</p> })}
                {item.excluded.then(|| view! { <p class="claimed">{t.excluded.clone()}</p> })}
                {item.own.then(|| view! { <p class="claimed">{t.own.clone()}</p> })}
                {may_act.then(move || view! { <Decide item=to_decide actions text/> })}
            </article>
        </li>
    }
}

#[component]
fn Decide(item: QueueItem, actions: Actions, text: StoredValue<QueueText>) -> impl IntoView {
    let id = item.id;
    let t = text.get_value();
    view! {
        <div class="decide">
            {(!item.claimed_by_me).then(|| view! {
                <ActionForm action=actions.claim attr:class="inline-form">
                    <input type="hidden" name="review_id" value=id.0/>
                    <button type="submit" data-key="c">{t.claim.clone()}</button>
                </ActionForm>
            })}
            {item.claimed_by_me.then(|| view! { <p class="claimed mine">{t.you_are_working.clone()}</p> })}
            <ActionForm action=actions.approve attr:class="inline-form">
                <input type="hidden" name="review_id" value=id.0/>
                <input type="hidden" name="version" value=item.version/>
                <button type="submit" class="primary" data-key="a">{t.approve.clone()}</button>
            </ActionForm>
            <ActionForm action=actions.reject attr:class="reject-form">
                <input type="hidden" name="review_id" value=id.0/>
                <input type="hidden" name="version" value=item.version/>
                <div class="field"><PolicySelect id=format!("reject-reason-{id}") choice=t.reject_reason.clone()/></div>
                <div class="field">
                    <label for=format!("reject-note-{id}")>{t.note_to_author.clone()} <span class="optional">{t.optional.clone()}</span></label>
                    <input id=format!("reject-note-{id}") name="note" maxlength="1000" autocomplete="off"/>
                </div>
                <button type="submit" class="danger" data-key="r">{t.reject.clone()}</button>
            </ActionForm>
        </div>
    }
}

/// j/k move between items, c claims, a approves, r goes to the reason for rejecting (typing in a
/// field is never taken for a shortcut). After a decision made from the keyboard (`a`, or Enter in
/// a rejection's note), the item that takes the decided one's place gets the focus once the queue
/// is reread: approve, approve, reject… without reaching for the mouse.
fn keyboard_shortcuts() {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let handle = window_event_listener(leptos::ev::keydown, |e: web_sys::KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let target = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            let items = keys::items();
            let index_of = |el: &web_sys::Element| {
                let article = el.closest("article.queue-item").ok().flatten()?;
                items.iter().position(|i| i.is_same_node(Some(&article)))
            };
            let key = e.key();
            if target.as_ref().is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")) {
                // Typing. Enter in a rejection's note sends it: the next item gets the focus after.
                if key == "Enter" && target.as_ref().is_some_and(|el| el.closest(".reject-form").ok().flatten().is_some()) {
                    keys::refocus_later(target.as_ref().and_then(index_of));
                }
                return;
            }
            if items.is_empty() {
                return;
            }
            let index = document().active_element().as_ref().and_then(index_of);
            match key.as_str() {
                "j" | "n" | "k" => {
                    let next = match (key.as_str(), index) {
                        ("k", Some(i)) => i.saturating_sub(1),
                        ("k", None) => 0,
                        (_, Some(i)) => (i + 1).min(items.len() - 1),
                        (_, None) => 0,
                    };
                    e.prevent_default();
                    let _ = items[next].focus();
                }
                "c" | "a" | "r" => {
                    let Some(item) = index.map(|i| &items[i]) else { return };
                    e.prevent_default();
                    let selector = if key == "r" { "select".to_string() } else { format!("button[data-key='{key}']") };
                    let Some(el) = item.query_selector(&selector).ok().flatten().and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) else {
                        return;
                    };
                    match key.as_str() {
                        "r" => {
                            let _ = el.focus();
                        }
                        "a" => {
                            keys::refocus_later(index);
                            el.click();
                        }
                        _ => el.click(),
                    }
                }
                _ => {}
            }
        });
        on_cleanup(move || handle.remove());
    }
}

/// Called after the queue was reread: focuses the item in the place of the one decided from the
/// keyboard, if any.
fn refocus_after_decision() {
    #[cfg(feature = "hydrate")]
    keys::refocus_now();
}

#[cfg(feature = "hydrate")]
mod keys {
    use leptos::prelude::{document, request_animation_frame};
    use std::cell::Cell;
    use wasm_bindgen::JsCast;

    thread_local! {
        /// The place of the item last decided from the keyboard, until the queue is reread.
        static REFOCUS: Cell<Option<usize>> = const { Cell::new(None) };
    }

    pub fn items() -> Vec<web_sys::HtmlElement> {
        document()
            .query_selector_all("article.queue-item")
            .ok()
            .map(|list| (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok()).collect())
            .unwrap_or_default()
    }

    pub fn refocus_later(index: Option<usize>) {
        REFOCUS.with(|r| r.set(index));
    }

    pub fn refocus_now() {
        let Some(index) = REFOCUS.with(Cell::take) else { return };
        // After the list has been drawn anew.
        request_animation_frame(move || {
            let items = items();
            if let Some(item) = items.get(index.min(items.len().saturating_sub(1))) {
                let _ = item.focus();
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn fill_replaces_each_key_once_and_leaves_braces_in_values_alone() {
        assert_eq!(fill("{name} · since {since}", &[("name", "Ana {since}"), ("since", "2024")]), "Ana {since} · since 2024");
        assert_eq!(fill("{n} items; {other}", &[("n", "3")]), "3 items; {other}");
        assert_eq!(fill("no keys", &[("n", "3")]), "no keys");
    }
}
