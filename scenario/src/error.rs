//! Why a scenario was refused, naming the line and the field.

use std::fmt;

/// A problem with a scenario file, where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// The line, from 1; 0 for the file as a whole.
    pub line: usize,
    /// The field, as a path such as `link.loss`, when one field is to blame.
    pub field: Option<String>,
    /// What is wrong, for a person to read.
    pub message: String,
}

impl ScenarioError {
    /// A problem with one field of one line.
    pub(crate) fn at(line: usize, field: &str, message: impl Into<String>) -> Self {
        Self {
            line,
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }

    /// A problem with the file as a whole.
    pub(crate) fn whole(message: &str) -> Self {
        Self {
            line: 0,
            field: None,
            message: message.to_owned(),
        }
    }

    /// A line that could not be read.
    pub(crate) fn from_line(line: usize, error: crate::LineError) -> Self {
        Self {
            line,
            field: error.field,
            message: error.message,
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, &self.field) {
            (0, _) => write!(f, "scenario: {}", self.message),
            (line, Some(field)) => write!(f, "line {line}, field `{field}`: {}", self.message),
            (line, None) => write!(f, "line {line}: {}", self.message),
        }
    }
}

impl std::error::Error for ScenarioError {}
