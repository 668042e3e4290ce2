//! Where a redirect may go: only a path of this site. Targets built from input (`next=`, the
//! `Referer` a form post returns to) are parsed, and anything that could leave the origin once a
//! browser has read it (a scheme, a host, `//`, a backslash, control characters, which browsers
//! strip before resolving) is replaced by `/`. The result is percent-encoded ASCII, so it always makes
//! a valid `Location` header.

use url::{Position, Url};

/// A stand-in origin to resolve paths against; a target that resolves elsewhere is not a path.
const BASE: &str = "http://troika.invalid/";
const MAX_LEN: usize = 2048;

/// `input` as a path (with query and fragment) of this site, or `None`.
pub fn local_path(input: &str) -> Option<String> {
    if input.len() > MAX_LEN || !input.starts_with('/') || input.starts_with("//") {
        return None;
    }
    // Browsers drop tabs and newlines anywhere in a URL and treat `\` as `/`: "/\t/evil.example"
    // and "/\\evil.example" both become "//evil.example", another site.
    if input.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    let base = Url::parse(BASE).ok()?;
    let url = base.join(input).ok()?;
    if url.origin() != base.origin() || !url.username().is_empty() || url.password().is_some() {
        return None;
    }
    let path = &url[Position::BeforePath..];
    // "/.//evil.example" resolves to the path "//evil.example", which a browser reads as a host.
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_string())
}

/// `input` as a path of this site, or the home page.
pub fn local_or_home(input: &str) -> String {
    local_path(input).unwrap_or_else(|| "/".to_string())
}

/// A `Location` a response is about to send: kept when it is a path of this site or an absolute URL
/// of one of its `origins` (the no-JavaScript form flow returns to the `Referer`), else `/`.
pub fn guard_location(location: &str, origins: &[String]) -> String {
    if let Some(path) = local_path(location) {
        return path;
    }
    match Url::parse(location) {
        Ok(url) if origins.iter().any(|o| *o == url.origin().ascii_serialization()) => local_or_home(&url[Position::BeforePath..]),
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_of_the_site_are_kept() {
        assert_eq!(local_path("/cart").as_deref(), Some("/cart"));
        assert_eq!(local_path("/orders/12?tab=all#top").as_deref(), Some("/orders/12?tab=all#top"));
        assert_eq!(local_path("/search?q=tea towel").as_deref(), Some("/search?q=tea%20towel"));
        assert_eq!(local_path("/search?q=crêpe").as_deref(), Some("/search?q=cr%C3%AApe"));
        // Encoded slashes stay encoded: a path on this site, not a host.
        assert_eq!(local_path("/%2F%2Fevil.example").as_deref(), Some("/%2F%2Fevil.example"));
        assert_eq!(local_path("/%09/evil.example").as_deref(), Some("/%09/evil.example"));
    }

    #[test]
    fn anything_that_could_leave_the_site_is_refused() {
        for bad in [
            "",
            "cart",
            "//evil.example",
            "///evil.example",
            "/\t/evil.example",
            "/\n/x",
            "/\r\n/x",
            "\t//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\u{0}/evil.example",
            "/\u{7f}/evil.example",
            "/\u{85}/evil.example",
            "https://evil.example",
            "http:evil.example",
            "javascript:alert(1)",
            "data:text/html,hi",
            " /cart",
            "/.//evil.example",
            "/./../..//evil.example",
            "/a/../..//evil.example",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?} must not be followed");
            assert_eq!(local_or_home(bad), "/");
        }
        assert_eq!(local_path(&format!("/{}", "a".repeat(3000))), None);
    }

    #[test]
    fn a_location_of_our_own_origin_keeps_its_path_and_others_go_home() {
        let origins = vec!["http://127.0.0.1:3000".to_string()];
        assert_eq!(guard_location("http://127.0.0.1:3000/signin?next=%2Fcart&__err=x", &origins), "/signin?next=%2Fcart&__err=x");
        assert_eq!(guard_location("/orders/3", &origins), "/orders/3");
        assert_eq!(guard_location("https://evil.example/signin", &origins), "/");
        assert_eq!(guard_location("http://127.0.0.1:3001/", &origins), "/");
        assert_eq!(guard_location("//evil.example", &origins), "/");
    }
}
