use crate::api::moderation::{get_moderation_queue, ApproveCleanReviews, ApproveReview, ClaimReview, RejectReview};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::reviews::{PolicySelect, StarLine};
use crate::domain::review::{ModerationQueue, QueueItem};
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

/// `/moderation`: pending reviews and replies, riskiest first, arriving live. A moderator claims
/// one (nobody else works on it meanwhile), then approves or rejects it with a reason; clean items
/// can be approved in bulk. Keyboard: j/k next and previous, c claim, a approve, r reject.
#[component]
pub fn ModerationPage() -> impl IntoView {
    let initial = Resource::new(|| (), |_| get_moderation_queue());
    view! {
        <Title text="Moderation queue"/>
        <h1>"Moderation queue"</h1>
        <nav aria-label="Moderation" class="tabs">
            <ul role="list">
                <li><a class="tab" href="/moderation" aria-current="page">"Queue"</a></li>
                <li><a class="tab" href="/moderation/log">"Decisions log"</a></li>
            </ul>
        </nav>
        <p class="hint" id="keys-help">
            "Keyboard: " <kbd>"j"</kbd> " next, " <kbd>"k"</kbd> " previous, " <kbd>"c"</kbd> " claim, "
            <kbd>"a"</kbd> " approve, " <kbd>"r"</kbd> " reject (choose the reason, Tab to the note, Enter). After a decision the next item is focused."
        </p>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match initial.await {
                    Ok(q) => view! { <ModerationQueueLive initial=q/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The queue itself, live in the browser (its code loads only on this page).
#[island(lazy)]
fn ModerationQueueLive(initial: ModerationQueue) -> impl IntoView {
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
            <p class="alert alert-success" role="status">{format!("{n} review{} published.", if n == 1 { "" } else { "s" })}</p>
        })}
        <QueueView initial actions/>
    }
}

#[component]
fn QueueView(initial: ModerationQueue, actions: Actions) -> impl IntoView {
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
            {move || queue.with(|q| match q.waiting {
                0 => "Nothing waiting. New reviews appear here as they arrive.".to_string(),
                1 => "1 item waiting.".to_string(),
                n if n as usize > q.items.len() => format!("{n} items waiting; the {} riskiest are shown.", q.items.len()),
                n => format!("{n} items waiting."),
            })}
        </p>
        <ActionForm action=actions.bulk attr:class="bulk-form">
            <input type="hidden" name="items" value=move || clean.with(|c| c.join(","))/>
            <button type="submit" disabled=move || clean.with(Vec::is_empty) || actions.bulk.pending().get()>
                {move || match clean.with(Vec::len) {
                    0 => "No clean reviews to approve".to_string(),
                    n => format!("Approve {n} clean review{} (no flags)", if n == 1 { "" } else { "s" }),
                }}
            </button>
        </ActionForm>
        <ol class="queue" role="list" data-testid="queue">
            <For
                each=move || queue.get().items
                key=|i| (i.id, i.version, i.claimed_by.clone(), i.queue, i.reports.len(), i.risk)
                children=move |item| view! { <QueueCard item actions/> }
            />
        </ol>
    }
}

