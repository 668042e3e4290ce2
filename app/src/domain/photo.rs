//! Product photos: what is accepted (JPEG, PNG or WebP by their content, up to 8 MB, at least
//! 640 px wide), the widths stored (WebP, never enlarged), how a page asks for them (`srcset`),
//! and why an upload is refused, each with the message the seller reads.

use crate::domain::locale::{self, Locale};
use crate::i18n::td_string;
use serde::{Deserialize, Serialize};

/// The largest upload: 8 MB.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// Narrower photos look blurred on a phone's screen.
pub const MIN_WIDTH: u32 = 640;
pub const MIN_HEIGHT: u32 = 320;
/// Decoding a picture larger than this is refused before any pixel is read (a small file can claim
/// a huge picture).
pub const MAX_SIDE: u32 = 12_000;
/// Photos per product.
pub const MAX_PHOTOS: usize = 6;
/// The widths stored for every photo (a narrower original stops at its own width).
pub const WIDTHS: [u32; 3] = [320, 640, 1280];

/// The widths stored for a photo `original` pixels wide: every standard width up to it, and the
/// original's own width when it lies between two standard ones.
pub fn variant_widths(original: u32) -> Vec<u32> {
    let mut widths: Vec<u32> = WIDTHS.into_iter().filter(|w| *w <= original).collect();
    let largest = WIDTHS[WIDTHS.len() - 1];
    if original < largest && !widths.contains(&original) {
        widths.push(original);
    }
    widths
}

/// The height of a `width`-wide copy of a `w`×`h` picture (rounded, at least 1).
pub fn scaled_height(w: u32, h: u32, width: u32) -> u32 {
    ((u64::from(h) * u64::from(width) + u64::from(w) / 2) / u64::from(w.max(1))).max(1) as u32
}

/// Where one stored width of a photo is served.
pub fn variant_url(photo: i64, width: u32) -> String {
    format!("/photos/{photo}/{width}.webp")
}

/// A product's picture as pages show it: a photo (with its stored widths) or the category's drawing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Picture {
    /// `/photos/<id>` for a photo, or a drawing's own address.
    pub src: String,
    /// The picture's size (of its largest stored copy): gives the page its shape before it loads.
    pub width: u32,
    pub height: u32,
}

impl Picture {
    pub fn photo_id(&self) -> Option<i64> {
        self.src.strip_prefix("/photos/").and_then(|id| id.parse().ok())
    }

    /// The address to load when `srcset` is not used: the copy closest to `wanted` px wide.
    pub fn url_for(&self, wanted: u32) -> String {
        match self.photo_id() {
            Some(id) => {
                let widths = variant_widths(self.width);
                let w = widths.iter().copied().find(|w| *w >= wanted).or(widths.last().copied()).unwrap_or(self.width);
                variant_url(id, w)
            }
            None => self.src.clone(),
        }
    }

    /// `srcset` for a photo (`None` for a drawing, which has one size).
    pub fn srcset(&self) -> Option<String> {
        let id = self.photo_id()?;
        Some(variant_widths(self.width).into_iter().map(|w| format!("{} {w}w", variant_url(id, w))).collect::<Vec<_>>().join(", "))
    }
}

/// Why an upload was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhotoRefusal {
    NoFile,
    TooLarge,
    NotAnImage,
    Unreadable,
    TooSmall,
    TooBig,
    TooMany,
}

impl PhotoRefusal {
    pub const ALL: [PhotoRefusal; 7] = [
        PhotoRefusal::NoFile,
        PhotoRefusal::TooLarge,
        PhotoRefusal::NotAnImage,
        PhotoRefusal::Unreadable,
        PhotoRefusal::TooSmall,
        PhotoRefusal::TooBig,
        PhotoRefusal::TooMany,
    ];

