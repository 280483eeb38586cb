//! The lab's style sheet. It ships inside the wasm and is added to the document once,
//! so that an instance mounted into any page (the JS API, the custom element) looks
//! the same as the app, and the host page's own styles are left alone: every rule is
//! scoped under `.gossip-lab`.

/// The rules, scoped under `.gossip-lab` (`.full` for the app, `.embed` compact).
const CSS: &str = r#"
.gossip-lab { color-scheme: dark; font-family: system-ui, sans-serif; font-size: 15px; background: #0b1020; color: #e2e8f0; box-sizing: border-box; }
.gossip-lab.full { max-width: 1200px; margin: 0 auto; padding: 1rem; outline: none;
display: grid; gap: .6rem; grid-template-columns: minmax(0, 720px) minmax(0, 1fr); }
.gossip-lab.full > * { grid-column: 1 / -1; }
.gossip-lab.full > .stage { grid-column: 1; }
.gossip-lab.full > .charts { grid-column: 2; display: flex; flex-direction: column; gap: .5rem; }
@media (max-width: 900px) { .gossip-lab.full > .stage, .gossip-lab.full > .charts { grid-column: 1 / -1; } }
.gossip-lab h1 { font-size: 1.4rem; margin: 0; }
.gossip-lab h2 { font-size: 1.05rem; margin: .3rem 0; }
.gossip-lab .lede { margin: .2rem 0; color: #94a3b8; }
.gossip-lab .controls { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; }
.gossip-lab .controls label { display: inline-flex; gap: .3rem; align-items: center; }
.gossip-lab .controls input[type=number] { width: 5.5rem; }
.gossip-lab button { padding: .25rem .7rem; }
.gossip-lab button:focus-visible, .gossip-lab input:focus-visible, .gossip-lab select:focus-visible, .gossip-lab:focus-visible { outline: 2px solid #93c5fd; }
.gossip-lab .clock { font-variant-numeric: tabular-nums; color: #94a3b8; }
.gossip-lab a { color: #93c5fd; }
.gossip-lab .error { background: #7f1d1d; padding: .5rem; border-radius: 4px; }
.gossip-lab .error ul { margin: .2rem 0; }
.gossip-lab .caption { background: #1e293b; padding: .5rem .8rem; border-left: 4px solid #a78bfa; }
.gossip-lab .caption p { margin: .3rem 0; }
.gossip-lab .help { background: #1e293b; padding: .8rem; border: 1px solid #475569; border-radius: 6px; }
.gossip-lab .help dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
.gossip-lab .help dd { margin: 0; }
.gossip-lab canvas { width: 100%; max-width: 720px; aspect-ratio: 1; display: block; cursor: pointer; }
.gossip-lab .drawn { color: #94a3b8; margin: .2rem 0; font-size: .9rem; }
.gossip-lab .legend { list-style: none; display: flex; flex-wrap: wrap; gap: .3rem 1rem; padding: 0; margin: .2rem 0; }
.gossip-lab .swatch { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; border-radius: 50%; vertical-align: middle; }
.gossip-lab .swatch.dot { border-radius: 0; }
.gossip-lab .chart { margin: 0; background: #111827; padding: .5rem; border-radius: 6px; }
.gossip-lab .chart figcaption { font-size: .9rem; margin-bottom: .3rem; }
.gossip-lab .chart svg { width: 100%; height: auto; }
.gossip-lab .chart text { fill: #94a3b8; font-size: 10px; }
.gossip-lab .axis { stroke: #475569; }
.gossip-lab polyline { fill: none; stroke-width: 2; }
.gossip-lab .measured { stroke: #a78bfa; background: #a78bfa; }
.gossip-lab .theory { stroke: #e2e8f0; stroke-dasharray: 4 3; background: #e2e8f0; }
.gossip-lab .serf { stroke: #fb923c; stroke-dasharray: 1 3; background: #fb923c; }
.gossip-lab .numbers { font-variant-numeric: tabular-nums; font-size: .85rem; }
.gossip-lab .numbers td, .gossip-lab .numbers th { padding: 0 .4rem; text-align: right; }
.gossip-lab .hint { color: #94a3b8; font-size: .9rem; }
.gossip-lab .table-scroll { max-height: 24rem; overflow: auto; }
.gossip-lab .inspector table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: .85rem; }
.gossip-lab .inspector th button { background: none; border: 0; color: #93c5fd; cursor: pointer; }
.gossip-lab .inspector td { padding: .1rem .6rem; text-align: right; }
.gossip-lab .inspector tr[data-status=dead] { color: #f87171; }
.gossip-lab .inspector tr[data-status=suspect] { color: #fb923c; }
.gossip-lab button.link { background: none; border: 0; color: #93c5fd; cursor: pointer; padding: 0; }
.gossip-lab .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.gossip-lab.embed { display: flex; flex-direction: column; gap: .3rem; width: 100%; height: 100%; padding: .3rem; outline: none; font-size: 13px; }
.gossip-lab.embed .stage { flex: 1; min-height: 0; display: flex; flex-direction: column; }
.gossip-lab.embed canvas { flex: 1; min-height: 0; width: 100%; height: 100%; object-fit: contain; max-width: none; aspect-ratio: auto; }
.gossip-lab.embed .controls { gap: .3rem .6rem; }
.gossip-lab.embed .legend, .gossip-lab.embed .drawn { font-size: 11px; }
.gossip-lab.embed .caption { padding: .2rem .5rem; }
"#;

/// The id of the `<style>` element, so that it is added only once per document.
const STYLE_ID: &str = "gossip-lab-style";

/// Adds the style sheet to the document's head, unless it is there already.
pub fn inject() {
    let document = gloo::utils::document();
    if document.get_element_by_id(STYLE_ID).is_some() {
        return;
    }
    if let (Ok(style), Some(head)) = (document.create_element("style"), document.head()) {
        style.set_id(STYLE_ID);
        style.set_text_content(Some(CSS));
        let _ = head.append_child(&style);
    }
}
