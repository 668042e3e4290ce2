use crate::api::admin::{get_staff_page, GrantRole, RevokeRole};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::form::FormField;
use crate::domain::user::{Role, StaffMember};
use crate::error::AppError;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The admin pages' own navigation.
pub fn admin_nav() -> impl IntoView {
    use leptos_router::components::A;
    view! {
        <p class="sub-nav">
            <A href="/admin/shops">"Shops"</A> " · " <A href="/admin/roles">"Roles"</A> " · " <A href="/admin/commissions">"Commissions and payouts"</A>
        </p>
    }
}

/// `/admin/roles`: who works for the marketplace; an admin gives a person the mediator or
/// moderator role and takes it back; every change is in the log below (who, when, what).
#[component]
pub fn AdminRolesPage() -> impl IntoView {
    let grant = ServerAction::<GrantRole>::new();
    let revoke = ServerAction::<RevokeRole>::new();
    let page = Resource::new(move || (grant.version().get(), revoke.version().get()), |_| get_staff_page());
    let query = use_query_map();
    let grant_error = move || grant.value().get().and_then(Result::err);
    let field = move |name: &'static str| Signal::derive(move || grant_error().and_then(|e| e.field(name)));
    let form_message = move || grant_error().filter(|e| !matches!(e, AppError::Invalid { fields, .. } if !fields.is_empty())).map(|e| e.to_string());
    // Both forms end in a redirect (with and without JavaScript) that says what was done.
    let notice = move || {
        let q = query.read();
        if q.get("granted").is_some() {
            Some("The role is given. They sign in again to start.")
        } else if q.get("revoked").is_some() {
            Some("The role is taken back. Their sessions ended; their open work went back to the queue.")
        } else {
            None
        }
    };
    let revoke_error = move || revoke.value().get().and_then(Result::err).map(|e| e.to_string());
    view! {
        <Title text="People and roles"/>
        <h1>"People and roles"</h1>
        {admin_nav()}
        {move || notice().map(|m| view! { <Alert kind="info" message=m/> })}
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! {
                        <section class="narrow">
                            <h2>"Give a role"</h2>
                            <p>"Mediators settle claims between buyers and sellers; moderators decide which reviews are published. Only a buyer's account takes a role (the person signs up first)."</p>
                            {move || form_message().map(|m| view! { <Alert message=m/> })}
                            <ActionForm action=grant attr:class="stack-form">
                                <FormField label="The person's email" name="email" kind="email" autocomplete="off" required=true error=field("email")/>
                                <fieldset aria-describedby="role-error">
                                    <legend>"Role"</legend>
                                    {Role::GRANTABLE.into_iter().map(|r| {
                                        let id = format!("role-{}", r.as_str());
                                        view! {
                                            <div class="choice">
                                                <input type="radio" id=id.clone() name="role" value=r.as_str() required checked=r == Role::Mediator/>
                                                <label for=id>{r.label()}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                    {move || field("role").get().map(|e| view! { <p class="field-error" id="role-error">{e}</p> })}
                                </fieldset>
                                <button type="submit" class="primary" disabled=move || grant.pending().get()>"Give the role"</button>
                            </ActionForm>
                        </section>
                        <section>
                            <h2>"Staff"</h2>
                            {move || revoke_error().map(|m| view! { <Alert message=m/> })}
                            <ul role="list" class="staff-list" data-testid="staff">
                                {page.staff.into_iter().map(|m| view! { <StaffLine member=m revoke/> }).collect_view()}
                            </ul>
                        </section>
                        <section>
                            <h2>"Changes"</h2>
                            {if page.log.is_empty() {
                                view! { <p class="empty">"No role has changed yet."</p> }.into_any()
                            } else {
                                view! {
                                    <ol role="list" class="role-log" data-testid="role-log">
                                        {page.log.into_iter().map(|c| view! {
                                            <li>
                                                <p><strong>{format!("{} → {}", c.from.label(), c.to.label())}</strong>{format!(" · {}", c.person)}</p>
                                                <p class="muted">{format!("{} · by {}", c.at, c.by)}</p>
                                            </li>
                                        }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                        </section>
                    }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffLine(member: StaffMember, revoke: ServerAction<RevokeRole>) -> impl IntoView {
    let takes_back = Role::GRANTABLE.contains(&member.role);
    // The visible words start the accessible name (WCAG 2.5.3); the hidden rest says whose role.
    let whose = format!(" of {} ({})", member.display_name, member.role.label().to_lowercase());
    view! {
        <li class="staff-member">
            <p><strong>{member.display_name.clone()}</strong>{format!(" · {} · {}", member.email, member.role.label())}</p>
            {takes_back.then(|| view! {
                <ActionForm action=revoke attr:class="inline-form">
                    <input type="hidden" name="user_id" value=member.id.0/>
                    <button type="submit">"Take back the role"<span class="visually-hidden">{whose}</span></button>
                </ActionForm>
            })}
        </li>
    }
}
