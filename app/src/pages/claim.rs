use crate::api::disputes::{get_claim_room, AnswerClaimOffer, DecideClaim, EscalateClaim, MakeClaimOffer, TakeClaim, WithdrawClaim};
use crate::components::errors::{Alert, ErrorPage};
use crate::domain::dispute::{countdown, Audience, Party, Remedy, MESSAGE_MAX_CHARS};
use crate::components::room::{role_label, run_room_clock, seen_marks, Loaded, PendingView, PresenceLine, RoomLive};
#[cfg(feature = "hydrate")]
use crate::domain::room::ClientFrame;
use crate::domain::room::{ClaimRoom, Deadline, EntryKind, OfferState, RoomEntry, RoomId};
use crate::domain::ClaimId;
use crate::error::AppError;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

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
    let room = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_claim_room(id).await,
            None => Err(AppError::NotFound("There is no such claim in your account.".into())),
        }
    });
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match room.await {
                    Ok(r) => view! {
                        <Title text=format!("Claim #{} · order #{}", r.claim.id, r.claim.order_id)/>
                        <ClaimRoomLive room=r/>
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
fn ClaimRoomLive(room: ClaimRoom) -> impl IntoView {
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
    let c = room.claim.clone();
    let claim = c.id;
    let state_class = format!("status claim-{}", c.state.as_str());
    let mediator = c.mediator_name.clone().unwrap_or_else(|| "not yet".into());
    let outcome = c.outcome.map(|o| o.label());
    let viewer = room.viewer;
    let can = room.can.clone();
    let deadlines = c.deadlines.clone();
    let form_id = room.form_id.clone();
    view! {
        <div class="room">
            <header class="room-head">
                <p><a href=format!("/orders/{}", c.order_id)>{format!("← Order #{}", c.order_id)}</a> " · " <a href="/claims">"All claims"</a></p>
                <h1>{format!("Claim #{}", c.id)} " " <span class=state_class data-testid="claim-state">{c.state.label()}</span></h1>
                <p class="claim-facts">
                    {if c.opened_by_seller {
                        format!("The seller asked Troika to step in · proposes {} · order from {} ({}) · opened {}", c.wanted.label(), c.shop_name, c.order_total, c.opened_at)
                    } else {
                        format!("{} · asks for {} · order from {} ({}) · opened {}", c.reason.label(), c.wanted.label(), c.shop_name, c.order_total, c.opened_at)
                    }}
                </p>
                <p class="claim-parties muted">{format!("Buyer: {} · Seller: {} · Mediator: {}", c.buyer_name, c.seller_name, mediator)}</p>
                {c.others_read.iter().map(|line| view! { <p class="reads muted" data-testid="others-read">{line.clone()}</p> }).collect_view()}
                {room.thread.map(|t| view! { <p class="claim-thread" data-testid="claim-thread">"This claim grew out of a conversation: " <a href=format!("/messages/{t}")>"read the conversation"</a></p> })}
                {outcome.map(|o| view! { <p class="claim-outcome" role="status" data-testid="claim-outcome"><strong>{o}</strong></p> })}
                <Deadlines deadlines live/>
                <PresenceLine live/>
            </header>
            {move || actions.error().map(|m| view! { <Alert message=m/> })}
            <RoomControls claim can=can.clone() viewer total=c.order_total form_id=form_id.clone() actions/>
            <section class="room-log-wrap" aria-labelledby="conversation-title">
                <h2 id="conversation-title" class="visually-hidden">"Conversation"</h2>
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
                    {move || live.typing.get().map(|(party, name)| format!("{name} ({}) is typing…", party.label().to_lowercase()))}
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
    view! {
        <ul class="deadlines claim-deadlines" data-testid="claim-deadlines">
            {deadlines.into_iter().map(|d| {
                let at = d.at;
                let label = d.label.clone();
                view! {
                    <li>
                        {label} " " <strong role="timer">{move || countdown(at - live.clock.get())}</strong>
                        <span class="muted">{format!(" (by {})", d.at_text)}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn EntryView(entry: RoomEntry, live: RoomLive, seen_marks: Memo<Vec<(i64, String)>>, answer: Option<i64>, claim: ClaimId, actions: RoomActions) -> impl IntoView {
    let seq = entry.seq;
    let mine = move || live.me.get().map(|(u, _)| u) == entry.author_id && entry.author_id.is_some();
    let chat = entry.kind.is_chat() || entry.kind == EntryKind::Offer;
    let class = format!("entry entry-{} from-{}{}", entry.kind.as_str(), entry.party.as_str(), if chat { "" } else { " event" });
    let audience = entry.audience.label();
    let seen = move || seen_marks.with(|marks| marks.iter().find(|(s, _)| *s == seq).map(|(_, label)| label.clone()));
    let offer = (entry.kind == EntryKind::Offer).then(|| {
        let remedy = entry.remedy.map(Remedy::label).unwrap_or_default();
        let state = entry.offer_state;
        view! {
            <div class="offer-card">
                <p><strong>{format!("Offer: {remedy}")}</strong></p>
                <p class="offer-state" data-testid="offer-state">{state.map(|s| s.label())}</p>
                {(answer == Some(seq) && state == Some(OfferState::Pending)).then(|| view! { <OfferAnswer claim seq actions/> })}
            </div>
        }
    });
    let kind_label = entry.kind.label();
    view! {
        <li class=class class:mine=mine data-seq=seq>
            <p class="entry-meta">
                <strong class="author">{entry.author.clone()}</strong>
                " " <span class=format!("role role-{}", entry.party.as_str())>{role_label(entry.party)}</span>
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
    let pending = actions.answer.pending();
    view! {
        <div class="offer-answer">
            <ActionForm action=actions.answer>
                <input type="hidden" name="claim_id" value=claim.0/>
                <input type="hidden" name="offer" value=seq/>
                <input type="hidden" name="answer" value="accept"/>
                <button type="submit" class="primary" disabled=move || pending.get()>"Accept offer"</button>
            </ActionForm>
            <ActionForm action=actions.answer>
                <input type="hidden" name="claim_id" value=claim.0/>
                <input type="hidden" name="offer" value=seq/>
                <input type="hidden" name="answer" value="decline"/>
                <button type="submit" disabled=move || pending.get()>"Decline"</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn RemedyChoice(name: &'static str, prefix: &'static str, with_reject: bool) -> impl IntoView {
    view! {
        {Remedy::KINDS.into_iter().map(|(kind, label)| {
            let id = format!("{prefix}-{kind}");
            view! {
                <div class="choice">
                    <input type="radio" id=id.clone() name=name value=kind required checked=kind == "partial_refund"/>
                    <label for=id>{label}</label>
                </div>
            }
        }).collect_view()}
        {with_reject.then(|| {
            let id = format!("{prefix}-reject");
            view! {
                <div class="choice">
                    <input type="radio" id=id.clone() name=name value="reject"/>
                    <label for=id>"Reject the claim"</label>
                </div>
            }
        })}
    }
}

/// The amount of a partial refund (offers and decisions).
#[component]
fn AmountField(id: &'static str, total: crate::domain::Money) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>"Amount, for a partial refund" <span class="optional">{format!(" (less than {total})")}</span></label>
            <input id=id name="amount" inputmode="decimal" autocomplete="off" placeholder="e.g. 15.00"/>
        </div>
    }
}

#[component]
fn RoomControls(claim: ClaimId, can: crate::domain::room::RoomPermissions, viewer: Party, total: crate::domain::Money, form_id: String, actions: RoomActions) -> impl IntoView {
    let any = can.offer || can.escalate || can.escalate_later.is_some() || can.withdraw || can.take || can.decide;
    if !any {
        return ().into_any();
    }
    let offer_label = if viewer == Party::Mediator { "Propose a settlement" } else { "Make an offer" };
    view! {
        <section class="room-controls" aria-labelledby="controls-title">
            <h2 id="controls-title" class="visually-hidden">"What you can do"</h2>
            {can.take.then(|| view! {
                <ActionForm action=actions.take attr:class="inline-form">
                    <input type="hidden" name="claim_id" value=claim.0/>
                    <button type="submit" class="primary">"Take this claim"</button>
                </ActionForm>
            })}
            {can.offer.then(|| view! {
                <details class="control" open=viewer == Party::Seller>
                    <summary>{offer_label}</summary>
                    <ActionForm action=actions.offer attr:class="offer-form">
                        <input type="hidden" name="claim_id" value=claim.0/>
                        <input type="hidden" name="client_id" value=form_id.clone()/>
                        <fieldset>
                            <legend>"Offer"</legend>
                            <RemedyChoice name="remedy" prefix="offer" with_reject=false/>
                        </fieldset>
                        <AmountField id="offer-amount" total/>
                        <div class="field">
                            <label for="offer-note">"Note" <span class="optional">" (optional)"</span></label>
                            <textarea id="offer-note" name="note" rows="2" maxlength="1000"></textarea>
                        </div>
                        <button type="submit" class="primary" disabled=move || actions.offer.pending().get()>"Send the offer"</button>
                    </ActionForm>
                </details>
            })}
            {can.decide.then(|| view! {
                <details class="control">
                    <summary>"Decide"</summary>
                    <ActionForm action=actions.decide attr:class="decide-form">
                        <input type="hidden" name="claim_id" value=claim.0/>
                        <fieldset>
                            <legend>"Decision"</legend>
                            <RemedyChoice name="decision" prefix="decide" with_reject=true/>
                        </fieldset>
                        <AmountField id="decide-amount" total/>
                        <div class="field">
                            <label for="decide-reason">"Reason (every party reads it)"</label>
                            <textarea id="decide-reason" name="reason" rows="3" required maxlength="2000"></textarea>
                        </div>
                        <button type="submit" class="primary" disabled=move || actions.decide.pending().get()>"Record the decision"</button>
                    </ActionForm>
                </details>
            })}
            {can.escalate.then(|| view! {
                <details class="control">
                    <summary>"Ask a mediator"</summary>
                    <ActionForm action=actions.escalate attr:class="escalate-form">
                        <input type="hidden" name="claim_id" value=claim.0/>
                        <div class="field">
                            <label for="escalate-note">"Why?" <span class="optional">" (optional)"</span></label>
                            <textarea id="escalate-note" name="note" rows="2" maxlength="1000"></textarea>
                        </div>
                        <button type="submit">"Ask a mediator to decide"</button>
                    </ActionForm>
                </details>
            })}
            {can.escalate_later.clone().map(|m| view! { <p class="muted escalate-later">{m}</p> })}
            {can.withdraw.then(|| view! {
                <details class="control danger-zone">
                    <summary>"Withdraw the claim…"</summary>
                    <ActionForm action=actions.withdraw attr:class="withdraw-form">
                        <input type="hidden" name="claim_id" value=claim.0/>
                        <div class="field">
                            <label for="withdraw-note">"Why?" <span class="optional">" (optional)"</span></label>
                            <textarea id="withdraw-note" name="note" rows="2" maxlength="1000"></textarea>
                        </div>
                        <button type="submit" class="danger">"Withdraw the claim"</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
    .into_any()
}

/// The message box. Without JavaScript it is a plain form post (the page comes back with the
/// message in it); with it, the message shows at once and is sent, or kept until the connection
/// is back.
#[component]
fn Composer(claim: ClaimId, live: RoomLive, can_message: bool, address_one: bool, form_id: String) -> impl IntoView {
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
                    <label for="composer-audience">"To"</label>
                    <select id="composer-audience" name="audience" node_ref=audience_ref>
                        {can_message.then(|| view! {
                            <option value="all" selected>"Everyone"</option>
                            <option value="buyer">"The buyer only"</option>
                            <option value="seller">"The seller only"</option>
                        })}
                        <option value="mediators">"Mediators (note)"</option>
                    </select>
                </div>
            })}
            <label for="composer-body" class="visually-hidden">"Message"</label>
            <textarea id="composer-body" name="body" rows="2" required maxlength=MESSAGE_MAX_CHARS placeholder="Write a message…"
                node_ref=body_ref on:input=on_input on:keydown=on_keydown></textarea>
            <button type="submit" class="primary">"Send"</button>
        </form>
    }
}
