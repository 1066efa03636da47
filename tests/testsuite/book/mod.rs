//! The acceptance tests of this repository's book, the 2021 Shanghai VLR, apart from the
//! tool's: its structure, both languages, and reference renders of its page types
//! (`cargo test --release book::` runs only these).

mod content;
mod i18n;
mod visual;
