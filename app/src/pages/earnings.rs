use crate::api::earnings::{commission_changes, commission_rates, get_earnings, get_order_statement, RunPayouts, SetCommission};
use crate::components::errors::{Alert, ErrorPage};
use crate::domain::earnings::{rate_in, EntryKind, Statement, PAYABLE_AFTER_DAYS};
use crate::error::AppError;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::components::lang::use_lang;
use crate::i18n::{td_string, Locale};

fn sign_in_to(l: Locale, next: &'static str) -> AnyView {
    view! { <p>{td_string!(l, earnings.please)}" " <a href=format!("/signin?next={next}")>{td_string!(l, earnings.sign_in)}</a> " "{td_string!(l, earnings.to_see_page)}</p> }.into_any()
}

/// A ledger line's kind, as people read it.
fn kind_label(l: Locale, kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Sale => td_string!(l, earnings.kind_sale),
        EntryKind::Refund => td_string!(l, earnings.kind_refund),
    }
}


/// `/seller/earnings`: what the shop has pending (orders under way), payable (completed orders,
/// less refunds) and paid out; the ledger's latest postings with their statements; the monthly
/// statement files.
#[component]
pub fn EarningsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_earnings());
    let lang = use_lang();
    let l = lang.locale;
    view! {
        <Title text=td_string!(l, earnings.title)/>
        <h1>{td_string!(l, earnings.title)}</h1>
        <p class="sub-nav"><A href="/seller/products">{td_string!(l, earnings.products_and_stock)}</A> " · " <A href="/seller/orders">{td_string!(l, earnings.orders_desk)}</A></p>
        <p class="hint">{td_string!(l, earnings.simulated)}</p>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! {
                        <dl class="balances" data-testid="balances">
                            <div><dt>{td_string!(l, earnings.pending)}</dt><dd data-testid="pending">{lang.money(page.pending)}</dd></div>
                            <div><dt>{td_string!(l, earnings.payable)}</dt><dd data-testid="payable">{lang.money(page.payable)}</dd></div>
                            <div><dt>{td_string!(l, earnings.paid_out)}</dt><dd data-testid="paid">{lang.money(page.paid)}</dd></div>
                        </dl>
                        <p class="hint">{td_string!(l, earnings.how_it_works, days = PAYABLE_AFTER_DAYS).to_string()}</p>
                        <h2>{td_string!(l, earnings.monthly_statements)}</h2>
                        {if page.months.is_empty() {
                            view! { <p class="empty">{td_string!(l, earnings.nothing_posted)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="months">
                                    {page.months.into_iter().map(|m| view! {
                                        <li><a href=format!("/seller/earnings/{m}.csv") download="">{td_string!(l, earnings.statement_csv, month = m.clone()).to_string()}</a></li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <h2>{td_string!(l, earnings.ledger)}</h2>
                        {if page.entries.is_empty() {
                            view! { <p class="empty">{td_string!(l, earnings.no_postings)}</p> }.into_any()
                        } else {
                            view! {
                                <table class="ledger" data-testid="ledger">
                                    <caption class="visually-hidden">{td_string!(l, earnings.postings_caption)}</caption>
                                    <thead><tr><th scope="col">{td_string!(l, earnings.when)}</th><th scope="col">{td_string!(l, earnings.what)}</th><th scope="col">{td_string!(l, earnings.order)}</th><th scope="col" class="num">{td_string!(l, earnings.amount)}</th></tr></thead>
                                    <tbody>
                                        {page.entries.into_iter().map(|e| {
                                            let what = match (e.kind, e.paid_in) {
                                                (k, Some(p)) => td_string!(l, earnings.in_payout, kind = kind_label(l, k), payout = p).to_string(),
                                                (k, None) => kind_label(l, k).to_string(),
                                            };
                                            let class = if e.kind == EntryKind::Refund { "num debit" } else { "num" };
                                            view! {
                                                <tr>
                                                    <td>{e.at}</td>
                                                    <td>{what}</td>
                                                    <td><A href=format!("/seller/statements/{}", e.order.0)>{td_string!(l, earnings.order_number, id = e.order.0).to_string()}</A></td>
                                                    <td class=class>{lang.money(e.amount)}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                        <h2>{td_string!(l, earnings.payouts)}</h2>
                        {if page.payouts.is_empty() {
                            view! { <p class="empty">{td_string!(l, earnings.no_payouts)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="payouts">
                                    {page.payouts.into_iter().map(|p| view! { <li>{td_string!(l, earnings.payout_line, id = p.id, at = p.at.clone(), amount = lang.money(p.amount)).to_string()}</li> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }.into_any(),
                    Err(AppError::Unauthenticated) => sign_in_to(l, "/seller/earnings"),
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
    let l = use_lang().locale;
    view! {
        <Title text=td_string!(l, earnings.order_statement)/>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(s) => view! { <StatementView s/> }.into_any(),
                    Err(AppError::Unauthenticated) => sign_in_to(l, "/seller/earnings"),
                    Err(e) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn StatementView(s: Statement) -> impl IntoView {
    let order = s.order.0;
    let lang = use_lang();
    let l = lang.locale;
    let state = if s.payable { td_string!(l, earnings.state_payable) } else { td_string!(l, earnings.state_pending) };
    view! {
        <h1>{td_string!(l, earnings.statement_for, id = order).to_string()}</h1>
        <p class="sub-nav"><A href=format!("/orders/{order}")>{td_string!(l, earnings.the_order)}</A> " · " <A href="/seller/earnings">{td_string!(l, earnings.title)}</A></p>
        <p>{state}</p>
        <table class="statement" data-testid="statement">
            <caption class="visually-hidden">{td_string!(l, earnings.statement_caption)}</caption>
            <thead><tr><th scope="col">{td_string!(l, earnings.item)}</th><th scope="col" class="num">{td_string!(l, earnings.amount)}</th><th scope="col" class="num">{td_string!(l, earnings.commission)}</th></tr></thead>
            <tbody>
                {s.lines.into_iter().map(|line| view! {
                    <tr>
                        <td>{td_string!(l, earnings.line, quantity = line.quantity, name = line.name.clone(), price = lang.money(line.unit_price)).to_string()}</td>
                        <td class="num">{lang.money(line.amount)}</td>
                        <td class="num">{format!("{} ({})", lang.money(line.commission), rate_in(l, line.rate_bp))}</td>
                    </tr>
                }).collect_view()}
            </tbody>
            <tfoot>
                <tr><th scope="row">{td_string!(l, earnings.shipping_no_commission)}</th><td class="num">{lang.money(s.shipping)}</td><td></td></tr>
                <tr><th scope="row">{td_string!(l, earnings.commission)}</th><td class="num" data-testid="commission">{format!("−{}", lang.money(s.commission))}</td><td></td></tr>
                <tr><th scope="row">{td_string!(l, earnings.refunds)}</th><td class="num">{format!("−{}", lang.money(s.refunded))}</td><td></td></tr>
                <tr><th scope="row">{td_string!(l, earnings.commission_returned)}</th><td class="num">{lang.money(s.commission_returned)}</td><td></td></tr>
                <tr><th scope="row">{td_string!(l, earnings.net_due)}</th><td class="num" data-testid="net"><strong>{lang.money(s.net)}</strong></td><td></td></tr>
            </tfoot>
        </table>
        <p class="hint">{td_string!(l, earnings.simulated)}</p>
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
    let paid = move || {
        pay.value().get().and_then(Result::ok).and_then(|(n, _)| i64::try_from(n).ok()).or_else(|| query.read().get("paid").and_then(|n| n.parse::<i64>().ok()))
    };
    let l = use_lang().locale;
    view! {
        <Title text=td_string!(l, admin.commissions)/>
        <h1>{td_string!(l, admin.commissions)}</h1>
        {crate::pages::admin::admin_nav()}
        {move || error().map(|e| view! { <Alert message=e.field("rate").or_else(|| e.field("category")).unwrap_or_else(|| e.to_string())/> })}
        {move || query.read().get("saved").map(|_| view! { <Alert kind="info" message=td_string!(l, earnings.saved)/> })}
        {move || paid().map(|n| view! { <Alert kind="info" message=td_string!(l, earnings.payouts_made, count = n).to_string()/> })}
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
                                            <label for=field.clone()>{td_string!(l, earnings.rate_label, name = r.name.clone(), rate = rate_in(l, r.rate_bp)).to_string()}</label>
                                            <input id=field name="rate" type="text" inputmode="decimal" size="6" value=(r.rate_bp as f64 / 100.0).to_string() required/>
                                            <button type="submit">{td_string!(l, earnings.set_rate, name = r.name.clone()).to_string()}</button>
                                        </ActionForm>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <h2>{td_string!(l, earnings.payouts)}</h2>
                        <p class="hint">{td_string!(l, earnings.simulated)} " "{td_string!(l, earnings.payout_run_hint)}</p>
                        <ActionForm action=pay><button type="submit">{td_string!(l, earnings.run_payouts)}</button></ActionForm>
                        <h2>{td_string!(l, earnings.rate_changes)}</h2>
                        {if changes.is_empty() {
                            view! { <p class="empty">{td_string!(l, earnings.no_changes)}</p> }.into_any()
                        } else {
                            view! { <ul class="log">{changes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul> }.into_any()
                        }}
                    }.into_any(),
                    (Err(AppError::Unauthenticated), _) => sign_in_to(l, "/admin/commissions"),
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorPage error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
