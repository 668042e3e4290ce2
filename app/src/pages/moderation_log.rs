use crate::api::moderation::list_moderation_log;
use crate::components::errors::ErrorPage;
use crate::components::reviews::StarLine;
use crate::domain::review::DecisionView;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/moderation/log`: the audit log of moderation decisions, newest first: who decided what,
/// when, why, and the text as it was when judged.
#[component]
pub fn ModerationLogPage() -> impl IntoView {
    let log = Resource::new(|| (), |_| list_moderation_log());
    view! {
        <Title text="Moderation decisions"/>
        <h1>"Moderation decisions"</h1>
        <nav aria-label="Moderation" class="tabs">
            <ul role="list">
                <li><a class="tab" href="/moderation">"Queue"</a></li>
                <li><a class="tab" href="/moderation/log" aria-current="page">"Decisions log"</a></li>
            </ul>
        </nav>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match log.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">"No decisions yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ol class="decision-log" role="list" data-testid="decision-log">
                            {list.into_iter().map(|d| view! { <Decision d/> }).collect_view()}
                        </ol>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Decision(d: DecisionView) -> impl IntoView {
    let verdict = if d.approved { "Approved".to_string() } else { format!("Rejected: {}", d.reason.clone().unwrap_or_default()) };
    view! {
        <li class="decision">
            <p>
                <strong class=if d.approved { "status review-published" } else { "status review-rejected" }>{verdict}</strong>
                {format!(" · #{} · {} · by {} · {}", d.review_id, d.queue, d.moderator, d.at)}
            </p>
            {(!d.note.is_empty()).then(|| view! { <p>{format!("Note: {}", d.note)}</p> })}
            <details>
                <summary>"The text as judged"</summary>
                {d.stars.map(|s| view! { <p><StarLine stars=s/></p> })}
                {(!d.title.is_empty()).then(|| view! { <p><strong>{d.title.clone()}</strong></p> })}
                <p class="review-body">{d.body.clone()}</p>
            </details>
        </li>
    }
}
