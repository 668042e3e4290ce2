use crate::api::disputes::{get_claim_room, AnswerClaimOffer, DecideClaim, EscalateClaim, MakeClaimOffer, TakeClaim, WithdrawClaim};
use crate::components::errors::{Alert, ErrorPage};
use crate::domain::dispute::{Audience, ClaimReason, ClaimState, Outcome, Party, Remedy, MESSAGE_MAX_CHARS};
use crate::components::lang::use_locale;
use crate::components::room::{fill, provide_room_text, role_label, room_text, run_room_clock, seen_marks, Loaded, PendingView, PresenceLine, RoomLive, RoomText};
use crate::i18n::td_string;
use crate::pages::claims::{reason_label, remedy_kind_label, state_label};
#[cfg(feature = "hydrate")]
use crate::domain::room::ClientFrame;
use crate::domain::room::{ClaimRoom, Deadline, EntryKind, OfferState, RoomEntry, RoomId};
use crate::domain::ClaimId;
use crate::error::AppError;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The forms of the room (each refreshes the room when it completes).
#[derive(Clone, Copy)]
struct RoomActions {
    offer: ServerAction<MakeClaimOffer>,
    answer: ServerAction<AnswerClaimOffer>,
    escalate: ServerAction<EscalateClaim>,
    take: ServerAction<TakeClaim>,
    decide: ServerAction<DecideClaim>,
    withdraw: ServerAction<WithdrawClaim>,
}

impl RoomActions {
    fn new() -> Self {
        RoomActions {
            offer: ServerAction::new(),
            answer: ServerAction::new(),
            escalate: ServerAction::new(),
            take: ServerAction::new(),
            decide: ServerAction::new(),
            withdraw: ServerAction::new(),
        }
    }

    fn version(&self) -> usize {
        self.offer.version().get()
            + self.answer.version().get()
            + self.escalate.version().get()
            + self.take.version().get()
            + self.decide.version().get()
            + self.withdraw.version().get()
    }

    /// The latest failure of any of the room's forms, as one line.
    fn error(&self) -> Option<String> {
        let errs = [
            self.offer.value().get().and_then(Result::err),
            self.answer.value().get().and_then(Result::err),
            self.escalate.value().get().and_then(Result::err),
            self.take.value().get().and_then(Result::err),
            self.decide.value().get().and_then(Result::err),
            self.withdraw.value().get().and_then(Result::err),
        ];
        errs.into_iter().flatten().next().map(|e| match e {
            AppError::Invalid { fields, message } if !fields.is_empty() => fields.into_values().next().unwrap_or(message),
            other => other.to_string(),
        })
    }
}

