//! `/seller/products`: the seller's products and stock (sales over 7 and 30 days, when stock runs
//! out at the current pace, the low-stock line), updated live as orders come in; and the product
//! form at `/seller/products/new` and `/seller/products/:id`.

use crate::api::inventory::{get_inventory, get_product_editor, last_import_report, ChangeStock, RemovePhoto, SaveProduct, SetMainPhoto, SetProductStatus};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::form::{FormField, TextAreaField};
use crate::components::lang::use_lang;
use crate::components::seller_texts::{TextLanguageFields, TranslatedField};
use crate::i18n::td_string;
use crate::domain::inventory::{InventoryItem, ProductEditor, ProductStatus, DESCRIPTION_MAX};
use crate::domain::locale::Locale;
use crate::error::AppError;
use crate::live::region::{LiveRegion, LiveTopic};
use crate::pages::loading;
use crate::domain::earnings::rate_in;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

fn sign_in_to(l: Locale, next: &str) -> AnyView {
    view! {
        <p>{td_string!(l, inventory.please)} <a href=format!("/signin?next={next}")>{td_string!(l, inventory.sign_in)}</a> {td_string!(l, inventory.to_manage)}</p>
    }
    .into_any()
}

fn seller_nav(l: Locale) -> impl IntoView {
    view! {
        <p class="sub-nav">
            <A href="/seller/shop">{td_string!(l, inventory.nav_shop)}</A> " · " <A href="/seller/orders">{td_string!(l, nav.orders_desk)}</A> " · "
            <A href="/seller/products/new">{td_string!(l, inventory.nav_add)}</A> " · " <A href="/seller/earnings">{td_string!(l, inventory.nav_earnings)}</A>
        </p>
    }
}

/// A product's status as the seller reads it.
pub(crate) fn status_label(l: Locale, status: ProductStatus) -> &'static str {
    match status {
        ProductStatus::Listed => td_string!(l, inventory.status_listed),
        ProductStatus::Hidden => td_string!(l, inventory.status_hidden),
        ProductStatus::Archived => td_string!(l, inventory.status_archived),
    }
}

/// The button's words for a move from one status to another (`ProductStatus::moves`).
fn move_words(l: Locale, from: ProductStatus, to: ProductStatus) -> &'static str {
    match (from, to) {
        (ProductStatus::Archived, _) => td_string!(l, product_editor.move_bring_back),
        (_, ProductStatus::Hidden) => td_string!(l, product_editor.move_hide),
        (_, ProductStatus::Archived) => td_string!(l, product_editor.move_archive),
        (_, ProductStatus::Listed) => td_string!(l, product_editor.move_list),
    }
}


/// When the stock runs out at the current pace (`forecast_text` in the page's language).
fn forecast_in(l: Locale, stock: i64, runs_out_in: Option<i64>) -> String {
    match (stock, runs_out_in) {
        (0, _) => td_string!(l, inventory.sold_out).to_string(),
        (_, None) => td_string!(l, inventory.no_sales).to_string(),
        (_, Some(0)) => td_string!(l, inventory.runs_out_today).to_string(),
        (_, Some(n)) => td_string!(l, inventory.runs_out_in, count = n).to_string(),
    }
}

