use crate::api::disputes::{list_claims, TakeClaim};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::lang::use_locale;
use crate::domain::dispute::{ClaimReason, ClaimState, Remedy};
use crate::domain::room::{ClaimList, ClaimSummary, ClaimTab};
use crate::i18n::{td_string, Locale};
use crate::live::region::{LiveRegion, LiveTopic};
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// `/claims`: a buyer's or seller's claims; for mediators the mediation queue (escalated claims,
/// oldest deadline first, to take one), the claims they work on, all open, all ended.
#[component]
pub fn ClaimsPage() -> impl IntoView {
    let query = use_query_map();
    let tab = move || query.read().get("tab").unwrap_or_default();
    let take = ServerAction::<TakeClaim>::new();
    let claims = Resource::new(tab, list_claims);
    let l = use_locale();
    view! {
        <Title text=td_string!(l, claims.title)/>
        <h1>{td_string!(l, claims.title)}</h1>
        {move || take.value().get().and_then(Result::err).map(|e| view! { <Alert message=e.to_string()/> })}
        <LiveRegion id="claims-list".to_string() on=LiveTopic::Orders>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match claims.await {
                    Ok(list) => view! { <ClaimsList list take/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Transition>
        </LiveRegion>
    }
}

#[component]
fn ClaimsList(list: ClaimList, take: ServerAction<TakeClaim>) -> impl IntoView {
    let l = use_locale();
    let current = list.tab;
    let tabs = (!list.tabs.is_empty()).then(|| {
        view! {
            <nav aria-label=td_string!(l, claims.lists) class="tabs">
                <ul role="list">
                    {list.tabs.iter().map(|t| {
                        let here = *t == current;
                        view! {
                            // A plain link: the router's <A> would mark every tab current (same path).
                            <li><a class="tab" href=format!("/claims?tab={}", t.as_str()) aria-current=here.then_some("page")>{tab_label(l, *t)}</a></li>
                        }
                    }).collect_view()}
                </ul>
            </nav>
        }
    });
    let mediator = !list.tabs.is_empty();
    let empty = list.claims.is_empty();
    view! {
        {tabs}
        {empty.then(|| view! { <p class="empty">{td_string!(l, claims.empty)}</p> })}
        <ul class="claim-list" role="list" data-testid="claim-list">
            {list.claims.into_iter().map(|c| view! { <ClaimCard c mediator take/> }).collect_view()}
        </ul>
    }
}

#[component]
fn ClaimCard(c: ClaimSummary, mediator: bool, take: ServerAction<TakeClaim>) -> impl IntoView {
    let can_take = mediator && c.state == crate::domain::dispute::ClaimState::Escalated && c.mediator_name.is_none();
    let l = use_locale();
    let who = match (&c.mediator_name, c.taken_by_me) {
        (Some(_), true) => Some(td_string!(l, claims.yours).to_string()),
        (Some(m), false) => Some(td_string!(l, claims.mediator, name = m.clone()).to_string()),
        (None, _) => None,
    };
    view! {
        <li class="claim-card">
            <p>
                <A href=format!("/claims/{}", c.id)><strong>{td_string!(l, claims.claim_of_order, claim = c.id.to_string(), order = c.order_id.to_string()).to_string()}</strong></A>
                " " <span class=format!("status claim-{}", c.state.as_str())>{state_label(l, c.state)}</span>
            </p>
            <p class="muted">{td_string!(l, claims.facts, reason = reason_label(l, c.reason), shop = c.shop_name.clone(), buyer = c.buyer_name.clone(), at = c.opened_at.clone()).to_string()}</p>
            {c.next_deadline.clone().map(|d| view! { <p class="deadline">{d}</p> })}
            {who.map(|w| view! { <p class="muted">{w}</p> })}
            {can_take.then(|| view! {
                <ActionForm action=take attr:class="inline-form">
                    <input type="hidden" name="claim_id" value=c.id.0/>
                    <button type="submit" class="primary">{td_string!(l, claims.take, claim = c.id.to_string()).to_string()}</button>
                </ActionForm>
            })}
        </li>
    }
}

/// A claim list's name in the page's language.
fn tab_label(l: Locale, tab: ClaimTab) -> &'static str {
    match tab {
        ClaimTab::Queue => td_string!(l, claims.tab_queue),
        ClaimTab::Mine => td_string!(l, claims.tab_mine),
        ClaimTab::Open => td_string!(l, claims.tab_open),
        ClaimTab::Ended => td_string!(l, claims.tab_ended),
    }
}

/// Where a claim stands, in the page's language.
pub(crate) fn state_label(l: Locale, state: ClaimState) -> &'static str {
    match state {
        ClaimState::AwaitingSeller => td_string!(l, claims.state_awaiting_seller),
        ClaimState::SellerResponded => td_string!(l, claims.state_seller_responded),
        ClaimState::Escalated => td_string!(l, claims.state_escalated),
        ClaimState::Resolved => td_string!(l, claims.state_resolved),
        ClaimState::Closed => td_string!(l, claims.state_closed),
    }
}

/// What went wrong, in the page's language.
pub(crate) fn reason_label(l: Locale, reason: ClaimReason) -> &'static str {
    match reason {
        ClaimReason::NotReceived => td_string!(l, claims.reason_not_received),
        ClaimReason::Late => td_string!(l, claims.reason_late),
        ClaimReason::NotAsDescribed => td_string!(l, claims.reason_not_as_described),
        ClaimReason::Damaged => td_string!(l, claims.reason_damaged),
        ClaimReason::WrongItem => td_string!(l, claims.reason_wrong_item),
        ClaimReason::MissingParts => td_string!(l, claims.reason_missing_parts),
        ClaimReason::Other => td_string!(l, claims.reason_other),
    }
}

/// A kind of remedy (without its amount), in the page's language.
pub(crate) fn remedy_kind_label(l: Locale, remedy: Remedy) -> &'static str {
    match remedy {
        Remedy::FullRefund => td_string!(l, claims.remedy_full_refund),
        Remedy::PartialRefund(_) => td_string!(l, claims.remedy_partial_refund),
        Remedy::Replacement => td_string!(l, claims.remedy_replacement),
        Remedy::ReturnAndRefund => td_string!(l, claims.remedy_return_and_refund),
    }
}

/// The remedies a form offers, as (kind, label in the page's language).
pub(crate) fn remedy_kinds(l: Locale) -> Vec<(&'static str, &'static str)> {
    Remedy::KINDS.into_iter().filter_map(|(kind, _)| Remedy::from_parts(kind, 0).map(|r| (kind, remedy_kind_label(l, r)))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_labels_are_the_domain_labels() {
        let l = Locale::en;
        for s in [ClaimState::AwaitingSeller, ClaimState::SellerResponded, ClaimState::Escalated, ClaimState::Resolved, ClaimState::Closed] {
            assert_eq!(state_label(l, s), s.label());
        }
        for r in ClaimReason::ALL {
            assert_eq!(reason_label(l, r), r.label());
        }
        for t in [ClaimTab::Queue, ClaimTab::Mine, ClaimTab::Open, ClaimTab::Ended] {
            assert_eq!(tab_label(l, t), t.label());
        }
        let kinds: Vec<(&str, &str)> = Remedy::KINDS.to_vec();
        assert_eq!(remedy_kinds(l), kinds);
    }
}
