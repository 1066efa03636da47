//! A chart for the web: its picture (the SVG of bars, lines and grid the render stage drew)
//! with its words (`charts/<id>.json`) placed in it as SVG text, where the PDF's templates place
//! them, so the chart reads the same on a page as in the PDF. It scales with the page (its
//! `viewBox` is the chart in points; `--chart-text`, the size of its words there, lets the style
//! sheet keep them legible on a phone) and is one image to a screen reader: `role="img"`, its
//! title and its description (the alt text of the book data); the words are hidden from it.

use crate::render::charts::{Align, Labels};

/// Everything a chart's SVG needs.
pub struct Chart<'a> {
    /// The drawn picture (SVG text, no words).
    pub picture: &'a str,
    pub labels: &'a Labels,
    /// Unique on its page: the ids of its title and description derive from it.
    pub id: &'a str,
    pub title: &'a str,
    pub alt: &'a str,
    /// Whether the edition is written right to left (its words are then ordered and anchored so).
    pub rtl: bool,
}

/// The chart as one `<svg>` element with its words, title and description.
pub fn inline(c: &Chart) -> String {
    let l = c.labels;
    let (w, h) = (num(l.width), num(l.height));
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
         role=\"img\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\" style=\"--chart-width: {w}; --chart-text: {size}\">\
         <title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{alt}</desc>",
        id = escape(c.id),
        title = escape(c.title),
        alt = escape(c.alt),
        size = num(l.size),
    );
    out.push_str(inner(c.picture));
    let fonts: Vec<String> = l.fonts.iter().map(|f| format!("'{}'", f.replace(['\'', '"'], ""))).collect();
    // Words run right to left in a right-to-left edition; the anchors stay where vlr measured
    // them (a right-aligned label ends at x whatever its direction).
    let direction = if c.rtl { "rtl" } else { "ltr" };
    out.push_str(&format!(
        "<g class=\"chart-words\" aria-hidden=\"true\" font-family=\"{}, sans-serif\" font-size=\"{}\" fill=\"{}\" \
         direction=\"{direction}\" unicode-bidi=\"embed\">",
        escape(&fonts.join(", ")),
        num(l.size),
        escape(&l.ink)
    ));
    for label in &l.labels {
        let anchor = match (label.align, c.rtl) {
            (Align::Center, _) => "middle",
            (Align::Left, false) | (Align::Right, true) => "start",
            (Align::Right, false) | (Align::Left, true) => "end",
        };
        for (i, line) in label.lines.iter().enumerate() {
            let y = label.y + i as f64 * l.pitch;
            out.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
                num(label.x),
                num(y),
                escape(line)
            ));
        }
    }
    out.push_str("</g></svg>");
    out
}

/// The elements inside the picture's `<svg>` element.
fn inner(svg: &str) -> &str {
    let start = svg.find("<svg").and_then(|i| svg[i..].find('>').map(|j| i + j + 1)).unwrap_or(0);
    let end = svg.rfind("</svg>").filter(|&e| e >= start).unwrap_or(svg.len());
    svg[start..end].trim()
}

/// A length as SVG writes it: at most two decimals, no trailing zeros.
fn num(v: f64) -> String {
    let s = format!("{:.2}", v);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Text and attribute values escaped for HTML and XML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::charts::Label;

    fn labels(align: Align) -> Labels {
        Labels {
            width: 200.0,
            height: 120.5,
            size: 8.0,
            pitch: 11.2,
            ink: "#333333".into(),
            fonts: vec!["Noto Sans".into()],
            labels: vec![Label { x: 10.0, y: 20.0, align, lines: vec!["a <b> & c".into(), "2020".into()] }],
        }
    }

    #[test]
    fn words_are_placed_escaped_and_anchored() {
        let l = labels(Align::Right);
        let picture = "<svg width=\"200pt\" height=\"121pt\" viewBox=\"0 0 200 121\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect x=\"0\"/>\n</svg>\n";
        let c = Chart { picture, labels: &l, id: "c1", title: "T & t", alt: "all <values>", rtl: false };
        let svg = inline(&c);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 200 120.5\""));
        assert!(svg.contains(
            "<title id=\"c1-title\">T &amp; t</title><desc id=\"c1-desc\">all &lt;values&gt;</desc><rect x=\"0\"/>"
        ));
        assert!(svg.contains("<text x=\"10\" y=\"20\" text-anchor=\"end\">a &lt;b&gt; &amp; c</text>"));
        assert!(svg.contains("<text x=\"10\" y=\"31.2\" text-anchor=\"end\">2020</text>"));
        assert_eq!(svg.matches("<svg").count(), 1);
        // Right to left, a right-aligned label still ends at x: its end is then its start.
        let rtl = inline(&Chart { rtl: true, ..c });
        assert!(rtl.contains("direction=\"rtl\"") && rtl.contains("text-anchor=\"start\">2020"));
    }
}
