//! The image pipeline: big photos are downsampled to 300 ppi at their printed width, 16-bit
//! sources become 8-bit, low resolution warns, a truncated file is an error; results are cached.
//! The tests make their own images.

mod common;

use std::path::Path;

fn with_image(root: &Path, file: &str) {
    with_placed_image(root, file, "");
}

fn with_placed_image(root: &Path, file: &str, extra: &str) {
    let manifest = root.join("chapters/intro.toml");
    common::edit(&manifest, "aspect = 1.5", &format!("image = \"figures/{file}\"{extra}"));
}

fn prepared(root: &Path) -> (vlr::Ctx, Vec<(String, image::DynamicImage)>) {
    let (ctx, typeset) = vlr::typeset(&common::options(root));
    let images = typeset
        .iter()
        .flat_map(|t| t.assembled.images.iter())
        .map(|(name, bytes)| (name.clone(), image::load_from_memory(bytes).unwrap()))
        .collect();
    (ctx, images)
}

#[test]
fn a_large_photo_is_downsampled_to_300_ppi_and_cached() {
    let root = common::project(None);
    std::fs::create_dir_all(root.join("figures")).unwrap();
    let img = image::RgbImage::from_fn(6000, 4000, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
    });
    img.save(root.join("figures/big.jpg")).unwrap();
    with_image(&root, "big.jpg");
    let (ctx, images) = prepared(&root);
    assert!(!ctx.diags.has_errors(), "{}", vlr::diag::render_short(&ctx.diags, &ctx.sources));
    let (name, img) = &images[0];
    assert!(name.ends_with(".jpg"));
    // 82% of the 168 mm text width (137.8 mm) at 300 ppi.
    assert_eq!((img.width(), img.height()), (1627, 1085));
    // The result is cached: the next build finds it under build/cache.
    assert!(root.join("build/cache").join(name).is_file());
    let outcome = vlr::build(&common::options(&root));
    assert!(outcome.ok());
    assert!(outcome.editions[0].placeholders.is_empty(), "the figure is a photo now");
}

#[test]
fn sixteen_bit_png_becomes_8_bit_and_a_small_one_warns() {
    let root = common::project(None);
    std::fs::create_dir_all(root.join("figures")).unwrap();
    let img = image::ImageBuffer::<image::Rgb<u16>, _>::from_fn(800, 500, |x, y| {
        image::Rgb([(x * 80) as u16, (y * 120) as u16, 30000])
    });
    image::DynamicImage::ImageRgb16(img).save(root.join("figures/deep.png")).unwrap();
    with_image(&root, "deep.png");
    let (ctx, images) = prepared(&root);
    assert_eq!(images[0].1.color(), image::ColorType::Rgb8);
    assert_eq!(images[0].1.width(), 800, "never upsampled");
    let short = vlr::diag::render_short(&ctx.diags, &ctx.sources);
    assert!(short.contains("warning[low-resolution]: figures/deep.png prints at 148 ppi (under 200)"), "{short}");
}

#[test]
fn a_truncated_image_is_an_error_naming_the_file() {
    let root = common::project(None);
    std::fs::create_dir_all(root.join("figures")).unwrap();
    let img = image::RgbImage::from_fn(400, 300, |x, _| image::Rgb([x as u8, 0, 0]));
    img.save(root.join("figures/cut.png")).unwrap();
    let bytes = std::fs::read(root.join("figures/cut.png")).unwrap();
    std::fs::write(root.join("figures/cut.png"), &bytes[..bytes.len() / 2]).unwrap();
    with_image(&root, "cut.png");
    let outcome = vlr::build(&common::options(&root));
    assert!(!outcome.ok());
    let short = vlr::diag::render_short(&outcome.ctx.diags, &outcome.ctx.sources);
    assert!(short.contains("error[bad-image]: figures/cut.png cannot be read"), "{short}");
}

#[test]
fn an_svg_graphic_is_embedded_as_it_is() {
    let root = common::project(None);
    std::fs::create_dir_all(root.join("figures")).unwrap();
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><rect width="300" height="200" fill="#3F7E44"/></svg>"##;
    std::fs::write(root.join("figures/diagram.svg"), svg).unwrap();
    with_image(&root, "diagram.svg");
    let (ctx, typeset) = vlr::typeset(&common::options(&root));
    assert!(!ctx.diags.has_errors(), "{}", vlr::diag::render_short(&ctx.diags, &ctx.sources));
    let (name, bytes) = typeset[0].assembled.images.iter().next().unwrap();
    assert!(name.ends_with(".svg"));
    assert_eq!(bytes.as_slice(), svg.as_bytes());
}

#[test]
fn a_photo_placed_at_half_the_page_width_is_prepared_for_300_ppi_there() {
    let root = common::project(None);
    std::fs::create_dir_all(root.join("figures")).unwrap();
    let img = image::RgbImage::from_fn(6000, 4000, |x, y| image::Rgb([(x % 200) as u8, (y % 200) as u8, 90]));
    img.save(root.join("figures/half.jpg")).unwrap();
    // Half the A4 page (105 mm) is 0.625 of the 168 mm text width.
    with_placed_image(&root, "half.jpg", "\nwidth = 0.625");
    let (ctx, images) = prepared(&root);
    assert!(!ctx.diags.has_errors(), "{}", vlr::diag::render_short(&ctx.diags, &ctx.sources));
    // 105 mm at 300 ppi = 1240 pixels.
    assert_eq!(images[0].1.width(), 1240);
}

#[test]
fn a_cmyk_jpeg_becomes_srgb() {
    let root = common::project(None);
    std::fs::create_dir_all(root.join("figures")).unwrap();
    // Pure cyan in CMYK (C=100%, M=Y=K=0).
    let (w, h) = (400u16, 300u16);
    let pixels: Vec<u8> = (0..w as usize * h as usize).flat_map(|_| [255u8, 0, 0, 0]).collect();
    let encoder = jpeg_encoder::Encoder::new_file(root.join("figures/cmyk.jpg"), 90).unwrap();
    encoder.encode(&pixels, w, h, jpeg_encoder::ColorType::Cmyk).unwrap();
    with_image(&root, "cmyk.jpg");
    let (ctx, images) = prepared(&root);
    assert!(!ctx.diags.has_errors(), "{}", vlr::diag::render_short(&ctx.diags, &ctx.sources));
    let img = images[0].1.to_rgb8();
    assert_eq!(images[0].1.color(), image::ColorType::Rgb8);
    let p = img.get_pixel(200, 150).0;
    // Cyan on screen: little red, much green and blue (not black, not inverted).
    assert!(p[0] < 90 && p[1] > 150 && p[2] > 150, "got {p:?}");
}
