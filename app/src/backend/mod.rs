//! Everything that runs only on the server: state, auth, SQL, services, live hub.

pub mod auth;
pub mod catalog_csv;
pub mod clock;
pub mod db;
pub mod drafts;
pub mod errors;
pub mod limits;
pub mod live;
pub mod passwords;
pub mod photos;
pub mod search;
pub mod seed;
pub mod services;
pub mod session_store;
pub mod state;
pub mod web;

pub use errors::internal;
pub use state::{app_state, AppState, Settings};
