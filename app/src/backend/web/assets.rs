//! The browser's code and stylesheet as the build named them. A release build (`hash-files` in the
//! workspace's Leptos metadata) puts a content hash in each name (`troika.3f9c….wasm`) and lists the
//! hashes in `hash.txt` beside the server binary; such a file never changes under its name, so it is
//! served with `Cache-Control: public, max-age=31536000, immutable`. Anything else static (photos,
//! icons, the unhashed files of a development build) is kept but revalidated (`no-cache`).
//! The build also precompresses them (`-P`: `.br` and `.gz` beside each file), so the server sends
//! the stored bytes and compresses nothing per request.

use axum::http::HeaderValue;
use leptos::config::LeptosOptions;

/// The build's list of hashes (`hash.txt`: `js: …`, `wasm: …`, `css: …` lines) beside the running
/// binary, where cargo-leptos writes it; none for an unhashed build. (Leptos reads the js and wasm
/// lines itself for the page's scripts.)
pub fn hash_list(options: &LeptosOptions) -> Option<String> {
    let dir = std::env::current_exe().ok()?.parent()?.to_path_buf();
    std::fs::read_to_string(dir.join(options.hash_file.as_ref())).ok()
}

/// The stylesheet's hash in that list, if it is a hash (never a path).
fn css_hash(list: &str) -> Option<&str> {
    list.lines().filter_map(|line| line.split_once(':')).find(|(kind, _)| kind.trim() == "css").map(|(_, hash)| hash.trim()).filter(|h| is_hash(h))
}

/// cargo-leptos writes base64url hashes.
fn is_hash(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The stylesheet's address (`/pkg/troika.<hash>.css`, or `/pkg/troika.css` unhashed).
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    let list = if options.hash_files { hash_list(options) } else { None };
    let name = match list.as_deref().and_then(css_hash) {
        Some(hash) => format!("{}.{hash}.css", options.output_name),
        None => format!("{}.css", options.output_name),
    };
    format!("/{}/{name}", options.site_pkg_dir)
}

/// How long a browser may keep a static file: a year, untouched, for the build's hashed files
/// under the pkg directory (a new build has new names); otherwise it keeps it but asks first.
pub fn cache_control(path: &str, options: &LeptosOptions) -> HeaderValue {
    let pkg = format!("/{}/", options.site_pkg_dir.trim_matches('/'));
    let hashed = options.hash_files && path.strip_prefix(&pkg).is_some_and(is_hashed_name);
    HeaderValue::from_static(if hashed { "public, max-age=31536000, immutable" } else { "no-cache" })
}

/// `name.<hash>.ext`: a middle part of at least 8 characters of the hash alphabet, and no further
/// directory.
fn is_hashed_name(file: &str) -> bool {
    if file.contains('/') {
        return false;
    }
    let parts: Vec<&str> = file.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1]
            .iter()
            .any(|p| p.len() >= 8 && is_hash(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(hash_files: bool) -> LeptosOptions {
        LeptosOptions::builder().output_name("troika").site_root("target/site").site_pkg_dir("pkg").hash_files(hash_files).build()
    }

    #[test]
    fn the_css_line_of_the_hash_list_is_read_and_odd_lines_ignored() {
        assert_eq!(css_hash("js: AbC_12-xyz\nwasm: 0123456789abcdef\nbroken line\ncss2: q\ncss: Zz9\n"), Some("Zz9"));
        assert_eq!(css_hash("css: ../../etc\n"), None, "a hash is never a path");
        assert_eq!(css_hash("js: AbC\n"), None);
    }

    #[test]
    fn only_hashed_build_files_are_cached_for_a_year() {
        let year = "public, max-age=31536000, immutable";
        let hashed = options(true);
        assert_eq!(cache_control("/pkg/troika.Qx3f9cK2LmN0pR7s.wasm", &hashed), year);
        assert_eq!(cache_control("/pkg/troika.Qx3f9cK2LmN0pR7s.js", &hashed), year);
        assert_eq!(cache_control("/pkg/troika.css", &hashed), "no-cache");
        assert_eq!(cache_control("/img/kitchen.svg", &hashed), "no-cache");
        assert_eq!(cache_control("/favicon.svg", &hashed), "no-cache");
        assert_eq!(cache_control("/pkg/sub/troika.Qx3f9cK2LmN0pR7s.js", &hashed), "no-cache");
        assert_eq!(cache_control("/pkg/troika.Qx3f9cK2LmN0pR7s.wasm", &options(false)), "no-cache", "an unhashed build is revalidated");
    }

    #[test]
    fn the_stylesheet_is_unhashed_without_a_hash_file() {
        assert_eq!(stylesheet_href(&options(false)), "/pkg/troika.css");
    }
}
