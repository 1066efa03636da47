//! An ICC profile's header: what a printing condition's profile is (class, colour space,
//! version), read when the theme names one and again when the print PDF is checked.

/// What an ICC profile's header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IccHeader {
    /// The size the header declares.
    pub size: usize,
    /// Profile/device class: `prtr` for an output profile.
    pub class: [u8; 4],
    /// Data colour space: `CMYK`, `RGB `, `GRAY`.
    pub colour_space: [u8; 4],
    /// Major and minor version.
    pub version: (u8, u8),
}

impl IccHeader {
    /// Channels of the data colour space, as the PDF's `/N` must say.
    pub fn channels(&self) -> Option<i64> {
        match &self.colour_space {
            b"GRAY" => Some(1),
            b"RGB " | b"Lab " => Some(3),
            b"CMYK" => Some(4),
            _ => None,
        }
    }

    /// An output (printer) profile for CMYK, as a PDF/X output intent for offset needs.
    pub fn is_cmyk_output(&self) -> bool {
        &self.class == b"prtr" && &self.colour_space == b"CMYK"
    }
}

/// The header of an ICC profile, or why these bytes are not one.
pub fn icc_header(bytes: &[u8]) -> Result<IccHeader, String> {
    if bytes.len() < 132 || &bytes[36..40] != b"acsp" {
        return Err("not an ICC profile (no `acsp` signature)".into());
    }
    let four = |at: usize| -> [u8; 4] { bytes[at..at + 4].try_into().expect("four bytes") };
    let size = u32::from_be_bytes(four(0)) as usize;
    if size != bytes.len() {
        return Err(format!("the profile declares {size} bytes but has {}", bytes.len()));
    }
    Ok(IccHeader { size, class: four(12), colour_space: four(16), version: (bytes[8], bytes[9] >> 4) })
}

pub fn fourcc(b: &[u8; 4]) -> String {
    String::from_utf8_lossy(b).trim_end().to_string()
}
