//! Fonts for the World and for `--emit-typst`, and the check that every printed character has one.
//!
//! Order matters: Typst takes the first face of a family it finds. The bundled Noto Sans
//! (from crates.io, so a fresh machine builds the English edition) comes first, then Typst's
//! own fonts, then `--font-path` folders, then the system's (e.g. Noto CJK from Debian).

use std::path::PathBuf;

use typst::foundations::Bytes;
use typst::text::Font;
use typst_kit::fonts::{self, FontStore};

use crate::diag::{Diagnostic, Diagnostics};
use crate::project::Pack;

pub fn bundled() -> impl Iterator<Item = (Font, typst::text::FontInfo)> {
    [notosans::REGULAR_TTF, notosans::BOLD_TTF, notosans::ITALIC_TTF, notosans::BOLD_ITALIC_TTF]
        .into_iter()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .map(|f| {
            let info = f.info().clone();
            (f, info)
        })
}

/// All fonts: bundled, Typst's, `--font-path` folders and (if `system`) the system's.
pub fn store(font_paths: &[PathBuf], system: bool) -> FontStore {
    let mut store = FontStore::new();
    store.extend(bundled());
    store.extend(fonts::embedded());
    for dir in font_paths {
        store.extend(fonts::scan(dir));
    }
    if system {
        store.extend(fonts::system());
    }
    store
}

/// Every character the edition prints must be in some font the build has: Typst would print
/// a missing one as an empty box ("tofu"). The characters (from [`uncovered`]) are found in
/// the pack files so the error can point at them: one error per file names the characters,
/// where the first occurs, and the fix.
pub fn report_uncovered(diags: &mut Diagnostics, packs: &[&Pack], missing: Vec<char>) {
    use std::collections::BTreeMap;
    if missing.is_empty() {
        return;
    }
    // Group by the first pack file (requested language first) whose text has the character.
    let mut by_file: BTreeMap<std::path::PathBuf, Vec<(usize, char)>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for c in missing {
        let place = packs
            .iter()
            .flat_map(|p| p.files.values())
            .find_map(|pf| diags.sources.get(&pf.path).and_then(|t| t.find(c)).map(|i| (pf.path.clone(), i)));
        match place {
            Some((path, i)) => by_file.entry(path).or_default().push((i, c)),
            None => unplaced.push(c),
        }
    }
    let fonts = packs.first().map(|p| p.meta.fonts.join(", ")).unwrap_or_default();
    let wanted = if fonts.is_empty() { String::new() } else { format!(" (the pack asks for {fonts})") };
    let hint = format!(
        "install a font that has them{wanted}: on Debian `apt-get install fonts-noto-cjk`, or pass --font-path DIR"
    );
    let describe = |cs: &[char]| {
        let shown: Vec<String> = cs.iter().take(12).map(|c| format!("{c} (U+{:04X})", *c as u32)).collect();
        let more = if cs.len() > 12 { format!(" and {} more", cs.len() - 12) } else { String::new() };
        format!("no available font has {}{more}", shown.join(", "))
    };
    for (path, mut found) in by_file {
        found.sort();
        let (first, c) = found[0];
        let cs: Vec<char> = found.iter().map(|(_, c)| *c).collect();
        diags.push(
            Diagnostic::error("missing-glyphs", describe(&cs))
                .at(&path, Some(first..first + c.len_utf8()))
                .hint(hint.clone()),
        );
    }
    if !unplaced.is_empty() {
        diags.push(Diagnostic::error("missing-glyphs", describe(&unplaced)).hint(hint));
    }
}

/// Characters known to be in some font of the current set. Watch mode keeps it between
/// rebuilds (an edit adds few new characters); it must be emptied when the font set changes.
#[derive(Debug, Default)]
pub struct Coverage {
    covered: std::collections::HashSet<char>,
}

impl Coverage {
    /// The printed characters that no font in `book` has.
    pub fn uncovered<'a>(
        &mut self,
        book: &typst::text::FontBook,
        printed: impl Iterator<Item = &'a [u8]>,
    ) -> Vec<char> {
        // The JSON handed to the templates holds every printed text; serde_json writes
        // non-ASCII characters as they are, so scanning the text finds them without parsing.
        // (Keys and escapes are ASCII, which is only ever a few extra characters to check.)
        // Chart labels are in the SVGs (whose markup is ASCII, which every face has).
        let mut ascii = [false; 128];
        let mut other = std::collections::BTreeSet::new();
        for text in printed {
            for c in String::from_utf8_lossy(text).chars() {
                if c.is_ascii() {
                    ascii[c as usize] = true;
                } else if !self.covered.contains(&c) {
                    other.insert(c);
                }
            }
        }
        let chars = (0..128u8).filter(|&b| ascii[b as usize]).map(char::from).chain(other);
        let mut missing = Vec::new();
        for c in chars.filter(|c| !c.is_whitespace() && !c.is_control()) {
            if (0..).map_while(|i| book.info(i)).any(|info| info.coverage.contains(c as u32)) {
                self.covered.insert(c);
            } else {
                missing.push(c);
            }
        }
        missing.sort();
        missing
    }
}
