//! Scenario files as the page reads them. In the browser each line goes through the
//! browser's own `JSON.parse` and then serde-wasm-bindgen, so the page carries no
//! JSON parser of its own (serde_json was a tenth of the wasm); natively, for the
//! unit tests, through serde_json. The format's checks are the same either way:
//! `gossip_scenario` makes them, and `web/tests/browser.rs` replays a scenario in
//! the browser against the native run and checks that errors name the same fields.

use gossip_scenario::{Scenario, ScenarioError};

/// Reads and checks a scenario file.
pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    #[cfg(target_arch = "wasm32")]
    return Scenario::parse_with(text, &browser::BrowserJson);
    #[cfg(not(target_arch = "wasm32"))]
    return Scenario::parse(text);
}

/// The message of a serde-wasm-bindgen error, which is a JS `Error` (its
/// `to_string` would prefix "Error: ").
pub(crate) fn serde_error_text(error: serde_wasm_bindgen::Error) -> String {
    js_sys::Error::from(wasm_bindgen::JsValue::from(error))
        .message()
        .into()
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use gossip_scenario::{LineError, LineReader};
    use js_sys::{Array, Object, Reflect};
    use serde::de::DeserializeOwned;
    use wasm_bindgen::{JsCast, JsValue};

    use super::serde_error_text;

    /// Reads one line with `JSON.parse`, naming the field of any error.
    pub struct BrowserJson;

    impl LineReader for BrowserJson {
        fn read<T: DeserializeOwned>(&self, text: &str) -> Result<T, LineError> {
            let line = js_sys::JSON::parse(text).map_err(|e| LineError {
                field: None,
                message: js_sys::Error::from(e).message().into(),
            })?;
            refuse_unknown_fields(&line, "")?;
            serde_wasm_bindgen::from_value(line.clone()).map_err(|e| LineError {
                field: blame::<T>(&line),
                message: serde_error_text(e),
            })
        }
    }

    /// The keys of `value` if it is a plain object (not an array).
    fn keys(value: &JsValue) -> Option<Array> {
        let plain = value.is_object() && !Array::is_array(value);
        plain.then(|| Object::keys(value.unchecked_ref::<Object>()))
    }

    /// serde-wasm-bindgen reads only a struct's own fields from a JS object, so
    /// `deny_unknown_fields` never sees a misspelt one: check the keys of the line
    /// and of each object in it against the format's fields.
    fn refuse_unknown_fields(value: &JsValue, path: &str) -> Result<(), LineError> {
        let (Some(known), Some(keys)) = (gossip_scenario::fields(path), keys(value)) else {
            return Ok(()); // not an object of the format: serde's type error says so
        };
        for key in keys {
            let key = key.as_string().unwrap_or_default();
            let field = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            if !known.contains(&key.as_str()) {
                return Err(LineError {
                    message: gossip_scenario::unknown_field(&key, known),
                    field: Some(field),
                });
            }
            if path.is_empty() {
                let inner = Reflect::get(value, &key.into()).unwrap_or_default();
                refuse_unknown_fields(&inner, &field)?;
            }
        }
        Ok(())
    }

    /// The field to blame for a line that does not read as `T`: serde-wasm-bindgen's
    /// errors carry no path. Every field of the format, in nested objects too, is
    /// optional and read independently of the others, so the culprit is the field
    /// that fails on its own: `{key: value}`, then within an object
    /// `{key: {inner: value}}`. None if no single field fails (the line is no object).
    fn blame<T: DeserializeOwned>(line: &JsValue) -> Option<String> {
        let fails = |value: &JsValue| serde_wasm_bindgen::from_value::<T>(value.clone()).is_err();
        for key in keys(line)? {
            let value = Reflect::get(line, &key).unwrap_or_default();
            if !fails(&only(&key, &value)) {
                continue;
            }
            let key = key.as_string().unwrap_or_default();
            for inner in keys(&value).into_iter().flatten() {
                let inner_value = Reflect::get(&value, &inner).unwrap_or_default();
                if fails(&only(&key.as_str().into(), &only(&inner, &inner_value))) {
                    let inner = inner.as_string().unwrap_or_default();
                    return Some(format!("{key}.{inner}"));
                }
            }
            return Some(key);
        }
        None
    }

    /// `{key: value}`.
    fn only(key: &JsValue, value: &JsValue) -> JsValue {
        let object = Object::new();
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&object, key, value);
        object.into()
    }
}
