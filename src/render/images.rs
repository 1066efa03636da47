//! Photos through `image`: decode whatever the editors drop into `figures/` (JPEG, PNG, WebP,
//! TIFF; CMYK or 16-bit), turn it into 8-bit sRGB at no more than the theme's ppi (300) at its printed size,
//! re-encode it (JPEG for photos, PNG when it has transparency) without metadata, and cache the
//! result under the output folder's `cache/images/` by content hash and target size, so a
//! rebuild does no image work. Typst renders CMYK JPEGs wrongly, and a 6000-pixel photo at
//! 14 cm is waste.

use std::io::Cursor;

use image::{DynamicImage, GenericImageView, ImageFormat};
use sha2::{Digest, Sha256};

/// What a photo is prepared for: its printed width, the resolution wanted there (more only
/// makes the PDF heavier), and the JPEG quality.
pub struct Target {
    pub placed_mm: f64,
    pub ppi: f64,
    pub jpeg_quality: u8,
}

pub struct Prepared {
    /// The cache entry (`images/<hash>-<width>.<ext>`) these bytes are stored under.
    pub name: String,
    pub bytes: Vec<u8>,
    /// Effective resolution at the placed width, before downsampling.
    pub source_ppi: f64,
}

impl Target {
    /// Pixels across for the wanted resolution at the printed width.
    pub fn width_px(&self) -> u32 {
        (self.placed_mm / 25.4 * self.ppi).round() as u32
    }
}

/// Prepares one image (`original`, the file's bytes) for its printed width; `cached` returns
/// an entry prepared before, by name.
pub fn prepare(
    original: Vec<u8>,
    svg: bool,
    target: &Target,
    cached: impl Fn(&str) -> Option<Vec<u8>>,
) -> Result<Prepared, String> {
    let hash: String = Sha256::digest(&original).iter().take(10).map(|b| format!("{b:02x}")).collect();
    // Vector graphics have no resolution: Typst embeds them as they are.
    if svg {
        return Ok(Prepared { name: format!("images/{hash}.svg"), bytes: original, source_ppi: f64::INFINITY });
    }
    let (placed_mm, quality) = (target.placed_mm, target.jpeg_quality);
    let target = target.width_px();
    // The source's pixel width decides its effective resolution; read it from the header.
    let (width, _) = image::ImageReader::new(Cursor::new(&original))
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .into_dimensions()
        .map_err(|e| e.to_string())?;
    let source_ppi = width as f64 / (placed_mm / 25.4);
    for ext in ["jpg", "png"] {
        let name = format!("images/{hash}-{target}-q{quality}.{ext}");
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
    let (bytes, ext) = encode(&img, quality)?;
    Ok(Prepared { name: format!("images/{hash}-{target}-q{quality}.{ext}"), bytes, source_ppi })
}

/// 8-bit sRGB, no metadata: PNG when the image has real transparency, JPEG otherwise.
fn encode(img: &DynamicImage, quality: u8) -> Result<(Vec<u8>, &'static str), String> {
    let mut out = Cursor::new(Vec::new());
    let transparent = img.color().has_alpha() && img.pixels().any(|(_, _, p)| p.0[3] < 255);
    if transparent {
        DynamicImage::ImageRgba8(img.to_rgba8()).write_to(&mut out, ImageFormat::Png).map_err(|e| e.to_string())?;
        Ok((out.into_inner(), "png"))
    } else {
        let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
        rgb.write_with_encoder(encoder).map_err(|e| e.to_string())?;
        Ok((out.into_inner(), "jpg"))
    }
}
