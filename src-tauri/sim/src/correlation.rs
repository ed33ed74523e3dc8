//! The correlation id of a request: marketplace responses and errors carry it.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// The correlation id of this request (marketplace responses and errors carry it).
#[derive(Clone)]
pub(crate) struct Corr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Corr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Corr>()
            .cloned()
            .unwrap_or_else(|| Corr("a8n-00000000-0000-0000-0000-000000000000".into())))
    }
}
