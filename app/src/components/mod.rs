//! Reusable view pieces.

pub mod errors;
pub mod form;
pub mod lang;
pub mod layout;
pub mod order_actions;
pub mod product;
pub mod reviews;
pub mod room;
pub mod seller_texts;
pub mod shop_form;
