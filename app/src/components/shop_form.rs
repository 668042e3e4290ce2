//! The shop's profile fields, shared by the application to sell and the seller's edit of their
//! shop. Field names are `shop[…]` (one `ShopProfileInput` argument); every field shows its own
//! error and keeps what was typed.

use crate::components::form::{FormField, TextAreaField};
use crate::components::lang::use_lang;
use crate::components::seller_texts::TextLanguageFields;
use crate::i18n::td_string;
use crate::domain::shop::{ReturnTemplate, ShopProfileInput};
use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn ShopProfileFields(
    form: ShopProfileInput,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// The name is chosen when applying and fixed afterwards.
    #[prop(optional)]
    fixed_name: Option<String>,
) -> impl IntoView {
    let field = move |name: &'static str| Signal::derive(move || error.get().and_then(|e| e.field(name)));
    let f = form;
    let chosen = ReturnTemplate::parse(&f.return_template);
    let l = use_lang().locale;
    view! {
        <fieldset>
            <legend>"Your shop"</legend>
            {match fixed_name {
                Some(name) => view! {
                    <p class="field"><span class="label">"Shop name"</span><strong>{name}</strong>
                        <span class="hint">"The name and the shop's address stay as approved."</span></p>
                }.into_any(),
                None => view! {
                    <FormField label="Shop name" name="shop[name]" required=true value=f.name hint="Buyers see it everywhere; it also makes your shop's address." error=field("name")/>
                }.into_any(),
            }}
            <div class="field-row">
                <FormField label="City" name="shop[city]" autocomplete="address-level2" required=true value=f.city error=field("city")/>
                <FormField label="Country" name="shop[country]" autocomplete="country-name" required=true value=f.country error=field("country")/>
            </div>
            <TextAreaField label="Description" name="shop[description]" rows=4 max=crate::domain::shop::DESCRIPTION_MAX required=true
                hint="What you sell and what makes it yours (20 characters or more)." value=f.description error=field("description")/>
        </fieldset>
        <fieldset>
            <legend>"Contact for buyers"</legend>
            <p class="hint">"Troika shows buyers your email and phone masked, and relays their messages: they never see the full details."</p>
            <FormField label="Opening hours" name="shop[opening_hours]" required=true value=f.opening_hours hint="For example: Mon–Fri 9:00–17:00" error=field("opening_hours")/>
            <FormField label="Email" name="shop[contact_email]" kind="email" autocomplete="email" required=true value=f.contact_email error=field("contact_email")/>
            <FormField label="Phone" name="shop[contact_phone]" kind="tel" autocomplete="tel" required=true value=f.contact_phone error=field("contact_phone")/>
        </fieldset>
        <fieldset>
            <legend>"Returns, handling and shipping"</legend>
            <div class="field">
                <label for="field-shop-return_template">"Start from a standard return policy"</label>
                <select id="field-shop-return_template" name="shop[return_template]" aria-describedby="field-shop-return_template-hint">
                    <option value="" selected=chosen.is_none()>"My own policy (below)"</option>
                    {ReturnTemplate::ALL.into_iter().map(|t| view! {
                        <option value=t.as_str() selected=chosen == Some(t)>{t.label()}</option>
                    }).collect_view()}
                </select>
                <p class="hint" id="field-shop-return_template-hint">"Leave the policy text empty to use the standard text; edit it to make it yours."</p>
            </div>
            <TextAreaField label="Return policy" name="shop[return_policy]" rows=4 max=crate::domain::shop::POLICY_MAX
                value=f.return_policy error=field("return_policy")/>
            <div class="field-row">
                <FormField label="Days to return" name="shop[return_days]" kind="text" value=f.return_days hint="0 for no returns" error=field("return_days")/>
                <FormField label="Handling time" name="shop[handling_days]" kind="text" required=true value=f.handling_days hint="Business days to ship" error=field("handling_days")/>
            </div>
            <FormField label="Shipping fee per order (€)" name="shop[shipping_fee]" kind="text" required=true value=f.shipping_fee hint="0 for free shipping" error=field("shipping_fee")/>
        </fieldset>
        <TextLanguageFields prefix="shop" language_label=td_string!(l, seller_texts.language_shop) chosen=f.language.clone()
            language_error=field("language") max=crate::domain::shop::DESCRIPTION_MAX
            fields=vec![
                ("shop[translated_description]", td_string!(l, seller_texts.description_other_shop), true, f.translated_description.clone(), field("translated_description")),
                ("shop[translated_return_policy]", td_string!(l, seller_texts.policy_other), true, f.translated_return_policy.clone(), field("translated_return_policy")),
            ]/>
    }
}
