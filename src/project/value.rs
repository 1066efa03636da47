//! The value types of the project's data, below both ways of writing it (`data/*.toml` and the
//! CSV/XLSX tables beside it): a value or its absence, where it stands, and its hedge.

use serde::Deserialize;

pub use crate::numbers::Num;

/// Where a value stands: printed in the published report, worked out from figures it prints
/// (a difference, a base year from a growth rate), printed there but unclear (a smudged or
/// ambiguous figure), or lost (`pending`: no number at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Reported,
    Derived,
    Uncertain,
    Pending,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Reported, Status::Derived, Status::Uncertain, Status::Pending];

    pub fn name(self) -> &'static str {
        match self {
            Status::Reported => "reported",
            Status::Derived => "derived",
            Status::Uncertain => "uncertain",
            Status::Pending => "pending",
        }
    }

    /// The status named `s` as data files write it (`derived`).
    pub fn parse(s: &str) -> Option<Status> {
        Self::ALL.into_iter().find(|st| st.name() == s)
    }

    /// Every status's name, in order.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|s| s.name()).collect()
    }

    /// The mark a value of this status carries wherever it prints (tile, sentence, chart,
    /// appendix); the appendix and the editorial note say what it means.
    pub fn mark(self) -> Option<&'static str> {
        match self {
            Status::Derived => Some("†"),
            Status::Uncertain => Some("‡"),
            Status::Reported | Status::Pending => None,
        }
    }
}

/// What one year of a series says about itself when it differs from its indicator.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PointInfo {
    pub status: Option<Status>,
    pub qualifier: Option<Qualifier>,
}

/// A value or the mark that the source lost it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Known(Num),
    Pending,
}

/// The hedges a value may carry ("about 424,000"); each prints with the pack's word for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Qualifier {
    About,
    Over,
    Nearly,
    AtLeast,
    AtMost,
    Under,
}

impl Qualifier {
    const ALL: [(&'static str, Qualifier); 6] = [
        (Self::ALL_NAMES[0], Qualifier::About),
        (Self::ALL_NAMES[1], Qualifier::Over),
        (Self::ALL_NAMES[2], Qualifier::Nearly),
        (Self::ALL_NAMES[3], Qualifier::AtLeast),
        (Self::ALL_NAMES[4], Qualifier::AtMost),
        (Self::ALL_NAMES[5], Qualifier::Under),
    ];

    pub(super) fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, q)| *q)
    }

    /// Every qualifier's name, as data files write it.
    pub const ALL_NAMES: [&'static str; 6] = ["about", "over", "nearly", "at least", "at most", "under"];

    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(_, q)| *q == self).map_or("", |(n, _)| n)
    }

    pub(super) fn names() -> String {
        Self::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    }
}

/// The largest magnitude a value may have: beyond it a number no longer fits a tile or a line
/// of text, and floating point stops being exact.
const MAX_MAGNITUDE: f64 = 1e15;
/// The smallest non-zero magnitude: smaller values print as a long run of zeros.
const MIN_MAGNITUDE: f64 = 1e-6;

/// Why a written value is not one vlr can print.
pub(super) enum NotANumber {
    Type,
    TooLarge,
    TooSmall,
}

pub(super) fn num_or_pending(v: &toml::Value) -> Result<Value, NotANumber> {
    let n = match v {
        toml::Value::Integer(i) => Num::Int(*i),
        toml::Value::Float(f) if f.is_finite() => Num::Float(*f),
        toml::Value::String(s) if s == "pending" => return Ok(Value::Pending),
        _ => return Err(NotANumber::Type),
    };
    let magnitude = n.as_f64().abs();
    if magnitude >= MAX_MAGNITUDE {
        Err(NotANumber::TooLarge)
    } else if magnitude != 0.0 && magnitude < MIN_MAGNITUDE {
        Err(NotANumber::TooSmall)
    } else {
        Ok(Value::Known(n))
    }
}
