//! The browser's code and stylesheet as the build named them. A release build (`hash-files` in the
//! workspace's Leptos metadata) puts a content hash in each name (`troika.3f9c….wasm`) and lists the
//! hashes in `hash.txt` beside the server binary; such a file never changes under its name, so it is
//! served with `Cache-Control: public, max-age=31536000, immutable`. Anything else static (photos,
//! icons, the unhashed files of a development build) is kept but revalidated (`no-cache`).
//! The build also precompresses them (`-P`: `.br` and `.gz` beside each file), so the server sends
//! the stored bytes and compresses nothing per request.

use axum::http::HeaderValue;
use leptos::config::LeptosOptions;

/// The content hashes of the build's js, wasm and css files, when it hashed them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssetHashes {
    pub js: Option<String>,
    pub wasm: Option<String>,
    pub css: Option<String>,
}

impl AssetHashes {
    /// Reads `hash.txt` (`js: …`, `wasm: …`, `css: …` lines) beside the running binary, where
    /// cargo-leptos writes it; none (an unhashed build) when it is not there.
    pub fn beside_binary(options: &LeptosOptions) -> Option<AssetHashes> {
        let dir = std::env::current_exe().ok()?.parent()?.to_path_buf();
        let text = std::fs::read_to_string(dir.join(options.hash_file.as_ref())).ok()?;
        Some(AssetHashes::parse(&text))
    }

    pub fn parse(text: &str) -> AssetHashes {
        let mut hashes = AssetHashes::default();
        for (kind, hash) in text.lines().filter_map(|line| line.split_once(':')) {
            let hash = hash.trim();
            if hash.is_empty() || !hash.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                continue;
            }
            match kind.trim() {
                "js" => hashes.js = Some(hash.to_string()),
                "wasm" => hashes.wasm = Some(hash.to_string()),
                "css" => hashes.css = Some(hash.to_string()),
                _ => {}
            }
        }
        hashes
    }
}

/// The stylesheet's address (`/pkg/troika.<hash>.css`, or `/pkg/troika.css` unhashed).
pub fn stylesheet_href(options: &LeptosOptions) -> String {
    let hash = if options.hash_files { AssetHashes::beside_binary(options).and_then(|h| h.css) } else { None };
    let name = match hash {
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

/// `name.<hash>.ext`: a middle part of at least 8 characters of the hash alphabet (cargo-leptos
/// writes base64url hashes), and no further directory.
fn is_hashed_name(file: &str) -> bool {
    if file.contains('/') {
        return false;
    }
    let parts: Vec<&str> = file.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1]
            .iter()
            .any(|p| p.len() >= 8 && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(hash_files: bool) -> LeptosOptions {
        LeptosOptions::builder().output_name("troika").site_root("target/site").site_pkg_dir("pkg").hash_files(hash_files).build()
    }

    #[test]
    fn hash_file_lines_are_read_and_odd_lines_ignored() {
        let h = AssetHashes::parse("js: AbC_12-xyz\nwasm: 0123456789abcdef\ncss: Zz9\nother: q\nbroken line\ncss2:\n");
        assert_eq!(h.js.as_deref(), Some("AbC_12-xyz"));
        assert_eq!(h.wasm.as_deref(), Some("0123456789abcdef"));
        assert_eq!(h.css.as_deref(), Some("Zz9"));
        assert_eq!(AssetHashes::parse("js: ../../etc\n").js, None, "a hash is never a path");
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
