//! Live mode: the page on a real cluster (`gossip-node cluster --serve`), named by
//! `live=ws://HOST:PORT` in the URL, `mount()`'s options or `<gossip-lab>`'s
//! attributes. The wasm only routes: the live view is `web/live.js`, a module
//! loaded when live mode is asked for, so that it costs the page nothing until
//! then. It draws the real nodes and, beside them, mounts a simulated lab of the
//! same setup through the JS API.
//!
//! `live` is read beside the settings table, as `run` is: the table's values are
//! numbers and fixed names, and an address is neither.

use wasm_bindgen::prelude::*;

/// The parameter and option that asks for live mode.
pub const OPTION: &str = "live";

/// The guide's line for it, under the settings table.
pub const HELP: &str = "Watch and drive a real cluster: the WebSocket address `gossip-node \
cluster --serve` prints, such as `ws://127.0.0.1:7070`. The page then shows the real nodes, \
and can run their simulation beside them.";

/// Checks a live address: `ws://` or `wss://` and a host, nothing a page could
/// mistake for something else.
pub fn address(text: &str) -> Result<String, String> {
    let rest = text
        .strip_prefix("ws://")
        .or_else(|| text.strip_prefix("wss://"))
        .ok_or_else(|| format!("`{text}` is not a WebSocket address (ws://HOST:PORT)"))?;
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("`{text}` has no host, or has spaces"));
    }
    Ok(text.to_owned())
}

#[wasm_bindgen(inline_js = "
export function openLive(element, url) {
  const view = import(new URL('../../live.js', import.meta.url));
  view.then((m) => m.open(element, url)).catch((e) => {
    element.textContent = `gossip-lab: live mode did not load: ${e}`;
  });
  return { destroy: () => view.then((m) => m.close(element)) };
}")]
extern "C" {
    /// Loads `live.js` (beside the page, two folders above wasm-bindgen's snippet)
    /// and opens the live view of `url` in `element`; returns a handle whose
    /// `destroy()` closes it.
    #[wasm_bindgen(js_name = openLive)]
    fn open_live(element: &web_sys::Element, url: &str) -> JsValue;
}

/// Opens the live view of `url` in `element`, with the lab's style sheet.
pub fn open(element: &web_sys::Element, url: &str) -> JsValue {
    crate::styles::inject();
    open_live(element, url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_address_is_a_websocket_with_a_host() {
        assert!(address("ws://127.0.0.1:7070").is_ok());
        assert!(address("wss://lab.example/live").is_ok());
        for bad in [
            "http://127.0.0.1:7070",
            "ws://",
            "ws:// x",
            "127.0.0.1:7070",
            "",
        ] {
            assert!(address(bad).is_err(), "{bad}");
        }
        let query = "?nodes=3&live=ws%3A%2F%2F127.0.0.1%3A7070";
        let given = crate::settings::param(query, OPTION);
        assert_eq!(given.as_deref(), Some("ws://127.0.0.1:7070"));
    }
}
