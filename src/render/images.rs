//! Photos through `image`: decode whatever the editors drop into `figures/` (JPEG, PNG, WebP,
//! TIFF; CMYK or 16-bit), turn it into 8-bit sRGB at no more than 300 ppi at its printed size,
//! re-encode it (JPEG for photos, PNG when it has transparency) without metadata, and cache the
//! result under the output folder's `cache/images/` by content hash and target size, so a
//! rebuild does no image work. Typst renders CMYK JPEGs wrongly, and a 6000-pixel photo at
//! 14 cm is waste.

use std::io::Cursor;

use image::{DynamicImage, GenericImageView, ImageFormat};
use sha2::{Digest, Sha256};

/// The A4 text width (210 mm less the 24 mm inside and 18 mm outside margins of
/// `styles/report.typ`): a figure's `width` is a fraction of it.
pub const TEXT_WIDTH_MM: f64 = 168.0;
/// Enough for print; more only makes the PDF heavier.
pub const TARGET_PPI: f64 = 300.0;
/// Below this a photo looks soft in print: warn.
pub const MIN_PPI: f64 = 200.0;

pub struct Prepared {
    /// The cache entry (`images/<hash>-<width>.<ext>`) these bytes are stored under.
    pub name: String,
    pub bytes: Vec<u8>,
    /// Effective resolution at the placed width, before downsampling.
    pub source_ppi: f64,
}

/// Pixels across for `TARGET_PPI` at a printed width in mm.
pub fn target_width_px(placed_mm: f64) -> u32 {
    (placed_mm / 25.4 * TARGET_PPI).round() as u32
}

/// Prepares one image (`original`, the file's bytes) for its printed width; `cached` returns
/// an entry prepared before, by name.
pub fn prepare(
    original: Vec<u8>,
    svg: bool,
    placed_mm: f64,
    cached: impl Fn(&str) -> Option<Vec<u8>>,
) -> Result<Prepared, String> {
    let hash: String = Sha256::digest(&original).iter().take(10).map(|b| format!("{b:02x}")).collect();
    // Vector graphics have no resolution: Typst embeds them as they are.
    if svg {
        return Ok(Prepared { name: format!("images/{hash}.svg"), bytes: original, source_ppi: f64::INFINITY });
    }
    let target = target_width_px(placed_mm);
    // The source's pixel width decides its effective resolution; read it from the header.
    let (width, _) = image::ImageReader::new(Cursor::new(&original))
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .into_dimensions()
        .map_err(|e| e.to_string())?;
    let source_ppi = width as f64 / (placed_mm / 25.4);
    for ext in ["jpg", "png"] {
        let name = format!("images/{hash}-{target}.{ext}");
        if let Some(bytes) = cached(&name) {
            return Ok(Prepared { name, bytes, source_ppi });
        }
    }
    let img = image::load_from_memory(&original).map_err(|e| e.to_string())?;
    let img = if img.width() > target {
        let height = (img.height() as f64 * target as f64 / img.width() as f64).round().max(1.0) as u32;
        img.resize_exact(target, height, image::imageops::FilterType::Lanczos3)
    } else {
        img
    };
    let (bytes, ext) = encode(&img)?;
    Ok(Prepared { name: format!("images/{hash}-{target}.{ext}"), bytes, source_ppi })
}

/// 8-bit sRGB, no metadata: PNG when the image has real transparency, JPEG otherwise.
fn encode(img: &DynamicImage) -> Result<(Vec<u8>, &'static str), String> {
    let mut out = Cursor::new(Vec::new());
    let transparent = img.color().has_alpha() && img.pixels().any(|(_, _, p)| p.0[3] < 255);
    if transparent {
        DynamicImage::ImageRgba8(img.to_rgba8()).write_to(&mut out, ImageFormat::Png).map_err(|e| e.to_string())?;
        Ok((out.into_inner(), "png"))
    } else {
        let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88);
        rgb.write_with_encoder(encoder).map_err(|e| e.to_string())?;
        Ok((out.into_inner(), "jpg"))
    }
}
