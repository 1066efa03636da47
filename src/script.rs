//! What a language's script asks of the layout: its direction, whether Typst can hyphenate
//! it, how much line spacing it needs, and which fonts cover a character (for the hint when
//! no installed font has it).

/// Languages written right to left (ISO 639-1 and -3 codes).
const RTL: &[&str] = &["ar", "arc", "ckb", "dv", "fa", "he", "ps", "sd", "syr", "ug", "ur", "yi"];

pub fn is_rtl(lang: &str) -> bool {
    RTL.contains(&lang)
}

/// A letter of a right-to-left script (Hebrew, Arabic, Syriac, Thaana, N'Ko and their
/// presentation forms).
pub fn is_rtl_letter(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF) && c.is_alphabetic()
}

/// Whether Typst has hyphenation patterns for the language (it uses hypher's).
pub fn can_hyphenate(lang: &str) -> bool {
    hypher::Lang::from_iso(lang.as_bytes().try_into().unwrap_or([0, 0])).is_some()
}

/// Line spacing (Typst's `leading`, in em) that suits the script: Arabic-script and CJK text
/// need more room between lines than Latin, Greek or Cyrillic.
pub fn leading(lang: &str) -> f64 {
    match lang {
        "ar" | "fa" | "ur" | "ps" | "sd" | "ckb" | "ug" => 0.9,
        "zh" | "ja" | "ko" => 0.8,
        "hi" | "bn" | "mr" | "ne" | "ta" | "te" | "th" | "my" | "km" | "lo" => 0.85,
        _ => 0.62,
    }
}

/// The script of a character, and a Debian package with fonts that cover it.
pub fn script_of(c: char) -> (&'static str, &'static str) {
    let u = c as u32;
    match u {
        0x0590..=0x05FF => ("Hebrew", "fonts-noto-core"),
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            ("Arabic", "fonts-noto-core")
        }
        0x0900..=0x0DFF => ("an Indic script", "fonts-noto-core"),
        0x0E00..=0x0E7F => ("Thai", "fonts-noto-core"),
        0x10A0..=0x10FF => ("Georgian", "fonts-noto-core"),
        0x1100..=0x11FF | 0xAC00..=0xD7AF => ("Hangul", "fonts-noto-cjk"),
        0x3040..=0x30FF => ("Japanese kana", "fonts-noto-cjk"),
        0x2E80..=0x2FDF
        | 0x3000..=0x303F
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFF00..=0xFFEF
        | 0x20000..=0x2FA1F => ("Chinese (Han)", "fonts-noto-cjk"),
        0x1F300..=0x1FAFF | 0x2600..=0x27BF => ("emoji and symbols", "fonts-noto-color-emoji"),
        0x0400..=0x052F => ("Cyrillic", "fonts-noto-core"),
        0x0370..=0x03FF => ("Greek", "fonts-noto-core"),
        _ => ("these characters", "fonts-noto-core"),
    }
}

/// Characters that are not drawn (format controls: bidi marks and isolates, joiners, the
/// byte order mark): no font needs a glyph for them.
pub fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x00AD | 0x061C | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF)
}

/// Subscript and superscript digits (CO₂, m²): the templates set them as sub- and
/// superscripts of the body face's digits (`styles/report.typ`), so no face needs them.
pub fn is_script_digit(c: char) -> bool {
    matches!(c, '₀'..='₉' | '⁰' | '¹' | '²' | '³' | '⁴'..='⁹')
}

/// Characters set one em wide that a line may break around without a space: CJK ideographs,
/// kana, Hangul syllables, and CJK and full-width punctuation.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA960..=0xA97F | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// A character's advance in em when no font has it: one em for CJK, about half for the rest.
pub fn estimated_advance(c: char) -> f64 {
    if is_wide(c) { 1.0 } else { 0.55 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts() {
        assert!(is_rtl("ar") && !is_rtl("fr"));
        assert!(can_hyphenate("es") && can_hyphenate("ru") && can_hyphenate("en"));
        assert!(!can_hyphenate("zh") && !can_hyphenate("ar"));
        assert_eq!(script_of('上').1, "fonts-noto-cjk");
        assert_eq!(script_of('ع').0, "Arabic");
        assert!(is_invisible('\u{2068}'));
    }
}
