use crate::api::moderation::list_moderation_log;
use crate::components::errors::ErrorPage;
use crate::components::lang::use_lang;
use crate::components::reviews::{queue_label, StarLine};
use crate::i18n::td_string;
use crate::pages::moderation::moderation_tabs;
use crate::domain::review::DecisionView;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/moderation/log`: the audit log of moderation decisions, newest first: who decided what,
/// when, why, and the text as it was when judged.
#[component]
pub fn ModerationLogPage() -> impl IntoView {
    let log = Resource::new(|| (), |_| list_moderation_log());
    let l = use_lang().locale;
    view! {
        <Title text=td_string!(l, moderation.decisions_title)/>
        <h1>{td_string!(l, moderation.decisions_title)}</h1>
        {moderation_tabs(l, false)}
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match log.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty">{td_string!(l, moderation.no_decisions)}</p> }.into_any(),
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
    let l = use_lang().locale;
    let verdict = if d.approved {
        td_string!(l, moderation.approved).to_string()
    } else {
        td_string!(l, moderation.rejected, reason = d.reason.map_or("", |r| r.label_in(l))).to_string()
    };
    let queue = queue_label(l, d.queue);
    view! {
        <li class="decision">
            <p>
                <strong class=if d.approved { "status review-published" } else { "status review-rejected" }>{verdict}</strong>
                {td_string!(l, moderation.log_line, id = d.review_id, queue = queue, by = d.moderator.clone(), at = d.at.clone()).to_string()}
            </p>
            {(!d.note.is_empty()).then(|| view! { <p>{td_string!(l, moderation.note, note = d.note.clone()).to_string()}</p> })}
            <details>
                <summary>{td_string!(l, moderation.as_judged)}</summary>
                {d.stars.map(|s| view! { <p><StarLine stars=s/></p> })}
                {(!d.title.is_empty()).then(|| view! { <p><strong>{d.title.clone()}</strong></p> })}
                <p class="review-body">{d.body.clone()}</p>
            </details>
        </li>
    }
}
