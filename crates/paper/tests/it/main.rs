//! Integration tests of litigant-paper: every image in the shared corpus through the whole
//! pipeline, checked with the tools a court's intake would use (qpdf, poppler), and bad input.

mod bad_input;
mod corpus;
mod escl;
mod escl_server;
mod formats;
mod frame;
mod fuzz_replay;
mod heic;
mod jbig2;
mod ocr;
mod pdf_import;
mod scan;
mod split;
mod studio;
mod support;
