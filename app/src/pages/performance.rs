use crate::api::reviews::get_seller_performance;
use crate::components::errors::ErrorPage;
use crate::components::product::TopSeller;
use crate::domain::review::{BadgeCheck, Figure, MessageClockLine, PerformanceView, Threshold, MAX_LATE_PERMILLE, MAX_REFUSED_PERMILLE, MIN_ORDERS, MIN_RATING_TENTHS, MIN_REPLY_PERMILLE};
use crate::i18n::Locale;
use crate::pages::loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use crate::components::lang::use_lang;
use crate::domain::thread::ClockOutcome;
use crate::i18n::td_string;

/// A badge threshold, as people read it.
fn threshold_label(l: Locale, threshold: Threshold) -> &'static str {
    match threshold {
        Threshold::Orders => td_string!(l, performance.threshold_orders),
        Threshold::LateShipments => td_string!(l, performance.threshold_late),
        Threshold::RefusedOrders => td_string!(l, performance.threshold_refused),
        Threshold::ClaimsAnswered => td_string!(l, performance.threshold_claims),
        Threshold::MessagesAnswered => td_string!(l, performance.threshold_messages),
        Threshold::Rating => td_string!(l, performance.threshold_rating),
    }
}

/// A decimal ("2.5 %", "4.8") with the language's decimal mark.
fn decimal(l: Locale, english: &str) -> String {
    match l {
        Locale::en => english.to_string(),
        Locale::fr => english.replace('.', ","),
    }
}

/// Tenths ("3.0 %" for 30 permille, "4.8" for 48 tenths).
fn tenths(l: Locale, n: i64, unit: &str) -> String {
    decimal(l, &format!("{}.{}{unit}", n / 10, n % 10))
}

/// What a threshold needs, in words.
fn limit_text(l: Locale, threshold: Threshold) -> String {
    let at_least = |v: String| td_string!(l, performance.at_least, value = v).to_string();
    let at_most = |v: String| td_string!(l, performance.at_most, value = v).to_string();
    match threshold {
        Threshold::Orders => at_least(MIN_ORDERS.to_string()),
        Threshold::LateShipments => at_most(tenths(l, MAX_LATE_PERMILLE, " %")),
        Threshold::RefusedOrders => at_most(tenths(l, MAX_REFUSED_PERMILLE, " %")),
        Threshold::ClaimsAnswered => at_least(tenths(l, MIN_REPLY_PERMILLE, " %")),
        Threshold::MessagesAnswered => at_least(tenths(l, crate::domain::thread::MIN_ANSWERS_ON_TIME_PERMILLE, " %")),
        Threshold::Rating => at_least(tenths(l, MIN_RATING_TENTHS, "")),
    }
}

/// Where the seller stands on a threshold: a number, or that there is nothing to measure yet.
fn value_text(l: Locale, check: &BadgeCheck) -> String {
    if check.value.starts_with(|c: char| c.is_ascii_digit()) {
        decimal(l, &check.value)
    } else {
        match check.threshold {
            Threshold::MessagesAnswered => td_string!(l, performance.no_messages_yet).to_string(),
            Threshold::Rating => td_string!(l, performance.no_reviews).to_string(),
            _ => check.value.clone(),
        }
    }
}

/// How a buyer's message counted, as people read it.
fn outcome_label(l: crate::i18n::Locale, outcome: ClockOutcome) -> &'static str {
    match outcome {
        ClockOutcome::Running => td_string!(l, performance.outcome_running),
        ClockOutcome::OnTime => td_string!(l, performance.outcome_on_time),
        ClockOutcome::Late => td_string!(l, performance.outcome_late),
        ClockOutcome::Missed => td_string!(l, performance.outcome_missed),
        ClockOutcome::NoAnswerNeeded => td_string!(l, performance.outcome_no_answer_needed),
        ClockOutcome::BecameClaim => td_string!(l, performance.outcome_became_claim),
    }
}

