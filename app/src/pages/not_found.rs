use crate::components::errors::set_status;
use crate::components::lang::use_lang;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_status(404);
    let lang = use_lang();
    let l = lang.locale;
    view! {
        <Title text=td_string!(l, errors.page_not_found)/>
        <section class="error-page">
            <h1>{td_string!(l, errors.page_not_found)}</h1>
            <p>{td_string!(l, errors.page_not_found_body)}</p>
            <p><A href=lang.href("/")>{td_string!(l, errors.back_home)}</A>" · "<A href=lang.href("/search")>{td_string!(l, errors.search_all)}</A></p>
        </section>
    }
}
