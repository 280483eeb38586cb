//! The inspector: the selected node's view of the cluster as a sortable table. Its
//! rows are plain data built by [`rows`] (tested natively); the [`Inspector`]
//! component only renders them.

use gossip_core::{NodeId, Reachability};
use gossip_heartbeat::Status;
use gossip_heartbeat::state::{Generation, Version};
use yew::prelude::*;

use crate::components::{Control, LabRef};
use crate::model::{Lab, LabAction};
use crate::view::Column;

/// The most rows rendered; a sorted prefix of a larger view.
pub const MAX_ROWS: usize = 50;

/// One endpoint as the selected node sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The endpoint.
    pub endpoint: NodeId,
    /// Its generation.
    pub generation: Generation,
    /// Its heartbeat version.
    pub heartbeat: Version,
    /// `self`, `alive`, `suspect` or `dead`, then its STATUS if not normal.
    pub status: String,
    /// Phi; 0 for the node itself.
    pub phi: f64,
    /// Seconds since this node last heard it advance; none before it ever did here
    /// (the node itself, or an endpoint known since a converged start).
    pub age_s: Option<f64>,
    /// Its tokens on the ring.
    pub tokens: usize,
}

/// The selected node's rows, sorted by `by` (ascending or not), at most
/// [`MAX_ROWS`]; and how many rows there are in all.
pub fn rows(lab: &Lab, by: Column, ascending: bool) -> (Vec<Row>, usize) {
    let sim = lab.sim();
    let Some(node) = sim.nodes().get(lab.selected().0 as usize) else {
        return (Vec::new(), 0);
    };
    let now = sim.now();
    let rows: Vec<Row> = node
        .view()
        .iter()
        .map(|(id, state)| {
            let (look, phi) = match node.reachability(id, now) {
                None => ("self", 0.0),
                Some((Reachability::Unheard, phi)) => ("not heard yet", phi),
                Some((Reachability::Alive, phi)) => ("alive", phi),
                Some((Reachability::Suspect, phi)) => ("suspect", phi),
                Some((Reachability::Dead, phi)) => ("dead", phi),
            };
            let status = match state.status() {
                Some(Status::Normal) | None => look.to_owned(),
                Some(other) => format!("{look}, {}", other.name()),
            };
            Row {
                endpoint: id,
                generation: state.generation(),
                heartbeat: state.heartbeat(),
                status,
                phi,
                age_s: node
                    .view()
                    .detector(id)
                    .and_then(|d| d.silence(now))
                    .map(|silence| silence as f64 / 1000.0),
                tokens: state.tokens().len(),
            }
        })
        .collect();
    let total = rows.len();
    // Sorted as (key, endpoint) pairs: endpoints are unique and break every tie, and
    // a plain `sort_unstable` of `(u64, NodeId)` is the one the ring's tokens use, so
    // the page carries one copy of the sort (each costs it about 1.2 KB).
    let mut order: Vec<(u64, NodeId)> = rows
        .iter()
        .map(|row| (sort_key(row, by), row.endpoint))
        .collect();
    order.sort_unstable();
    if !ascending {
        order.reverse();
    }
    let mut at = vec![
        usize::MAX;
        rows.iter()
            .map(|r| r.endpoint.0 as usize + 1)
            .max()
            .unwrap_or(0)
    ];
    for (i, row) in rows.iter().enumerate() {
        at[row.endpoint.0 as usize] = i;
    }
    let mut slots: Vec<Option<Row>> = rows.into_iter().map(Some).collect();
    let rows: Vec<Row> = order
        .iter()
        .take(MAX_ROWS)
        .filter_map(|&(_, id)| slots.get_mut(at[id.0 as usize])?.take())
        .collect();
    (rows, total)
}

/// `row`'s place in `column`'s order, as a number: numbers as they are, floats by
/// their total order, the status by its first eight bytes (the first word decides:
/// self, alive, suspect, dead).
fn sort_key(row: &Row, column: Column) -> u64 {
    let float = |x: f64| {
        let bits = x.to_bits();
        if bits >> 63 == 1 {
            !bits
        } else {
            bits | 1 << 63
        }
    };
    match column {
        Column::Endpoint => u64::from(row.endpoint.0),
        Column::Generation => u64::from(row.generation),
        Column::Heartbeat => u64::from(row.heartbeat),
        Column::Status => {
            let mut bytes = [0; 8];
            let text = row.status.as_bytes();
            let n = text.len().min(8);
            bytes[..n].copy_from_slice(&text[..n]);
            u64::from_be_bytes(bytes)
        }
        Column::Phi => float(row.phi),
        // Never heard from sorts as the oldest.
        Column::Age => row.age_s.map_or(u64::MAX, float),
        Column::Tokens => row.tokens as u64,
    }
}

