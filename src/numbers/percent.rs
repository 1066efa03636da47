//! CLDR's percent patterns, as ICU4X's `PercentFormatter` finds them: a table of the locales
//! its data has (`percent_data.rs`, written by `tools/icu-percent` from ICU4X's experimental
//! data crate, which takes a minute to compile for these few hundred bytes), looked up along
//! ICU4X's own locale fallback (`pt-AO` → `pt-PT`, `es-MX` → `es-419`, `de-AT` → `de`).
//! `tools/icu-percent -- --check` compares this lookup with ICU4X's for every locale its
//! experimental data names.

use icu_locale::fallback::{LocaleFallbackConfig, LocaleFallbacker};
use icu_locale_core::Locale;
use icu_provider::DataLocale;

include!("percent_data.rs");

/// The unsigned and the signed percent pattern of a locale (`{0}` the number, `{1}` its sign),
/// or `None` when not even the root locale has one.
pub fn cldr(locale: &Locale) -> Option<(&'static str, &'static str)> {
    let find = |l: &DataLocale| {
        let key = l.to_string();
        PERCENT.binary_search_by(|row| row.0.cmp(key.as_str())).ok().map(|i| (PERCENT[i].1, PERCENT[i].2))
    };
    let locale = DataLocale::from(locale);
    if let Some(found) = find(&locale) {
        return Some(found);
    }
    // ICU4X's default fallback (by language), as its baked providers step it.
    let mut fallback = LocaleFallbacker::new().for_config(LocaleFallbackConfig::default()).fallback_for(locale);
    loop {
        if let Some(found) = find(fallback.get()) {
            return Some(found);
        }
        if fallback.get().is_unknown() {
            return None;
        }
        fallback.step();
    }
}
