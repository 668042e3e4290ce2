//! Reusable view pieces.

pub mod errors;
pub mod form;
pub mod layout;
pub mod product;
