//! How one line's JSON becomes a serde value. The format's checks are the same
//! everywhere; only the JSON parser differs: serde_json natively ([`crate::SerdeJson`]),
//! the browser's own `JSON.parse` in the page, which then need not carry a second one.

use serde::de::DeserializeOwned;

/// Reads one line of a scenario file.
pub trait LineReader {
    /// Parses `text`, one JSON object, into `T`, naming the field of any error.
    /// A field the format does not have is an error (see [`crate::fields`]).
    fn read<T: DeserializeOwned>(&self, text: &str) -> Result<T, LineError>;
}

/// Why a line could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// The field to blame, as a path such as `link.loss`, when there is one.
    pub field: Option<String>,
    /// What is wrong, for a person to read.
    pub message: String,
}

impl LineError {
    /// An error at the field `path` as serde_path_to_error writes it, where "." is
    /// the line itself and "?" a place serde could not name.
    pub fn at_path(path: String, message: String) -> Self {
        let field = (path != "." && path != "?").then_some(path);
        Self { field, message }
    }
}