/// Phi as the table shows it: never below zero, and never `-0.00`.
pub fn phi_text(phi: f64) -> String {
    // max(0.0) may keep a negative zero; adding a positive zero turns it positive.
    format!("{:.2}", phi.max(0.0) + 0.0)
}

/// The inspector's properties.
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// The lab.
    pub lab: LabRef,
    /// The column sorted by, and whether ascending.
    pub sort: (Column, bool),
    /// Sort requests and row selections go here.
    pub on_control: Callback<Control>,
}

/// The table, with a sort button in each header.
#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let lab = props.lab.lab.borrow();
    let (by, ascending) = props.sort;
    let (rows, total) = rows(&lab, by, ascending);
    let selected = lab.selected().0;
    let header = |column: Column| {
        let sort = if column != by {
            "none"
        } else if ascending {
            "ascending"
        } else {
            "descending"
        };
        let on_sort = props
            .on_control
            .reform(move |_: MouseEvent| Control::Act(LabAction::Sort(column)));
        html! {
            <th aria-sort={sort}>
                <button data-sort={column.title()} onclick={on_sort}>{ column.title() }</button>
            </th>
        }
    };
    html! {
        <section class="inspector" aria-labelledby="inspector-title">
            <h2 id="inspector-title">
                { format!("Node {selected}'s view ({total} endpoints{})",
                    if total > rows.len() { format!(", first {}", rows.len()) } else { String::new() }) }
            </h2>
            <div class="table-scroll">
                <table data-inspector={selected.to_string()}>
                    <thead><tr>{ for Column::ALL.into_iter().map(header) }</tr></thead>
                    <tbody>
                        { for rows.into_iter().map(|row| {
                            let id = row.endpoint;
                            let on_select = props.on_control.reform(move |_: MouseEvent| Control::Select(id));
                            let look = row.status.split(',').next().unwrap_or("").to_owned();
                            html! {
                                <tr data-endpoint={id.0.to_string()} data-status={look}>
                                    <td><button class="link" onclick={on_select}>{ id.0 }</button></td>
                                    <td>{ row.generation }</td>
                                    <td>{ row.heartbeat }</td>
                                    <td>{ row.status }</td>
                                    <td>{ phi_text(row.phi) }</td>
                                    <td>{ row.age_s.map_or_else(|| "–".to_owned(), |age| format!("{age:.1}")) }</td>
                                    <td>{ row.tokens }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LabAction;
    use crate::settings::Settings;

    /// 12 nodes at speed 100: node 4 undergoes `action`, then node 0 is selected and
    /// `frames` frames of 100 ms pass.
    fn after(action: LabAction, frames: usize) -> Lab {
        // The tuned profile convicts within the 30 s these tests play.
        let mut settings = Settings {
            nodes: 12,
            ..Settings::default()
        };
        settings.take_profile(gossip_heartbeat::Profile::Tuned);
        let mut lab = Lab::new(settings, true);
        lab.apply(LabAction::SetSpeed(100.0));
        lab.apply(LabAction::Frame(100.0));
        lab.apply(LabAction::Select(NodeId(4)));
        lab.apply(action);
        lab.apply(LabAction::Select(NodeId(0)));
        for _ in 0..frames {
            lab.apply(LabAction::Frame(100.0));
        }
        lab
    }

    #[test]
    fn rows_show_the_selected_view_sorted_and_a_crash_as_dead() {
        let lab = after(LabAction::Crash, 3);
        let (by_id, total) = rows(&lab, Column::Endpoint, true);
        assert_eq!((by_id.len(), total), (12, 12));
        assert_eq!(by_id[0].status, "self");
        assert_eq!(by_id[4].status, "dead");
        assert!(by_id[4].phi > 8.0 && by_id[4].age_s.is_some_and(|age| age > 15.0));
        assert_eq!(by_id[1].tokens, 4);
        let (by_phi, _) = rows(&lab, Column::Phi, false);
        assert_eq!(by_phi[0].endpoint, NodeId(4), "highest phi first");
        let (descending, _) = rows(&lab, Column::Endpoint, false);
        assert_eq!(descending[0].endpoint, NodeId(11));
    }

    #[test]
    fn phi_is_never_shown_negative() {
        assert_eq!(phi_text(-0.0), "0.00");
        assert_eq!(phi_text(-0.001), "0.00");
        assert_eq!(phi_text(8.456), "8.46");
    }

    #[test]
    fn a_leaving_node_shows_its_status_after_its_reachability() {
        let lab = after(LabAction::Leave, 1);
        let (by_id, _) = rows(&lab, Column::Endpoint, true);
        assert!(
            by_id[4].status.ends_with(", left"),
            "got {:?}",
            by_id[4].status
        );
    }
}
