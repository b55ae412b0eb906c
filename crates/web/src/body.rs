//! JSON response bodies written into one buffer of the right order of size.
//!
//! `axum::Json` writes its body through a `BytesMut` of 128 bytes that doubles as it fills:
//! a page of ten search hits with facets (15–25 KB) was copied eight times over, one small
//! write of `serde_json` at a time. Writing the answer was about a tenth of a search
//! request's instructions on the scale benchmark's 100k index; [`JsonBody`], which writes
//! into a `Vec` that starts at [`BODY_CAPACITY`], takes two fifths less.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::ApiError;

/// Bytes reserved for a body before it is written: a page of ten hits with facets fits.
const BODY_CAPACITY: usize = 32 * 1024;

/// A JSON response (`Content-Type: application/json`), as `axum::Json` gives, written into
/// one buffer of [`BODY_CAPACITY`] bytes to start with. A value that cannot be written as
/// JSON (never one of undex's answers) is a 500 [`ApiError::Internal`].
pub(crate) struct JsonBody<T>(pub(crate) T);

impl<T: Serialize> IntoResponse for JsonBody<T> {
    fn into_response(self) -> Response {
        let mut body = Vec::with_capacity(BODY_CAPACITY);
        match serde_json::to_writer(&mut body, &self.0) {
            Ok(()) => (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response(),
            Err(e) => {
                ApiError::Internal(format!("cannot write the answer as JSON: {e}")).into_response()
            }
        }
    }
}
