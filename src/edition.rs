//! What one build makes: for each language, one or both editions of the book.

use serde::Serialize;

/// The two editions of a book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Edition {
    /// Tagged PDF/A-2a + PDF/UA-1, for screens and screen readers: `<id>-<lang>.pdf`.
    Screen,
    /// 3 mm bleed (BleedBox), TrimBox, crop marks in the slug: `<id>-<lang>-print.pdf`.
    Print,
}

impl Edition {
    pub const ALL: [Edition; 2] = [Edition::Screen, Edition::Print];

    pub fn name(self) -> &'static str {
        match self {
            Edition::Screen => "screen",
            Edition::Print => "print",
        }
    }
}

/// One PDF to make: a language in an edition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Target {
    pub lang: String,
    pub edition: Edition,
}

impl Target {
    /// `<report id>-<lang>` (screen) or `<report id>-<lang>-print`: the PDF's file stem and
    /// document identifier.
    pub fn stem(&self, report_id: &str) -> String {
        match self.edition {
            Edition::Screen => format!("{report_id}-{}", self.lang),
            Edition::Print => format!("{report_id}-{}-print", self.lang),
        }
    }
}