    /// The short code a page is sent back with (`?photo_error=`).
    pub fn code(self) -> &'static str {
        match self {
            PhotoRefusal::NoFile => "no-file",
            PhotoRefusal::TooLarge => "too-large",
            PhotoRefusal::NotAnImage => "not-an-image",
            PhotoRefusal::Unreadable => "unreadable",
            PhotoRefusal::TooSmall => "too-small",
            PhotoRefusal::TooBig => "too-big",
            PhotoRefusal::TooMany => "too-many",
        }
    }

    pub fn parse(code: &str) -> Option<PhotoRefusal> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn message(self) -> String {
        match self {
            PhotoRefusal::NoFile => td_string!(locale::request(), server.photo.no_file).to_string(),
            PhotoRefusal::TooLarge => td_string!(locale::request(), server.photo.too_large, mb = MAX_BYTES / (1024 * 1024)).to_string(),
            PhotoRefusal::NotAnImage => td_string!(locale::request(), server.photo.not_an_image).to_string(),
            PhotoRefusal::Unreadable => td_string!(locale::request(), server.photo.unreadable).to_string(),
            PhotoRefusal::TooSmall => td_string!(locale::request(), server.photo.too_small, width = MIN_WIDTH, height = MIN_HEIGHT).to_string(),
            PhotoRefusal::TooBig => td_string!(locale::request(), server.photo.too_big, side = MAX_SIDE).to_string(),
            PhotoRefusal::TooMany => td_string!(locale::request(), server.photo.too_many, max = MAX_PHOTOS).to_string(),
        }
    }

    /// The message in a language (`message()` is the English one).
    pub fn message_in(self, l: Locale) -> String {
        match self {
            PhotoRefusal::NoFile => td_string!(l, product_editor.refused_no_file).to_string(),
            PhotoRefusal::TooLarge => td_string!(l, product_editor.refused_too_large, mb = MAX_BYTES / (1024 * 1024)).to_string(),
            PhotoRefusal::NotAnImage => td_string!(l, product_editor.refused_not_an_image).to_string(),
            PhotoRefusal::Unreadable => td_string!(l, product_editor.refused_unreadable).to_string(),
            PhotoRefusal::TooSmall => td_string!(l, product_editor.refused_too_small, width = MIN_WIDTH, height = MIN_HEIGHT).to_string(),
            PhotoRefusal::TooBig => td_string!(l, product_editor.refused_too_big, side = MAX_SIDE).to_string(),
            PhotoRefusal::TooMany => td_string!(l, product_editor.refused_too_many, max = MAX_PHOTOS).to_string(),
        }
    }

    /// The HTTP status for clients that are not a browser's form.
    pub fn status(self) -> u16 {
        match self {
            PhotoRefusal::TooLarge => 413,
            PhotoRefusal::NotAnImage => 415,
            PhotoRefusal::TooMany => 409,
            _ => 422,
        }
    }
}

/// One photo of a product, as the seller's form lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoView {
    pub id: i64,
    pub main: bool,
    pub picture: Picture,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_stored_at_standard_widths_and_never_enlarged() {
        assert_eq!(variant_widths(4000), vec![320, 640, 1280]);
        assert_eq!(variant_widths(1280), vec![320, 640, 1280]);
        assert_eq!(variant_widths(1000), vec![320, 640, 1000]);
        assert_eq!(variant_widths(640), vec![320, 640]);
        assert_eq!(scaled_height(4000, 3000, 320), 240);
        assert_eq!(scaled_height(3000, 4000, 1280), 1707);
    }

    #[test]
    fn a_photo_gives_a_srcset_and_a_drawing_only_its_address() {
        let photo = Picture { src: "/photos/7".into(), width: 1280, height: 960 };
        assert_eq!(photo.srcset().unwrap(), "/photos/7/320.webp 320w, /photos/7/640.webp 640w, /photos/7/1280.webp 1280w");
        assert_eq!(photo.url_for(400), "/photos/7/640.webp");
        assert_eq!(photo.url_for(2000), "/photos/7/1280.webp");
        let drawing = Picture { src: "/img/books.svg".into(), width: 320, height: 240 };
        assert_eq!(drawing.srcset(), None);
        assert_eq!(drawing.url_for(640), "/img/books.svg");
    }

    #[test]
    fn refusals_round_trip_through_their_codes() {
        for r in PhotoRefusal::ALL {
            assert_eq!(PhotoRefusal::parse(r.code()), Some(r));
            assert!(r.message().ends_with('.'));
            assert_eq!(r.message_in(Locale::en), r.message(), "the English page says what it always said");
            assert!(r.message_in(Locale::fr).ends_with('.'));
        }
        assert_eq!(PhotoRefusal::NotAnImage.status(), 415);
    }
}
