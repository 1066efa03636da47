//! The image pipeline: big photos are downsampled to 300 ppi at their printed width, 16-bit
//! sources become 8-bit, low resolution warns, a truncated file is an error; results are cached.
//! The tests make their own images.

use crate::common;

use common::Project;

fn with_image(p: &Project, file: &str) {
    with_placed_image(p, file, "");
}

fn with_placed_image(p: &Project, file: &str, extra: &str) {
    p.edit("chapters/intro.toml", "aspect = 1.5", &format!("image = \"figures/{file}\"{extra}"));
}

/// The prepared photos the templates receive (virtual path, decoded), and the run's outcome.
fn prepared(p: &Project) -> (vlr::Outcome, Vec<(String, Vec<u8>)>) {
    let (outcome, typeset) = vlr::typeset(&p.opts);
    let images =
        typeset.iter().flat_map(|t| t.files.iter()).filter(|(name, _)| name.starts_with("images/")).cloned().collect();
    (outcome, images)
}

fn decoded(images: &[(String, Vec<u8>)]) -> Vec<image::DynamicImage> {
    images.iter().map(|(_, b)| image::load_from_memory(b).unwrap()).collect()
}

fn figures(p: &Project) -> std::path::PathBuf {
    let dir = p.path("figures");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_large_photo_is_downsampled_to_300_ppi_and_cached() {
    let p = Project::minimal();
    let figures = figures(&p);
    let img = image::RgbImage::from_fn(6000, 4000, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
    });
    img.save(figures.join("big.jpg")).unwrap();
    with_image(&p, "big.jpg");
    let (outcome, images) = prepared(&p);
    assert!(!outcome.diags.has_errors(), "{}", outcome.diags.short());
    let img = &decoded(&images)[0];
    // 82% of the 168 mm text width (137.8 mm) at 300 ppi.
    assert_eq!((img.width(), img.height()), (1627, 1085));
    let built = p.build().ok();
    assert!(built.0.pdfs[0].placeholders.is_empty(), "the figure is a photo now");
    // The result is cached under the output folder (not in the project), as a JPEG.
    let cached: Vec<_> = std::fs::read_dir(p.path("out/cache/images")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(cached.len(), 1);
    assert!(cached[0].extension().is_some_and(|e| e == "jpg"));
    assert!(!p.path("build").exists(), "nothing is written into the project");
}

#[test]
fn sixteen_bit_png_becomes_8_bit_and_a_small_one_warns() {
    let p = Project::minimal();
    let figures = figures(&p);
    let img = image::ImageBuffer::<image::Rgb<u16>, _>::from_fn(800, 500, |x, y| {
        image::Rgb([(x * 80) as u16, (y * 120) as u16, 30000])
    });
    image::DynamicImage::ImageRgb16(img).save(figures.join("deep.png")).unwrap();
    with_image(&p, "deep.png");
    let (outcome, images) = prepared(&p);
    let img = &decoded(&images)[0];
    assert_eq!(img.color(), image::ColorType::Rgb8);
    assert_eq!(img.width(), 800, "never upsampled");
    let short = outcome.diags.short();
    assert!(short.contains("warning[low-resolution]: figures/deep.png prints at 148 ppi (under 200)"), "{short}");
}

#[test]
fn a_truncated_image_is_an_error_naming_the_file() {
    let p = Project::minimal();
    let figures = figures(&p);
    let img = image::RgbImage::from_fn(400, 300, |x, _| image::Rgb([x as u8, 0, 0]));
    img.save(figures.join("cut.png")).unwrap();
    let bytes = std::fs::read(figures.join("cut.png")).unwrap();
    std::fs::write(figures.join("cut.png"), &bytes[..bytes.len() / 2]).unwrap();
    with_image(&p, "cut.png");
    let short = p.build().failed().short();
    assert!(
        short.contains("chapters/intro.toml:10:9: error[bad-image]: image `figures/cut.png` cannot be read"),
        "{short}"
    );
}

#[test]
fn an_svg_graphic_is_embedded_as_it_is() {
    let p = Project::minimal();
    let figures = figures(&p);
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><rect width="300" height="200" fill="#3F7E44"/></svg>"##;
    std::fs::write(figures.join("diagram.svg"), svg).unwrap();
    with_image(&p, "diagram.svg");
    let (outcome, images) = prepared(&p);
    assert!(!outcome.diags.has_errors(), "{}", outcome.diags.short());
    assert_eq!(images[0].1.as_slice(), svg.as_bytes());
}

#[test]
fn a_photo_placed_at_half_the_page_width_is_prepared_for_300_ppi_there() {
    let p = Project::minimal();
    let figures = figures(&p);
    let img = image::RgbImage::from_fn(6000, 4000, |x, y| image::Rgb([(x % 200) as u8, (y % 200) as u8, 90]));
    img.save(figures.join("half.jpg")).unwrap();
    // Half the A4 page (105 mm) is 0.625 of the 168 mm text width.
    with_placed_image(&p, "half.jpg", "\nwidth = 0.625");
    let (outcome, images) = prepared(&p);
    assert!(!outcome.diags.has_errors(), "{}", outcome.diags.short());
    // 105 mm at 300 ppi = 1240 pixels.
    assert_eq!(decoded(&images)[0].width(), 1240);
}

#[test]
fn a_cmyk_jpeg_becomes_srgb() {
    let p = Project::minimal();
    let figures = figures(&p);
    // Pure cyan in CMYK (C=100%, M=Y=K=0).
    let (w, h) = (400u16, 300u16);
    let pixels: Vec<u8> = (0..w as usize * h as usize).flat_map(|_| [255u8, 0, 0, 0]).collect();
    let encoder = jpeg_encoder::Encoder::new_file(figures.join("cmyk.jpg"), 90).unwrap();
    encoder.encode(&pixels, w, h, jpeg_encoder::ColorType::Cmyk).unwrap();
    with_image(&p, "cmyk.jpg");
    let (outcome, images) = prepared(&p);
    assert!(!outcome.diags.has_errors(), "{}", outcome.diags.short());
    let decoded = &decoded(&images)[0];
    let img = decoded.to_rgb8();
    assert_eq!(decoded.color(), image::ColorType::Rgb8);
    let p = img.get_pixel(200, 150).0;
    // Cyan on screen: little red, much green and blue (not black, not inverted).
    assert!(p[0] < 90 && p[1] > 150 && p[2] > 150, "got {p:?}");
}
