//! The lab's style sheet. It ships inside the wasm and is added to the document once,
//! so that an instance mounted into any page (the JS API, the custom element) looks
//! the same as the app, and the host page's own styles are left alone: every rule is
//! scoped under `.gossip-lab`.

/// The rules, scoped under `.gossip-lab` (`.full` for the app, `.embed` compact).
/// A host page's own table styles (mdBook stripes its rows) are reset with a doubled
/// class, which outweighs `table tbody tr:nth-child(2n)`.
const CSS: &str = r#"
.gossip-lab { color-scheme: dark; font-family: system-ui, sans-serif; font-size: 15px; background: #0b1020; color: #e2e8f0; box-sizing: border-box; }
.gossip-lab *, .gossip-lab *::before, .gossip-lab *::after { box-sizing: inherit; }
.gossip-lab.gossip-lab :is(table, thead, tbody, tr, th, td) { background: none; color: inherit; border: 0; }
.gossip-lab.full { max-width: 1280px; margin: 0 auto; padding: .5rem 1rem 1rem; outline: none; display: grid; gap: .6rem 1.2rem;
grid-template-columns: minmax(0, 1fr) 19rem; grid-template-areas: "head head" "stage side" "message message" "charts charts" "inspector feed" "help help"; }
.gossip-lab.full > header { grid-area: head; display: flex; flex-wrap: wrap; align-items: baseline; gap: .2rem 1rem; }
.gossip-lab.full > .stage { grid-area: stage; min-width: 0; }
.gossip-lab.full > .side { grid-area: side; display: flex; flex-direction: column; gap: .6rem; min-width: 0; }
.gossip-lab.full > .charts { grid-area: charts; display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: .6rem; }
.gossip-lab.full > .inspector { grid-area: inspector; min-width: 0; }
.gossip-lab.full > .feed { grid-area: feed; min-width: 0; }
.gossip-lab.full > .message { grid-area: message; min-width: 0; }
.gossip-lab .swatch.key { background: #facc15; }
.gossip-lab .message .ahead { color: #fbbf24; } .gossip-lab .message .behind { color: #60a5fa; } .gossip-lab .message .unknown { color: #f87171; }
.gossip-lab .feed ol { list-style: none; padding: 0; margin: .2rem 0; max-height: 24rem; overflow: auto; font-size: .85rem; }
.gossip-lab .feed li { padding: .1rem 0; color: #94a3b8; }
.gossip-lab .feed li.important { color: #e2e8f0; }
.gossip-lab .feed button.link { text-align: left; color: inherit; }
.gossip-lab.full > .help { grid-area: help; }
.gossip-lab.full canvas { width: min(100%, calc(100vh - 11.5rem)); min-width: 0; margin: 0 auto; }
@media (max-width: 820px) { .gossip-lab.full { grid-template-columns: minmax(0, 1fr); grid-template-areas: "head" "stage" "side" "message" "charts" "feed" "inspector" "help"; padding: .4rem; }
.gossip-lab.full canvas { width: 100%; } }
.gossip-lab h1 { font-size: 1.3rem; margin: 0; }
.gossip-lab h2 { font-size: 1rem; margin: .2rem 0; }
.gossip-lab .lede { margin: 0; color: #94a3b8; }
.gossip-lab .controls { display: flex; flex-wrap: wrap; gap: .4rem .8rem; align-items: center; margin: .3rem 0; }
.gossip-lab .controls label { display: inline-flex; gap: .3rem; align-items: center; }
.gossip-lab input[type=range] { max-width: 8rem; }
.gossip-lab .setting:has(> input[type=file]) { flex-wrap: wrap; }
.gossip-lab input[type=file] { width: 100%; min-width: 0; }
.gossip-lab button { padding: .25rem .7rem; }
.gossip-lab button:focus-visible, .gossip-lab input:focus-visible, .gossip-lab select:focus-visible, .gossip-lab:focus-visible { outline: 2px solid #93c5fd; }
.gossip-lab .clock { font-variant-numeric: tabular-nums; color: #94a3b8; }
.gossip-lab a { color: #93c5fd; }
.gossip-lab .error { background: #7f1d1d; padding: .5rem; border-radius: 4px; margin: 0 0 .4rem; }
.gossip-lab .error ul, .gossip-lab .error p { margin: .2rem 0; }
.gossip-lab .caption { background: #1e293b; padding: .4rem .8rem; border-left: 4px solid #a78bfa; margin: 0 0 .4rem; }
.gossip-lab .caption p { margin: .2rem 0; }
.gossip-lab .side section, .gossip-lab fieldset { background: #111827; border: 1px solid #1e293b; border-radius: 6px; padding: .4rem .6rem; margin: 0; }
.gossip-lab .params { display: flex; flex-direction: column; gap: .5rem; background: none !important; border: 0 !important; padding: 0 !important; }
.gossip-lab legend { font-weight: 600; padding: 0 .3rem; }
.gossip-lab .setting { position: relative; display: flex; justify-content: space-between; align-items: center; gap: .5rem; margin: .2rem 0; }
.gossip-lab .setting input[type=number] { width: 6.5rem; }
.gossip-lab .setting select { max-width: 11rem; }
.gossip-lab .tip { display: none; position: absolute; z-index: 2; left: 0; right: 0; top: 100%; background: #1e293b; border: 1px solid #475569; border-radius: 4px; padding: .3rem .5rem; font-size: .8rem; color: #e2e8f0; }
.gossip-lab .setting:hover .tip, .gossip-lab .setting:focus-within .tip { display: block; }
.gossip-lab .help { background: #1e293b; padding: .8rem; border: 1px solid #475569; border-radius: 6px; }
.gossip-lab .help dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
.gossip-lab .help dd { margin: 0; }
.gossip-lab canvas { width: 100%; max-width: 720px; aspect-ratio: 1; display: block; cursor: pointer; }
.gossip-lab .drawn { color: #94a3b8; margin: .2rem 0; font-size: .85rem; text-align: center; min-height: 1.3em; }
.gossip-lab .legend { list-style: none; display: flex; flex-wrap: wrap; gap: .3rem 1rem; padding: 0; margin: .2rem 0; font-size: .9rem; }
.gossip-lab .swatch { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; border-radius: 50%; vertical-align: middle; }
.gossip-lab .swatch.dot { border-radius: 0; }
.gossip-lab .chart { margin: 0; background: #111827; padding: .5rem; border-radius: 6px; min-width: 0; }
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
.gossip-lab .hint { color: #94a3b8; font-size: .85rem; margin: .2rem 0; }
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
.gossip-lab.embed .controls { gap: .3rem .6rem; margin: 0; }
.gossip-lab.embed .legend, .gossip-lab.embed .drawn { font-size: 11px; }
.gossip-lab.embed .caption { padding: .2rem .5rem; margin: 0; }
.gossip-lab.embed .message, .gossip-lab.embed .ring-panel { flex: 0 1 auto; max-height: 45%; overflow: auto; font-size: 12px; }
.gossip-lab .timeline { display: flex; flex-wrap: wrap; gap: .2rem .8rem; align-items: center; margin: .3rem 0; font-size: .85rem; font-variant-numeric: tabular-nums; }
.gossip-lab .timeline .track { flex: 1 1 14rem; min-width: 10rem; }
.gossip-lab .timeline input[type=range] { width: 100%; max-width: none; margin: 0; }
.gossip-lab .marks { position: relative; height: .8rem; margin: 0 8px; }
.gossip-lab .mark { position: absolute; top: 0; width: 6px; height: .8rem; margin-left: -3px; padding: 0; border: 0; border-radius: 2px; background: #a78bfa; cursor: pointer; }
.gossip-lab .mark.down { background: #f87171; } .gossip-lab .mark.convicted { background: #fb923c; } .gossip-lab .mark.up { background: #4ade80; }
.gossip-lab .mark.split { background: #facc15; } .gossip-lab .mark.update { background: #38bdf8; } .gossip-lab .mark.fork { background: #fff; width: 3px; height: 1.1rem; top: -.3rem; }
.gossip-lab .timeline .when { min-width: 19ch; } .gossip-lab .timeline [data-action=live] { min-width: 5.5em; }
.gossip-lab .rewinding { color: #facc15; }
.gossip-lab.embed .timeline { margin: 0; font-size: 11px; }
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
