use crate::api::earnings::{commission_changes, commission_rates, get_earnings, get_order_statement, RunPayouts, SetCommission};
use crate::components::errors::{Alert, ErrorPage};
use crate::domain::earnings::{rate_text, EntryKind, Statement, PAYABLE_AFTER_DAYS};
use crate::error::AppError;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

const SIMULATED: &str = "Payouts are simulated: Troika is a demonstration and no money moves.";

fn sign_in_to(next: &'static str) -> AnyView {
    view! { <p>"Please " <a href=format!("/signin?next={next}")>"sign in"</a> " to see this page."</p> }.into_any()
}

/// `/seller/earnings`: what the shop has pending (orders under way), payable (completed orders,
/// less refunds) and paid out; the ledger's latest postings with their statements; the monthly
/// statement files.
#[component]
pub fn EarningsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_earnings());
    view! {
        <Title text="Earnings"/>
        <h1>"Earnings"</h1>
        <p class="sub-nav"><A href="/seller/products">"Products and stock"</A> " · " <A href="/seller/orders">"Orders desk"</A></p>
        <p class="hint">{SIMULATED}</p>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! {
                        <dl class="balances" data-testid="balances">
                            <div><dt>"Pending"</dt><dd data-testid="pending">{page.pending.to_string()}</dd></div>
                            <div><dt>"Payable"</dt><dd data-testid="payable">{page.payable.to_string()}</dd></div>
                            <div><dt>"Paid out"</dt><dd data-testid="paid">{page.paid.to_string()}</dd></div>
                        </dl>
                        <p class="hint">{format!(
                            "An order's net (items and shipping, less the commission and any refund) is pending while the order is under way and becomes payable when it completes: {PAYABLE_AFTER_DAYS} days after delivery with no open claim. A refund after a payout is a debit on the next one."
                        )}</p>
                        <h2>"Monthly statements"</h2>
                        {if page.months.is_empty() {
                            view! { <p class="empty">"Nothing has been posted yet."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="months">
                                    {page.months.into_iter().map(|m| view! {
                                        <li><a href=format!("/seller/earnings/{m}.csv") download="">{format!("Statement {m} (CSV)")}</a></li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <h2>"Ledger"</h2>
                        {if page.entries.is_empty() {
                            view! { <p class="empty">"No postings yet: they come as orders complete."</p> }.into_any()
                        } else {
                            view! {
                                <table class="ledger" data-testid="ledger">
                                    <caption class="visually-hidden">"Postings, newest first"</caption>
                                    <thead><tr><th scope="col">"When"</th><th scope="col">"What"</th><th scope="col">"Order"</th><th scope="col" class="num">"Amount"</th></tr></thead>
                                    <tbody>
                                        {page.entries.into_iter().map(|e| {
                                            let what = match (e.kind, e.paid_in) {
                                                (k, Some(p)) => format!("{} · in payout {p}", k.label()),
                                                (k, None) => k.label().to_string(),
                                            };
                                            let class = if e.kind == EntryKind::Refund { "num debit" } else { "num" };
                                            view! {
                                                <tr>
                                                    <td>{e.at}</td>
                                                    <td>{what}</td>
                                                    <td><A href=format!("/seller/statements/{}", e.order.0)>{format!("Order #{}", e.order.0)}</A></td>
                                                    <td class=class>{e.amount.to_string()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                        <h2>"Payouts"</h2>
                        {if page.payouts.is_empty() {
                            view! { <p class="empty">"No payouts yet."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="payouts">
                                    {page.payouts.into_iter().map(|p| view! { <li>{format!("Payout {} · {} · {} (simulated)", p.id, p.at, p.amount)}</li> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }.into_any(),
                    Err(AppError::Unauthenticated) => sign_in_to("/seller/earnings"),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/seller/statements/:id`: one order's statement for its seller.
#[component]
pub fn StatementPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let data = Resource::new(id, get_order_statement);
    view! {
        <Title text="Order statement"/>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(s) => view! { <StatementView s/> }.into_any(),
                    Err(AppError::Unauthenticated) => sign_in_to("/seller/earnings"),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn StatementView(s: Statement) -> impl IntoView {
    let order = s.order.0;
    let state = if s.payable { "Payable: the order has completed." } else { "Pending: the order is under way (payable when it completes)." };
    view! {
        <h1>{format!("Statement for order #{order}")}</h1>
        <p class="sub-nav"><A href=format!("/orders/{order}")>"The order"</A> " · " <A href="/seller/earnings">"Earnings"</A></p>
        <p>{state}</p>
        <table class="statement" data-testid="statement">
            <caption class="visually-hidden">"Items, shipping, commission, refunds and net"</caption>
            <thead><tr><th scope="col">"Item"</th><th scope="col" class="num">"Amount"</th><th scope="col" class="num">"Commission"</th></tr></thead>
            <tbody>
                {s.lines.into_iter().map(|l| view! {
                    <tr>
                        <td>{format!("{} × {} at {}", l.quantity, l.name, l.unit_price)}</td>
                        <td class="num">{l.amount.to_string()}</td>
                        <td class="num">{format!("{} ({})", l.commission, rate_text(l.rate_bp))}</td>
                    </tr>
                }).collect_view()}
            </tbody>
            <tfoot>
                <tr><th scope="row">"Shipping (no commission)"</th><td class="num">{s.shipping.to_string()}</td><td></td></tr>
                <tr><th scope="row">"Commission"</th><td class="num" data-testid="commission">{format!("−{}", s.commission)}</td><td></td></tr>
                <tr><th scope="row">"Refunds"</th><td class="num">{format!("−{}", s.refunded)}</td><td></td></tr>
                <tr><th scope="row">"Commission returned with refunds"</th><td class="num">{s.commission_returned.to_string()}</td><td></td></tr>
                <tr><th scope="row">"Net due to you"</th><td class="num" data-testid="net"><strong>{s.net.to_string()}</strong></td><td></td></tr>
            </tfoot>
        </table>
        <p class="hint">{SIMULATED}</p>
    }
}

/// `/admin/commissions`: the marketplace's commission per category (applies to new sales; each
/// change is logged), and the payout run (simulated). Admins only.
#[component]
pub fn AdminCommissionsPage() -> impl IntoView {
    let set = ServerAction::<SetCommission>::new();
    let pay = ServerAction::<RunPayouts>::new();
    let rates = Resource::new(move || set.version().get(), |_| commission_rates());
    let changes = Resource::new(move || set.version().get(), |_| commission_changes());
    let query = use_query_map();
    let error = move || set.value().get().and_then(Result::err).or_else(|| pay.value().get().and_then(Result::err));
    let paid = move || pay.value().get().and_then(Result::ok).map(|(n, _)| n.to_string()).or_else(|| query.read().get("paid"));
    view! {
        <Title text="Commissions and payouts"/>
        <h1>"Commissions and payouts"</h1>
        {crate::pages::admin::admin_nav()}
        {move || error().map(|e| view! { <Alert message=e.field("rate").or_else(|| e.field("category")).unwrap_or_else(|| e.to_string())/> })}
        {move || query.read().get("saved").map(|_| view! { <Alert kind="info" message="Saved. New sales use the new rate; past orders keep theirs."/> })}
        {move || paid().map(|n| view! { <Alert kind="info" message=format!("Payouts made to {n} shop(s) (simulated).")/> })}
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match (rates.await, changes.await) {
                    (Ok(rates), Ok(changes)) => view! {
                        <ul role="list" class="rates" data-testid="rates">
                            {rates.into_iter().map(|r| {
                                let field = format!("rate-{}", r.slug);
                                view! {
                                    <li>
                                        <ActionForm action=set attr:class="rate-form">
                                            <input type="hidden" name="category" value=r.slug.clone()/>
                                            <label for=field.clone()>{format!("{} (now {}), in %", r.name, rate_text(r.rate_bp))}</label>
                                            <input id=field name="rate" type="text" inputmode="decimal" size="6" value=(r.rate_bp as f64 / 100.0).to_string() required/>
                                            <button type="submit">{format!("Set {}", r.name)}</button>
                                        </ActionForm>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <h2>"Payouts"</h2>
                        <p class="hint">{SIMULATED} " Every shop's payable balance (completed orders, less refunds) is paid out; a negative balance waits for new sales."</p>
                        <ActionForm action=pay><button type="submit">"Run payouts now"</button></ActionForm>
                        <h2>"Rate changes"</h2>
                        {if changes.is_empty() {
                            view! { <p class="empty">"No changes yet."</p> }.into_any()
                        } else {
                            view! { <ul class="log">{changes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul> }.into_any()
                        }}
                    }.into_any(),
                    (Err(AppError::Unauthenticated), _) => sign_in_to("/admin/commissions"),
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
