//! `/seller/products`: the seller's products and stock (sales over 7 and 30 days, when stock runs
//! out at the current pace, the low-stock line), updated live as orders come in; and the product
//! form at `/seller/products/new` and `/seller/products/:id`.

use crate::api::inventory::{get_inventory, get_product_editor, last_import_report, ChangeStock, RemovePhoto, SaveProduct, SetMainPhoto, SetProductStatus};
use crate::components::errors::{Alert, ErrorPage};
use crate::components::form::{FormField, TextAreaField};
use crate::components::lang::use_lang;
use crate::components::seller_texts::TextLanguageFields;
use crate::i18n::td_string;
use crate::domain::inventory::{forecast_text, InventoryItem, ProductEditor, DESCRIPTION_MAX};
use crate::error::AppError;
use crate::live::region::{LiveRegion, LiveTopic};
use crate::pages::loading;
use crate::domain::earnings::rate_text;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

fn sign_in_to(next: &str) -> AnyView {
    view! { <p>"Please " <a href=format!("/signin?next={next}")>"sign in"</a> " to manage your shop."</p> }.into_any()
}

fn seller_nav() -> impl IntoView {
    view! {
        <p class="sub-nav">
            <A href="/seller/shop">"Shop profile"</A> " · " <A href="/seller/orders">"Orders desk"</A> " · "
            <A href="/seller/products/new">"Add a product"</A> " · " <A href="/seller/earnings">"Earnings"</A>
        </p>
    }
}

