//! The user's actions in a link: short enough for a URL (`run=c5t12000-ht30000`),
//! read back exactly. Each action is a letter, its argument, `t` and its time in
//! simulated ms; actions are joined by `-`. The letters: `c` crash, `r` restart,
//! `l` leave, `u` update (a node id each), `j` join (how many), `p` partition
//! (the ids of one side, joined by `.`; the rest form the other), `h` heal.

use gossip_core::{Millis, NodeId};
use gossip_scenario::{Action, MAX_AT_SECONDS};

/// The longest run code a link carries; past it, the run is saved as a file.
pub const MAX_CODE_CHARS: usize = 1_800;

/// The code of these actions, or `None` if one cannot be written in a link (only
/// the actions a user makes on the page can).
pub fn encode<'a>(actions: impl Iterator<Item = (Millis, &'a Action)>) -> Option<String> {
    let mut items = Vec::new();
    for (at, action) in actions {
        let what = match action {
            Action::Crash(n) => format!("c{}", n.0),
            Action::Restart(n) => format!("r{}", n.0),
            Action::Leave(n) => format!("l{}", n.0),
            Action::Update(n) => format!("u{}", n.0),
            Action::Join(count) => format!("j{count}"),
            Action::Partition(groups) if groups.len() == 1 => {
                let ids: Vec<String> = groups[0].iter().map(|n| n.0.to_string()).collect();
                format!("p{}", ids.join("."))
            }
            Action::Heal => "h".to_owned(),
            _ => return None,
        };
        items.push(format!("{what}t{at}"));
    }
    Some(items.join("-"))
}

/// The actions of a code, for a cluster of `nodes` nodes at the start that may grow
/// to `most`: every id must exist when its action comes, and times go in order.
pub fn decode(code: &str, nodes: u32, most: u32) -> Result<Vec<(Millis, Action)>, String> {
    let mut actions = Vec::new();
    let mut nodes = nodes;
    let mut last = 0;
    for item in code.split('-').filter(|i| !i.is_empty()) {
        let bad = |why: &str| format!("`{item}`: {why}");
        let (what, at) = item
            .rsplit_once('t')
            .ok_or_else(|| bad("no time (`t` and ms)"))?;
        let at: Millis = at.parse().map_err(|_| bad("the time is not whole ms"))?;
        if at < last || at as f64 > MAX_AT_SECONDS * 1000.0 {
            return Err(bad("times go in order, within 30 days"));
        }
        last = at;
        let mut chars = what.chars();
        let kind = chars.next().ok_or_else(|| bad("no action"))?;
        let arg = chars.as_str();
        let id = || match arg.parse::<u32>() {
            Ok(id) if id < nodes => Ok(NodeId(id)),
            _ => Err(bad(&format!("no node `{arg}` among {nodes}"))),
        };
        let action = match kind {
            'c' => Action::Crash(id()?),
            'r' => Action::Restart(id()?),
            'l' => Action::Leave(id()?),
            'u' => Action::Update(id()?),
            'j' => {
                let count = arg
                    .parse::<u32>()
                    .ok()
                    .filter(|&c| c >= 1 && nodes.saturating_add(c) <= most)
                    .ok_or_else(|| bad(&format!("join 1 to {} nodes", most - nodes)))?;
                nodes += count;
                Action::Join(count)
            }
            'p' => {
                let side = arg
                    .split('.')
                    .map(|i| i.parse::<u32>().ok().filter(|&i| i < nodes).map(NodeId))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| bad("a side is node ids joined by `.`"))?;
                Action::Partition(vec![side])
            }
            'h' if arg.is_empty() => Action::Heal,
            _ => return Err(bad("not an action (c, r, l, u, j, p or h)")),
        };
        actions.push((at, action));
    }
    Ok(actions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_action_round_trips() {
        let actions = vec![
            (0, Action::Update(NodeId(3))),
            (1_500, Action::Crash(NodeId(4))),
            (2_000, Action::Join(1)),
            (2_000, Action::Restart(NodeId(10))),
            (9_999, Action::Partition(vec![vec![NodeId(0), NodeId(7)]])),
            (12_000, Action::Heal),
            (13_000, Action::Leave(NodeId(2))),
        ];
        let code = encode(actions.iter().map(|(at, a)| (*at, a))).unwrap();
        assert_eq!(
            code,
            "u3t0-c4t1500-j1t2000-r10t2000-p0.7t9999-ht12000-l2t13000"
        );
        assert_eq!(decode(&code, 10, 20), Ok(actions));
        assert_eq!(decode("", 10, 20), Ok(Vec::new()));
    }

    #[test]
    fn a_bad_code_says_which_action_and_why() {
        for (code, why) in [
            ("c4", "`c4`: no time"),
            ("c4tx", "`c4tx`: the time is not whole ms"),
            ("c4t9-c5t8", "`c5t8`: times go in order"),
            ("c10t1", "`c10t1`: no node `10` among 10"),
            ("r10t1-j1t0", "`r10t1`: no node `10`"),
            ("j11t5", "`j11t5`: join 1 to 10 nodes"),
            ("p1.xt5", "`p1.xt5`: a side is node ids"),
            ("x1t5", "`x1t5`: not an action"),
            ("h3t5", "`h3t5`: not an action"),
            ("t5", "`t5`: no action"),
        ] {
            let error = decode(code, 10, 20).unwrap_err();
            assert!(error.starts_with(why), "{code}: {error}");
        }
        let grown = decode("j2t5-c11t6", 10, 20).unwrap();
        assert_eq!(grown[1], (6, Action::Crash(NodeId(11))), "ids a join made");
    }
}
