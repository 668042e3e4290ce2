//! Browser side of real-time features (order events, dispute rooms) arrives with live tracking.