/// `/claims/:id`: the dispute room. Buyer, seller and mediators see the claim, its deadlines
/// counting down, the conversation live, and what each may do now.
#[component]
pub fn ClaimRoomPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let l = use_locale();
    let no_such = td_string!(l, claim.no_such_claim);
    let room = Resource::new(id, move |id| async move {
        match id {
            Some(id) => get_claim_room(id).await,
            None => Err(AppError::NotFound(no_such.into())),
        }
    });
    let text = StoredValue::new(ClaimText::new(l));
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match room.await {
                    Ok(r) => view! {
                        <Title text=td_string!(l, claims.claim_of_order, claim = r.claim.id.to_string(), order = r.claim.order_id.to_string()).to_string()/>
                        <ClaimRoomLive room=r text=text.get_value()/>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The room itself, live in the browser (its code loads only on this page). It rereads the room
/// after a step of the process and after each of this person's forms.
#[island(lazy)]
fn ClaimRoomLive(room: ClaimRoom, text: ClaimText) -> impl IntoView {
    provide_room_text(text.room.clone());
    provide_context(Arc::new(text));
    let claim = room.claim.id.0;
    let actions = RoomActions::new();
    let live = RoomLive::new();
    let current = RwSignal::new(room);
    Effect::new(move |seen: Option<(u64, usize)>| {
        let now = (live.reload.get(), actions.version());
        if seen.is_some_and(|s| s != now) {
            leptos::task::spawn_local(async move {
                if let Ok(room) = get_claim_room(claim).await {
                    current.set(room);
                }
            });
        }
        now
    });
    on_cleanup(move || live.stop());
    // Countdowns move on with the browser's clock, from the server's.
    run_room_clock(live);
    view! { {move || view! { <RoomView room=current.get() live actions/> }} }
}

#[component]
fn RoomView(room: ClaimRoom, live: RoomLive, actions: RoomActions) -> impl IntoView {
    let awaiting_seller = room.claim.state == crate::domain::dispute::ClaimState::AwaitingSeller;
    live.merge(RoomId::Claim(room.claim.id), Loaded { entries: &room.entries, cursor: room.cursor, reads: &room.reads, me: (room.viewer_id, room.viewer), awaiting_seller, now: room.now });
    let seen_marks = seen_marks(live);
    let w = claim_text();
    let r = room_text();
    let c = room.claim.clone();
    let claim = c.id;
    let state_class = format!("status claim-{}", c.state.as_str());
    let mediator = c.mediator_name.clone().unwrap_or_else(|| w.not_yet.clone());
    let outcome = c.outcome.map(|o| w.outcome(o));
    let total_text = r.money(c.order_total);
    let viewer = room.viewer;
    let can = room.can.clone();
    let deadlines = c.deadlines.clone();
    let form_id = room.form_id.clone();
    view! {
        <div class="room">
            <header class="room-head">
                <p><a href=format!("/orders/{}", c.order_id)>{fill(&w.back_to_order, &[("order", &c.order_id.to_string())])}</a> " · " <a href="/claims">{w.all_claims.clone()}</a></p>
                <h1>{fill(&w.heading, &[("claim", &c.id.to_string())])} " " <span class=state_class data-testid="claim-state">{w.state(c.state)}</span></h1>
                <p class="claim-facts">
                    {if c.opened_by_seller {
                        fill(&w.facts_seller, &[("wanted", &w.remedy(c.wanted)), ("shop", &c.shop_name), ("total", &total_text), ("at", &c.opened_at)])
                    } else {
                        fill(&w.facts, &[("reason", &w.reason(c.reason)), ("wanted", &w.remedy(c.wanted)), ("shop", &c.shop_name), ("total", &total_text), ("at", &c.opened_at)])
                    }}
                </p>
                <p class="claim-parties muted">{fill(&w.parties, &[("buyer", &c.buyer_name), ("seller", &c.seller_name), ("mediator", &mediator)])}</p>
                {c.others_read.iter().map(|line| view! { <p class="reads muted" data-testid="others-read">{line.clone()}</p> }).collect_view()}
                {room.thread.map(|t| view! { <p class="claim-thread" data-testid="claim-thread">{w.grew_out.clone()} <a href=format!("/messages/{t}")>{w.read_conversation.clone()}</a></p> })}
                {outcome.map(|o| view! { <p class="claim-outcome" role="status" data-testid="claim-outcome"><strong>{o}</strong></p> })}
                <Deadlines deadlines live/>
                <PresenceLine live/>
            </header>
            {move || actions.error().map(|m| view! { <Alert message=m/> })}
            <RoomControls claim can=can.clone() viewer total=c.order_total form_id=form_id.clone() actions/>
            <section class="room-log-wrap" aria-labelledby="conversation-title">
                <h2 id="conversation-title" class="visually-hidden">{r.conversation.clone()}</h2>
                <div role="log" aria-live="polite" aria-relevant="additions" aria-labelledby="conversation-title">
                <ol class="room-log" data-testid="room-log">
                    <For each=move || live.entries.get() key=|e| (e.seq, e.offer_state.map(|s| s.as_str())) let:entry>
                        <EntryView entry live seen_marks answer=can.answer claim actions/>
                    </For>
                    <For each=move || live.outbox.get() key=|p| (p.client_id.clone(), format!("{:?}", p.state)) let:p>
                        <PendingView p room=RoomId::Claim(claim) live/>
                    </For>
                </ol>
                </div>
                <p class="typing" aria-live="polite" data-testid="typing">
                    {move || live.typing.get().map(|(party, name)| r.typing(party, &name))}
                </p>
                <div id="room-end"></div>
            </section>
            {(can.message || can.address_one).then(|| view! { <Composer claim live can_message=can.message address_one=can.address_one form_id=form_id.clone()/> })}
        </div>
    }
}

#[component]
fn Deadlines(deadlines: Vec<Deadline>, live: RoomLive) -> impl IntoView {
    if deadlines.is_empty() {
        return ().into_any();
    }
    let w = claim_text();
    let r = room_text();
    view! {
        <ul class="deadlines claim-deadlines" data-testid="claim-deadlines">
            {deadlines.into_iter().map(|d| {
                let at = d.at;
                let label = d.label.clone();
                let r = r.clone();
                view! {
                    <li>
                        {label} " " <strong role="timer">{move || r.countdown(at - live.clock.get())}</strong>
                        <span class="muted">{fill(&w.by, &[("at", &d.at_text)])}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn EntryView(entry: RoomEntry, live: RoomLive, seen_marks: Memo<Vec<(i64, String)>>, answer: Option<i64>, claim: ClaimId, actions: RoomActions) -> impl IntoView {
    let w = claim_text();
    let r = room_text();
    let seq = entry.seq;
    let mine = move || live.me.get().map(|(u, _)| u) == entry.author_id && entry.author_id.is_some();
    let chat = entry.kind.is_chat() || entry.kind == EntryKind::Offer;
    let class = format!("entry entry-{} from-{}{}", entry.kind.as_str(), entry.party.as_str(), if chat { "" } else { " event" });
    let audience = r.audience(entry.audience);
    let seen = move || seen_marks.with(|marks| marks.iter().find(|(s, _)| *s == seq).map(|(_, label)| label.clone()));
    let offer = (entry.kind == EntryKind::Offer).then(|| {
        let remedy = entry.remedy.map(|m| w.remedy(m)).unwrap_or_default();
        let state = entry.offer_state;
        view! {
            <div class="offer-card">
                <p><strong>{fill(&w.offer_of, &[("remedy", &remedy)])}</strong></p>
                <p class="offer-state" data-testid="offer-state">{state.map(|s| w.offer_state(s))}</p>
                {(answer == Some(seq) && state == Some(OfferState::Pending)).then(|| view! { <OfferAnswer claim seq actions/> })}
            </div>
        }
    });
    let kind_label = r.kind(entry.kind);
    view! {
        <li class=class class:mine=mine data-seq=seq>
            <p class="entry-meta">
                <strong class="author">{entry.author.clone()}</strong>
                " " <span class=format!("role role-{}", entry.party.as_str())>{role_label(&r, entry.party)}</span>
                {kind_label.map(|k| view! { " " <span class="kind">{k}</span> })}
                {audience.map(|a| view! { " " <span class="audience">{a}</span> })}
                " " <time datetime=entry.at.to_string() class="muted">{entry.at_text.clone()}</time>
            </p>
            {(!entry.body.is_empty()).then(|| view! { <p class="entry-body">{entry.body.clone()}</p> })}
            {offer}
            <p class="seen muted">{seen}</p>
        </li>
    }
}

#[component]
fn OfferAnswer(claim: ClaimId, seq: i64, actions: RoomActions) -> impl IntoView {
    let w = claim_text();
    let (accept, decline) = (w.accept_offer.clone(), w.decline.clone());
    let pending = actions.answer.pending();
    view! {
        <div class="offer-answer">
            <ActionForm action=actions.answer>
                <input type="hidden" name="claim_id" value=claim.0/>
                <input type="hidden" name="offer" value=seq/>
                <input type="hidden" name="answer" value="accept"/>
                <button type="submit" class="primary" disabled=move || pending.get()>{accept}</button>
            </ActionForm>
            <ActionForm action=actions.answer>
                <input type="hidden" name="claim_id" value=claim.0/>
                <input type="hidden" name="offer" value=seq/>
                <input type="hidden" name="answer" value="decline"/>
                <button type="submit" disabled=move || pending.get()>{decline}</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn RemedyChoice(name: &'static str, prefix: &'static str, with_reject: bool) -> impl IntoView {
    let w = claim_text();
    view! {
        {w.remedy_kinds.clone().into_iter().map(|(kind, label)| {
            let id = format!("{prefix}-{kind}");
            view! {
                <div class="choice">
                    <input type="radio" id=id.clone() name=name value=kind.clone() required checked=kind == "partial_refund"/>
                    <label for=id>{label}</label>
                </div>
            }
        }).collect_view()}
        {with_reject.then(|| {
            let id = format!("{prefix}-reject");
            view! {
                <div class="choice">
                    <input type="radio" id=id.clone() name=name value="reject"/>
                    <label for=id>{w.reject.clone()}</label>
                </div>
            }
        })}
    }
}

/// The amount of a partial refund (offers and decisions).
#[component]
fn AmountField(id: &'static str, total: crate::domain::Money) -> impl IntoView {
    let w = claim_text();
    let total = room_text().money(total);
    view! {
        <div class="field">
            <label for=id>{w.amount.clone()} <span class="optional">{fill(&w.less_than, &[("total", &total)])}</span></label>
            <input id=id name="amount" inputmode="decimal" autocomplete="off" placeholder=w.amount_example.clone()/>
        </div>
    }
}

#[component]
fn RoomControls(claim: ClaimId, can: crate::domain::room::RoomPermissions, viewer: Party, total: crate::domain::Money, form_id: String, actions: RoomActions) -> impl IntoView {
    let any = can.offer || can.escalate || can.escalate_later.is_some() || can.withdraw || can.take || can.decide;
    if !any {
        return ().into_any();
    }
    let w = claim_text();
    let r = room_text();
    let offer_label = if viewer == Party::Mediator { w.propose_settlement.clone() } else { w.make_offer.clone() };
    view! {
        <section class="room-controls" aria-labelledby="controls-title">
            <h2 id="controls-title" class="visually-hidden">{r.what_you_can_do.clone()}</h2>
            {can.take.then(|| { let w = w.clone(); view! {
                <ActionForm action=actions.take attr:class="inline-form">
                    <input type="hidden" name="claim_id" value=claim.0/>
                    <button type="submit" class="primary">{w.take.clone()}</button>
                </ActionForm>
            }})}
            {can.offer.then(|| { let (w, r) = (w.clone(), r.clone()); view! {
                <details class="control" open=viewer == Party::Seller>
                    <summary>{offer_label}</summary>
                    <ActionForm action=actions.offer attr:class="offer-form">
                        <input type="hidden" name="claim_id" value=claim.0/>
                        <input type="hidden" name="client_id" value=form_id.clone()/>
                        <fieldset>
                            <legend>{w.offer.clone()}</legend>
                            <RemedyChoice name="remedy" prefix="offer" with_reject=false/>
                        </fieldset>
                        <AmountField id="offer-amount" total/>
                        <div class="field">
                            <label for="offer-note">{w.note.clone()} <span class="optional">{r.optional.clone()}</span></label>
                            <textarea id="offer-note" name="note" rows="2" maxlength="1000"></textarea>
                        </div>
                        <button type="submit" class="primary" disabled=move || actions.offer.pending().get()>{w.send_offer.clone()}</button>
                    </ActionForm>
                </details>
            }})}
            {can.decide.then(|| { let w = w.clone(); view! {
                <details class="control">
                    <summary>{w.decide.clone()}</summary>
                    <ActionForm action=actions.decide attr:class="decide-form">
                        <input type="hidden" name="claim_id" value=claim.0/>
                        <fieldset>
                            <legend>{w.decision.clone()}</legend>
                            <RemedyChoice name="decision" prefix="decide" with_reject=true/>
                        </fieldset>
                        <AmountField id="decide-amount" total/>
                        <div class="field">
                            <label for="decide-reason">{w.decision_reason.clone()}</label>
                            <textarea id="decide-reason" name="reason" rows="3" required maxlength="2000"></textarea>
                        </div>
                        <button type="submit" class="primary" disabled=move || actions.decide.pending().get()>{w.record_decision.clone()}</button>
                    </ActionForm>
                </details>
            }})}
            {can.escalate.then(|| { let (w, r) = (w.clone(), r.clone()); view! {
                <details class="control">
                    <summary>{w.ask_mediator.clone()}</summary>
                    <ActionForm action=actions.escalate attr:class="escalate-form">
                        <input type="hidden" name="claim_id" value=claim.0/>
                        <div class="field">
                            <label for="escalate-note">{w.why.clone()} <span class="optional">{r.optional.clone()}</span></label>
                            <textarea id="escalate-note" name="note" rows="2" maxlength="1000"></textarea>
                        </div>
                        <button type="submit">{w.ask_mediator_to_decide.clone()}</button>
                    </ActionForm>
                </details>
            }})}
            {can.escalate_later.clone().map(|m| view! { <p class="muted escalate-later">{m}</p> })}
            {can.withdraw.then(|| { let (w, r) = (w.clone(), r.clone()); view! {
                <details class="control danger-zone">
                    <summary>{w.withdraw_ellipsis.clone()}</summary>
                    <ActionForm action=actions.withdraw attr:class="withdraw-form">
                        <input type="hidden" name="claim_id" value=claim.0/>
                        <div class="field">
                            <label for="withdraw-note">{w.why.clone()} <span class="optional">{r.optional.clone()}</span></label>
                            <textarea id="withdraw-note" name="note" rows="2" maxlength="1000"></textarea>
                        </div>
                        <button type="submit" class="danger">{w.withdraw.clone()}</button>
                    </ActionForm>
                </details>
            }})}
        </section>
    }
    .into_any()
}

/// The message box. Without JavaScript it is a plain form post (the page comes back with the
/// message in it); with it, the message shows at once and is sent, or kept until the connection
/// is back.
#[component]
fn Composer(claim: ClaimId, live: RoomLive, can_message: bool, address_one: bool, form_id: String) -> impl IntoView {
    let w = claim_text();
    let r = room_text();
    let body_ref = NodeRef::<leptos::html::Textarea>::new();
    let audience_ref = NodeRef::<leptos::html::Select>::new();
    let last_typing = StoredValue::new(0f64);
    let audience = move || {
        audience_ref.get_untracked().map(|s| s.value()).and_then(|v| Audience::parse(&v)).unwrap_or(if can_message { Audience::All } else { Audience::Mediators })
    };
    let send = move || {
        let Some(area) = body_ref.get_untracked() else { return };
        let text = area.value();
        if text.trim().is_empty() {
            return;
        }
        live.send(RoomId::Claim(claim), text, audience());
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
                live.send_signal(&ClientFrame::Typing { audience: audience() });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = last_typing;
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        // Ctrl/⌘ + Enter sends; Enter alone is a new line (as on a phone keyboard).
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            send();
        }
    };
    view! {
        <form class="composer" method="post" action="/api/post_claim_message" on:submit=on_submit>
            <input type="hidden" name="claim_id" value=claim.0/>
            <input type="hidden" name="client_id" value=form_id/>
            {address_one.then(|| view! {
                <div class="field composer-to">
                    <label for="composer-audience">{w.to.clone()}</label>
                    <select id="composer-audience" name="audience" node_ref=audience_ref>
                        {can_message.then(|| view! {
                            <option value="all" selected>{w.everyone.clone()}</option>
                            <option value="buyer">{w.buyer_only.clone()}</option>
                            <option value="seller">{w.seller_only.clone()}</option>
                        })}
                        <option value="mediators">{w.mediators_only.clone()}</option>
                    </select>
                </div>
            })}
            <label for="composer-body" class="visually-hidden">{r.message.clone()}</label>
            <textarea id="composer-body" name="body" rows="2" required maxlength=MESSAGE_MAX_CHARS placeholder=r.write_message.clone()
                node_ref=body_ref on:input=on_input on:keydown=on_keydown></textarea>
            <button type="submit" class="primary">{r.send.clone()}</button>
        </form>
    }
}

/// The words of the claim room in the page's language (the room runs in the browser, which
/// carries no translations): built on the server, given to the island as a prop.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClaimText {
    room: RoomText,
    not_yet: String,
    back_to_order: String,
    all_claims: String,
    heading: String,
    facts_seller: String,
    facts: String,
    parties: String,
    grew_out: String,
    read_conversation: String,
    by: String,
    offer_of: String,
    accept_offer: String,
    decline: String,
    reject: String,
    amount: String,
    less_than: String,
    amount_example: String,
    propose_settlement: String,
    make_offer: String,
    take: String,
    offer: String,
    note: String,
    send_offer: String,
    decide: String,
    decision: String,
    decision_reason: String,
    record_decision: String,
    ask_mediator: String,
    why: String,
    ask_mediator_to_decide: String,
    withdraw_ellipsis: String,
    withdraw: String,
    to: String,
    everyone: String,
    buyer_only: String,
    seller_only: String,
    mediators_only: String,
    /// The claim's states, in `ClaimState` order (see `state`).
    states: [String; 5],
    /// The reasons, in `ClaimReason::ALL` order.
    reasons: Vec<String>,
    /// The remedies a form offers: (kind, label).
    remedy_kinds: Vec<(String, String)>,
    /// Full refund, partial refund of {{ amount }}, replacement, return and refund.
    remedies: [String; 4],
    /// Settled: {{ remedy }}, rejected, withdrawn, closed idle.
    outcomes: [String; 4],
    /// Pending, accepted, declined, superseded.
    offer_states: [String; 4],
}

impl ClaimText {
    fn new(l: crate::i18n::Locale) -> Self {
        let s = |x: &str| x.to_string();
        ClaimText {
            room: RoomText::new(l),
            not_yet: s(td_string!(l, claim.not_yet_mediator)),
            back_to_order: td_string!(l, claim.back_to_order_n, order = "{{ order }}").to_string(),
            all_claims: s(td_string!(l, claim.all_claims)),
            heading: td_string!(l, claim.heading, claim = "{{ claim }}").to_string(),
            facts_seller: td_string!(l, claim.facts_seller, wanted = "{{ wanted }}", shop = "{{ shop }}", total = "{{ total }}", at = "{{ at }}").to_string(),
            facts: td_string!(l, claim.facts, reason = "{{ reason }}", wanted = "{{ wanted }}", shop = "{{ shop }}", total = "{{ total }}", at = "{{ at }}").to_string(),
            parties: td_string!(l, claim.parties, buyer = "{{ buyer }}", seller = "{{ seller }}", mediator = "{{ mediator }}").to_string(),
            grew_out: s(td_string!(l, claim.grew_out)),
            read_conversation: s(td_string!(l, claim.read_conversation)),
            by: td_string!(l, claim.by, at = "{{ at }}").to_string(),
            offer_of: td_string!(l, claim.offer_of, remedy = "{{ remedy }}").to_string(),
            accept_offer: s(td_string!(l, claim.accept_offer)),
            decline: s(td_string!(l, claim.decline)),
            reject: s(td_string!(l, claim.reject)),
            amount: s(td_string!(l, claim.amount)),
            less_than: td_string!(l, claim.less_than, total = "{{ total }}").to_string(),
            amount_example: s(td_string!(l, claim.amount_example)),
            propose_settlement: s(td_string!(l, claim.propose_settlement)),
            make_offer: s(td_string!(l, claim.make_offer)),
            take: s(td_string!(l, claim.take)),
            offer: s(td_string!(l, claim.offer)),
            note: s(td_string!(l, claim.note)),
            send_offer: s(td_string!(l, claim.send_offer)),
            decide: s(td_string!(l, claim.decide)),
            decision: s(td_string!(l, claim.decision)),
            decision_reason: s(td_string!(l, claim.decision_reason)),
            record_decision: s(td_string!(l, claim.record_decision)),
            ask_mediator: s(td_string!(l, claim.ask_mediator)),
            why: s(td_string!(l, claim.why)),
            ask_mediator_to_decide: s(td_string!(l, claim.ask_mediator_to_decide)),
            withdraw_ellipsis: s(td_string!(l, claim.withdraw_ellipsis)),
            withdraw: s(td_string!(l, claim.withdraw)),
            to: s(td_string!(l, claim.to)),
            everyone: s(td_string!(l, claim.everyone)),
            buyer_only: s(td_string!(l, claim.buyer_only)),
            seller_only: s(td_string!(l, claim.seller_only)),
            mediators_only: s(td_string!(l, claim.mediators_only)),
            states: [ClaimState::AwaitingSeller, ClaimState::SellerResponded, ClaimState::Escalated, ClaimState::Resolved, ClaimState::Closed].map(|st| s(state_label(l, st))),
            reasons: ClaimReason::ALL.into_iter().map(|r| s(reason_label(l, r))).collect(),
            remedy_kinds: crate::pages::claims::remedy_kinds(l).into_iter().map(|(k, v)| (s(k), s(v))).collect(),
            remedies: [
                s(remedy_kind_label(l, Remedy::FullRefund)),
                td_string!(l, claim.partial_refund_of, amount = "{{ amount }}").to_string(),
                s(remedy_kind_label(l, Remedy::Replacement)),
                s(remedy_kind_label(l, Remedy::ReturnAndRefund)),
            ],
            outcomes: [
                td_string!(l, claim.outcome_settled, remedy = "{{ remedy }}").to_string(),
                s(td_string!(l, claim.outcome_rejected)),
                s(td_string!(l, claim.outcome_withdrawn)),
                s(td_string!(l, claim.outcome_closed_idle)),
            ],
            offer_states: [
                s(td_string!(l, claim.offer_pending)),
                s(td_string!(l, claim.offer_accepted)),
                s(td_string!(l, claim.offer_declined)),
                s(td_string!(l, claim.offer_superseded)),
            ],
        }
    }

    fn state(&self, state: ClaimState) -> String {
        let i = match state {
            ClaimState::AwaitingSeller => 0,
            ClaimState::SellerResponded => 1,
            ClaimState::Escalated => 2,
            ClaimState::Resolved => 3,
            ClaimState::Closed => 4,
        };
        self.states[i].clone()
    }

    fn reason(&self, reason: ClaimReason) -> String {
        ClaimReason::ALL.iter().position(|r| *r == reason).and_then(|i| self.reasons.get(i)).cloned().unwrap_or_default()
    }

    fn remedy(&self, remedy: Remedy) -> String {
        match remedy {
            Remedy::FullRefund => self.remedies[0].clone(),
            Remedy::PartialRefund(m) => fill(&self.remedies[1], &[("amount", &self.room.money(m))]),
            Remedy::Replacement => self.remedies[2].clone(),
            Remedy::ReturnAndRefund => self.remedies[3].clone(),
        }
    }

    fn outcome(&self, outcome: Outcome) -> String {
        match outcome {
            Outcome::Settled(r) => fill(&self.outcomes[0], &[("remedy", &self.remedy(r))]),
            Outcome::Rejected => self.outcomes[1].clone(),
            Outcome::Withdrawn => self.outcomes[2].clone(),
            Outcome::ClosedIdle => self.outcomes[3].clone(),
        }
    }

    fn offer_state(&self, state: OfferState) -> String {
        let i = match state {
            OfferState::Pending => 0,
            OfferState::Accepted => 1,
            OfferState::Declined => 2,
            OfferState::Superseded => 3,
        };
        self.offer_states[i].clone()
    }
}

/// The claim room's words, as its island provided them.
fn claim_text() -> Arc<ClaimText> {
    use_context::<Arc<ClaimText>>().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;

    #[test]
    fn the_english_claim_room_says_what_the_domain_labels_say() {
        let t = ClaimText::new(crate::i18n::Locale::en);
        let remedies = [Remedy::FullRefund, Remedy::PartialRefund(Money(1234)), Remedy::Replacement, Remedy::ReturnAndRefund];
        for r in remedies {
            assert_eq!(t.remedy(r), r.label());
            assert_eq!(t.outcome(Outcome::Settled(r)), Outcome::Settled(r).label());
        }
        for o in [Outcome::Rejected, Outcome::Withdrawn, Outcome::ClosedIdle] {
            assert_eq!(t.outcome(o), o.label());
        }
        for s in [OfferState::Pending, OfferState::Accepted, OfferState::Declined, OfferState::Superseded] {
            assert_eq!(t.offer_state(s), s.label());
        }
        for s in [ClaimState::AwaitingSeller, ClaimState::SellerResponded, ClaimState::Escalated, ClaimState::Resolved, ClaimState::Closed] {
            assert_eq!(t.state(s), s.label());
        }
        for r in ClaimReason::ALL {
            assert_eq!(t.reason(r), r.label());
        }
    }
}
