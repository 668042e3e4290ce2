//! Requests from elsewhere are refused: every state-changing request (anything but GET, HEAD and
//! OPTIONS) and every WebSocket handshake must come from the site's own origin. Browsers say where a
//! request comes from in `Origin` (on every cross-site POST and every WebSocket) or, failing that,
//! `Sec-Fetch-Site`; a request with neither comes from no browser (a script, a seller's
//! integration) and is judged by its credentials alone, as a forged cross-site request always
//! carries one of them.

use axum::http::{header, HeaderMap, Method};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The origins this site is served from, as browsers write them in `Origin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteOrigins {
    /// Serialised origins (`https://troika.example`, `http://127.0.0.1:3000`), the public one first.
    pub accepted: Vec<String>,
    /// Served over https (HSTS, secure cookies, `wss:`).
    pub https: bool,
}

impl SiteOrigins {
    /// From `TROIKA_PUBLIC_URL` when set, else from the address the server listens on (a loopback or
    /// unspecified address also answers as `localhost`, `127.0.0.1` and `[::1]`).
    pub fn new(public_url: Option<&str>, listen: SocketAddr) -> Result<SiteOrigins, String> {
        if let Some(raw) = public_url.map(str::trim).filter(|u| !u.is_empty()) {
            let url = url::Url::parse(raw).map_err(|e| format!("TROIKA_PUBLIC_URL must be a URL like https://troika.example, not {raw:?} ({e})"))?;
            if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
                return Err(format!("TROIKA_PUBLIC_URL must be an http or https URL with a host, not {raw:?}"));
            }
            return Ok(SiteOrigins { accepted: vec![url.origin().ascii_serialization()], https: url.scheme() == "https" });
        }
        let port = listen.port();
        let ip = listen.ip();
        let mut hosts: Vec<String> = Vec::new();
        if ip.is_loopback() || ip.is_unspecified() {
            hosts.extend([IpAddr::V4(Ipv4Addr::LOCALHOST).to_string(), "localhost".into(), format!("[{}]", Ipv6Addr::LOCALHOST)]);
        } else {
            hosts.push(match ip {
                IpAddr::V4(v4) => v4.to_string(),
                IpAddr::V6(v6) => format!("[{v6}]"),
            });
        }
        let accepted = hosts.into_iter().map(|h| if port == 80 { format!("http://{h}") } else { format!("http://{h}:{port}") }).collect();
        Ok(SiteOrigins { accepted, https: false })
    }

    pub fn accepts(&self, origin: &str) -> bool {
        let origin = origin.trim().trim_end_matches('/');
        self.accepted.iter().any(|o| o.eq_ignore_ascii_case(origin))
    }

    /// The origins as WebSocket origins (`ws://…`, `wss://…`), for the CSP's `connect-src`. A CSP
    /// source cannot name an IPv6 address (`[::1]`): those are left to `'self'`.
    pub fn socket_origins(&self) -> Vec<String> {
        self.accepted
            .iter()
            .filter(|o| !o.contains('['))
            .map(|o| o.replacen("https://", "wss://", 1).replacen("http://", "ws://", 1))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// Refused, with the reason for the log.
    Refuse(&'static str),
}

/// Whether a request may go on, from its method and headers.
pub fn judge(method: &Method, headers: &HeaderMap, site: &SiteOrigins) -> Verdict {
    let handshake = headers.get(header::UPGRADE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if !handshake && matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Verdict::Allow;
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        return match origin.to_str() {
            Ok(o) if site.accepts(o) => Verdict::Allow,
            // Includes "null" (sandboxed frames, privacy-sensitive redirects): never ours.
            _ => Verdict::Refuse("another origin"),
        };
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // "none": the person typed or bookmarked it; "same-origin": this site.
        Some("same-origin") | Some("none") => Verdict::Allow,
        Some(_) => Verdict::Refuse("another site (Sec-Fetch-Site)"),
        None => Verdict::Allow,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn site() -> SiteOrigins {
        SiteOrigins::new(None, "127.0.0.1:3000".parse().unwrap()).unwrap()
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn the_public_url_gives_one_origin_and_the_listen_address_its_loopback_names() {
        let public = SiteOrigins::new(Some("https://Troika.Example/shop/"), "0.0.0.0:8080".parse().unwrap()).unwrap();
        assert_eq!(public.accepted, vec!["https://troika.example".to_string()]);
        assert!(public.https);
        assert_eq!(public.socket_origins(), vec!["wss://troika.example".to_string()]);
        let local = site();
        assert!(local.accepts("http://127.0.0.1:3000") && local.accepts("http://localhost:3000") && local.accepts("http://[::1]:3000"));
        assert!(!local.accepts("http://127.0.0.1:3001") && !local.accepts("https://127.0.0.1:3000"));
        assert_eq!(local.socket_origins(), vec!["ws://127.0.0.1:3000".to_string(), "ws://localhost:3000".to_string()]);
        let lan = SiteOrigins::new(None, "192.168.1.5:80".parse().unwrap()).unwrap();
        assert_eq!(lan.accepted, vec!["http://192.168.1.5".to_string()]);
        assert!(SiteOrigins::new(Some("ftp://troika.example"), "127.0.0.1:3000".parse().unwrap()).is_err());
        assert!(SiteOrigins::new(Some("not a url"), "127.0.0.1:3000".parse().unwrap()).is_err());
    }

    #[test]
    fn posts_and_socket_handshakes_from_elsewhere_are_refused() {
        let site = site();
        let post = Method::POST;
        assert_eq!(judge(&post, &headers(&[("origin", "http://127.0.0.1:3000")]), &site), Verdict::Allow);
        assert!(matches!(judge(&post, &headers(&[("origin", "https://evil.example")]), &site), Verdict::Refuse(_)));
        assert!(matches!(judge(&post, &headers(&[("origin", "null")]), &site), Verdict::Refuse(_)));
        assert!(matches!(judge(&post, &headers(&[("sec-fetch-site", "cross-site")]), &site), Verdict::Refuse(_)));
        assert!(matches!(judge(&post, &headers(&[("sec-fetch-site", "same-site")]), &site), Verdict::Refuse(_)));
        assert_eq!(judge(&post, &headers(&[("sec-fetch-site", "same-origin")]), &site), Verdict::Allow);
        // No browser: judged by its credentials.
        assert_eq!(judge(&post, &headers(&[]), &site), Verdict::Allow);
        // Reading is fine from anywhere; a WebSocket handshake is not.
        assert_eq!(judge(&Method::GET, &headers(&[("origin", "https://evil.example")]), &site), Verdict::Allow);
        let ws = headers(&[("upgrade", "websocket"), ("origin", "https://evil.example")]);
        assert!(matches!(judge(&Method::GET, &ws, &site), Verdict::Refuse(_)));
        let ws = headers(&[("upgrade", "websocket"), ("origin", "http://localhost:3000")]);
        assert_eq!(judge(&Method::GET, &ws, &site), Verdict::Allow);
    }
}
