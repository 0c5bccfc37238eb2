//! Segment headers (T.88 7.2) and the two segments a page needs: page information (7.4.8) and
//! an immediate lossless generic region (7.4.6), in the embedded organisation.

use super::generic::NOMINAL_AT;

const PAGE_INFORMATION: u8 = 48;
const IMMEDIATE_LOSSLESS_GENERIC_REGION: u8 = 39;

/// A segment header with no referred-to segments and a one-byte page association of page 1,
/// which PDF requires of every segment in an image `XObject`.
fn header(out: &mut Vec<u8>, number: u32, kind: u8, data_length: usize) {
    out.extend_from_slice(&number.to_be_bytes());
    // Flags: not deferred-non-retain, 1-byte page association, the segment type.
    out.push(kind);
    // Referred-to segment count 0 and no retention bits.
    out.push(0);
    out.push(1);
    let length = u32::try_from(data_length).expect("a page's coded data is far below 4 GiB");
    out.extend_from_slice(&length.to_be_bytes());
}

/// The page information segment followed by one generic region covering the whole page.
pub(crate) fn page_stream(width: u32, height: u32, coded: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(coded.len() + 64);

    let mut page = Vec::with_capacity(19);
    page.extend_from_slice(&width.to_be_bytes());
    page.extend_from_slice(&height.to_be_bytes());
    // Resolution unknown (0): the PDF placement gives the size on paper.
    page.extend_from_slice(&0u32.to_be_bytes());
    page.extend_from_slice(&0u32.to_be_bytes());
    // Flags: bit 0 "eventually lossless"; default pixel 0 (white), combination OR, no
    // refinement, no auxiliary buffers.
    page.push(0b0000_0001);
    // Not striped: the height above is the final height.
    page.extend_from_slice(&0u16.to_be_bytes());
    header(&mut out, 0, PAGE_INFORMATION, page.len());
    out.extend_from_slice(&page);

    let mut region = Vec::with_capacity(26);
    // Region segment information field (7.4.1): the whole page at (0, 0), combined by OR.
    region.extend_from_slice(&width.to_be_bytes());
    region.extend_from_slice(&height.to_be_bytes());
    region.extend_from_slice(&0u32.to_be_bytes());
    region.extend_from_slice(&0u32.to_be_bytes());
    region.push(0);
    // Generic region flags (7.4.6.2): MMR 0, GBTEMPLATE 0, TPGDON 1, no extended template.
    region.push(0b0000_1000);
    // The four adaptive template pixels as signed bytes (7.4.6.3).
    for (dx, dy) in NOMINAL_AT {
        region.extend_from_slice(&dx.to_be_bytes());
        region.extend_from_slice(&dy.to_be_bytes());
    }
    header(
        &mut out,
        1,
        IMMEDIATE_LOSSLESS_GENERIC_REGION,
        region.len() + coded.len(),
    );
    out.extend_from_slice(&region);
    out.extend_from_slice(coded);
    out
}