#[component]
fn QueueCard(item: QueueItem, actions: Actions) -> impl IntoView {
    let id = item.id;
    let kind = if item.is_question { "Public question" } else if item.is_reply { "Seller's reply" } else { "Review" };
    let heading = format!("{kind} #{id} · {}", item.queue.label());
    let held_by_other = item.claimed_by.clone().filter(|_| !item.claimed_by_me);
    let author = &item.author;
    let history = format!(
        "{} · member since {} · {} review{} written ({} published, {} not published) · {} order{}",
        author.name,
        author.member_since,
        author.written,
        if author.written == 1 { "" } else { "s" },
        author.published,
        author.rejected,
        author.orders,
        if author.orders == 1 { "" } else { "s" }
    );
    let may_act = held_by_other.is_none() && !item.excluded && !item.own;
    let to_decide = item.clone();
    view! {
        <li>
            <article class="queue-item" class:risky={item.risk > 0} tabindex="0" data-review=id.0 data-testid=format!("queue-item-{id}")
                aria-labelledby=format!("qi-{id}")>
                <h2 id=format!("qi-{id}") class="queue-head">
                    {heading}
                    {(item.risk > 0).then(|| view! { <span class="risk">{format!(" · risk {}", item.risk)}</span> })}
                </h2>
                {(!item.flags.is_empty()).then(|| view! {
                    <ul class="flags" role="list" aria-label="Automatic flags" data-testid="flags">
                        {item.flags.iter().map(|f| view! { <li class=format!("flag flag-{}", f.flag.as_str())>{f.reason.clone()}</li> }).collect_view()}
                    </ul>
                })}
                <p class="muted">
                    <a href=format!("/product/{}", item.product_id)>{item.product_name.clone()}</a>
                    {format!(" · {} · {} · in the queue since {}", item.shop_name, item.order_summary, item.queued_at)}
                </p>
                <p class="muted" data-testid="author-history">{history}</p>
                {item.parent.clone().map(|(t, b)| view! {
                    <blockquote class="parent-review"><p class="muted">"In reply to: " <strong>{t}</strong></p><p>{b}</p></blockquote>
                })}
                <div class="judged">
                    {item.stars.map(|s| view! {
                        <p>"Product: " <StarLine stars=s/>
                            {item.seller_stars.map(|s| view! { " · Seller: " <StarLine stars=s/> })}
                        </p>
                    })}
                    {(!item.title.is_empty()).then(|| view! { <p><strong>{item.title.clone()}</strong></p> })}
                    <p class="review-body">{item.body.clone()}</p>
                </div>
                {(!item.reports.is_empty()).then(|| view! {
                    <div class="reports">
                        <p><strong>"Reported:"</strong></p>
                        <ul role="list">
                            {item.reports.iter().map(|r| view! {
                                <li>{format!("{} · {}", r.reason, r.at)}{(!r.note.is_empty()).then(|| format!(" — {}", r.note))}</li>
                            }).collect_view()}
                        </ul>
                    </div>
                })}
                {item.appeal.clone().map(|a| view! {
                    <div class="appeal-text">
                        {item.earlier_rejection.clone().map(|r| view! { <p>{format!("Rejected before: {}{}", r.reason, if r.note.is_empty() { String::new() } else { format!(" — {}", r.note) })}</p> })}
                        <p><strong>"The author's appeal: "</strong>{a}</p>
                    </div>
                })}
                {held_by_other.map(|m| view! { <p class="claimed" data-testid="claimed-by">{format!("{m} is working on this.")}</p> })}
                {item.excluded.then(|| view! { <p class="claimed">"You made the decision under appeal: another moderator judges it."</p> })}
                {item.own.then(|| view! { <p class="claimed">"You wrote this: another moderator decides it."</p> })}
                {may_act.then(move || view! { <Decide item=to_decide actions/> })}
            </article>
        </li>
    }
}

#[component]
fn Decide(item: QueueItem, actions: Actions) -> impl IntoView {
    let id = item.id;
    view! {
        <div class="decide">
            {(!item.claimed_by_me).then(|| view! {
                <ActionForm action=actions.claim attr:class="inline-form">
                    <input type="hidden" name="review_id" value=id.0/>
                    <button type="submit" data-key="c">"Claim"</button>
                </ActionForm>
            })}
            {item.claimed_by_me.then(|| view! { <p class="claimed mine">"You are working on this."</p> })}
            <ActionForm action=actions.approve attr:class="inline-form">
                <input type="hidden" name="review_id" value=id.0/>
                <input type="hidden" name="version" value=item.version/>
                <button type="submit" class="primary" data-key="a">"Approve"</button>
            </ActionForm>
            <ActionForm action=actions.reject attr:class="reject-form">
                <input type="hidden" name="review_id" value=id.0/>
                <input type="hidden" name="version" value=item.version/>
                <div class="field"><PolicySelect id=format!("reject-reason-{id}") label="Reason for rejecting"/></div>
                <div class="field">
                    <label for=format!("reject-note-{id}")>"Note to the author" <span class="optional">" (optional)"</span></label>
                    <input id=format!("reject-note-{id}") name="note" maxlength="1000" autocomplete="off"/>
                </div>
                <button type="submit" class="danger" data-key="r">"Reject"</button>
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
