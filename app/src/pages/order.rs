use crate::api::orders::get_order;
use crate::components::errors::ErrorPage;
use crate::domain::order::OrderDetail;
use crate::error::AppError;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let order = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_order(id).await,
            None => Err(AppError::NotFound("There is no such order in your account.".into())),
        }
    });
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match order.await {
                    Ok(o) => view! { <OrderView order=o/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OrderView(order: OrderDetail) -> impl IntoView {
    view! {
        <Title text=format!("Order #{}", order.id)/>
        <p><A href="/orders">"← All orders"</A></p>
        <h1>{format!("Order #{}", order.id)}</h1>
        <p>
            <span class=format!("status status-{}", order.status.as_str()) data-testid="order-status">{order.status.label()}</span>
            " · from " <A href=format!("/shop/{}", order.shop_slug)>{order.shop_name.clone()}</A>
            " · placed " {order.placed_at.clone()}
        </p>
        <section aria-labelledby="items-title">
            <h2 id="items-title">"Items"</h2>
            <table class="order-lines">
                <thead><tr><th scope="col">"Product"</th><th scope="col">"Qty"</th><th scope="col">"Price"</th></tr></thead>
                <tbody>
                    {order.lines.clone().into_iter().map(|l| {
                        let total = l.line_total().to_string();
                        view! {
                            <tr>
                                <td><A href=format!("/product/{}", l.product_id)>{l.name}</A></td>
                                <td>{l.quantity}</td>
                                <td>{total}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <dl class="totals">
                <dt>"Items"</dt><dd>{order.subtotal.to_string()}</dd>
                <dt>"Shipping"</dt><dd>{order.shipping.to_string()}</dd>
                <dt>"Total"</dt><dd><strong>{order.total.to_string()}</strong></dd>
                <dt>"Payment"</dt><dd>{format!("Simulated, reference {}", order.payment_reference)}</dd>
            </dl>
        </section>
        <section aria-labelledby="address-title">
            <h2 id="address-title">"Shipping to"</h2>
            <address>{order.address.lines().into_iter().map(|l| view! { {l}<br/> }).collect_view()}</address>
        </section>
        <section aria-labelledby="history-title">
            <h2 id="history-title">"History"</h2>
            <ol class="timeline" reversed>
                {order.history.clone().into_iter().map(|e| view! {
                    <li>
                        <strong>{e.status.label()}</strong>
                        <span class="muted">{format!(" · {} · {}", e.at, e.actor)}</span>
                        {(!e.note.is_empty()).then(|| view! { <p>{e.note.clone()}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
