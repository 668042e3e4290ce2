//! Conversations between buyers and sellers: the buyer's messages (`/messages`), the seller's
//! inbox (`/seller/inbox`), one conversation (`/messages/:id`, live, in the same room as claims),
//! the seller's saved replies (`/seller/replies`), and the "Ask the seller" / "Message the seller"
//! forms of the product and order pages.

use crate::api::threads::{get_inbox, get_message_draft, get_saved_replies, get_thread, AskSeller, DeleteReply, MarkNoAnswerNeeded, MessageSeller, PostThreadMessage, PublishQuestion, SaveReply, AskTroikaToStepIn};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::lang::use_locale;
use crate::components::room::{fill, provide_room_text, role_label, room_text, run_room_clock, seen_marks, Loaded, PendingView, PresenceLine, RoomLive, RoomText};
use crate::domain::dispute::{Audience, Party, MESSAGE_MAX_CHARS};
use crate::domain::review::{found_in_message, Flag};
#[cfg(feature = "hydrate")]
use crate::domain::room::ClientFrame;
use crate::domain::room::{EntryKind, RoomEntry, RoomId};
use crate::domain::thread::{state_from_entries, Inbox, OrderPanel, SavedReply, ThreadState, ThreadSummary, ThreadTopic, ThreadView, PLACEHOLDERS, TEMPLATE_BODY_MAX, TEMPLATE_TITLE_MAX};
use crate::domain::{OrderId, ProductId, ThreadId};
use crate::error::AppError;
use crate::live::room::new_client_id;
use crate::live::region::{LiveRegion, LiveTopic};
use crate::pages::loading;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The message of a failed send for the `body` field, and whether it is the screening's warning
/// (then the form offers "send anyway").
fn body_error(e: &AppError) -> Option<(String, bool)> {
    e.field("body").map(|m| {
        let warned = e.field("confirm").is_some();
        (m, warned)
    })
}

/// `/messages`: the buyer's conversations with shops, newest first.
#[component]
pub fn MessagesPage() -> impl IntoView {
    view! { <InboxPage shop=false/> }
}

/// `/seller/inbox`: the shop's conversations, those waiting for an answer first (the oldest
/// deadline first), each with its countdown.
#[component]
pub fn SellerInboxPage() -> impl IntoView {
    view! { <InboxPage shop=true/> }
}

