//! A labelled form field with its error message tied to it for screen readers.

use crate::components::lang::use_locale;
use crate::i18n::td_string;
use leptos::prelude::*;

#[component]
pub fn FormField(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into, optional)] value: Signal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = field_id(name);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = described_by(hint.is_some(), hint_id.clone(), error_id.clone(), error);
    let l = use_locale();
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}{(!required).then_some(view! { <span class="optional">{td_string!(l, form.optional)}</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <input
                id=id
                type=kind
                name=name
                autocomplete=autocomplete
                required=required
                value=move || value.get()
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            />
            {move || error.get().map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
        </div>
    }
}

/// The element id of the field called `name` ("shop[city]" → "field-shop-city").
fn field_id(name: &str) -> String {
    let plain: String = name.chars().map(|c| if c == '[' { '-' } else { c }).filter(|c| *c != ']').collect();
    format!("field-{plain}")
}

/// A labelled multi-line field, like `FormField`.
#[component]
pub fn TextAreaField(
    label: &'static str,
    name: &'static str,
    #[prop(default = 3)] rows: u32,
    max: usize,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into, optional)] value: Signal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let id = field_id(name);
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = described_by(hint.is_some(), hint_id.clone(), error_id.clone(), error);
    let l = use_locale();
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}{(!required).then_some(view! { <span class="optional">{td_string!(l, form.optional)}</span> })}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <textarea
                id=id
                name=name
                rows=rows
                maxlength=max
                required=required
                prop:value=move || value.get()
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            >{value.get_untracked()}</textarea>
            {move || error.get().map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
        </div>
    }
}

/// The field's `aria-describedby`: its hint, and its error while there is one.
fn described_by(has_hint: bool, hint_id: String, error_id: String, error: Signal<Option<String>>) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(hint_id.clone());
        }
        if error.get().is_some() {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}
