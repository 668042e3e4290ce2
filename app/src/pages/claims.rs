use crate::api::disputes::{list_claims, TakeClaim};
use crate::components::errors::{Alert, ErrorPage};
use crate::domain::room::{ClaimList, ClaimSummary};
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
    view! {
        <Title text="Claims"/>
        <h1>"Claims"</h1>
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
    let current = list.tab;
    let tabs = (!list.tabs.is_empty()).then(|| {
        view! {
            <nav aria-label="Claim lists" class="tabs">
                <ul role="list">
                    {list.tabs.iter().map(|t| {
                        let here = *t == current;
                        view! {
                            // A plain link: the router's <A> would mark every tab current (same path).
                            <li><a class="tab" href=format!("/claims?tab={}", t.as_str()) aria-current=here.then_some("page")>{t.label()}</a></li>
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
        {empty.then(|| view! { <p class="empty">"No claims here."</p> })}
        <ul class="claim-list" role="list" data-testid="claim-list">
            {list.claims.into_iter().map(|c| view! { <ClaimCard c mediator take/> }).collect_view()}
        </ul>
    }
}

#[component]
fn ClaimCard(c: ClaimSummary, mediator: bool, take: ServerAction<TakeClaim>) -> impl IntoView {
    let can_take = mediator && c.state == crate::domain::dispute::ClaimState::Escalated && c.mediator_name.is_none();
    let who = match (&c.mediator_name, c.taken_by_me) {
        (Some(_), true) => Some("You are working on it".to_string()),
        (Some(m), false) => Some(format!("Mediator: {m}")),
        (None, _) => None,
    };
    view! {
        <li class="claim-card">
            <p>
                <A href=format!("/claims/{}", c.id)><strong>{format!("Claim #{} · order #{}", c.id, c.order_id)}</strong></A>
                " " <span class=format!("status claim-{}", c.state.as_str())>{c.state.label()}</span>
            </p>
            <p class="muted">{format!("{} · {} · buyer {} · opened {}", c.reason.label(), c.shop_name, c.buyer_name, c.opened_at)}</p>
            {c.next_deadline.clone().map(|d| view! { <p class="deadline">{d}</p> })}
            {who.map(|w| view! { <p class="muted">{w}</p> })}
            {can_take.then(|| view! {
                <ActionForm action=take attr:class="inline-form">
                    <input type="hidden" name="claim_id" value=c.id.0/>
                    <button type="submit" class="primary">{format!("Take claim #{}", c.id)}</button>
                </ActionForm>
            })}
        </li>
    }
}