#[component]
fn InboxPage(shop: bool) -> impl IntoView {
    let query = use_query_map();
    let topic = move || query.read().get("topic").unwrap_or_default();
    let state = move || query.read().get("state").unwrap_or_default();
    let inbox = Resource::new(
        move || (topic(), state()),
        move |(topic, state, ..)| get_inbox(if shop { "shop".into() } else { String::new() }, topic, state),
    );
    let l = use_locale();
    let title = if shop { td_string!(l, conversations.inbox) } else { td_string!(l, conversations.messages) };
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <LiveRegion id="inbox-live".to_string() on=LiveTopic::Inbox>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match inbox.await {
                    Ok(i) => view! { <InboxView inbox=i shop/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Transition>
        </LiveRegion>
    }
}

#[component]
fn InboxView(inbox: Inbox, shop: bool) -> impl IntoView {
    let l = use_locale();
    let action = if shop { "/seller/inbox" } else { "/messages" };
    let topic = inbox.topic;
    let state = inbox.state;
    let empty = inbox.threads.is_empty();
    let filtered = topic.is_some() || state.is_some();
    view! {
        {shop.then(|| view! {
            <p class="inbox-summary" data-testid="inbox-summary">
                {td_string!(l, conversations.waiting_count, n = inbox.waiting).to_string()}
                {(inbox.late > 0).then(|| view! { <strong class="late">{td_string!(l, conversations.late_count, n = inbox.late).to_string()}</strong> })}
                " · " <A href="/seller/replies">{td_string!(l, conversations.saved_replies)}</A>
            </p>
        })}
        <form method="get" action=action class="filters inbox-filters">
            <div class="field">
                <label for="inbox-topic">{td_string!(l, conversations.topic)}</label>
                <select id="inbox-topic" name="topic">
                    <option value="" selected=topic.is_none()>{td_string!(l, conversations.all_topics)}</option>
                    {ThreadTopic::ALL.into_iter().map(|t| view! { <option value=t.as_str() selected=topic == Some(t)>{topic_label(l, t)}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="inbox-state">{td_string!(l, conversations.state)}</label>
                <select id="inbox-state" name="state">
                    <option value="" selected=state.is_none()>{td_string!(l, conversations.all_states)}</option>
                    {ThreadState::ALL.into_iter().map(|s| view! { <option value=s.as_str() selected=state == Some(s)>{thread_state_label(l, s)}</option> }).collect_view()}
                </select>
            </div>
            <button type="submit">{td_string!(l, conversations.show)}</button>
        </form>
        {empty.then(|| view! {
            <p class="empty">{match (filtered, shop) {
                (true, _) => td_string!(l, conversations.none_match),
                (false, true) => td_string!(l, conversations.none_shop),
                (false, false) => td_string!(l, conversations.none_buyer),
            }}</p>
        })}
        <ul class="thread-list" role="list" data-testid="thread-list">
            {inbox.threads.into_iter().map(|t| view! { <ThreadRow t shop/> }).collect_view()}
        </ul>
    }
}

#[component]
fn ThreadRow(t: ThreadSummary, shop: bool) -> impl IntoView {
    let l = use_locale();
    let class = format!("thread-card state-{}", t.state.as_str());
    view! {
        <li class=class class:unread=t.unread class:late=t.late data-testid="thread-card">
            <p class="thread-head">
                <A href=format!("/messages/{}", t.id)><strong>{t.subject.clone()}</strong></A>
                {t.unread.then(|| view! { " " <span class="badge new-badge">{td_string!(l, conversations.new_badge)}</span> })}
            </p>
            <p class="muted">{format!("{} · {} · {}", t.with, topic_label(l, t.topic), t.last_message_at)}</p>
            <p class="preview">{t.preview.clone()}</p>
            <p class="thread-state">
                <span class=format!("status thread-{}", t.state.as_str())>{thread_state_label(l, t.state)}</span>
                {(shop).then_some(t.countdown.clone()).flatten().map(|c| view! { " " <strong class="countdown" class:late=t.late data-testid="countdown">{c}</strong> })}
            </p>
        </li>
    }
}

/// `/messages/:id`: one conversation, live for both sides.
#[component]
pub fn ThreadPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let l = use_locale();
    let no_such = td_string!(l, conversations.no_such);
    let thread = Resource::new(id, move |id| async move {
        match id {
            Some(id) => load_thread(id).await,
            None => Err(AppError::NotFound(no_such.into())),
        }
    });
    let text = StoredValue::new(ThreadText::new(l));
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match thread.await {
                    Ok((t, draft)) => {
                        let photo_problem = query.read_untracked().get("photo_error").map(|code| photo_problem(l, &code));
                        view! { <Title text=t.subject.clone()/> <ThreadRoomLive t draft photo_problem text=text.get_value()/> }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A conversation and what was typed into it when sending failed (the no-JavaScript flow).
async fn load_thread(id: i64) -> Result<(ThreadView, String), AppError> {
    let view = get_thread(id).await?;
    let draft = get_message_draft("thread".into(), id).await.unwrap_or_default();
    Ok((view, draft))
}

/// Why the photo just sent was refused (the photo form's redirect says so in the address).
fn photo_problem(l: crate::i18n::Locale, code: &str) -> String {
    match crate::domain::photo::PhotoRefusal::parse(code) {
        Some(r) => r.message(),
        None if code == "caption" => td_string!(l, conversations.caption_refused, max = MESSAGE_MAX_CHARS).to_string(),
        None => td_string!(l, conversations.photo_failed).to_string(),
    }
}

/// The conversation itself, live in the browser (its code loads only on this page). It rereads
/// the conversation when the socket says so and after "No answer needed".
#[island(lazy)]
fn ThreadRoomLive(t: ThreadView, draft: String, photo_problem: Option<String>, text: ThreadText) -> impl IntoView {
    provide_room_text(text.room.clone());
    provide_context(Arc::new(text));
    let id = t.id.0;
    let live = RoomLive::new();
    let no_answer = ServerAction::<MarkNoAnswerNeeded>::new();
    let post = ServerAction::<PostThreadMessage>::new();
    let current = RwSignal::new((t, draft));
    Effect::new(move |seen: Option<(u64, usize)>| {
        let now = (live.reload.get(), no_answer.version().get());
        if seen.is_some_and(|s| s != now) {
            leptos::task::spawn_local(async move {
                if let Ok(loaded) = load_thread(id).await {
                    current.set(loaded);
                }
            });
        }
        now
    });
    on_cleanup(move || live.stop());
    run_room_clock(live);
    view! {
        {move || {
            let (t, draft) = current.get();
            view! { <ThreadRoom t draft live no_answer post photo_problem=photo_problem.clone()/> }
        }}
    }
}

#[component]
fn ThreadRoom(t: ThreadView, draft: String, live: RoomLive, no_answer: ServerAction<MarkNoAnswerNeeded>, post: ServerAction<PostThreadMessage>, photo_problem: Option<String>) -> impl IntoView {
    let room = RoomId::Thread(t.id);
    // Messages never reload the page (that would wipe a half-typed answer): where the conversation
    // stands is worked out from its entries as they arrive, by the server's own rules.
    live.merge(room, Loaded { entries: &t.entries, cursor: t.cursor, reads: &t.reads, me: (t.viewer_id, t.viewer), awaiting_seller: false, now: t.now });
    let seen = seen_marks(live);
    let w = thread_text();
    let r = room_text();
    let standing = Memo::new(move |_| live.entries.with(|es| state_from_entries(es)));
    let window = t.answer_window_ms;
    let due = move || standing.get().1.map(|asked| asked + window);
    let (back, back_label) = if t.viewer == Party::Seller { ("/seller/inbox", w.back_inbox.clone()) } else { ("/messages", w.back_messages.clone()) };
    let with = match t.viewer {
        Party::Seller => fill(&w.with_buyer, &[("name", &t.buyer_name)]),
        Party::Buyer => fill(&w.with_shop, &[("name", &t.shop_name)]),
        _ => fill(&w.between, &[("buyer", &t.buyer_name), ("shop", &t.shop_name)]),
    };
    let may_write = matches!(t.viewer, Party::Buyer | Party::Seller) && t.claim.is_none();
    let error = move || no_answer.value().get().and_then(Result::err).map(|e| e.to_string());
    let order = t.order.clone();
    let product = t.product.clone();
    let viewer = t.viewer;
    let loaded_state = t.state;
    let loaded_expected = t.answer_expected.clone();
    // The buyer: "Answer expected by …" (as loaded), or counted from a message sent since.
    let (w2, r2) = (w.clone(), r.clone());
    let expected = move || {
        let d = due()?;
        if viewer != Party::Buyer {
            return None;
        }
        Some(match (&loaded_expected, loaded_state) {
            (Some(text), ThreadState::Waiting) => text.clone(),
            _ => {
                let now = live.clock.get();
                let within = if d - now >= 0 { r2.short_duration(d - now) } else { r2.answer_countdown(d, now) };
                fill(&w2.expected_within, &[("time", &within)])
            }
        })
    };
    let (w3, r3) = (w.clone(), r.clone());
    let seller_countdown = move || (viewer == Party::Seller).then(due).flatten().map(|d| fill(&w3.answer_due, &[("time", &r3.answer_countdown(d, live.clock.get()))]));
    let w4 = w.clone();
    let r4 = r.clone();
    view! {
        <div class="room thread-room">
            <header class="room-head">
                <p><a href=back>{back_label}</a></p>
                <h1>{t.subject.clone()} " " <span class=move || format!("status thread-{}", standing.get().0.as_str()) data-testid="thread-state">{move || w4.state(standing.get().0)}</span></h1>
                <p class="muted">{format!("{} · {}", with, w.topic(t.topic))}</p>
                {product.map(|(pid, name)| view! { <p><a href=format!("/product/{pid}")>{fill(&w.about, &[("name", &name)])}</a></p> })}
                {t.others_read.iter().map(|line| view! { <p class="reads muted" data-testid="others-read">{line.clone()}</p> }).collect_view()}
                <p class="deadline" data-testid="answer-expected">{expected}</p>
                {(viewer == Party::Buyer).then_some(t.usually.clone()).flatten().map(|u| view! { <p class="muted" data-testid="usually-answers">{u}</p> })}
                <p class="deadline" data-testid="thread-countdown">{seller_countdown}</p>
                {t.claim.map(|c| view! {
                    <p class="notice" data-testid="thread-claim">
                        {fill(&w.became_claim, &[("claim", &c.to_string())])}
                        <a href=format!("/claims/{c}")>{w.continue_in_claim.clone()}</a>
                    </p>
                })}
                <PresenceLine live/>
            </header>
            {order.map(|o| view! { <OrderBeside o/> })}
            {move || error().map(|m| view! { <Alert message=m/> })}
            <ThreadActions t=t.clone() no_answer waiting=Signal::derive(move || standing.get().0 == ThreadState::Waiting)/>
            <section class="room-log-wrap" aria-labelledby="conversation-title">
                <h2 id="conversation-title" class="visually-hidden">{r.conversation.clone()}</h2>
                <div role="log" aria-live="polite" aria-relevant="additions" aria-labelledby="conversation-title">
                <ol class="room-log" data-testid="room-log">
                    <For each=move || live.entries.get() key=|e| e.seq let:entry>
                        <ThreadEntry entry live seen/>
                    </For>
                    <For each=move || live.outbox.get() key=|p| (p.client_id.clone(), format!("{:?}", p.state)) let:p>
                        <PendingView p room live/>
                    </For>
                </ol>
                </div>
                <p class="typing" aria-live="polite" data-testid="typing">
                    {move || live.typing.get().map(|(party, name)| r4.typing(party, &name))}
                </p>
                <div id="room-end"></div>
            </section>
            {may_write.then(|| view! { <ThreadComposer thread=t.id live replies=t.replies.clone() draft post photo_problem=photo_problem.clone()/> })}
        </div>
    }
}

/// The order beside a conversation about it: items, status, tracking.
#[component]
fn OrderBeside(o: OrderPanel) -> impl IntoView {
    let w = thread_text();
    let r = room_text();
    view! {
        <aside class="order-panel" aria-labelledby="order-panel-title" data-testid="order-panel">
            <h2 id="order-panel-title">{fill(&w.order, &[("order", &o.id.to_string())])}</h2>
            <p><span class="status">{o.status.clone()}</span> " " <span class="muted">{fill(&w.placed, &[("at", &o.placed_at)])}</span></p>
            <ul class="order-panel-items">
                {o.items.iter().map(|(name, qty)| view! { <li>{format!("{qty} × {name}")}</li> }).collect_view()}
            </ul>
            <p>{fill(&w.total, &[("total", &r.money(o.total))])}</p>
            {o.shipment.clone().map(|(carrier, number)| view! { <p data-testid="order-panel-tracking">{fill(&w.tracking, &[("number", &number), ("carrier", &carrier)])}</p> })}
            {o.estimate.clone().map(|e| view! { <p class="muted">{e}</p> })}
            <p><a href=format!("/orders/{}", o.id)>{w.open_order.clone()}</a></p>
        </aside>
    }
}

/// What the viewer can do besides writing: the seller marks "no answer needed" while a message
/// waits; the buyer turns the conversation into a claim.
#[component]
fn ThreadActions(t: ThreadView, no_answer: ServerAction<MarkNoAnswerNeeded>, waiting: Signal<bool>) -> impl IntoView {
    let seller = t.viewer == Party::Seller && t.claim.is_none();
    let claim_link = t.may_claim.then_some(t.order.as_ref().map(|o| o.id)).flatten();
    if !seller && claim_link.is_none() {
        return ().into_any();
    }
    let id = t.id.0;
    let w = thread_text();
    let r = room_text();
    let sent_to_moderators = w.sent_to_moderators.clone();
    let (no_answer_text, no_answer_hint) = (w.no_answer.clone(), w.no_answer_hint.clone());
    let (publish_text, publish_hint) = (w.publish.clone(), w.publish_hint.clone());
    let publish = ServerAction::<PublishQuestion>::new();
    let published = move || publish.value().get().map(|r| match r {
        Ok(()) => sent_to_moderators.clone(),
        Err(e) => e.to_string(),
    });
    view! {
        <section class="room-controls" aria-label=r.what_you_can_do.clone()>
            {t.public_qa.clone().map(|q| view! { <p class="muted" data-testid="public-qa">{q}</p> })}
            {(seller && t.may_publish).then(|| view! {
                <ActionForm action=publish attr:class="inline-form">
                    <input type="hidden" name="thread_id" value=id/>
                    <button type="submit" data-testid="publish-question">{publish_text}</button>
                    <span class="hint">{publish_hint}</span>
                </ActionForm>
                <p role="status" class="muted">{published}</p>
            })}
            {seller.then(|| view! {
                <Show when=move || waiting.get()>
                    {let (text, hint) = (no_answer_text.clone(), no_answer_hint.clone());
                    view! {
                    <ActionForm action=no_answer attr:class="inline-form">
                        <input type="hidden" name="thread_id" value=id/>
                        <button type="submit" data-testid="no-answer-needed">{text}</button>
                        <span class="hint">{hint}</span>
                    </ActionForm>
                    }}
                </Show>
            })}
            {claim_link.map(|o| view! {
                <p><a href=format!("/orders/{o}/claim")>{w.turn_into_claim.clone()}</a> <span class="muted">{w.turn_into_claim_hint.clone()}</span></p>
            })}
            {(seller && t.may_escalate).then(|| view! { <StepInForm thread=t.id total=t.order.as_ref().map(|o| o.total).unwrap_or_default()/> })}
        </section>
    }
    .into_any()
}

/// The seller asks Troika to step in: what they propose and why; a claim opens for a mediator.
#[component]
fn StepInForm(thread: ThreadId, total: crate::domain::Money) -> impl IntoView {
    let step_in = ServerAction::<AskTroikaToStepIn>::new();
    let error = move || step_in.value().get().and_then(Result::err);
    let field = move |name: &'static str| move || error().and_then(|e| e.field(name));
    let other = move || error().filter(|e| e.field("remedy").is_none() && e.field("amount").is_none() && e.field("message").is_none()).map(|e| e.to_string());
    let w = thread_text();
    let total = room_text().money(total);
    view! {
        <details class="control" open=move || error().is_some()>
            <summary>{w.step_in.clone()}</summary>
            {move || other().map(|m| view! { <Alert message=m/> })}
            <ActionForm action=step_in attr:class="step-in-form">
                <input type="hidden" name="thread_id" value=thread.0/>
                <fieldset aria-describedby="step-in-remedy-error">
                    <legend>{w.propose.clone()}</legend>
                    {w.remedy_kinds.clone().into_iter().map(|(kind, label)| {
                        let id = format!("step-in-{kind}");
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="remedy" value=kind.clone() required checked=kind == "return_and_refund"/>
                                <label for=id>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                    {move || field("remedy")().map(|m| view! { <p class="field-error" id="step-in-remedy-error">{m}</p> })}
                </fieldset>
                <div class="field" class:has-error=move || field("amount")().is_some()>
                    <label for="step-in-amount">{w.amount.clone()} <span class="optional">{fill(&w.less_than, &[("total", &total)])}</span></label>
                    <input id="step-in-amount" name="amount" inputmode="decimal" autocomplete="off" aria-describedby="step-in-amount-error"/>
                    {move || field("amount")().map(|m| view! { <p class="field-error" id="step-in-amount-error">{m}</p> })}
                </div>
                <div class="field" class:has-error=move || field("message")().is_some()>
                    <label for="step-in-message">{w.what_happened.clone()}</label>
                    <textarea id="step-in-message" name="message" rows="3" required maxlength=MESSAGE_MAX_CHARS aria-describedby="step-in-message-error"></textarea>
                    {move || field("message")().map(|m| view! { <p class="field-error" id="step-in-message-error">{m}</p> })}
                </div>
                <button type="submit" disabled=move || step_in.pending().get()>{w.open_claim.clone()}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn ThreadEntry(entry: RoomEntry, live: RoomLive, seen: Memo<Vec<(i64, String)>>) -> impl IntoView {
    let w = thread_text();
    let r = room_text();
    let seq = entry.seq;
    let mine = move || live.me.get().map(|(u, _)| u) == entry.author_id && entry.author_id.is_some();
    let chat = entry.kind == EntryKind::Message;
    let class = format!("entry entry-{} from-{}{}", entry.kind.as_str(), entry.party.as_str(), if chat { "" } else { " event" });
    let seen_label = move || seen.with(|marks| marks.iter().find(|(s, _)| *s == seq).map(|(_, label)| label.clone()));
    let flags = (!entry.flags.is_empty()).then(|| {
        let found: Vec<&str> = entry.flags.iter().filter_map(|f| w.found.iter().find(|(flag, _)| *flag == f.flag).map(|(_, words)| words.as_str())).collect();
        view! { <p class="flag-note" data-testid="message-flags">{fill(&w.flagged, &[("reasons", &found.join(", "))])}</p> }
    });
    let photo_alt = w.photo_alt.clone();
    let photo = entry.photo.map(|p| {
        let w = p.width.min(640);
        let h = u64::from(p.height) * u64::from(w) / u64::from(p.width.max(1));
        view! { <img class="message-photo" src=p.url_for(640) width=w height=h loading="lazy" alt=photo_alt/> }
    });
    view! {
        <li class=class class:mine=mine data-seq=seq>
            <p class="entry-meta">
                <strong class="author">{entry.author.clone()}</strong>
                " " <span class=format!("role role-{}", entry.party.as_str())>{role_label(&r, entry.party)}</span>
                {r.kind(entry.kind).map(|k| view! { " " <span class="kind">{k}</span> })}
                " " <time datetime=entry.at.to_string() class="muted">{entry.at_text.clone()}</time>
            </p>
            {(!entry.body.is_empty()).then(|| view! { <p class="entry-body">{entry.body.clone()}</p> })}
            {photo}
            {flags}
            <p class="seen muted">{seen_label}</p>
        </li>
    }
}

/// The message box. Without JavaScript it is a plain form post (the page comes back with the
/// message, or with the warning and what was typed); with it, the message shows at once and is
/// sent, or kept until the connection is back. The seller can insert a saved reply, filled in.
#[component]
fn ThreadComposer(thread: ThreadId, live: RoomLive, replies: Vec<SavedReply>, draft: String, post: ServerAction<PostThreadMessage>, photo_problem: Option<String>) -> impl IntoView {
    let w = thread_text();
    let r = room_text();
    let body_ref = NodeRef::<leptos::html::Textarea>::new();
    let last_typing = StoredValue::new(0f64);
    let form_id = new_client_id();
    let form_id = if form_id.is_empty() { format!("f{}", thread.0) } else { form_id };
    let warned = move || post.value().get().and_then(Result::err).and_then(|e| body_error(&e));
    let other_error = move || post.value().get().and_then(Result::err).filter(|e| e.field("body").is_none()).map(|e| e.to_string());
    let send = move || {
        let Some(area) = body_ref.get_untracked() else { return };
        let text = area.value();
        if text.trim().is_empty() {
            return;
        }
        live.send(RoomId::Thread(thread), text, Audience::All);
        area.set_value("");
        let _ = area.focus();
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send();
    };
    let on_input = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let now = js_sys::Date::now();
            if now - last_typing.get_value() > 3000.0 {
                last_typing.set_value(now);
                live.send_signal(&ClientFrame::Typing { audience: Audience::All });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = last_typing;
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            send();
        }
    };
    let has_replies = !replies.is_empty();
    let texts: Vec<String> = replies.iter().map(|r| r.body.clone()).collect();
    let insert_reply = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if let (Ok(i), Some(area)) = (value.parse::<usize>(), body_ref.get_untracked()) {
            if let Some(text) = texts.get(i) {
                let current = area.value();
                area.set_value(&if current.trim().is_empty() { text.clone() } else { format!("{current}\n{text}") });
                let _ = area.focus();
            }
        }
    };
    view! {
        {move || other_error().map(|m| view! { <Alert message=m/> })}
        <form class="composer" method="post" action="/api/post_thread_message" on:submit=on_submit>
            <input type="hidden" name="thread_id" value=thread.0/>
            <input type="hidden" name="client_id" value=form_id/>
            {has_replies.then(|| view! {
                <div class="field composer-replies">
                    <label for="composer-reply">{w.saved_reply.clone()}</label>
                    <select id="composer-reply" on:change=insert_reply data-testid="saved-reply">
                        <option value="">{w.insert_reply.clone()}</option>
                        {replies.iter().enumerate().map(|(i, r)| view! { <option value=i.to_string()>{r.title.clone()}</option> }).collect_view()}
                    </select>
                    <noscript><p class="hint">{w.replies_noscript.clone()}</p></noscript>
                </div>
            })}
            <label for="composer-body" class="visually-hidden">{r.message.clone()}</label>
            <textarea id="composer-body" name="body" rows="2" required maxlength=MESSAGE_MAX_CHARS placeholder=r.write_message.clone()
                node_ref=body_ref on:input=on_input on:keydown=on_keydown
                aria-describedby="composer-warning">{draft}</textarea>
            {move || warned().map(|(m, can_confirm)| view! {
                <div id="composer-warning" class="send-warning" role="alert">
                    <p class="field-error">{m}</p>
                    {can_confirm.then(|| view! {
                        <div class="choice">
                            <input type="checkbox" id="composer-confirm" name="confirm" value="yes"/>
                            <label for="composer-confirm">{w.send_it_anyway.clone()}</label>
                        </div>
                    })}
                </div>
            })}
            <button type="submit" class="primary">{r.send.clone()}</button>
        </form>
        <PhotoForm thread problem=photo_problem/>
    }
}

/// Sending a photo: a plain multipart form (the same with and without JavaScript); the server
/// checks it like a product photo and the page comes back with it, or says why not.
#[component]
fn PhotoForm(thread: ThreadId, problem: Option<String>) -> impl IntoView {
    let client_id = format!("photo-{}-{}", thread.0, new_client_id());
    let open = problem.is_some();
    let w = thread_text();
    let optional = room_text().optional.clone();
    view! {
        <details class="photo-form" open=open>
            <summary>{w.send_photo.clone()}</summary>
            {problem.map(|m| view! { <Alert message=m/> })}
            <form method="post" action=format!("/messages/{thread}/photo") enctype="multipart/form-data">
                <input type="hidden" name="client_id" value=client_id/>
                <div class="field">
                    <label for="message-photo">{w.photo.clone()} <span class="optional">{w.photo_formats.clone()}</span></label>
                    <input id="message-photo" type="file" name="photo" accept="image/jpeg,image/png,image/webp" required/>
                </div>
                <div class="field">
                    <label for="message-photo-caption">{w.caption.clone()} <span class="optional">{optional}</span></label>
                    <input id="message-photo-caption" name="body" maxlength=MESSAGE_MAX_CHARS autocomplete="off"/>
                </div>
                <div class="choice">
                    <input type="checkbox" id="message-photo-confirm" name="confirm" value="yes"/>
                    <label for="message-photo-confirm">{w.caption_anyway.clone()}</label>
                </div>
                <button type="submit">{w.send_the_photo.clone()}</button>
            </form>
        </details>
    }
}

/// What was typed into "Ask the seller" for `product` when sending failed. Created with the page
/// (never inside a suspended branch), so the server and the browser number their resources alike.
pub fn ask_draft(product: ProductId) -> Resource<Result<String, AppError>> {
    Resource::new(move || (), move |_| get_message_draft("ask".into(), product.0))
}

/// "Ask the seller" on a product page (signed-in buyers; not on the seller's own products): a
/// message box that starts the conversation and goes on to it.
#[component]
pub fn AskSellerForm(product: ProductId, shop_name: String, usually: Option<String>, draft: Resource<Result<String, AppError>>) -> impl IntoView {
    let ask = ServerAction::<AskSeller>::new();
    let error = move || ask.value().get().and_then(Result::err);
    let warned = move || error().and_then(|e| body_error(&e));
    let other = move || error().filter(|e| e.field("body").is_none()).map(|e| e.to_string());
    let form_id = format!("ask-{}-{}", product.0, new_client_id());
    let l = crate::components::lang::use_locale();
    view! {
        <section class="ask-seller" aria-labelledby="ask-title">
            <details open=move || error().is_some()>
                <summary id="ask-title">{td_string!(l, messages.ask_seller)}</summary>
                {usually.map(|u| view! { <p class="muted" data-testid="usually-answers">{td_string!(l, messages.usually_answers, shop = shop_name.clone(), time = u).to_string()}</p> })}
                {move || other().map(|m| view! { <Alert message=m/> })}
                <ActionForm action=ask attr:class="ask-form">
                    <input type="hidden" name="product_id" value=product.0/>
                    <input type="hidden" name="client_id" value=form_id/>
                    <div class="field" class:has-error=move || warned().is_some()>
                        <label for="ask-body">{td_string!(l, messages.your_question_to, shop = shop_name.clone()).to_string()}</label>
                        <p class="hint" id="ask-hint">{td_string!(l, messages.ask_hint)}</p>
                        <Suspense fallback=|| view! { <textarea id="ask-body" name="body" rows="3" required maxlength=MESSAGE_MAX_CHARS></textarea> }>
                            {move || Suspend::new(async move {
                                let text = draft.await.unwrap_or_default();
                                view! {
                                    <textarea id="ask-body" name="body" rows="3" required maxlength=MESSAGE_MAX_CHARS aria-describedby="ask-hint ask-error"
                                        aria-invalid=move || warned().is_some().then_some("true")>{text}</textarea>
                                }
                            })}
                        </Suspense>
                        {move || warned().map(|(m, can_confirm)| view! {
                            <p class="field-error" id="ask-error" role="alert">{m}</p>
                            {can_confirm.then(|| view! {
                                <div class="choice">
                                    <input type="checkbox" id="ask-confirm" name="confirm" value="yes"/>
                                    <label for="ask-confirm">{td_string!(l, messages.send_anyway)}</label>
                                </div>
                            })}
                        })}
                    </div>
                    <button type="submit" class="primary" disabled=move || ask.pending().get()>{td_string!(l, messages.send_question)}</button>
                </ActionForm>
            </details>
        </section>
    }
}

/// "Message the seller" on an order page (its buyer): a topic and a message; or a link to the
/// conversation already there.
#[component]
pub fn MessageSellerForm(order: OrderId, existing: Option<ThreadId>) -> impl IntoView {
    let l = crate::components::lang::use_locale();
    if let Some(t) = existing {
        return view! {
            <p class="message-seller"><A href=format!("/messages/{t}")>{td_string!(l, messages.with_seller)}</A></p>
        }
        .into_any();
    }
    let send = ServerAction::<MessageSeller>::new();
    let draft = Resource::new(move || (), move |_| get_message_draft("order".into(), order.0));
    let error = move || send.value().get().and_then(Result::err);
    let warned = move || error().and_then(|e| body_error(&e));
    let topic_error = move || error().and_then(|e| e.field("topic"));
    let other = move || error().filter(|e| e.field("body").is_none() && e.field("topic").is_none()).map(|e| e.to_string());
    let form_id = format!("order-{}-{}", order.0, new_client_id());
    view! {
        <section class="message-seller" aria-labelledby="message-seller-title">
            <details open=move || error().is_some()>
                <summary id="message-seller-title">{td_string!(l, messages.message_seller)}</summary>
                {move || other().map(|m| view! { <Alert message=m/> })}
                <ActionForm action=send attr:class="message-form">
                    <input type="hidden" name="order_id" value=order.0/>
                    <input type="hidden" name="client_id" value=form_id/>
                    <div class="field" class:has-error=move || topic_error().is_some()>
                        <label for="message-topic">{td_string!(l, messages.about)}</label>
                        <select id="message-topic" name="topic" required aria-describedby="message-topic-error">
                            {ThreadTopic::ALL.into_iter().map(|t| view! { <option value=t.as_str()>{topic_label(l, t)}</option> }).collect_view()}
                        </select>
                        {move || topic_error().map(|m| view! { <p class="field-error" id="message-topic-error">{m}</p> })}
                    </div>
                    <div class="field" class:has-error=move || warned().is_some()>
                        <label for="message-body">{td_string!(l, messages.your_message)}</label>
                        <Suspense fallback=|| view! { <textarea id="message-body" name="body" rows="3" required maxlength=MESSAGE_MAX_CHARS></textarea> }>
                            {move || Suspend::new(async move {
                                let text = draft.await.unwrap_or_default();
                                view! {
                                    <textarea id="message-body" name="body" rows="3" required maxlength=MESSAGE_MAX_CHARS aria-describedby="message-error"
                                        aria-invalid=move || warned().is_some().then_some("true")>{text}</textarea>
                                }
                            })}
                        </Suspense>
                        {move || warned().map(|(m, can_confirm)| view! {
                            <p class="field-error" id="message-error" role="alert">{m}</p>
                            {can_confirm.then(|| view! {
                                <div class="choice">
                                    <input type="checkbox" id="message-confirm" name="confirm" value="yes"/>
                                    <label for="message-confirm">{td_string!(l, messages.send_anyway)}</label>
                                </div>
                            })}
                        })}
                    </div>
                    <button type="submit" class="primary" disabled=move || send.pending().get()>{td_string!(l, messages.send)}</button>
                </ActionForm>
            </details>
        </section>
    }
    .into_any()
}

/// `/seller/replies`: the seller's saved replies, with placeholders filled from the conversation's
/// order when inserted.
#[component]
pub fn SavedRepliesPage() -> impl IntoView {
    let save = ServerAction::<SaveReply>::new();
    let delete = ServerAction::<DeleteReply>::new();
    let replies = Resource::new(move || (save.version().get(), delete.version().get()), |_| get_saved_replies());
    let error = move || save.value().get().and_then(Result::err);
    let field = move |name: &'static str| move || error().and_then(|e| e.field(name));
    let other = move || {
        save.value().get().and_then(Result::err).filter(|e| e.field("title").is_none() && e.field("body").is_none()).map(|e| e.to_string())
            .or_else(|| delete.value().get().and_then(Result::err).map(|e| e.to_string()))
    };
    let saved = move || save.value().get().is_some_and(|r| r.is_ok());
    let l = use_locale();
    view! {
        <Title text=td_string!(l, conversations.saved_replies)/>
        <p><A href="/seller/inbox">{td_string!(l, conversations.back_inbox)}</A></p>
        <h1>{td_string!(l, conversations.saved_replies)}</h1>
        <p class="muted">{td_string!(l, conversations.replies_intro, placeholders = PLACEHOLDERS.join(", ")).to_string()}</p>
        {move || other().map(|m| view! { <Alert message=m/> })}
        {move || saved().then(|| view! { <p class="notice" role="status">{td_string!(l, conversations.saved)}</p> })}
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match replies.await {
                    Ok(list) => view! {
                        {list.is_empty().then(|| view! { <p class="empty">{td_string!(l, conversations.no_replies)}</p> })}
                        <ul class="reply-list" role="list" data-testid="reply-list">
                            {list.into_iter().map(|r| view! {
                                <li class="reply-card">
                                    <p><strong>{r.title.clone()}</strong></p>
                                    <p class="preview">{r.body.clone()}</p>
                                    <ActionForm action=delete attr:class="inline-form">
                                        <input type="hidden" name="id" value=r.id/>
                                        <button type="submit" class="link-button">{td_string!(l, conversations.delete_reply, title = r.title.clone()).to_string()}</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Transition>
        <h2>{td_string!(l, conversations.new_reply)}</h2>
        <ActionForm action=save attr:class="reply-form">
            <input type="hidden" name="id" value=""/>
            <div class="field" class:has-error=move || field("title")().is_some()>
                <label for="reply-title">{td_string!(l, conversations.reply_name)}</label>
                <input id="reply-title" name="title" required maxlength=TEMPLATE_TITLE_MAX autocomplete="off" aria-describedby="reply-title-error"
                    aria-invalid=move || field("title")().is_some().then_some("true")/>
                {move || field("title")().map(|m| view! { <p class="field-error" id="reply-title-error">{m}</p> })}
            </div>
            <div class="field" class:has-error=move || field("body")().is_some()>
                <label for="reply-body">{td_string!(l, conversations.reply_body)}</label>
                <p class="hint" id="reply-body-hint">{td_string!(l, conversations.reply_example)}</p>
                <textarea id="reply-body" name="body" rows="4" required maxlength=TEMPLATE_BODY_MAX aria-describedby="reply-body-hint reply-body-error"
                    aria-invalid=move || field("body")().is_some().then_some("true")></textarea>
                {move || field("body")().map(|m| view! { <p class="field-error" id="reply-body-error">{m}</p> })}
            </div>
            <button type="submit" class="primary" disabled=move || save.pending().get()>{td_string!(l, conversations.save_reply)}</button>
        </ActionForm>
    }
}

/// A conversation's topic in the page's language.
fn topic_label(l: crate::i18n::Locale, topic: ThreadTopic) -> &'static str {
    match topic {
        ThreadTopic::Product => td_string!(l, messages.topic_product),
        ThreadTopic::WhereIsOrder => td_string!(l, messages.topic_where),
        ThreadTopic::Return => td_string!(l, messages.topic_return),
        ThreadTopic::Invoice => td_string!(l, messages.topic_invoice),
        ThreadTopic::Other => td_string!(l, messages.topic_other),
    }
}

/// Where a conversation stands, in the page's language.
fn thread_state_label(l: crate::i18n::Locale, state: ThreadState) -> &'static str {
    match state {
        ThreadState::Waiting => td_string!(l, conversations.state_waiting),
        ThreadState::Answered => td_string!(l, conversations.state_answered),
        ThreadState::Claim => td_string!(l, conversations.state_claim),
    }
}

/// The words of a conversation in the page's language (it runs in the browser, which carries no
/// translations): built on the server, given to the island as a prop.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ThreadText {
    room: RoomText,
    back_inbox: String,
    back_messages: String,
    with_buyer: String,
    with_shop: String,
    between: String,
    about: String,
    became_claim: String,
    continue_in_claim: String,
    expected_within: String,
    answer_due: String,
    order: String,
    placed: String,
    total: String,
    tracking: String,
    open_order: String,
    sent_to_moderators: String,
    publish: String,
    publish_hint: String,
    no_answer: String,
    no_answer_hint: String,
    turn_into_claim: String,
    turn_into_claim_hint: String,
    step_in: String,
    propose: String,
    remedy_kinds: Vec<(String, String)>,
    amount: String,
    less_than: String,
    what_happened: String,
    open_claim: String,
    flagged: String,
    /// What the screening of a message can find, in words ("a link").
    found: Vec<(Flag, String)>,
    photo_alt: String,
    saved_reply: String,
    insert_reply: String,
    replies_noscript: String,
    send_it_anyway: String,
    send_photo: String,
    photo: String,
    photo_formats: String,
    caption: String,
    caption_anyway: String,
    send_the_photo: String,
    /// Waiting, answered, became a claim.
    states: [String; 3],
    /// In `ThreadTopic::ALL` order.
    topics: Vec<String>,
}

impl ThreadText {
    fn new(l: crate::i18n::Locale) -> Self {
        let s = |x: &str| x.to_string();
        ThreadText {
            room: RoomText::new(l),
            back_inbox: s(td_string!(l, conversations.back_inbox)),
            back_messages: s(td_string!(l, conversations.back_messages)),
            with_buyer: td_string!(l, conversations.with_buyer, name = "{{ name }}").to_string(),
            with_shop: td_string!(l, conversations.with_shop, name = "{{ name }}").to_string(),
            between: td_string!(l, conversations.between, buyer = "{{ buyer }}", shop = "{{ shop }}").to_string(),
            about: td_string!(l, conversations.about, name = "{{ name }}").to_string(),
            became_claim: td_string!(l, conversations.became_claim, claim = "{{ claim }}").to_string(),
            continue_in_claim: s(td_string!(l, claim.continue_in_room)),
            expected_within: td_string!(l, conversations.expected_within, time = "{{ time }}").to_string(),
            answer_due: td_string!(l, conversations.answer_due, time = "{{ time }}").to_string(),
            order: td_string!(l, conversations.order, order = "{{ order }}").to_string(),
            placed: td_string!(l, conversations.placed, at = "{{ at }}").to_string(),
            total: td_string!(l, conversations.total, total = "{{ total }}").to_string(),
            tracking: td_string!(l, conversations.tracking, number = "{{ number }}", carrier = "{{ carrier }}").to_string(),
            open_order: s(td_string!(l, conversations.open_order)),
            sent_to_moderators: s(td_string!(l, conversations.sent_to_moderators)),
            publish: s(td_string!(l, conversations.publish)),
            publish_hint: s(td_string!(l, conversations.publish_hint)),
            no_answer: s(td_string!(l, conversations.no_answer)),
            no_answer_hint: s(td_string!(l, conversations.no_answer_hint)),
            turn_into_claim: s(td_string!(l, conversations.turn_into_claim)),
            turn_into_claim_hint: s(td_string!(l, conversations.turn_into_claim_hint)),
            step_in: s(td_string!(l, conversations.step_in)),
            propose: s(td_string!(l, conversations.propose)),
            remedy_kinds: crate::pages::claims::remedy_kinds(l).into_iter().map(|(k, v)| (s(k), s(v))).collect(),
            amount: s(td_string!(l, claim.amount)),
            less_than: td_string!(l, claim.less_than, total = "{{ total }}").to_string(),
            what_happened: s(td_string!(l, conversations.what_happened)),
            open_claim: s(td_string!(l, conversations.open_claim)),
            flagged: td_string!(l, conversations.flagged, reasons = "{{ reasons }}").to_string(),
            found: [Flag::Link, Flag::Email, Flag::Phone].into_iter().filter_map(|f| Some((f, s(found_in_message(l, f)?)))).collect(),
            photo_alt: s(td_string!(l, conversations.photo_alt)),
            saved_reply: s(td_string!(l, conversations.saved_reply)),
            insert_reply: s(td_string!(l, conversations.insert_reply)),
            replies_noscript: s(td_string!(l, conversations.replies_noscript)),
            send_it_anyway: s(td_string!(l, messages.send_anyway)),
            send_photo: s(td_string!(l, conversations.send_photo)),
            photo: s(td_string!(l, conversations.photo)),
            photo_formats: s(td_string!(l, conversations.photo_formats)),
            caption: s(td_string!(l, conversations.caption)),
            caption_anyway: s(td_string!(l, conversations.caption_anyway)),
            send_the_photo: s(td_string!(l, conversations.send_the_photo)),
            states: [ThreadState::Waiting, ThreadState::Answered, ThreadState::Claim].map(|st| s(thread_state_label(l, st))),
            topics: ThreadTopic::ALL.into_iter().map(|t| s(topic_label(l, t))).collect(),
        }
    }

    fn state(&self, state: ThreadState) -> String {
        let i = match state {
            ThreadState::Waiting => 0,
            ThreadState::Answered => 1,
            ThreadState::Claim => 2,
        };
        self.states[i].clone()
    }

    fn topic(&self, topic: ThreadTopic) -> String {
        ThreadTopic::ALL.iter().position(|t| *t == topic).and_then(|i| self.topics.get(i)).cloned().unwrap_or_default()
    }
}

/// The conversation's words, as its island provided them.
fn thread_text() -> Arc<ThreadText> {
    use_context::<Arc<ThreadText>>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_conversation_says_what_the_domain_labels_say() {
        let t = ThreadText::new(crate::i18n::Locale::en);
        for s in ThreadState::ALL {
            assert_eq!(t.state(s), s.label());
        }
        for topic in ThreadTopic::ALL {
            assert_eq!(t.topic(topic), topic.label());
        }
    }
}
