//! Photos through `image`: decode whatever the editors drop into `figures/` (JPEG, PNG, WebP,
//! TIFF; CMYK or 16-bit), turn it into 8-bit sRGB at no more than 300 ppi at its printed size,
//! re-encode it (JPEG for photos, PNG when it has transparency) without metadata, and cache the
//! result under `build/cache/images/` by content hash and target size, so a rebuild does no
//! image work. Typst renders CMYK JPEGs wrongly, and a 6000-pixel photo at 14 cm is waste.

use std::io::Cursor;
use std::path::Path;

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
    /// Virtual file name: `images/<hash>-<width>.<ext>`.
    pub name: String,
    pub bytes: Vec<u8>,
    /// Effective resolution at the placed width, before downsampling.
    pub source_ppi: f64,
}

/// Pixels across for `TARGET_PPI` at a printed width in mm.
pub fn target_width_px(placed_mm: f64) -> u32 {
    (placed_mm / 25.4 * TARGET_PPI).round() as u32
}

/// Prepares one image for its printed width, from the cache when it was prepared before.
pub fn prepare(path: &Path, placed_mm: f64, cache_dir: &Path) -> Result<Prepared, String> {
    let original = std::fs::read(path).map_err(|e| e.to_string())?;
    let hash: String = Sha256::digest(&original).iter().take(10).map(|b| format!("{b:02x}")).collect();
    // Vector graphics have no resolution: Typst embeds them as they are.
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg")) {
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
        if let Ok(bytes) = std::fs::read(cache_dir.join(&name)) {
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
    let name = format!("images/{hash}-{target}.{ext}");
    let file = cache_dir.join(&name);
    if let Some(parent) = file.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    // The cache only saves time: a failure to write it is not an error.
    let _ = crate::export::write_atomic(&file, &bytes);
    Ok(Prepared { name, bytes, source_ppi })
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
