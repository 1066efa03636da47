//! What one build makes: for each language, one or more editions of the book.

use serde::Serialize;

/// The editions of a book: two PDFs, and a website from the same book data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Edition {
    /// Tagged PDF/A-2a + PDF/UA-1, for screens and screen readers: `<id>-<lang>.pdf`.
    Screen,
    /// 3 mm bleed (BleedBox), TrimBox, crop marks in the slug: `<id>-<lang>-print.pdf`.
    Print,
    /// A static, accessible website in `web/` (what a run made of it: [`crate::Site`]): every
    /// language in one site, laid out by the browser from the screen edition's data, never
    /// typeset.
    Web,
}

impl Edition {
    /// Every edition, in the order a build makes them (`--edition all`, `vlr release`).
    pub const ALL: [Edition; 3] = [Edition::Screen, Edition::Print, Edition::Web];

    pub fn name(self) -> &'static str {
        match self {
            Edition::Screen => "screen",
            Edition::Print => "print",
            Edition::Web => "web",
        }
    }

    /// Whether the edition is a PDF (typeset and exported), not the website.
    pub fn is_pdf(self) -> bool {
        self != Edition::Web
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
    /// document identifier (`<report id>-<lang>-web` names the website's pages of a language).
    pub fn stem(&self, report_id: &str) -> String {
        match self.edition {
            Edition::Screen => format!("{report_id}-{}", self.lang),
            Edition::Print => format!("{report_id}-{}-print", self.lang),
            Edition::Web => format!("{report_id}-{}-web", self.lang),
        }
    }
}
