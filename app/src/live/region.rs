//! A part of a server-rendered page that stays current: when the live feed says that what it shows
//! changed, the browser rereads the page from the server and puts the fresh part in place. The
//! server stays the only one that renders it (the browser downloads no page code), and the page
//! works the same without JavaScript (a reload shows the change).
//!
//! Nothing typed is lost: fields being edited keep their value and the focus, and `<details>` the
//! person opened or closed stay so.

use crate::domain::OrderId;
use crate::live::{follow_order, use_live};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a region shows, and so which live changes make it reread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LiveTopic {
    /// Any of the person's orders (lists, desks, stock that orders move).
    Orders,
    /// One order. Marketplace staff have no feed entry for other people's orders: with `follow`
    /// (the last history entry shown) the region follows the order's own stream.
    Order { id: OrderId, follow: Option<i64> },
    /// The person's conversations.
    Inbox,
    /// Notifications: orders, and the unread count.
    Notifications,
}

/// `id` names the region on the page (the same on every render of it). Its code loads only on the
/// pages that have one.
#[island(lazy)]
pub fn LiveRegion(id: String, on: LiveTopic, children: Children) -> impl IntoView {
    let live = use_live();
    let followed = RwSignal::new(0u64);
    if let LiveTopic::Order { id: order, follow: Some(after) } = on {
        follow_order(order, after, move || followed.update(|v| *v += 1));
    }
    let version = Memo::new(move |_| {
        let epoch = live.epoch.get();
        match on {
            LiveTopic::Orders => (live.changed.get().map(|c| c.1), epoch, 0),
            LiveTopic::Order { id, .. } => (live.changed.get().filter(|(o, _)| *o == id).map(|c| c.1), epoch, followed.get() as i64),
            LiveTopic::Inbox => (None, epoch, live.inbox.get()),
            LiveTopic::Notifications => (live.changed.get().map(|c| c.1), epoch, live.unread.get().unwrap_or(-1)),
        }
    });
    let refresher = Refresher::new(id.clone());
    Effect::new(move |seen: Option<(Option<i64>, u64, i64)>| {
        let now = version.get();
        if seen.is_some_and(|s| s != now) {
            refresher.run();
        }
        now
    });
    view! { <div id=id class="live-region">{children()}</div> }
}

/// Rereads a region, one request at a time: changes that arrive meanwhile make one more.
#[derive(Clone, Copy)]
struct Refresher {
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    id: StoredValue<String>,
    /// (a request is running, another one is wanted after it)
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    busy: StoredValue<(bool, bool)>,
}

impl Refresher {
    fn new(id: String) -> Self {
        Refresher { id: StoredValue::new(id), busy: StoredValue::new((false, false)) }
    }

    fn run(self) {
        #[cfg(feature = "hydrate")]
        {
            if self.busy.get_value().0 {
                self.busy.update_value(|b| b.1 = true);
                return;
            }
            self.busy.set_value((true, false));
            leptos::task::spawn_local(async move {
                loop {
                    browser::reread(&self.id.get_value()).await;
                    let again = self.busy.get_value().1;
                    self.busy.set_value((again, false));
                    if !again {
                        break;
                    }
                }
            });
        }
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Document, DomParser, Element, HtmlDetailsElement, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, RequestInit, Response, SupportedType};

    /// Fetches this page again and puts its fresh region `id` in place of the shown one. Any
    /// failure (offline, signed out, an error page) leaves the page as it is.
    pub async fn reread(id: &str) {
        let _ = try_reread(id).await;
    }

    async fn try_reread(id: &str) -> Option<()> {
        let window = web_sys::window()?;
        let href = window.location().href().ok()?;
        let init = RequestInit::new();
        let headers = web_sys::Headers::new().ok()?;
        headers.set("accept", "text/html").ok()?;
        init.set_headers(&headers);
        let response: Response = JsFuture::from(window.fetch_with_str_and_init(&href, &init)).await.ok()?.dyn_into().ok()?;
        if !response.ok() || response.redirected() {
            return None;
        }
        let html = JsFuture::from(response.text().ok()?).await.ok()?.as_string()?;
        let fresh = DomParser::new().ok()?.parse_from_string(&html, SupportedType::TextHtml).ok()?.get_element_by_id(id)?;
        let document = window.document()?;
        let shown = document.get_element_by_id(id)?;
        let fresh_html = fresh.inner_html();
        if shown.inner_html() == fresh_html {
            return Some(());
        }
        let kept = Kept::take(&document, &shown);
        shown.set_inner_html(&fresh_html);
        kept.restore(&document, &shown);
        Some(())
    }

