//! The page's language: what the server chose for this request (`backend::web::locale`), the
//! switcher on every page, and the alternate addresses of a storefront page in each language.

use crate::domain::locale::{self, Locale};
use crate::domain::Money;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_meta::Link;

/// The language a page is rendered in, and whether its address carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PageLang {
    pub locale: Locale,
    /// The address names the language (`/fr/…`): the page's storefront links keep it, so a shared
    /// page stays in the language it was shared in as one browses on.
    pub in_url: bool,
}

impl PageLang {
    /// The request's language (on the server; the default in the browser, which renders no page).
    pub fn from_request() -> Self {
        #[cfg(feature = "ssr")]
        {
            let r = crate::backend::web::locale::current();
            PageLang { locale: r.locale, in_url: r.in_url }
        }
        #[cfg(not(feature = "ssr"))]
        PageLang::default()
    }

    /// A link to a page of the site: storefront pages keep the address's language.
    pub fn href(self, path: &str) -> String {
        if self.in_url {
            locale::localized(self.locale, path)
        } else {
            path.to_string()
        }
    }

    pub fn money(self, amount: Money) -> String {
        locale::money(self.locale, amount)
    }

    pub fn number(self, n: i64) -> String {
        locale::number(self.locale, n)
    }
}

/// The language of the page being rendered.
pub fn use_lang() -> PageLang {
    use_context::<PageLang>().unwrap_or_default()
}

/// The page's locale, for `td_string!(l, key)`.
pub fn use_locale() -> Locale {
    use_lang().locale
}

/// A form with one button that switches the site to the other language, on every page, with or
/// without JavaScript: `POST /language` keeps the choice and comes back to this page. The button
/// speaks the language it offers (its name and `lang`): "English", "Show this site in English".
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = leptos_router::hooks::use_location();
    let back = move || {
        let path = location.pathname.get_untracked();
        let search = location.search.get_untracked();
        let here = if search.is_empty() { path } else { format!("{path}?{search}") };
        lang.href(&here)
    };
    let other = locale::ALL.into_iter().find(|l| *l != lang.locale).unwrap_or(Locale::en);
    view! {
        <form method="post" action="/language" class="language-switch">
            <input type="hidden" name="back" value=back/>
            <button type="submit" name="lang" value=locale::code(other) lang=locale::code(other)
                aria-label=td_string!(other, lang_switch_label)
                data-testid="language-switch">
                {locale::autonym(other)}
            </button>
        </form>
    }
}

/// `<link rel="alternate" hreflang=…>` for a storefront page: the same page in each language, and
/// the address without one for everyone else.
#[component]
pub fn LanguageAlternates() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let path = location.pathname.get_untracked();
    let search = location.search.get_untracked();
    let here = if search.is_empty() { path.clone() } else { format!("{path}?{search}") };
    locale::is_storefront(&path).then(|| {
        let origin = site_origin();
        view! {
            {locale::ALL.into_iter().map(|l| view! {
                <Link rel="alternate" hreflang=locale::code(l) href=format!("{origin}{}", locale::localized(l, &here))/>
            }).collect_view()}
            <Link rel="alternate" hreflang="x-default" href=format!("{origin}{here}")/>
        }
    })
}

/// The site's public address, for links that must be absolute (alternates).
fn site_origin() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::backend::state::AppState>()
            .and_then(|s| s.settings.public_url.clone())
            .map(|u| u.trim_end_matches('/').to_string())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    String::new()
}
