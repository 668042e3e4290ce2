use crate::api::notifications::{list_notifications, MarkAllNotificationsRead, MarkNotificationRead};
use crate::components::errors::ErrorPage;
use crate::components::lang::use_locale;
use crate::i18n::td_string;
use crate::live::region::{LiveRegion, LiveTopic};
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Every notification, newest first, unread ones marked; arrives live.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let mark_one = ServerAction::<MarkNotificationRead>::new();
    let mark_all = ServerAction::<MarkAllNotificationsRead>::new();
    let list = Resource::new(
        || (),
        |_| list_notifications(),
    );
    let l = use_locale();
    view! {
        <Title text=td_string!(l, notifications.title)/>
        <h1>{td_string!(l, notifications.title)}</h1>
        <LiveRegion id="notifications-list".to_string() on=LiveTopic::Notifications>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(items) if items.is_empty() => view! {
                        <p class="empty">{td_string!(l, notifications.empty)}</p>
                    }.into_any(),
                    Ok(items) => {
                        let any_unread = items.iter().any(|n| n.unread);
                        view! {
                            {any_unread.then(|| view! {
                                <ActionForm action=mark_all attr:class="inline-form">
                                    <button type="submit">{td_string!(l, notifications.mark_all)}</button>
                                </ActionForm>
                            })}
                            <ul role="list" class="notification-list">
                                {items.into_iter().map(|n| view! {
                                    <li class="notification" class:unread=n.unread>
                                        <p>
                                            {n.unread.then(|| view! { <span class="visually-hidden">{td_string!(l, notifications.unread)}</span> })}
                                            <A href=n.href.clone()><strong>{n.title}</strong></A>
                                        </p>
                                        {(!n.body.is_empty()).then(|| view! { <p>{n.body}</p> })}
                                        <p class="muted">{n.at}</p>
                                        {n.unread.then(|| view! {
                                            <ActionForm action=mark_one attr:class="inline-form">
                                                <input type="hidden" name="id" value=n.id/>
                                                <button type="submit" class="link-button">{td_string!(l, notifications.mark_one)}</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Transition>
        </LiveRegion>
    }
}