#[component]
pub fn InventoryPage() -> impl IntoView {
    let change = ServerAction::<ChangeStock>::new();
    let moved = ServerAction::<SetProductStatus>::new();
    // New orders of the shop arrive on the seller's live feed: the stock shown follows them (a live region).
    let data = Resource::new(|| (), |_| get_inventory());
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let error = move || change.value().get().and_then(Result::err).or_else(|| moved.value().get().and_then(Result::err));
    view! {
        <Title text="Products and stock"/>
        <h1>"Products and stock"</h1>
        {seller_nav()}
        {move || saved().then(|| view! { <Alert kind="info" message="Saved. Listed products are in the storefront at once."/> })}
        {move || error().map(|e| view! { <Alert message=e.field("units").or_else(|| e.field("seen")).unwrap_or_else(|| e.to_string())/> })}
        <LiveRegion id="inventory-live".to_string() on=LiveTopic::Orders>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) if page.items.is_empty() => view! {
                        <p class="empty">"No products yet. " <A href="/seller/products/new">"Add your first product"</A> "."</p>
                    }.into_any(),
                    Ok(page) => view! {
                        <p class="hint">{format!("{} products in {}. Sales count orders placed in the last 7 and 30 days (not refused or cancelled).", page.items.len(), page.shop_name)}</p>
                        <ul role="list" class="stock-list" data-testid="stock-list">
                            {page.items.into_iter().map(|item| view! { <StockCard item change/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(AppError::Unauthenticated) => sign_in_to("/seller/products"),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Transition>
        </LiveRegion>
        <CatalogueFile/>
    }
}

/// Many products at once: the catalogue as a CSV file, and an import of it (a plain multipart form,
/// with or without JavaScript; the server answers with this page and what it did).
#[component]
fn CatalogueFile() -> impl IntoView {
    let query = use_query_map();
    let outcome = move || query.with(|q| (q.get("imported"), q.get("updated"), q.get("import")));
    let report = Resource::new(move || query.with(|q| q.get("import")), |flag| async move {
        if flag.as_deref() == Some("refused") { last_import_report().await.ok().flatten() } else { None }
    });
    view! {
        <section class="catalogue-file" id="import" aria-labelledby="import-title" data-testid="import">
            <h2 id="import-title">"Many products at once"</h2>
            <p class="hint">
                "Download your products as a CSV file, change them in a spreadsheet, and import the file. "
                "Leave the id empty on a new line to add a product. The whole file is checked first: if any line is wrong, nothing changes. "
                "Stock is changed against the level in the file (stock_seen), so a sale since the download is never lost."
            </p>
            <p><a href="/seller/products.csv" download="" class="button secondary">"Download products (CSV)"</a></p>
            {move || match outcome() {
                (Some(created), updated, _) => Some(view! {
                    <Alert kind="info" message=format!("Imported: {created} new, {} changed.", updated.unwrap_or_else(|| "0".into()))/>
                }.into_any()),
                (_, _, Some(flag)) if flag == "failed" => Some(view! { <Alert message="The import could not be completed. Nothing was changed: try again."/> }.into_any()),
                _ => None,
            }}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    report.await.map(|r| {
                        let more = r.count.saturating_sub(r.problems.len());
                        view! {
                            <div role="alert" class="alert alert-error" data-testid="import-report">
                                <p>{format!("Nothing was imported: {} problem(s) in the file.", r.count)}</p>
                                <ul>{r.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                                {(more > 0).then(|| view! { <p>{format!("… and {more} more.")}</p> })}
                            </div>
                        }
                    })
                })}
            </Suspense>
            <form method="post" action="/seller/products/import" enctype="multipart/form-data" class="import-form">
                <div class="field">
                    <label for="import-file">"CSV file (at most 2 MB, 5,000 products)"</label>
                    <input id="import-file" name="file" type="file" accept=".csv,text/csv" required/>
                </div>
                <button type="submit">"Import"</button>
            </form>
        </section>
    }
}

#[component]
fn StockCard(item: InventoryItem, change: ServerAction<ChangeStock>) -> impl IntoView {
    let id = item.id.0;
    let units_id = format!("units-{id}");
    let change_id = format!("change-{id}");
    let low = item.is_low();
    let forecast = forecast_text(item.stock, item.runs_out_in);
    let listed = item.status == crate::domain::inventory::ProductStatus::Listed;
    let change_label = format!("Change the stock of {}", item.name);
    view! {
        <li class="stock-card" id=format!("product-{id}") data-testid=format!("stock-card-{id}")>
            <h2><A href=format!("/seller/products/{id}")>{item.name.clone()}</A></h2>
            <p class="meta">
                {item.category.clone()} " · " {item.price.to_string()} " · "
                <span class=if listed { "status" } else { "status status-off" }>{item.status.label()}</span>
            </p>
            <dl class="stock-figures">
                <div><dt>"In stock"</dt><dd data-testid=format!("stock-{id}")>{item.stock}</dd></div>
                <div><dt>"Sold, 7 days"</dt><dd>{item.sold_7}</dd></div>
                <div><dt>"Sold, 30 days"</dt><dd>{item.sold_30}</dd></div>
            </dl>
            <p class=if low { "forecast low" } else { "forecast" }>
                {forecast}
                {low.then(|| view! { " · " <strong>{format!("at or under your low-stock line ({})", item.low_stock)}</strong> })}
            </p>
            <ActionForm action=change attr:class="stock-form">
                <input type="hidden" name="product_id" value=id.to_string()/>
                // The level this page showed: "set" applies only if it is still the level.
                <input type="hidden" name="stock[seen]" value=item.stock.to_string()/>
                <div class="field">
                    <label for=change_id.clone()>{change_label}</label>
                    <select id=change_id name="stock[change]">
                        <option value="add">"Add units"</option>
                        <option value="remove">"Remove units"</option>
                        <option value="set">"Set the level to"</option>
                    </select>
                </div>
                <div class="field">
                    <label for=units_id.clone()>"Units"</label>
                    <input id=units_id name="stock[units]" type="text" inputmode="numeric" autocomplete="off" size="6" required/>
                </div>
                <button type="submit" disabled=move || change.pending().get()>"Update stock"</button>
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
    view! {
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match editor.await {
                    Ok(ed) => {
                        let photos = ed.id.map(|p| view! { <PhotosSection product=p.0 name=ed.form.name.clone() photos=ed.photos.clone() main removed/> });
                        view! { <EditorView ed save moved error/> {moved_error().map(|m| view! { <Alert message=m/> })} {photos} }.into_any()
                    }
                    Err(AppError::Unauthenticated) => sign_in_to("/seller/products"),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn EditorView(ed: ProductEditor, save: ServerAction<SaveProduct>, moved: ServerAction<SetProductStatus>, error: Signal<Option<AppError>>) -> impl IntoView {
    let field = move |name: &'static str| Signal::derive(move || error.get().and_then(|e| e.field(name)));
    let title = if ed.id.is_some() { format!("Edit “{}”", ed.form.name) } else { "Add a product".to_string() };
    let id = ed.id.map(|p| p.0).unwrap_or(0);
    let summary = move || error.get().map(|e| if let AppError::Invalid { fields, .. } = &e { if fields.len() > 1 { "Please correct the marked fields.".to_string() } else { e.to_string() } } else { e.to_string() });
    let f = ed.form.clone();
    let chosen = f.category.clone();
    let l = use_lang().locale;
    let stock_line = ed.id.map(|_| format!("In stock: {} (change it on the stock page, where sales are counted as they happen).", ed.stock));
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <p class="sub-nav"><A href="/seller/products">"Back to products and stock"</A></p>
        {move || summary().map(|m| view! { <Alert message=m/> })}
        {ed.status.map(|s| view! {
            <section class="status-box" aria-labelledby="status-heading">
                <h2 id="status-heading">{format!("Status: {}", s.label())}</h2>
                <p class="hint">"Hidden products keep their stock and come back when listed; archived ones stay on past orders and reviews."</p>
                <div class="status-actions">
                    {s.moves().iter().map(|(to, words)| view! {
                        <ActionForm action=moved>
                            <input type="hidden" name="product_id" value=id.to_string()/>
                            <input type="hidden" name="status" value=to.as_str()/>
                            <button type="submit">{*words}</button>
                        </ActionForm>
                    }).collect_view()}
                </div>
            </section>
        })}
        <ActionForm action=save attr:class="product-form" attr:novalidate="">
            <input type="hidden" name="id" value=id.to_string()/>
            <FormField label="Name" name="product[name]" required=true value=f.name error=field("name")/>
            <TextAreaField label="Description" name="product[description]" rows=5 max=DESCRIPTION_MAX required=true
                hint="What it is, what it is made of, sizes: what a buyer asks before buying." value=f.description error=field("description")/>
            <TextLanguageFields prefix="product" language_label=td_string!(l, seller_texts.language) chosen=f.language.clone()
                language_error=field("language") max=DESCRIPTION_MAX
                fields=vec![
                    ("product[translated_name]", td_string!(l, seller_texts.name_other), false, f.translated_name.clone(), field("translated_name")),
                    ("product[translated_description]", td_string!(l, seller_texts.description_other), true, f.translated_description.clone(), field("translated_description")),
                ]/>
            <div class="field" class:has-error=move || field("category").get().is_some()>
                <label for="field-product-category">"Category"</label>
                <select id="field-product-category" name="product[category]" required
                    aria-invalid=move || field("category").get().is_some().then_some("true")
                    aria-describedby=move || if field("category").get().is_some() { "field-product-category-hint field-product-category-error" } else { "field-product-category-hint" }>
                    <option value="" selected=chosen.is_empty()>"Choose a category"</option>
                    {ed.categories.iter().map(|c| view! {
                        <option value=c.slug.clone() selected=c.slug == chosen>{format!("{} · commission {}", c.name, rate_text(c.rate_bp))}</option>
                    }).collect_view()}
                </select>
                <p class="hint" id="field-product-category-hint">"Troika keeps the category's commission on each sale (shipping is free of it); every order shows it and its statement."</p>
                {move || field("category").get().map(|e| view! { <p class="field-error" id="field-product-category-error">{e}</p> })}
            </div>
            <div class="field-row">
                <FormField label="Price (€)" name="product[price]" required=true value=f.price hint="For one unit, like 12.50" error=field("price")/>
                <FormField label="Low-stock line" name="product[low_stock]" required=true value=f.low_stock hint="Tell me when a sale leaves this many or fewer" error=field("low_stock")/>
            </div>
            {match stock_line {
                Some(line) => view! { <input type="hidden" name="product[stock]" value=ed.stock.to_string()/><p class="hint">{line}</p> }.into_any(),
                None => view! { <FormField label="Units in stock" name="product[stock]" required=true value=f.stock error=field("stock")/> }.into_any(),
            }}
            <button type="submit" class="primary" disabled=move || save.pending().get()>{if id > 0 { "Save the product" } else { "List the product" }}</button>
        </ActionForm>
    }
}

/// The product's photos: the main one marked, the others made main or removed, and a plain
/// multipart form to add one (it works the same with and without JavaScript).
#[component]
fn PhotosSection(product: i64, name: String, photos: Vec<crate::domain::photo::PhotoView>, main: ServerAction<SetMainPhoto>, removed: ServerAction<RemovePhoto>) -> impl IntoView {
    use crate::domain::photo::{PhotoRefusal, MAX_PHOTOS};
    let query = use_query_map();
    let refused = move || {
        query.read().get("photo_error").map(|code| match PhotoRefusal::parse(&code) {
            Some(r) => r.message(),
            None => "The photo could not be stored. Please try again.".to_string(),
        })
    };
    let added = move || query.read().get("photo").is_some_and(|v| v == "added");
    let listed = move || query.read().get("listed").is_some();
    let room = photos.len() < MAX_PHOTOS;
    let count = photos.len();
    view! {
        <section id="photos" class="photos-box" aria-labelledby="photos-heading">
            <h2 id="photos-heading">{format!("Photos ({count} of {MAX_PHOTOS})")}</h2>
            {move || listed().then(|| view! { <Alert kind="info" message="Listed: it is in the storefront now. Add photos so buyers see what they get."/> })}
            {move || added().then(|| view! { <Alert kind="info" message="The photo is added."/> })}
            {move || refused().map(|m| view! { <Alert message=m/> })}
            {move || main.value().get().and_then(Result::err).or_else(|| removed.value().get().and_then(Result::err)).map(|e| view! { <Alert message=e.to_string()/> })}
            <ul role="list" class="photo-list" data-testid="photos">
                {photos.into_iter().enumerate().map(|(i, p)| {
                    let alt = format!("Photo {} of {}", i + 1, name);
                    view! {
                        <li>
                            <img src=p.picture.url_for(320) alt=alt.clone() width=p.picture.width height=p.picture.height loading="lazy"/>
                            {if p.main {
                                view! { <p class="main-photo">"Main photo"</p> }.into_any()
                            } else {
                                view! {
                                    <ActionForm action=main>
                                        <input type="hidden" name="product_id" value=product.to_string()/>
                                        <input type="hidden" name="photo_id" value=p.id.to_string()/>
                                        <button type="submit" aria-label=format!("Make photo {} the main one", i + 1)>"Make main"</button>
                                    </ActionForm>
                                }.into_any()
                            }}
                            <ActionForm action=removed>
                                <input type="hidden" name="product_id" value=product.to_string()/>
                                <input type="hidden" name="photo_id" value=p.id.to_string()/>
                                <button type="submit" aria-label=format!("Remove photo {}", i + 1)>"Remove"</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {room.then(|| view! {
                <form method="post" enctype="multipart/form-data" action=format!("/seller/products/{product}/photos") class="photo-upload">
                    <div class="field">
                        <label for="photo-file">"Add a photo"</label>
                        <p class="hint" id="photo-file-hint">"JPEG, PNG or WebP, up to 8 MB, at least 640 px wide. Troika removes the location and camera details."</p>
                        <input id="photo-file" type="file" name="photo" accept="image/jpeg,image/png,image/webp" required aria-describedby="photo-file-hint"/>
                    </div>
                    <button type="submit">"Upload the photo"</button>
                </form>
            })}
        </section>
    }
}
