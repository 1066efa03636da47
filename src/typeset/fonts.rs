//! Fonts for the World and for `--emit-typst`, and the check that every printed character has one.
//!
//! Order matters: Typst takes the first face of a family it finds. The bundled Noto Sans
//! (from crates.io, so a fresh machine builds the English edition) comes first, then Typst's
//! own fonts, then `--font-path` folders, then the system's (e.g. Noto CJK from Debian).

use std::collections::HashSet;
use std::path::PathBuf;

use typst::foundations::Bytes;
use typst::text::{Font, FontInstance};
use typst_kit::fonts::{self, FontStore};

use crate::diag::{Code, Diagnostic, Diagnostics};
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

/// Text widths as Typst sets an SVG's text: in the first of the families the fonts have, and
/// each character that face lacks in the fallback face Typst would choose.
pub struct Metrics<'a> {
    store: &'a FontStore,
    primary: Option<FontInstance>,
}

/// A face at its default axes (chart labels use no variations).
fn instance(font: Font) -> FontInstance {
    let variant = font.info().variant;
    font.instantiate(variant, typst::layout::Abs::pt(10.0), &typst::text::FontVariations::default())
}

impl<'a> Metrics<'a> {
    pub fn new(store: &'a FontStore, families: &[String]) -> Self {
        let variant = typst::text::FontVariant::default();
        let primary = families
            .iter()
            .find_map(|f| store.book().select(&f.to_lowercase(), variant))
            .and_then(|i| store.font(i))
            .map(instance);
        Self { store, primary }
    }

    /// A character's advance in em.
    fn advance(&self, c: char) -> f64 {
        let in_face = |f: &FontInstance| f.ttf().glyph_index(c).and_then(|g| f.x_advance(g.0)).map(|em| em.get());
        if let Some(a) = self.primary.as_ref().and_then(in_face) {
            return a;
        }
        let like = self.primary.as_ref().map(|f| f.font().info());
        let variant = like.map(|i| i.variant).unwrap_or_default();
        self.store
            .book()
            .select_fallback(like, variant, c.encode_utf8(&mut [0; 4]))
            .and_then(|i| self.store.font(i))
            .and_then(|f| in_face(&instance(f)))
            .unwrap_or_else(|| crate::script::estimated_advance(c))
    }
}

impl crate::render::charts::Measure for Metrics<'_> {
    /// Shaped in the first face when it has every character (so Arabic letters join and
    /// ligatures form, as Typst sets them); else character by character, in the face Typst
    /// would fall back to for each.
    fn width(&self, text: &str, size: f64) -> f64 {
        let visible = || text.chars().filter(|c| !crate::script::is_invisible(*c));
        if let Some(face) = &self.primary
            && visible().all(|c| face.ttf().glyph_index(c).is_some())
        {
            let mut buffer = rustybuzz::UnicodeBuffer::new();
            buffer.push_str(text);
            buffer.guess_segment_properties();
            let shaped = rustybuzz::shape(face.rusty(), &[], buffer);
            let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
            return face.to_em(units).get() * size;
        }
        visible().map(|c| self.advance(c)).sum::<f64>() * size
    }
}

/// Every character the edition prints must be in some font the build has: Typst would print
/// a missing one as an empty box ("tofu"); and should be in the faces the theme and pack ask
/// for, or Typst quietly sets it in another. The characters are found in the pack files so the
/// message can point at them: one per file names the characters, where the first occurs, and
/// the fix.
pub fn report_uncovered(diags: &mut Diagnostics, packs: &[&Pack], theme_font: &str, found: Uncovered) {
    let fonts = packs.first().map(|p| p.meta.fonts.join(", ")).unwrap_or_default();
    let wanted = if fonts.is_empty() { String::new() } else { format!(" (the pack asks for {fonts})") };
    // Name the script of the characters, and a package whose fonts cover it.
    let missing_hint = |cs: &[char]| {
        let (script, package) = crate::script::script_of(cs[0]);
        format!(
            "install a font that has {script}{wanted}: on Debian `apt-get install {package}`, or pass --font-path DIR"
        )
    };
    let listed = |cs: &[char]| {
        let shown: Vec<String> = cs.iter().take(12).map(|c| format!("{c} (U+{:04X})", *c as u32)).collect();
        let more = if cs.len() > 12 { format!(" and {} more", cs.len() - 12) } else { String::new() };
        format!("{}{more}", shown.join(", "))
    };
    for (place, cs) in placed(diags, packs, found.missing) {
        let d = Diagnostic::error(Code::MissingGlyphs, format!("no available font has {}", listed(&cs)));
        diags.push(place.map_or(d.clone(), |(path, span)| d.at(&path, Some(span))).hint(missing_hint(&cs)));
    }
    let mut asked = vec![theme_font.to_string()];
    asked.extend(packs.first().map(|p| p.meta.fonts.clone()).unwrap_or_default());
    for (place, cs) in placed(diags, packs, found.fallback) {
        let d = Diagnostic::warning(
            Code::FallbackFont,
            format!(
                "{} {} not in {}: Typst sets {} in another face",
                listed(&cs),
                if cs.len() == 1 { "is" } else { "are" },
                asked.join(" or "),
                if cs.len() == 1 { "it" } else { "them" }
            ),
        );
        let (script, package) = crate::script::script_of(cs[0]);
        let hint = format!(
            "write the text without them, or name a face that has {script} in the pack's `fonts` (on Debian `apt-get install {package}`)"
        );
        diags.push(place.map_or(d.clone(), |(path, span)| d.at(&path, Some(span))).hint(hint));
    }
}