/// `/seller/performance`: the seller's figures over the trailing window, each with how it is
/// computed and the orders behind it, and the Top seller badge's thresholds (with warnings near a
/// limit).
#[component]
pub fn SellerPerformancePage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_seller_performance());
    let l = use_lang().locale;
    view! {
        <Title text=td_string!(l, performance.title)/>
        <p><A href="/seller/orders">{td_string!(l, order.orders_desk)}</A> " · " <A href="/reviews">{td_string!(l, reviews.title)}</A> " · " <A href="/seller/inbox">{td_string!(l, seller_orders.inbox)}</A></p>
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
    let l = use_lang().locale;
    let warnings: Vec<String> = p
        .checks
        .iter()
        .filter(|c| c.near_limit || (!c.holds && c.threshold != Threshold::Orders))
        .map(|c| {
            let (what, value, limit) = (threshold_label(l, c.threshold), value_text(l, c), limit_text(l, c.threshold));
            if c.holds {
                td_string!(l, performance.close_to_limit, what = what, value = value, limit = limit).to_string()
            } else {
                td_string!(l, performance.badge_needs, what = what, value = value, limit = limit).to_string()
            }
        })
        .collect();
    view! {
        <h1>{td_string!(l, performance.heading, shop = p.shop_name.clone()).to_string()} " " <TopSeller holds=p.top_seller/></h1>
        <p class="muted">{td_string!(l, performance.measured, days = p.window_days).to_string()}</p>
        {(!warnings.is_empty()).then(|| view! {
            <div class="alert alert-warning" role="status" data-testid="badge-warnings">
                <p><strong>{td_string!(l, performance.watch_out)}</strong></p>
                <ul>{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
            </div>
        })}
        <section aria-labelledby="badge-title">
            <h2 id="badge-title">{td_string!(l, performance.badge_title)}</h2>
            <p>{if p.top_seller { td_string!(l, performance.badge_held) } else { td_string!(l, performance.badge_how) }}</p>
            <table class="badge-checks" data-testid="badge-checks">
                <thead><tr><th scope="col">{td_string!(l, performance.threshold)}</th><th scope="col">{td_string!(l, performance.you)}</th><th scope="col">{td_string!(l, performance.needed)}</th><th scope="col">{td_string!(l, performance.status)}</th></tr></thead>
                <tbody>
                    {p.checks.into_iter().map(|c| view! {
                        <tr class:near=c.near_limit class:fails=!c.holds>
                            <th scope="row">{threshold_label(l, c.threshold)}</th>
                            <td>{value_text(l, &c)}</td>
                            <td>{limit_text(l, c.threshold)}</td>
                            <td>{if !c.holds { td_string!(l, performance.not_met) } else if c.near_limit { td_string!(l, performance.met_near) } else { td_string!(l, performance.met) }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="figures-title">
            <h2 id="figures-title">{td_string!(l, performance.your_figures)}</h2>
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
    let lang = use_lang();
    let l = lang.locale;
    view! {
        <section aria-labelledby="messages-title">
            <h2 id="messages-title">{td_string!(l, performance.buyers_messages)}</h2>
            <details>
                <summary>{td_string!(l, performance.messages_behind, count = count as i64, shown = lang.number(count as i64)).to_string()}</summary>
                <table class="message-clocks" data-testid="message-clocks">
                    <thead><tr><th scope="col">{td_string!(l, performance.conversation)}</th><th scope="col">{td_string!(l, performance.asked)}</th><th scope="col">{td_string!(l, performance.counted_as)}</th></tr></thead>
                    <tbody>
                        {lines.into_iter().map(|line| view! {
                            <tr>
                                <td><A href=format!("/messages/{}", line.thread)>{line.subject.clone()}</A></td>
                                <td>{line.asked_at.clone()}</td>
                                <td>{outcome_label(l, line.outcome)} <span class="muted">{format!(" · {}", line.detail)}</span></td>
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
    let lang = use_lang();
    let l = lang.locale;
    view! {
        <dt>{f.label.clone()}</dt>
        <dd>
            <strong>{f.value.clone()}</strong>
            <p class="muted">{f.explanation.clone()}</p>
            {(count > 0).then(|| view! {
                <details>
                    <summary>{td_string!(l, performance.orders_behind, count = count as i64, shown = lang.number(count as i64)).to_string()}</summary>
                    <ul class="order-refs" role="list">
                        {f.orders.into_iter().map(|o| view! { <li><A href=format!("/orders/{o}")>{format!("#{o}")}</A></li> }).collect_view()}
                    </ul>
                </details>
            })}
        </dd>
    }
}
