use crate::api::inventory::{waiting_for_product, NotifyWhenBack};
use crate::api::catalog::get_product;
use crate::api::threads::get_product_questions;
use crate::components::errors::{Alert, ErrorPage};
use crate::components::layout::use_session;
use crate::components::product::{ProductPicture, SellerCard, Stars, StockBadge};
use crate::components::reviews::ProductReviewsSection;
use crate::domain::catalog::ProductDetail;
use crate::error::AppError;
use crate::pages::{ask_draft, loading, AskSellerForm};
use crate::components::lang::use_lang;
use crate::components::seller_texts::{lang_attr, OriginalLanguageNote};
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let no_such = td_string!(use_lang().locale, server.common.not_for_sale);
    let product = Resource::new(id, move |id| async move {
        match id {
            Some(id) => get_product(id).await,
            None => Err(AppError::NotFound(no_such.into())),
        }
    });
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match product.await {
                    Ok(p) => view! { <ProductView product=p/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProductView(product: ProductDetail) -> impl IntoView {
    let sold_out = product.stock <= 0;
    let max = product.stock.clamp(1, crate::domain::checkout::MAX_QUANTITY);
    let query = use_query_map();
    let page = Signal::derive(move || query.read().get("page").and_then(|p| p.parse().ok()).unwrap_or(1));
    let lang = use_lang();
    let l = lang.locale;
    let cart_text = AddToCartText {
        quantity: td_string!(l, product.quantity).into(),
        add: td_string!(l, product.add_to_cart).into(),
        sold_out: td_string!(l, stock.out).into(),
        added: td_string!(l, product.added).into(),
        unreachable: td_string!(l, product.unreachable).into(),
        view_cart: td_string!(l, product.view_cart).into(),
    };
    view! {
        <Title text=product.name.clone()/>
        <Meta name="description" content=product.description.clone()/>
        <nav aria-label=td_string!(l, product.breadcrumb) class="breadcrumb">
            <A href=lang.href("/")>{td_string!(l, product.home)}</A>" › "
            <A href=lang.href(&format!("/category/{}", product.category.slug))>{product.category.name.clone()}</A>
        </nav>
        <article class="product-page">
            <ProductPicture class="product-photo" picture=product.picture.clone() eager=true sizes="(min-width: 48rem) 480px, 100vw"
                alt=if product.picture.photo_id().is_some() { product.name.clone() } else { td_string!(l, product.drawing_alt, name = product.name.clone()).to_string() }/>
            <div class="product-info">
                <h1 lang=lang_attr(product.text_language)>{product.name.clone()}</h1>
                <p class="price big">{lang.money(product.price)}</p>
                <p><StockBadge stock=product.stock/>" · "<Stars rating=product.rating/></p>
                <AddToCartForm product=product.id.0 max sold_out text=cart_text/>
                {sold_out.then(|| view! { <BackInStock product=product.id/> })}
                <h2>{td_string!(l, product.about)}</h2>
                <p lang=lang_attr(product.text_language)>{product.description.clone()}</p>
                <OriginalLanguageNote language=product.text_language/>
                <AskSeller product=product.id shop_name=product.shop.name.clone() usually=product.shop.usually_answers.clone()/>
            </div>
            <SellerCard shop=product.shop.clone() link=true/>
        </article>
        <ProductQuestions product=product.id/>
        <ProductReviewsSection product=product.id page/>
    }
}

/// "Add to cart": with JavaScript it says so on the page and the header's count follows; without
/// it the form goes to the cart. A refusal (a quantity over the stock, say) is sent again as the
/// plain form, so the page comes back with the reason beside the field, exactly as without
/// JavaScript: nothing was added, so nothing is added twice. Kept small on purpose: it is part of
/// the code every page downloads.
/// The words of the add-to-cart form, in the page's language (the island's code carries none).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AddToCartText {
    quantity: String,
    add: String,
    sold_out: String,
    added: String,
    unreachable: String,
    view_cart: String,
}

#[island]
fn AddToCartForm(product: i64, max: i64, sold_out: bool, text: AddToCartText) -> impl IntoView {
    let AddToCartText { quantity, add, sold_out: sold_out_text, added: added_text, unreachable, view_cart } = text;
    let live = crate::live::use_live();
    // None: nothing sent yet; Some(true): added; Some(false): Troika could not be reached.
    let outcome = RwSignal::new(None::<bool>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) else { return };
            ev.prevent_default();
            busy.set(true);
            leptos::task::spawn_local(async move {
                match crate::live::post_form(&form).await {
                    Some((200..=299, count)) => {
                        if let Ok(n) = count.trim().parse::<i64>() {
                            live.cart.set(Some(n));
                        }
                        outcome.set(Some(true));
                    }
                    Some((400..=499, _)) => {
                        let _ = form.submit();
                    }
                    _ => outcome.set(Some(false)),
                }
                busy.set(false);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, live, busy);
    };
    view! {
        <form method="post" action="/api/add_to_cart" class="add-to-cart" on:submit=on_submit>
            <input type="hidden" name="product_id" value=product.to_string()/>
            <div class="field quantity-field">
                <label for="quantity">{quantity}</label>
                <input id="quantity" name="quantity" type="number" min="1" max=max.to_string() value="1" inputmode="numeric" disabled=sold_out/>
            </div>
            <button type="submit" class="primary" disabled=move || sold_out || busy.get()>
                {if sold_out { sold_out_text } else { add }}
            </button>
        </form>
        <div role="status" class=move || match outcome.get() {
            Some(true) => "alert alert-success",
            Some(false) => "alert alert-error",
            None => "add-to-cart-status",
        }>
            {move || outcome.get().map(|added| if added { format!("{added_text} ") } else { unreachable.clone() })}
            {move || (outcome.get() == Some(true)).then(|| view! { <a href="/cart">{view_cart.clone()}</a> })}
        </div>
    }
}

/// Questions buyers asked and the seller's answers, published by the seller and approved by a
/// moderator.
#[component]
fn ProductQuestions(product: crate::domain::ProductId) -> impl IntoView {
    let questions = Resource::new(move || (), move |_| get_product_questions(product.0));
    let l = use_lang().locale;
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let list = questions.await.unwrap_or_default();
                (!list.is_empty()).then(|| view! {
                    <section class="product-questions" aria-labelledby="questions-title" data-testid="product-questions">
                        <h2 id="questions-title">{td_string!(l, product.questions)}</h2>
                        <dl>
                            {list.into_iter().map(|q| view! {
                                <dt>{q.question}</dt>
                                <dd><span class="muted">{td_string!(l, product.seller_answered)}" "</span>{q.answer}<span class="muted">{format!(" · {}", q.at)}</span></dd>
                            }).collect_view()}
                        </dl>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// "Ask the seller": the question form for a signed-in person, a sign-in link for a guest.
#[component]
fn AskSeller(product: crate::domain::ProductId, shop_name: String, usually: Option<String>) -> impl IntoView {
    let session = use_session();
    let draft = ask_draft(product);
    let l = use_lang().locale;
    view! {
        <Suspense>
            {move || {
                let shop_name = shop_name.clone();
                let usually = usually.clone();
                Suspend::new(async move {
                    if session.info.await.user.is_some() {
                        view! { <AskSellerForm product shop_name usually draft/> }.into_any()
                    } else {
                        view! {
                            <p class="ask-seller"><a href=format!("/signin?next=/product/{}", product.0)>{td_string!(l, product.sign_in_to_ask)}</a></p>
                        }.into_any()
                    }
                })
            }}
        </Suspense>
    }
}

/// Sold out: a signed-in buyer asks to be told when it is back (once); a guest is asked to sign in.
#[component]
fn BackInStock(product: crate::domain::ProductId) -> impl IntoView {
    let ask = ServerAction::<NotifyWhenBack>::new();
    let session = use_session();
    let waiting = Resource::new(move || ask.version().get(), move |_| waiting_for_product(product.0));
    let query = use_query_map();
    let l = use_lang().locale;
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let told = waiting.await.unwrap_or(false) || query.read().get("asked").is_some();
                let signed_in = session.info.await.user.is_some();
                match (told, signed_in) {
                    (true, _) => view! { <p class="alert alert-info" role="status" data-testid="back-in-stock">{td_string!(l, product.will_tell)}</p> }.into_any(),
                    (false, true) => view! {
                        <ActionForm action=ask attr:class="back-in-stock">
                            <input type="hidden" name="product_id" value=product.0.to_string()/>
                            <button type="submit" disabled=move || ask.pending().get()>{td_string!(l, product.notify_me)}</button>
                        </ActionForm>
                        {move || ask.value().get().and_then(Result::err).map(|e| view! { <Alert message=e.to_string()/> })}
                    }.into_any(),
                    (false, false) => view! {
                        <p><a href=format!("/signin?next=/product/{}", product.0)>{td_string!(l, product.sign_in_to_be_told)}</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