/// A file and a byte range in it.
type Place = (std::path::PathBuf, std::ops::Range<usize>);

/// Characters grouped by the first pack file (requested language first) whose text has one,
/// with the span of the first; characters no pack file has come last, without a place.
fn placed(diags: &Diagnostics, packs: &[&Pack], chars: Vec<char>) -> Vec<(Option<Place>, Vec<char>)> {
    use std::collections::BTreeMap;
    let mut by_file: BTreeMap<std::path::PathBuf, Vec<(usize, char)>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for c in chars {
        let place = packs
            .iter()
            .flat_map(|p| p.files.values())
            .find_map(|pf| diags.sources.get(&pf.path).and_then(|t| t.find(c)).map(|i| (pf.path.clone(), i)));
        match place {
            Some((path, i)) => by_file.entry(path).or_default().push((i, c)),
            None => unplaced.push(c),
        }
    }
    let mut out: Vec<_> = by_file
        .into_iter()
        .map(|(path, mut found)| {
            found.sort();
            let (first, c) = found[0];
            (Some((path, first..first + c.len_utf8())), found.into_iter().map(|(_, c)| c).collect())
        })
        .collect();
    if !unplaced.is_empty() {
        out.push((None, unplaced));
    }
    out
}

/// Characters known to be in some font of the current set, and in the families an edition
/// asks for. Watch mode keeps it between rebuilds (an edit adds few new characters); it must be
/// emptied when the font set changes.
#[derive(Debug, Default)]
pub struct Coverage {
    covered: HashSet<char>,
    /// The families asked for, and characters known to be in one of them.
    requested: (Vec<String>, HashSet<char>),
}

/// Printed characters without a glyph in the faces asked for.
#[derive(Debug, Default)]
pub struct Uncovered {
    /// In no font at all: Typst would print an empty box.
    pub missing: Vec<char>,
    /// In some other font: Typst sets them in a face the theme and pack did not choose.
    pub fallback: Vec<char>,
}

impl Coverage {
    /// The printed characters that no font in `book` has, and those only faces outside
    /// `families` have.
    pub fn check<'a>(
        &mut self,
        book: &typst::text::FontBook,
        families: &[String],
        printed: impl Iterator<Item = &'a [u8]>,
    ) -> Uncovered {
        if self.requested.0 != families {
            self.requested = (families.to_vec(), HashSet::new());
        }
        // The JSON handed to the templates holds every printed text; serde_json writes
        // non-ASCII characters as they are, so scanning the text finds them without parsing.
        // (Keys and escapes are ASCII, which is only ever a few extra characters to check.)
        let mut ascii = [false; 128];
        let mut other = std::collections::BTreeSet::new();
        for text in printed {
            for c in String::from_utf8_lossy(text).chars() {
                if c.is_ascii() {
                    ascii[c as usize] = true;
                } else if !self.requested.1.contains(&c) {
                    other.insert(c);
                }
            }
        }
        let chars = (0..128u8).filter(|&b| ascii[b as usize]).map(char::from).chain(other);
        let has = |i: usize, c: char| book.info(i).is_some_and(|info| info.coverage.contains(c as u32));
        let wanted: Vec<usize> =
            families.iter().flat_map(|f| book.select_family(&f.to_lowercase()).collect::<Vec<_>>()).collect();
        let mut found = Uncovered::default();
        for c in chars.filter(|c| !c.is_whitespace() && !c.is_control() && !crate::script::is_invisible(*c)) {
            if self.requested.1.contains(&c) {
                continue;
            }
            if wanted.iter().any(|&i| has(i, c)) {
                self.requested.1.insert(c);
                self.covered.insert(c);
            } else if self.covered.contains(&c) || (0..).map_while(|i| book.info(i).map(|_| i)).any(|i| has(i, c)) {
                self.covered.insert(c);
                // The templates set these as sub- and superscripts of the face's own digits.
                if !crate::script::is_script_digit(c) {
                    found.fallback.push(c);
                }
            } else {
                found.missing.push(c);
            }
        }
        found
    }
}