    enum Value {
        Text(String),
        Checked(bool),
    }

    /// What the person did to the region's fields and disclosures.
    struct Kept {
        values: Vec<(String, Value)>,
        focus: Option<(String, Option<u32>)>,
        details: Vec<(String, bool)>,
    }

    fn all(root: &Element, selector: &str) -> Vec<Element> {
        root.query_selector_all(selector)
            .map(|list| (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect())
            .unwrap_or_default()
    }

    fn summary_text(details: &Element) -> String {
        details.query_selector("summary").ok().flatten().and_then(|s| s.text_content()).unwrap_or_default()
    }

    impl Kept {
        fn take(document: &Document, root: &Element) -> Kept {
            let mut values = Vec::new();
            for el in all(root, "input[id], textarea[id], select[id]") {
                let id = el.id();
                if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
                    match input.type_().as_str() {
                        "checkbox" | "radio" if input.checked() != input.default_checked() => values.push((id, Value::Checked(input.checked()))),
                        "checkbox" | "radio" | "hidden" | "file" | "submit" => {}
                        _ if input.value() != input.default_value() => values.push((id, Value::Text(input.value()))),
                        _ => {}
                    }
                } else if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
                    if area.default_value().is_ok_and(|d| d != area.value()) {
                        values.push((id, Value::Text(area.value())));
                    }
                } else if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
                    let changed = all(&el, "option")
                        .into_iter()
                        .filter_map(|o| o.dyn_into::<web_sys::HtmlOptionElement>().ok())
                        .any(|o| o.selected() != o.default_selected());
                    if changed {
                        values.push((id, Value::Text(select.value())));
                    }
                }
            }
            let focus = document.active_element().filter(|el| root.contains(Some(el)) && !el.id().is_empty()).map(|el| {
                let caret = el.dyn_ref::<HtmlInputElement>().and_then(|i| i.selection_start().ok().flatten())
                    .or_else(|| el.dyn_ref::<HtmlTextAreaElement>().and_then(|a| a.selection_start().ok().flatten()));
                (el.id(), caret)
            });
            let details = all(root, "details")
                .into_iter()
                .filter_map(|d| Some((summary_text(&d), d.dyn_ref::<HtmlDetailsElement>()?.open())))
                .collect();
            Kept { values, focus, details }
        }

        fn restore(self, document: &Document, root: &Element) {
            let find = |id: &str| document.get_element_by_id(id).filter(|el| root.contains(Some(el)));
            for (id, value) in self.values {
                let Some(el) = find(&id) else { continue };
                match value {
                    Value::Checked(on) => {
                        if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
                            input.set_checked(on);
                        }
                    }
                    Value::Text(text) => {
                        if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
                            input.set_value(&text);
                        } else if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
                            area.set_value(&text);
                        } else if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
                            select.set_value(&text);
                        }
                    }
                }
            }
            for d in all(root, "details") {
                let text = summary_text(&d);
                if let (Some((_, open)), Some(details)) = (self.details.iter().find(|(t, _)| *t == text), d.dyn_ref::<HtmlDetailsElement>()) {
                    details.set_open(*open);
                }
            }
            if let Some((id, caret)) = self.focus {
                if let Some(el) = find(&id).and_then(|el| el.dyn_into::<HtmlElement>().ok()) {
                    let _ = el.focus();
                    if let Some(at) = caret {
                        if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
                            let _ = input.set_selection_range(at, at);
                        } else if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
                            let _ = area.set_selection_range(at, at);
                        }
                    }
                }
            }
        }
    }
}
