//! The document date, decided in one place: `SOURCE_DATE_EPOCH` when given, else the report's
//! publication date. Never the clock, so equal sources give equal PDFs.

use crate::diag::{Code, Diagnostic, Diagnostics};

/// The document date: `SOURCE_DATE_EPOCH` (seconds since 1970, as reproducible-build tools
/// set it) when given, else the report's publication date.
pub fn document_date(diags: &mut Diagnostics, epoch: Option<&str>, published: (i32, u8, u8)) -> (i32, u8, u8) {
    let Some(raw) = epoch else { return published };
    // Years 1..=9999 only: PDF dates have four digits.
    match raw.trim().parse::<i64>().ok().filter(|s| (-62_135_596_800..=253_402_300_799).contains(s)) {
        Some(secs) => civil_from_days(secs.div_euclid(86_400)),
        None => {
            diags.push(
                Diagnostic::error(Code::InvalidValue, format!("SOURCE_DATE_EPOCH={raw} is not a number of seconds")).hint(
                    "set it to seconds since 1970-01-01 (e.g. `git log -1 --format=%ct`), or unset it to use report.toml's date",
                ),
            );
            published
        }
    }
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn epoch_days_to_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(18_931), (2021, 10, 31));
        assert_eq!(super::civil_from_days(19_052), (2022, 3, 1));
    }
}
