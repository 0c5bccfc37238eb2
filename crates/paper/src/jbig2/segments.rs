//! Segment headers (T.88 7.2) and the segments a page needs, in the embedded organisation:
//! page information (7.4.8), then either one immediate lossless generic region (7.4.6), or a
//! symbol dictionary (7.4.2), the text region that refers to it (7.4.3) and, for what is not
//! text, a generic region.

use super::generic::NOMINAL_AT;

const SYMBOL_DICTIONARY: u8 = 0;
const IMMEDIATE_TEXT_REGION: u8 = 6;
const PAGE_INFORMATION: u8 = 48;
const IMMEDIATE_LOSSLESS_GENERIC_REGION: u8 = 39;

/// A segment header with a one-byte page association of page 1, which PDF requires of every
/// segment in an image `XObject`. `referred` are earlier segments this one uses; all numbers
/// stay below 256, so each takes one byte (7.2.5).
fn header(out: &mut Vec<u8>, number: u32, kind: u8, referred: &[u8], data_length: usize) {
    debug_assert!(referred.len() <= 4 && number < 256);
    out.extend_from_slice(&number.to_be_bytes());
    // Flags: not deferred-non-retain, 1-byte page association, the segment type.
    out.push(kind);
    // Referred-to segment count in the top three bits; retention bits 0: nothing needs to be
    // kept once the page is done, and a dictionary is not needed after its one text region.
    out.push((referred.len() as u8) << 5);
    out.extend_from_slice(referred);
    out.push(1);
    let length = u32::try_from(data_length).expect("a page's coded data is far below 4 GiB");
    out.extend_from_slice(&length.to_be_bytes());
}

fn page_information(out: &mut Vec<u8>, width: u32, height: u32) {
    let mut page = Vec::with_capacity(19);
    page.extend_from_slice(&width.to_be_bytes());
    page.extend_from_slice(&height.to_be_bytes());
    // Resolution unknown (0): the PDF placement gives the size on paper.
    page.extend_from_slice(&0u32.to_be_bytes());
    page.extend_from_slice(&0u32.to_be_bytes());
    // Flags: bit 0 "eventually lossless"; default pixel 0 (white), combination OR, no
    // refinement regions, no auxiliary buffers.
    page.push(0b0000_0001);
    // Not striped: the height above is the final height.
    page.extend_from_slice(&0u16.to_be_bytes());
    header(out, 0, PAGE_INFORMATION, &[], page.len());
    out.extend_from_slice(&page);
}

/// Where a generic region sits on the page: its box and its coded data.
pub(crate) struct GenericRegion<'a> {
    pub(crate) x: u32,
    pub(crate) y: u32,
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) coded: &'a [u8],
}

fn generic_region(out: &mut Vec<u8>, number: u32, region: &GenericRegion<'_>) {
    let mut head = Vec::with_capacity(26);
    // Region segment information field (7.4.1), combined by OR.
    head.extend_from_slice(&region.width.to_be_bytes());
    head.extend_from_slice(&region.height.to_be_bytes());
    head.extend_from_slice(&region.x.to_be_bytes());
    head.extend_from_slice(&region.y.to_be_bytes());
    head.push(0);
    // Generic region flags (7.4.6.2): MMR 0, GBTEMPLATE 0, TPGDON 1, no extended template.
    head.push(0b0000_1000);
    // The four adaptive template pixels as signed bytes (7.4.6.3).
    for (dx, dy) in NOMINAL_AT {
        head.extend_from_slice(&dx.to_be_bytes());
        head.extend_from_slice(&dy.to_be_bytes());
    }
    header(
        out,
        number,
        IMMEDIATE_LOSSLESS_GENERIC_REGION,
        &[],
        head.len() + region.coded.len(),
    );
    out.extend_from_slice(&head);
    out.extend_from_slice(region.coded);
}

/// The page information segment followed by one generic region covering the whole page.
pub(crate) fn page_stream(width: u32, height: u32, coded: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(coded.len() + 64);
    page_information(&mut out, width, height);
    let region = GenericRegion {
        x: 0,
        y: 0,
        width,
        height,
        coded,
    };
    generic_region(&mut out, 1, &region);
    out
}

/// Page information, the symbol dictionary (segment 1), the text region referring to it
/// (segment 2) and the generic region of what is not text, if any (segment 3).
pub(crate) fn symbol_page_stream(
    width: u32,
    height: u32,
    dictionary: &[u8],
    text: &[u8],
    rest: Option<&GenericRegion<'_>>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(dictionary.len() + text.len() + 128);
    page_information(&mut out, width, height);
    header(&mut out, 1, SYMBOL_DICTIONARY, &[], dictionary.len());
    out.extend_from_slice(dictionary);
    header(&mut out, 2, IMMEDIATE_TEXT_REGION, &[1], text.len());
    out.extend_from_slice(text);
    if let Some(region) = rest {
        generic_region(&mut out, 3, region);
    }
    out
}
