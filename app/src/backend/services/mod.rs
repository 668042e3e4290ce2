//! Operations that need a transaction or touch several tables.

pub mod accounts;
pub mod cart;
pub mod checkout;
pub mod disputes;
pub mod earnings;
pub mod inventory;
pub mod mail;
pub mod notices;
pub mod orders;
pub mod reviews;
pub mod shops;
pub mod threads;
