//! Pure types and rules shared by server and browser: no I/O here.

pub mod catalog;
pub mod checkout;
pub mod deadlines;
pub mod dispute;
pub mod earnings;
pub mod ids;
pub mod inventory;
pub mod live;
pub mod locale;
pub mod money;
pub mod notification;
pub mod order;
pub mod photo;
pub mod review;
pub mod room;
pub mod room_note;
pub mod search;
pub mod shop;
pub mod text;
pub mod thread;
pub mod user;

pub use ids::*;
pub use money::Money;
