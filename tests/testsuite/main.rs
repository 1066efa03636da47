//! vlr's integration tests, in one binary (as mdBook's `tests/testsuite/`): Typst is linked
//! once, and the tests share one pool of threads. Each module is one area of the tool; the
//! builder that sets up and builds a project is [`common::Project`].

mod common;

// This repository's book.
mod book;

// The tool, on fixture projects.
mod bad_input;
mod build;
mod cli;
mod conformance;
mod contract;
mod data_status;
mod diagnostics;
mod i18n;
mod images;
mod legibility;
mod locales;
mod new_city;
mod open_data;
mod preflight;
mod print_pdfx;
mod spreadsheets;
mod web;

// The code base itself.
mod house;
