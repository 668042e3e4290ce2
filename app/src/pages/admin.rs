use crate::api::admin::{get_staff_page, GrantRole, RevokeRole};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::form::FormField;
use crate::domain::user::{Role, StaffMember};
use crate::error::AppError;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use crate::components::lang::use_lang;
use crate::i18n::td_string;

/// A role as people read it.
pub(crate) fn role_label(l: crate::i18n::Locale, role: Role) -> &'static str {
    match role {
        Role::Buyer => td_string!(l, admin.role_buyer),
        Role::Seller => td_string!(l, admin.role_seller),
        Role::Mediator => td_string!(l, admin.role_mediator),
        Role::Moderator => td_string!(l, admin.role_moderator),
        Role::Admin => td_string!(l, admin.role_admin),
    }
}

/// The admin pages' own navigation.
pub fn admin_nav() -> impl IntoView {
    use leptos_router::components::A;
    let l = use_lang().locale;
    view! {
        <p class="sub-nav">
            <A href="/admin/shops">{td_string!(l, admin.shops)}</A> " · " <A href="/admin/roles">{td_string!(l, admin.roles)}</A> " · " <A href="/admin/commissions">{td_string!(l, admin.commissions)}</A>
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
    let l = use_lang().locale;
    // Both forms end in a redirect (with and without JavaScript) that says what was done.
    let notice = move || {
        let q = query.read();
        if q.get("granted").is_some() {
            Some(td_string!(l, admin.granted))
        } else if q.get("revoked").is_some() {
            Some(td_string!(l, admin.revoked))
        } else {
            None
        }
    };
    let revoke_error = move || revoke.value().get().and_then(Result::err).map(|e| e.to_string());
    view! {
        <Title text=td_string!(l, admin.people_and_roles)/>
        <h1>{td_string!(l, admin.people_and_roles)}</h1>
        {admin_nav()}
        {move || notice().map(|m| view! { <Alert kind="info" message=m/> })}
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! {
                        <section class="narrow">
                            <h2>{td_string!(l, admin.give_a_role)}</h2>
                            <p>{td_string!(l, admin.give_a_role_hint)}</p>
                            {move || form_message().map(|m| view! { <Alert message=m/> })}
                            <ActionForm action=grant attr:class="stack-form">
                                <FormField label=td_string!(l, admin.persons_email) name="email" kind="email" autocomplete="off" required=true error=field("email")/>
                                <fieldset aria-describedby="role-error">
                                    <legend>{td_string!(l, admin.role)}</legend>
                                    {Role::GRANTABLE.into_iter().map(|r| {
                                        let id = format!("role-{}", r.as_str());
                                        view! {
                                            <div class="choice">
                                                <input type="radio" id=id.clone() name="role" value=r.as_str() required checked=r == Role::Mediator/>
                                                <label for=id>{role_label(l, r)}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                    {move || field("role").get().map(|e| view! { <p class="field-error" id="role-error">{e}</p> })}
                                </fieldset>
                                <button type="submit" class="primary" disabled=move || grant.pending().get()>{td_string!(l, admin.give_the_role)}</button>
                            </ActionForm>
                        </section>
                        <section>
                            <h2>{td_string!(l, admin.staff)}</h2>
                            {move || revoke_error().map(|m| view! { <Alert message=m/> })}
                            <ul role="list" class="staff-list" data-testid="staff">
                                {page.staff.into_iter().map(|m| view! { <StaffLine member=m revoke/> }).collect_view()}
                            </ul>
                        </section>
                        <section>
                            <h2>{td_string!(l, admin.changes)}</h2>
                            {if page.log.is_empty() {
                                view! { <p class="empty">{td_string!(l, admin.no_changes)}</p> }.into_any()
                            } else {
                                view! {
                                    <ol role="list" class="role-log" data-testid="role-log">
                                        {page.log.into_iter().map(|c| view! {
                                            <li>
                                                <p><strong>{format!("{} → {}", role_label(l, c.from), role_label(l, c.to))}</strong>{format!(" · {}", c.person)}</p>
                                                <p class="muted">{td_string!(l, admin.at_by, at = c.at.clone(), by = c.by.clone()).to_string()}</p>
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
    let l = use_lang().locale;
    // The visible words start the accessible name (WCAG 2.5.3); the hidden rest says whose role.
    let whose = td_string!(l, admin.whose_role, name = member.display_name.clone(), role = role_label(l, member.role).to_lowercase()).to_string();
    view! {
        <li class="staff-member">
            <p><strong>{member.display_name.clone()}</strong>{format!(" · {} · {}", member.email, role_label(l, member.role))}</p>
            {takes_back.then(|| view! {
                <ActionForm action=revoke attr:class="inline-form">
                    <input type="hidden" name="user_id" value=member.id.0/>
                    <button type="submit">{td_string!(l, admin.take_back)}<span class="visually-hidden">{whose}</span></button>
                </ActionForm>
            })}
        </li>
    }
}
