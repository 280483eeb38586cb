//! Lines read with serde_json, as `gossip-sim` and the tests do.

use serde::de::DeserializeOwned;

use crate::reader::{LineError, LineReader};

/// The native JSON reader.
#[derive(Debug, Clone, Copy, Default)]
pub struct SerdeJson;

impl LineReader for SerdeJson {
    fn read<T: DeserializeOwned>(&self, text: &str) -> Result<T, LineError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let value = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| LineError::at_path(e.path().to_string(), message(e.inner())))?;
        de.end().map_err(|e| LineError {
            field: None,
            message: message(&e),
        })?;
        Ok(value)
    }
}

/// serde_json puts the position at the end of its message; the line is the
/// caller's to give (each is parsed alone), so only the column is kept.
fn message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&suffix) {
        Some(message) if error.column() > 0 => format!("{message} (column {})", error.column()),
        Some(message) => message.to_owned(),
        None => text,
    }
}
