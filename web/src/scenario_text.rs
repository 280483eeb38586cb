//! Scenario files as the page reads them. In the browser each line goes through the
//! browser's own `JSON.parse` and then serde-wasm-bindgen, so the page carries no
//! JSON parser of its own (serde_json was a tenth of the wasm); natively, for the
//! unit tests, through serde_json. The format's checks are the same either way:
//! `gossip_scenario` makes them, and `web/tests/browser.rs` replays a scenario in
//! the browser against the native run.

use gossip_scenario::{Scenario, ScenarioError};

/// Reads and checks a scenario file.
pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    #[cfg(target_arch = "wasm32")]
    return Scenario::parse_with(text, &BrowserJson);
    #[cfg(not(target_arch = "wasm32"))]
    return Scenario::parse(text);
}

/// Reads one line with `JSON.parse`, naming the field of any error.
#[cfg(target_arch = "wasm32")]
struct BrowserJson;

#[cfg(target_arch = "wasm32")]
impl gossip_scenario::LineReader for BrowserJson {
    fn read<T: serde::de::DeserializeOwned>(
        &self,
        text: &str,
    ) -> Result<T, gossip_scenario::LineError> {
        use gossip_scenario::LineError;
        let value = js_sys::JSON::parse(text).map_err(|e| LineError {
            field: None,
            message: js_sys::Error::from(e).message().into(),
        })?;
        refuse_unknown_fields(&value, "")?;
        serde_path_to_error::deserialize(serde_wasm_bindgen::Deserializer::from(value)).map_err(
            |e| {
                let path = e.path().to_string();
                LineError::at_path(path, serde_error_text(e.into_inner()))
            },
        )
    }
}

/// serde-wasm-bindgen reads only a struct's own fields from a JS object, so
/// `deny_unknown_fields` never sees a misspelt one: check the keys of the line and
/// of each object in it against the format's fields.
#[cfg(target_arch = "wasm32")]
fn refuse_unknown_fields(
    value: &wasm_bindgen::JsValue,
    path: &str,
) -> Result<(), gossip_scenario::LineError> {
    let Some(known) = gossip_scenario::fields(path) else {
        return Ok(());
    };
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Ok(()); // serde's own type error names it
    }
    use wasm_bindgen::JsCast;
    for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()) {
        let key = key.as_string().unwrap_or_default();
        let field = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        if !known.contains(&key.as_str()) {
            return Err(gossip_scenario::LineError {
                message: gossip_scenario::unknown_field(&key, known),
                field: Some(field),
            });
        }
        if path.is_empty() {
            let inner = js_sys::Reflect::get(value, &key.into()).unwrap_or_default();
            refuse_unknown_fields(&inner, &field)?;
        }
    }
    Ok(())
}

/// The message of a serde-wasm-bindgen error, which is a JS `Error` (its
/// `to_string` would prefix "Error: ").
pub(crate) fn serde_error_text(error: serde_wasm_bindgen::Error) -> String {
    js_sys::Error::from(wasm_bindgen::JsValue::from(error))
        .message()
        .into()
}