#[component]
pub fn InventoryPage() -> impl IntoView {
    let change = ServerAction::<ChangeStock>::new();
    let moved = ServerAction::<SetProductStatus>::new();
    // New orders of the shop arrive on the seller's live feed: the stock shown follows them (a live region).
    let data = Resource::new(|| (), |_| get_inventory());
    let l = use_lang().locale;
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let error = move || change.value().get().and_then(Result::err).or_else(|| moved.value().get().and_then(Result::err));
    view! {
        <Title text=td_string!(l, inventory.title)/>
        <h1>{td_string!(l, inventory.title)}</h1>
        {seller_nav(l)}
        {move || saved().then(|| view! { <Alert kind="info" message=td_string!(l, inventory.saved)/> })}
        {move || error().map(|e| view! { <Alert message=e.field("units").or_else(|| e.field("seen")).unwrap_or_else(|| e.to_string())/> })}
        <LiveRegion id="inventory-live".to_string() on=LiveTopic::Orders>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) if page.items.is_empty() => view! {
                        <p class="empty">{td_string!(l, inventory.none)} <A href="/seller/products/new">{td_string!(l, inventory.add_first)}</A> {td_string!(l, inventory.none_end)}</p>
                    }.into_any(),
                    Ok(page) => view! {
                        <p class="hint">{td_string!(l, inventory.summary, count = page.items.len(), shop = page.shop_name.clone()).to_string()}</p>
                        <ul role="list" class="stock-list" data-testid="stock-list">
                            {page.items.into_iter().map(|item| view! { <StockCard item change/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(AppError::Unauthenticated) => sign_in_to(l, "/seller/products"),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Transition>
        </LiveRegion>
        // The catalogue file is the shop's: nobody else is offered it (a guest is asked to sign in, anyone else reads "not found").
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move { data.await.is_ok().then(|| view! { <CatalogueFile/> }) })}
        </Suspense>
    }
}

/// Many products at once: the catalogue as a CSV file, and an import of it (a plain multipart form,
/// with or without JavaScript; the server answers with this page and what it did).
#[component]
fn CatalogueFile() -> impl IntoView {
    let l = use_lang().locale;
    let query = use_query_map();
    let outcome = move || query.with(|q| (q.get("imported"), q.get("updated"), q.get("import")));
    let report = Resource::new(move || query.with(|q| q.get("import")), |flag| async move {
        if flag.as_deref() == Some("refused") { last_import_report().await.ok().flatten() } else { None }
    });
    view! {
        <section class="catalogue-file" id="import" aria-labelledby="import-title" data-testid="import">
            <h2 id="import-title">{td_string!(l, inventory.import_title)}</h2>
            <p class="hint">{td_string!(l, inventory.import_hint)}</p>
            <p><a href="/seller/products.csv" download="" class="button secondary">{td_string!(l, inventory.download)}</a></p>
            {move || match outcome() {
                (Some(created), updated, _) => Some(view! {
                    <Alert kind="info" message=td_string!(l, inventory.imported, created = created, updated = updated.unwrap_or_else(|| "0".into())).to_string()/>
                }.into_any()),
                (_, _, Some(flag)) if flag == "failed" => Some(view! { <Alert message=td_string!(l, inventory.import_failed)/> }.into_any()),
                _ => None,
            }}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    report.await.map(|r| {
                        let more = r.count.saturating_sub(r.problems.len());
                        view! {
                            <div role="alert" class="alert alert-error" data-testid="import-report">
                                <p>{td_string!(l, inventory.import_refused, count = r.count).to_string()}</p>
                                <ul>{r.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                                {(more > 0).then(|| view! { <p>{td_string!(l, inventory.and_more, more = more).to_string()}</p> })}
                            </div>
                        }
                    })
                })}
            </Suspense>
            <form method="post" action="/seller/products/import" enctype="multipart/form-data" class="import-form">
                <div class="field">
                    <label for="import-file">{td_string!(l, inventory.file_label)}</label>
                    <input id="import-file" name="file" type="file" accept=".csv,text/csv" required/>
                </div>
                <button type="submit">{td_string!(l, inventory.import)}</button>
            </form>
        </section>
    }
}

