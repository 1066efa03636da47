//! Stage 3: the assets a resolved book asks for — its charts drawn as SVG ([`charts`]) and its
//! photos prepared for print ([`images`]) — as in-memory files the templates read.
//!
//! Both are cached by what shapes them, so a rebuild redraws only the charts whose data,
//! words or colours changed and prepares no photo twice.

pub mod charts;
pub mod images;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use crate::ctx::{Ctx, ms};
use crate::diag::Code;
use crate::project::Theme;
use crate::resolve::Resolved;

/// What survives between builds: drawn charts and prepared photos.
#[derive(Default)]
pub struct AssetCache {
    pub charts: charts::ChartCache,
    pub images: ImageCache,
}

/// Prepared photos by cache name, in memory and in `<out>/cache/` on disk. New entries are
/// written to disk only when a build succeeds (see [`ImageCache::fresh`]).
#[derive(Default)]
pub struct ImageCache {
    memory: Mutex<HashMap<String, Vec<u8>>>,
    fresh: Mutex<BTreeMap<String, ()>>,
    /// The folder of the disk cache (`<out>/cache`), if any.
    pub dir: Option<PathBuf>,
}

impl ImageCache {
    fn get(&self, name: &str) -> Option<Vec<u8>> {
        if let Some(b) = self.memory.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
            return Some(b.clone());
        }
        let bytes = std::fs::read(self.dir.as_ref()?.join(name)).ok()?;
        self.memory.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_string(), bytes.clone());
        Some(bytes)
    }

    fn put(&self, name: &str, bytes: &[u8]) {
        let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        if !memory.contains_key(name) {
            memory.insert(name.to_string(), bytes.to_vec());
            self.fresh.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_string(), ());
        }
    }

    /// Entries prepared since the last call, to write to the disk cache: path and bytes.
    pub fn fresh(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let Some(dir) = &self.dir else { return Vec::new() };
        let names = std::mem::take(&mut *self.fresh.lock().unwrap_or_else(|e| e.into_inner()));
        let memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        names.into_keys().filter_map(|n| Some((dir.join(&n), memory.get(&n)?.clone()))).collect()
    }
}

/// The measure of text in a list of font families (the typesetter's fonts provide it).
pub type Metrics<'a> = &'a dyn Fn(&[String]) -> Box<dyn charts::Measure + 'a>;

/// Draws the charts (their labels measured by `metrics`) and prepares the photos of
/// `resolved` (for the theme's print resolution): virtual path and bytes each.
pub fn render(
    ctx: &mut Ctx,
    resolved: &Resolved,
    cache: &AssetCache,
    theme: &Theme,
    metrics: Metrics,
) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let start = Instant::now();
    for chart in &resolved.charts {
        match cache.charts.draw(&chart.data, metrics(&chart.data.fonts).as_ref()) {
            Ok(drawn) => {
                for label in &drawn.unfit {
                    ctx.diags.push(
                        chart
                            .loc
                            .warning(
                                Code::ChartLabel,
                                format!(
                                    "in the {} edition, {} cannot fit the label “{label}”",
                                    resolved.lang, chart.name
                                ),
                            )
                            .hint(format!(
                                "shorten it (an indicator's `short` title in lang/{}/data/, or its date): a label \
                                 may take {} lines of its slot; or widen the chart (`width`)",
                                resolved.lang,
                                charts::MAX_LABEL_LINES
                            )),
                    );
                }
                let labels = serde_json::to_vec(&drawn.labels).expect("labels serialize");
                files.push((chart.svg.clone(), drawn.svg.into_bytes()));
                files.push((chart.labels.clone(), labels));
            }
            Err(e) => ctx.diags.push(chart.loc.error(Code::Chart, format!("{}: {e}", chart.name))),
        }
    }
    ctx.timings.charts += ms(start);
    let start = Instant::now();
    for req in &resolved.images {
        let placed_mm = req.width_mm;
        let target = images::Target { placed_mm, ppi: theme.ppi, jpeg_quality: theme.jpeg_quality };
        let svg = req.path.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg"));
        let prepared = match ctx.files.read_bytes(&req.path) {
            Ok(bytes) => images::prepare(bytes, svg, &target, |name| cache.images.get(name)),
            Err(e) => Err(e.diagnostic(&req.path).message),
        };
        match prepared {
            Ok(p) => {
                if p.source_ppi < theme.min_ppi {
                    ctx.diags.push(
                        req.loc
                            .warning(
                                Code::LowResolution,
                                format!(
                                    "{} prints at {:.0} ppi (under {:.0})",
                                    req.path.display(),
                                    p.source_ppi,
                                    theme.min_ppi
                                ),
                            )
                            .hint(format!(
                                "use a file at least {} pixels wide",
                                (placed_mm / 25.4 * theme.min_ppi).ceil()
                            )),
                    );
                }
                cache.images.put(&p.name, &p.bytes);
                files.push((req.vpath.clone(), p.bytes));
            }
            Err(why) => ctx.diags.push(
                req.loc
                    .error(Code::BadImage, format!("{} cannot be read: {why}", req.path.display()))
                    .hint("use a PNG, JPEG, WebP or TIFF file"),
            ),
        }
    }
    ctx.timings.images += ms(start);
    files
}

/// The disk cache folder for an output folder.
pub fn cache_dir(out_dir: &Path) -> PathBuf {
    out_dir.join("cache")
}
