use crate::api::reviews::get_seller_performance;
use crate::components::errors::ErrorPage;
use crate::components::product::TopSeller;
use crate::domain::review::{Figure, MessageClockLine, PerformanceView};
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// `/seller/performance`: the seller's figures over the trailing window, each with how it is
/// computed and the orders behind it, and the Top seller badge's thresholds (with warnings near a
/// limit).
#[component]
pub fn SellerPerformancePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_seller_performance());
    view! {
        <Title text="Your performance"/>
        <p><A href="/seller/orders">"← Orders desk"</A> " · " <A href="/reviews">"Reviews"</A> " · " <A href="/seller/inbox">"Inbox"</A></p>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) => view! { <Performance p/> }.into_any(),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Performance(p: PerformanceView) -> impl IntoView {
    let warnings: Vec<String> = p
        .checks
        .iter()
        .filter(|c| c.near_limit || (!c.holds && c.what != "Orders in the window"))
        .map(|c| if c.holds { format!("{}: {} — close to the limit ({}).", c.what, c.value, c.limit) } else { format!("{}: {} — the badge needs {}.", c.what, c.value, c.limit) })
        .collect();
    view! {
        <h1>{format!("{}: performance", p.shop_name)} " " <TopSeller holds=p.top_seller/></h1>
        <p class="muted">{format!("Measured over the last {} days from your orders, claims, buyers' messages and published reviews. Updated continuously.", p.window_days)}</p>
        {(!warnings.is_empty()).then(|| view! {
            <div class="alert alert-warning" role="status" data-testid="badge-warnings">
                <p><strong>"Watch out"</strong></p>
                <ul>{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
            </div>
        })}
        <section aria-labelledby="badge-title">
            <h2 id="badge-title">"Top seller badge"</h2>
            <p>{if p.top_seller { "You hold the Top seller badge: buyers see it on your products, your shop page and in search." } else { "The badge is shown on products, your shop page and search results when every threshold below holds." }}</p>
            <table class="badge-checks" data-testid="badge-checks">
                <thead><tr><th scope="col">"Threshold"</th><th scope="col">"You"</th><th scope="col">"Needed"</th><th scope="col">"Status"</th></tr></thead>
                <tbody>
                    {p.checks.into_iter().map(|c| view! {
                        <tr class:near=c.near_limit class:fails=!c.holds>
                            <th scope="row">{c.what.clone()}</th>
                            <td>{c.value.clone()}</td>
                            <td>{c.limit.clone()}</td>
                            <td>{if !c.holds { "Not met" } else if c.near_limit { "Met, near the limit" } else { "Met" }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="figures-title">
            <h2 id="figures-title">"Your figures"</h2>
            <dl class="figures" data-testid="figures">
                {p.figures.into_iter().map(|f| view! { <FigureView f/> }).collect_view()}
            </dl>
        </section>
        <MessageClocks lines=p.messages/>
    }
}

/// The buyers' messages behind the answer figure: how each counted, including those marked "no
/// answer needed" (they never count; listed so they can be audited).
#[component]
fn MessageClocks(lines: Vec<MessageClockLine>) -> impl IntoView {
    if lines.is_empty() {
        return ().into_any();
    }
    let count = lines.len();
    view! {
        <section aria-labelledby="messages-title">
            <h2 id="messages-title">"Buyers' messages"</h2>
            <details>
                <summary>{format!("The {count} message{} behind the answer figure", if count == 1 { "" } else { "s" })}</summary>
                <table class="message-clocks" data-testid="message-clocks">
                    <thead><tr><th scope="col">"Conversation"</th><th scope="col">"Asked"</th><th scope="col">"Counted as"</th></tr></thead>
                    <tbody>
                        {lines.into_iter().map(|l| view! {
                            <tr>
                                <td><A href=format!("/messages/{}", l.thread)>{l.subject.clone()}</A></td>
                                <td>{l.asked_at.clone()}</td>
                                <td>{l.outcome.label()} <span class="muted">{format!(" · {}", l.detail)}</span></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </section>
    }
    .into_any()
}

#[component]
fn FigureView(f: Figure) -> impl IntoView {
    let count = f.orders.len();
    view! {
        <dt>{f.label.clone()}</dt>
        <dd>
            <strong>{f.value.clone()}</strong>
            <p class="muted">{f.explanation.clone()}</p>
            {(count > 0).then(|| view! {
                <details>
                    <summary>{format!("The {count} order{} behind it", if count == 1 { "" } else { "s" })}</summary>
                    <ul class="order-refs" role="list">
                        {f.orders.into_iter().map(|o| view! { <li><A href=format!("/orders/{o}")>{format!("#{o}")}</A></li> }).collect_view()}
                    </ul>
                </details>
            })}
        </dd>
    }
}