#[component]
fn StockCard(item: InventoryItem, change: ServerAction<ChangeStock>) -> impl IntoView {
    let lang = use_lang();
    let l = lang.locale;
    let id = item.id.0;
    let units_id = format!("units-{id}");
    let change_id = format!("change-{id}");
    let low = item.is_low();
    let forecast = forecast_in(l, item.stock, item.runs_out_in);
    let listed = item.status == ProductStatus::Listed;
    let change_label = td_string!(l, inventory.change_label, name = item.name.clone()).to_string();
    view! {
        <li class="stock-card" id=format!("product-{id}") data-testid=format!("stock-card-{id}")>
            <h2><A href=format!("/seller/products/{id}")>{item.name.clone()}</A></h2>
            <p class="meta">
                {item.category.clone()} " · " {lang.money(item.price)} " · "
                <span class=if listed { "status" } else { "status status-off" }>{status_label(l, item.status)}</span>
            </p>
            <dl class="stock-figures">
                <div><dt>{td_string!(l, inventory.in_stock)}</dt><dd data-testid=format!("stock-{id}")>{item.stock}</dd></div>
                <div><dt>{td_string!(l, inventory.sold_7)}</dt><dd>{item.sold_7}</dd></div>
                <div><dt>{td_string!(l, inventory.sold_30)}</dt><dd>{item.sold_30}</dd></div>
            </dl>
            <p class=if low { "forecast low" } else { "forecast" }>
                {forecast}
                {low.then(|| view! { " · " <strong>{td_string!(l, inventory.low_line, line = item.low_stock).to_string()}</strong> })}
            </p>
            <ActionForm action=change attr:class="stock-form">
                <input type="hidden" name="product_id" value=id.to_string()/>
                // The level this page showed: "set" applies only if it is still the level.
                <input type="hidden" name="stock[seen]" value=item.stock.to_string()/>
                <div class="field">
                    <label for=change_id.clone()>{change_label}</label>
                    <select id=change_id name="stock[change]">
                        <option value="add">{td_string!(l, inventory.add_units)}</option>
                        <option value="remove">{td_string!(l, inventory.remove_units)}</option>
                        <option value="set">{td_string!(l, inventory.set_level)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for=units_id.clone()>{td_string!(l, inventory.units)}</label>
                    <input id=units_id name="stock[units]" type="text" inputmode="numeric" autocomplete="off" size="6" required/>
                </div>
                <button type="submit" disabled=move || change.pending().get()>{td_string!(l, inventory.update_stock)}</button>
            </ActionForm>
        </li>
    }
}

#[component]
pub fn ProductEditorPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let save = ServerAction::<SaveProduct>::new();
    let moved = ServerAction::<SetProductStatus>::new();
    let main = ServerAction::<SetMainPhoto>::new();
    let removed = ServerAction::<RemovePhoto>::new();
    let editor = Resource::new(
        move || (id(), save.version().get(), moved.version().get(), main.version().get(), removed.version().get()),
        |(id, ..)| get_product_editor(id),
    );
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let moved_error = move || moved.value().get().and_then(Result::err).map(|e| e.to_string());
    let l = use_lang().locale;
    view! {
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match editor.await {
                    Ok(ed) => {
                        let photos = ed.id.map(|p| view! { <PhotosSection product=p.0 name=ed.form.name.clone() photos=ed.photos.clone() main removed/> });
                        view! { <EditorView ed save moved error/> {moved_error().map(|m| view! { <Alert message=m/> })} {photos} }.into_any()
                    }
                    Err(AppError::Unauthenticated) => sign_in_to(l, "/seller/products"),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn EditorView(ed: ProductEditor, save: ServerAction<SaveProduct>, moved: ServerAction<SetProductStatus>, error: Signal<Option<AppError>>) -> impl IntoView {
    let field = move |name: &'static str| Signal::derive(move || error.get().and_then(|e| e.field(name)));
    let lang = use_lang();
    let l = lang.locale;
    let title = if ed.id.is_some() { td_string!(l, product_editor.edit_title, name = ed.form.name.clone()).to_string() } else { td_string!(l, product_editor.add_title).to_string() };
    let id = ed.id.map(|p| p.0).unwrap_or(0);
    let summary = move || error.get().map(|e| if let AppError::Invalid { fields, .. } = &e { if fields.len() > 1 { td_string!(l, product_editor.correct_fields).to_string() } else { e.to_string() } } else { e.to_string() });
    let f = ed.form.clone();
    let chosen = f.category.clone();
    let stock_line = ed.id.map(|_| td_string!(l, product_editor.in_stock_line, stock = ed.stock).to_string());
    // A new product is written, by default, in the page's language.
    let language = if f.language.is_empty() { crate::domain::locale::code(l).to_string() } else { f.language.clone() };
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <p class="sub-nav"><A href="/seller/products">{td_string!(l, product_editor.back)}</A></p>
        {move || summary().map(|m| view! { <Alert message=m/> })}
        {ed.status.map(|s| view! {
            <section class="status-box" aria-labelledby="status-heading">
                <h2 id="status-heading">{td_string!(l, product_editor.status, status = status_label(l, s)).to_string()}</h2>
                <p class="hint">{td_string!(l, product_editor.status_hint)}</p>
                <div class="status-actions">
                    {s.moves().iter().map(|(to, _)| view! {
                        <ActionForm action=moved>
                            <input type="hidden" name="product_id" value=id.to_string()/>
                            <input type="hidden" name="status" value=to.as_str()/>
                            <button type="submit">{move_words(l, s, *to)}</button>
                        </ActionForm>
                    }).collect_view()}
                </div>
            </section>
        })}
        <ActionForm action=save attr:class="product-form" attr:novalidate="">
            <input type="hidden" name="id" value=id.to_string()/>
            <FormField label=td_string!(l, product_editor.name) name="product[name]" required=true value=f.name error=field("name")/>
            <TextAreaField label=td_string!(l, product_editor.description) name="product[description]" rows=5 max=DESCRIPTION_MAX required=true
                hint=td_string!(l, product_editor.description_hint) value=f.description error=field("description")/>
            <TextLanguageFields prefix="product" language_label=td_string!(l, seller_texts.language) chosen=language
                language_error=field("language")
                fields=vec![
                    TranslatedField { name: "product[translated_name]", label: td_string!(l, seller_texts.name_other), max: 0, value: f.translated_name.clone(), error: field("translated_name") },
                    TranslatedField { name: "product[translated_description]", label: td_string!(l, seller_texts.description_other), max: DESCRIPTION_MAX, value: f.translated_description.clone(), error: field("translated_description") },
                ]/>
            <div class="field" class:has-error=move || field("category").get().is_some()>
                <label for="field-product-category">{td_string!(l, product_editor.category)}</label>
                <select id="field-product-category" name="product[category]" required
                    aria-invalid=move || field("category").get().is_some().then_some("true")
                    aria-describedby=move || if field("category").get().is_some() { "field-product-category-hint field-product-category-error" } else { "field-product-category-hint" }>
                    <option value="" selected=chosen.is_empty()>{td_string!(l, product_editor.choose_category)}</option>
                    {ed.categories.iter().map(|c| view! {
                        <option value=c.slug.clone() selected=c.slug == chosen>{td_string!(l, product_editor.category_option, name = c.name.clone(), rate = rate_in(l, c.rate_bp)).to_string()}</option>
                    }).collect_view()}
                </select>
                <p class="hint" id="field-product-category-hint">{td_string!(l, product_editor.category_hint)}</p>
                {move || field("category").get().map(|e| view! { <p class="field-error" id="field-product-category-error">{e}</p> })}
            </div>
            <div class="field-row">
                <FormField label=td_string!(l, product_editor.price) name="product[price]" required=true value=f.price hint=td_string!(l, product_editor.price_hint) error=field("price")/>
                <FormField label=td_string!(l, product_editor.low_stock) name="product[low_stock]" required=true value=f.low_stock hint=td_string!(l, product_editor.low_stock_hint) error=field("low_stock")/>
            </div>
            {match stock_line {
                Some(line) => view! { <input type="hidden" name="product[stock]" value=ed.stock.to_string()/><p class="hint">{line}</p> }.into_any(),
                None => view! { <FormField label=td_string!(l, product_editor.units_in_stock) name="product[stock]" required=true value=f.stock error=field("stock")/> }.into_any(),
            }}
            <button type="submit" class="primary" disabled=move || save.pending().get()>{if id > 0 { td_string!(l, product_editor.save) } else { td_string!(l, product_editor.list) }}</button>
        </ActionForm>
    }
}

/// The product's photos: the main one marked, the others made main or removed, and a plain
/// multipart form to add one (it works the same with and without JavaScript).
#[component]
fn PhotosSection(product: i64, name: String, photos: Vec<crate::domain::photo::PhotoView>, main: ServerAction<SetMainPhoto>, removed: ServerAction<RemovePhoto>) -> impl IntoView {
    use crate::domain::photo::{PhotoRefusal, MAX_PHOTOS};
    let l = use_lang().locale;
    let query = use_query_map();
    let refused = move || {
        query.read().get("photo_error").map(|code| match PhotoRefusal::parse(&code) {
            Some(r) => r.message_in(l),
            None => td_string!(l, product_editor.photo_failed).to_string(),
        })
    };
    let added = move || query.read().get("photo").is_some_and(|v| v == "added");
    let listed = move || query.read().get("listed").is_some();
    let room = photos.len() < MAX_PHOTOS;
    let count = photos.len();
    view! {
        <section id="photos" class="photos-box" aria-labelledby="photos-heading">
            <h2 id="photos-heading">{td_string!(l, product_editor.photos_title, n = count, max = MAX_PHOTOS).to_string()}</h2>
            {move || listed().then(|| view! { <Alert kind="info" message=td_string!(l, product_editor.listed)/> })}
            {move || added().then(|| view! { <Alert kind="info" message=td_string!(l, product_editor.photo_added)/> })}
            {move || refused().map(|m| view! { <Alert message=m/> })}
            {move || main.value().get().and_then(Result::err).or_else(|| removed.value().get().and_then(Result::err)).map(|e| view! { <Alert message=e.to_string()/> })}
            <ul role="list" class="photo-list" data-testid="photos">
                {photos.into_iter().enumerate().map(|(i, p)| {
                    let alt = td_string!(l, product_editor.photo_alt, n = i + 1, name = name.clone()).to_string();
                    view! {
                        <li>
                            <img src=p.picture.url_for(320) alt=alt.clone() width=p.picture.width height=p.picture.height loading="lazy"/>
                            {if p.main {
                                view! { <p class="main-photo">{td_string!(l, product_editor.main_photo)}</p> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=main>
                                        <input type="hidden" name="product_id" value=product.to_string()/>
                                        <input type="hidden" name="photo_id" value=p.id.to_string()/>
                                        <button type="submit" aria-label=td_string!(l, product_editor.make_main_label, n = i + 1).to_string()>{td_string!(l, product_editor.make_main)}</button>
                                    </ActionForm>
                                }.into_any()
                            }}
                            <ActionForm action=removed>
                                <input type="hidden" name="product_id" value=product.to_string()/>
                                <input type="hidden" name="photo_id" value=p.id.to_string()/>
                                <button type="submit" aria-label=td_string!(l, product_editor.remove_label, n = i + 1).to_string()>{td_string!(l, product_editor.remove)}</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {room.then(|| view! {
                <form method="post" enctype="multipart/form-data" action=format!("/seller/products/{product}/photos") class="photo-upload">
                    <div class="field">
                        <label for="photo-file">{td_string!(l, product_editor.add_photo)}</label>
                        <p class="hint" id="photo-file-hint">{td_string!(l, product_editor.photo_hint)}</p>
                        <input id="photo-file" type="file" name="photo" accept="image/jpeg,image/png,image/webp" required aria-describedby="photo-file-hint"/>
                    </div>
                    <button type="submit">{td_string!(l, product_editor.upload)}</button>
                </form>
            })}
        </section>
    }
}
