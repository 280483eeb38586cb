//! `--sweep`: a grid of runs, every combination of the swept flags' values times
//! `--repeat` seeds, on all cores (rayon), one CSV row per run. Each run's flags go
//! through the same parser as a single run's, so a sweep accepts exactly the values
//! a run does, and a bad one is refused before anything runs. A row is the run's
//! JSON summary ([`row`]).

use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::{Args, Summary};

/// One swept flag: `name=v1,v2,...`, the name as on the command line without `--`.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    name: String,
    values: Vec<String>,
}

impl std::str::FromStr for Axis {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (name, values) = text
            .split_once('=')
            .ok_or_else(|| format!("`{text}`: write a flag and its values, as nodes=100,1000"))?;
        let values: Vec<String> = values.split(',').map(|v| v.trim().to_owned()).collect();
        if name.is_empty() || values.iter().any(String::is_empty) {
            return Err(format!(
                "`{text}`: a flag name and values separated by commas"
            ));
        }
        if matches!(name, "seed" | "sweep" | "repeat" | "scenario") {
            return Err(format!(
                "`{name}` cannot be swept (seeds come from --seed and --repeat)"
            ));
        }
        Ok(Self {
            name: name.to_owned(),
            values,
        })
    }
}

/// A run's CSV row: its JSON summary's fields, in their order, but for the lists
/// (`members_over_time`, `captions`), which a row cannot hold. Derived from the
/// summary, so that a field added there is a column here.
fn row(summary: &Summary) -> Result<Vec<(String, String)>, String> {
    let serde_json::Value::Object(fields) =
        serde_json::to_value(summary).map_err(|e| e.to_string())?
    else {
        return Err("a summary is a JSON object".into());
    };
    Ok(fields
        .into_iter()
        .filter(|(_, value)| !value.is_array())
        .map(|(name, value)| {
            let text = match value {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            (name, text)
        })
        .collect())
}

/// Every run's arguments: `base` (the command line without the sweep's own flags),
/// then one value of each axis, then the seed.
fn grid(base: &[String], axes: &[Axis], seed: u64, repeat: u64) -> Result<Vec<Args>, String> {
    let mut combinations: Vec<Vec<String>> = vec![base.to_vec()];
    for axis in axes {
        combinations = combinations
            .into_iter()
            .flat_map(|argv| {
                axis.values.iter().map(move |value| {
                    let mut argv = argv.clone();
                    argv.extend([format!("--{}", axis.name), value.clone()]);
                    argv
                })
            })
            .collect();
    }
    combinations
        .into_iter()
        .flat_map(|argv| {
            (0..repeat).map(move |k| {
                let mut argv = argv.clone();
                argv.extend(["--seed".to_owned(), (seed + k).to_string()]);
                argv
            })
        })
        .map(|argv| {
            use clap::Parser;
            Args::try_parse_from(&argv).map_err(|e| {
                let text = e.to_string();
                let first = text.lines().next().unwrap_or_default();
                format!("in the sweep: {}", first.trim_start_matches("error: "))
            })
        })
        .collect()
}

/// Runs the sweep and returns the CSV text.
pub fn run(base: &[String], args: &Args, progress: &ProgressBar) -> Result<String, String> {
    if args.repeat == 0 {
        return Err("--repeat must be at least 1".into());
    }
    if args.seed.checked_add(args.repeat - 1).is_none() {
        return Err(format!(
            "--seed {} with --repeat {} runs past the largest seed",
            args.seed, args.repeat
        ));
    }
    let runs = grid(base, &args.sweep, args.seed, args.repeat)?;
    progress.set_length(runs.len() as u64);
    let rows: Vec<Vec<(String, String)>> = runs
        .par_iter()
        .map(|run| {
            let summary = crate::run(run, &ProgressBar::hidden());
            progress.inc(1);
            row(&summary?)
        })
        .collect::<Result<_, _>>()?;
    let mut csv = csv::Writer::from_writer(Vec::new());
    if let Some(first) = rows.first() {
        csv.write_record(first.iter().map(|(name, _)| name))
            .map_err(|e| e.to_string())?;
    }
    for row in &rows {
        csv.write_record(row.iter().map(|(_, value)| value))
            .map_err(|e| e.to_string())?;
    }
    let bytes = csv.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// The command line without the sweep's own flags, for each run to start from.
pub fn base_argv(argv: &[String]) -> Vec<String> {
    let mut base = Vec::new();
    let mut skip = false;
    for arg in argv {
        if std::mem::take(&mut skip) {
            continue;
        }
        let flag = arg.split('=').next().unwrap_or(arg);
        if matches!(flag, "--sweep" | "--repeat" | "--seed") {
            skip = !arg.contains('=');
            continue;
        }
        base.push(arg.clone());
    }
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_are_read_and_checked() {
        let axis: Axis = "nodes=10, 20".parse().unwrap();
        assert_eq!(axis.values, ["10", "20"]);
        assert!("nodes".parse::<Axis>().is_err());
        assert!("nodes=10,".parse::<Axis>().is_err());
        assert!("seed=1,2".parse::<Axis>().unwrap_err().contains("--repeat"));
    }

    #[test]
    fn the_grid_is_every_combination_times_the_seeds() {
        let base: Vec<String> = ["gossip-sim", "--rounds", "5"].map(String::from).to_vec();
        let axes = ["nodes=10,20", "fanout=1,2,3"].map(|a| a.parse::<Axis>().unwrap());
        let runs = grid(&base, &axes, 7, 2).unwrap();
        assert_eq!(runs.len(), 12);
        assert_eq!(
            (runs[0].nodes, runs[0].params.fanout, runs[0].seed),
            (10, Some(1), 7)
        );
        assert_eq!(
            (runs[1].nodes, runs[1].params.fanout, runs[1].seed),
            (10, Some(1), 8)
        );
        assert_eq!(
            (runs[11].nodes, runs[11].params.fanout, runs[11].seed),
            (20, Some(3), 8)
        );
        assert_eq!(runs[11].rounds, Some(5));
        let bad = ["loss=5,200"].map(|a| a.parse::<Axis>().unwrap());
        assert!(grid(&base, &bad, 0, 1).unwrap_err().contains("200"));
    }

    #[test]
    fn the_base_command_line_drops_the_sweeps_own_flags() {
        let argv = [
            "gossip-sim",
            "--sweep",
            "nodes=1,2",
            "--rounds",
            "5",
            "--seed=3",
            "--repeat",
            "2",
        ]
        .map(String::from);
        assert_eq!(base_argv(&argv), ["gossip-sim", "--rounds", "5"]);
    }
}
