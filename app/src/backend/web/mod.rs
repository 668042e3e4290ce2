//! What every request passes through before the app sees it, and every response on its way out:
//! the client's address, the origin check (403 for requests from elsewhere), the security headers
//! (a Content-Security-Policy with a fresh nonce for Leptos's inline scripts, no framing, no
//! caching of personal pages), redirects kept on the site, and a fast 503 while the database is
//! unreachable (`availability`).

pub mod assets;
pub mod availability;
pub mod client;
pub mod locale;
pub mod origin;
pub mod redirect;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use client::ClientAddr;
use ipnet::IpNet;
use origin::{SiteOrigins, Verdict};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

/// The request's CSP nonce (request extension); the page's inline scripts carry it.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// What the guard needs to know about the site.
#[derive(Debug, Clone)]
pub struct WebPolicy {
    pub site: SiteOrigins,
    pub trusted_proxies: Vec<IpNet>,
}

impl WebPolicy {
    fn content_security_policy(&self, nonce: &str) -> String {
        let sockets = self.site.socket_origins().join(" ");
        format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
             font-src 'self'; connect-src 'self' {sockets}; media-src 'self'; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'"
        )
    }
}

/// The client's address, from the request's parts (set by `guard`; the peer's otherwise).
pub fn client_addr_of(parts: &axum::http::request::Parts) -> IpAddr {
    parts
        .extensions
        .get::<ClientAddr>()
        .map(|c| c.0)
        .or_else(|| parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()))
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

/// The middleware: refuses requests from other origins, then sets the security headers on every
/// response and keeps its redirect on the site.
pub async fn guard(State(policy): State<Arc<WebPolicy>>, mut req: Request<Body>, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let client = client::client_addr(peer, req.headers(), &policy.trusted_proxies);
    req.extensions_mut().insert(ClientAddr(client));
    let nonce = uuid::Uuid::new_v4().simple().to_string();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = match origin::judge(req.method(), req.headers(), &policy.site) {
        Verdict::Allow => next.run(req).await,
        Verdict::Refuse(why) => {
            let origin = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()).unwrap_or("-").to_string();
            tracing::warn!(%client, %origin, path = %req.uri().path(), why, "refused a request from another origin");
            (StatusCode::FORBIDDEN, "Refused: this request came from another site. Troika accepts changes only from its own pages.").into_response()
        }
    };
    secure_headers(&policy, &nonce, &mut res);
    res
}

fn secure_headers(policy: &WebPolicy, nonce: &str, res: &mut Response) {
    let html = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    let headers = res.headers_mut();
    if html {
        if let Ok(csp) = HeaderValue::from_str(&policy.content_security_policy(nonce)) {
            headers.insert(header::CONTENT_SECURITY_POLICY, csp);
        }
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"),
    );
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if policy.site.https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    // Pages, server functions and streams speak of a person (their name in the header, their
    // orders, their address): never stored by a browser or a proxy. Static files set their own.
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Some(location) = headers.get(header::LOCATION) {
        let kept = redirect::guard_location(location.to_str().unwrap_or(""), &policy.site.accepted);
        if let Ok(v) = HeaderValue::from_str(&kept) {
            headers.insert(header::LOCATION, v);
        }
    }
}
