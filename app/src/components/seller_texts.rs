//! Sellers' own texts in two languages: the form fields where a seller says which language they
//! wrote in and may add the other, and the note a reader sees when their language is missing.

use crate::components::form::{FormField, TextAreaField};
use crate::components::lang::use_lang;
use crate::domain::locale::{self, Locale};
use crate::i18n::td_string;
use leptos::prelude::*;

/// A language's name in the reader's language ("anglais" for a French reader).
pub fn language_name(reader: Locale, of: Locale) -> &'static str {
    match of {
        Locale::en => td_string!(reader, seller_texts.language_en),
        Locale::fr => td_string!(reader, seller_texts.language_fr),
    }
}

/// "Shown as the seller wrote it, in English.": under a seller's text that is not in the reader's
/// language (nothing when it is).
#[component]
pub fn OriginalLanguageNote(language: Option<Locale>) -> impl IntoView {
    let l = use_lang().locale;
    language.map(|of| {
        view! { <p class="muted original-language" data-testid="original-language">{td_string!(l, seller_texts.shown_in_original, language = language_name(l, of)).to_string()}</p> }
    })
}

/// The `lang` attribute of a seller's text shown in another language than the page's.
pub fn lang_attr(language: Option<Locale>) -> Option<&'static str> {
    language.map(locale::code)
}

/// One field of the version in the other language.
pub struct TranslatedField {
    pub name: &'static str,
    pub label: &'static str,
    /// A text area of at most this many characters, or (0) a one-line field.
    pub max: usize,
    pub value: String,
    pub error: Signal<Option<String>>,
}

/// The language a seller wrote in (`<prefix>[language]`), then an optional version of their
/// texts in the other language.
#[component]
pub fn TextLanguageFields(
    prefix: &'static str,
    language_label: &'static str,
    chosen: String,
    language_error: Signal<Option<String>>,
    fields: Vec<TranslatedField>,
) -> impl IntoView {
    let l = use_lang().locale;
    let id = format!("field-{prefix}-language");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let chosen = locale::from_code(&chosen).unwrap_or(Locale::en);
    view! {
        <div class="field" class:has-error=move || language_error.get().is_some()>
            <label for=id.clone()>{language_label}</label>
            <p class="hint" id=hint_id.clone()>{td_string!(l, seller_texts.language_hint)}</p>
            <select id=id name=format!("{prefix}[language]")
                aria-invalid=move || language_error.get().is_some().then_some("true")
                aria-describedby=hint_id>
                {locale::ALL.iter().map(|&o| view! {
                    <option value=locale::code(o) selected=o == chosen lang=locale::code(o)>{locale::autonym(o)}</option>
                }).collect_view()}
            </select>
            {move || language_error.get().map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
        </div>
        <fieldset class="translation">
            <legend>{td_string!(l, seller_texts.other_language)}</legend>
            <p class="hint">{td_string!(l, seller_texts.other_language_hint)}</p>
            {fields.into_iter().map(|TranslatedField { name, label, max, value, error }| {
                if max > 0 {
                    view! { <TextAreaField label name rows=4 max value=value error/> }.into_any()
                } else {
                    view! { <FormField label name value=value error/> }.into_any()
                }
            }).collect_view()}
        </fieldset>
    }
}
