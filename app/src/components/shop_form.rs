//! The shop's profile fields, shared by the application to sell and the seller's edit of their
//! shop. Field names are `shop[…]` (one `ShopProfileInput` argument); every field shows its own
//! error and keeps what was typed.

use crate::components::form::{FormField, TextAreaField};
use crate::components::lang::use_lang;
use crate::components::seller_texts::{TextLanguageFields, TranslatedField};
use crate::i18n::td_string;
use crate::domain::locale::{self, Locale};
use crate::domain::shop::{ReturnTemplate, ShopProfileInput};
use crate::error::AppError;
use leptos::prelude::*;

/// A standard return policy's name, in the page's language.
fn template_label(l: Locale, t: ReturnTemplate) -> &'static str {
    match t {
        ReturnTemplate::FreeThirty => td_string!(l, shop_form.template_free_30),
        ReturnTemplate::BuyerPaysFourteen => td_string!(l, shop_form.template_buyer_pays_14),
        ReturnTemplate::FaultyOnly => td_string!(l, shop_form.template_faulty_only),
    }
}

#[component]
pub fn ShopProfileFields(
    form: ShopProfileInput,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// The name is chosen when applying and fixed afterwards.
    #[prop(optional)]
    fixed_name: Option<String>,
) -> impl IntoView {
    let field = move |name: &'static str| Signal::derive(move || error.get().and_then(|e| e.field(name)));
    let mut f = form;
    let chosen = ReturnTemplate::parse(&f.return_template);
    let l = use_lang().locale;
    // A blank form (the application's first draft) is written in the page's language: the chosen
    // template's text comes in that language, and so does the language the texts are said to be in.
    if f.language.is_empty() {
        f.language = locale::code(l).into();
        if let Some(t) = chosen.filter(|t| f.return_policy == t.text()) {
            f.return_policy = t.text_in(l).into();
        }
    }
    view! {
        <fieldset>
            <legend>{td_string!(l, shop_form.your_shop)}</legend>
            {match fixed_name {
                Some(name) => view! {
                    <p class="field"><span class="label">{td_string!(l, shop_form.shop_name)}</span><strong>{name}</strong>
                        <span class="hint">{td_string!(l, shop_form.name_fixed)}</span></p>
                }.into_any(),
                None => view! {
                    <FormField label=td_string!(l, shop_form.shop_name) name="shop[name]" required=true value=f.name hint=td_string!(l, shop_form.name_hint) error=field("name")/>
                }.into_any(),
            }}
            <div class="field-row">
                <FormField label=td_string!(l, shop_form.city) name="shop[city]" autocomplete="address-level2" required=true value=f.city error=field("city")/>
                <FormField label=td_string!(l, shop_form.country) name="shop[country]" autocomplete="country-name" required=true value=f.country error=field("country")/>
            </div>
            <TextAreaField label=td_string!(l, shop_form.description) name="shop[description]" rows=4 max=crate::domain::shop::DESCRIPTION_MAX required=true
                hint=td_string!(l, shop_form.description_hint) value=f.description error=field("description")/>
        </fieldset>
        <fieldset>
            <legend>{td_string!(l, shop_form.contact)}</legend>
            <p class="hint">{td_string!(l, shop_form.contact_hint)}</p>
            <FormField label=td_string!(l, shop_form.opening_hours) name="shop[opening_hours]" required=true value=f.opening_hours hint=td_string!(l, shop_form.opening_hours_hint) error=field("opening_hours")/>
            <FormField label=td_string!(l, shop_form.email) name="shop[contact_email]" kind="email" autocomplete="email" required=true value=f.contact_email error=field("contact_email")/>
            <FormField label=td_string!(l, shop_form.phone) name="shop[contact_phone]" kind="tel" autocomplete="tel" required=true value=f.contact_phone error=field("contact_phone")/>
        </fieldset>
        <fieldset>
            <legend>{td_string!(l, shop_form.returns)}</legend>
            <div class="field">
                <label for="field-shop-return_template">{td_string!(l, shop_form.template)}</label>
                <select id="field-shop-return_template" name="shop[return_template]" aria-describedby="field-shop-return_template-hint">
                    <option value="" selected=chosen.is_none()>{td_string!(l, shop_form.own_policy)}</option>
                    {ReturnTemplate::ALL.into_iter().map(|t| view! {
                        <option value=t.as_str() selected=chosen == Some(t)>{template_label(l, t)}</option>
                    }).collect_view()}
                </select>
                <p class="hint" id="field-shop-return_template-hint">{td_string!(l, shop_form.template_hint)}</p>
            </div>
            <TextAreaField label=td_string!(l, shop_form.return_policy) name="shop[return_policy]" rows=4 max=crate::domain::shop::POLICY_MAX
                value=f.return_policy error=field("return_policy")/>
            <div class="field-row">
                <FormField label=td_string!(l, shop_form.return_days) name="shop[return_days]" kind="text" value=f.return_days hint=td_string!(l, shop_form.return_days_hint) error=field("return_days")/>
                <FormField label=td_string!(l, shop_form.handling) name="shop[handling_days]" kind="text" required=true value=f.handling_days hint=td_string!(l, shop_form.handling_hint) error=field("handling_days")/>
            </div>
            <FormField label=td_string!(l, shop_form.shipping_fee) name="shop[shipping_fee]" kind="text" required=true value=f.shipping_fee hint=td_string!(l, shop_form.shipping_fee_hint) error=field("shipping_fee")/>
        </fieldset>
        <TextLanguageFields prefix="shop" language_label=td_string!(l, seller_texts.language_shop) chosen=f.language.clone()
            language_error=field("language")
            fields=vec![
                TranslatedField {
                    name: "shop[translated_description]",
                    label: td_string!(l, seller_texts.description_other_shop),
                    max: crate::domain::shop::DESCRIPTION_MAX,
                    value: f.translated_description.clone(),
                    error: field("translated_description"),
                },
                TranslatedField {
                    name: "shop[translated_return_policy]",
                    label: td_string!(l, seller_texts.policy_other),
                    max: crate::domain::shop::POLICY_MAX,
                    value: f.translated_return_policy.clone(),
                    error: field("translated_return_policy"),
                },
            ]/>
    }
}
