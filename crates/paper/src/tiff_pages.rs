//! TIFF files: every page of a multi-page file, 1-bit (G4 fax scans), gray and colour, 8 or 16
//! bits, with the resolution the scanner recorded.

use std::io::Cursor;
use std::path::Path;

use tiff::ColorType as TiffColor;
use tiff::decoder::{Decoder as TiffDecoder, DecodingResult};
use tiff::tags::{PhotometricInterpretation, ResolutionUnit, Tag};

use crate::decode::{
    DecodeLimits, PageOrigin, SourcePage, check_dimensions, corrupt, plausible_dpi,
};
use crate::error::PaperError;
use crate::raster::Raster;

/// Every page of a TIFF file, in order, each checked against the limits before it is decoded.
pub(crate) fn decode_tiff(
    path: &Path,
    bytes: &[u8],
    limits: &DecodeLimits,
) -> Result<Vec<SourcePage>, PaperError> {
    let mut tiff_limits = tiff::decoder::Limits::default();
    tiff_limits.decoding_buffer_size =
        usize::try_from(limits.max_pixels.saturating_mul(4)).unwrap_or(usize::MAX);
    let mut decoder = TiffDecoder::new(Cursor::new(bytes))
        .map_err(|e| corrupt(path, 1, &e))?
        .with_limits(tiff_limits);
    let mut pages = Vec::new();
    loop {
        let page = pages.len() + 1;
        if page > limits.max_pages {
            return Err(PaperError::DecodeLimitExceeded {
                path: path.to_path_buf(),
                page,
                limit: "pages in one file",
                actual: page as u64,
                max: limits.max_pages as u64,
            });
        }
        let dims = decoder.dimensions().map_err(|e| corrupt(path, page, &e))?;
        check_dimensions(path, page, dims, limits)?;
        let raster = tiff_page(path, page, &mut decoder, dims)?;
        let dpi = tiff_dpi(&mut decoder);
        pages.push(SourcePage {
            raster,
            dpi,
            page_in_file: page,
            origin: PageOrigin::Image,
            jpeg: None,
        });
        if !decoder.more_images() {
            break;
        }
        decoder
            .next_image()
            .map_err(|e| corrupt(path, page + 1, &e))?;
    }
    Ok(pages)
}

fn tiff_page(
    path: &Path,
    page: usize,
    decoder: &mut TiffDecoder<Cursor<&[u8]>>,
    (w, h): (u32, u32),
) -> Result<Raster, PaperError> {
    let colour = decoder.colortype().map_err(|e| corrupt(path, page, &e))?;
    let white_is_zero = matches!(
        decoder
            .find_tag(Tag::PhotometricInterpretation)
            .ok()
            .flatten()
            .and_then(|v| v.into_u16().ok()),
        Some(v) if v == PhotometricInterpretation::WhiteIsZero.to_u16()
    );
    let data = decoder.read_image().map_err(|e| corrupt(path, page, &e))?;
    let (wu, hu) = (w as usize, h as usize);
    let bad_len = || corrupt(path, page, &"the page holds fewer pixels than it declares");
    let samples: Vec<u8> = match data {
        DecodingResult::U8(v) => v,
        // Keep the high byte: 8 bits a channel are all that a page image needs.
        DecodingResult::U16(v) => v.into_iter().map(|s| (s >> 8) as u8).collect(),
        _ => return Err(corrupt(path, page, &"unsupported TIFF sample format")),
    };
    let raster = match colour {
        TiffColor::Gray(1) => {
            let stride = wu.div_ceil(8);
            if samples.len() < stride * hu {
                return Err(bad_len());
            }
            let mut gray = vec![0u8; wu * hu];
            for (y, row) in gray.chunks_exact_mut(wu).enumerate() {
                let src = &samples[y * stride..(y + 1) * stride];
                for (x, px) in row.iter_mut().enumerate() {
                    let bit = (src[x / 8] >> (7 - (x % 8))) & 1;
                    *px = if bit == 1 { 255 } else { 0 };
                }
            }
            Raster::gray(w, h, gray)
        }
        TiffColor::Gray(8 | 16) => {
            if samples.len() < wu * hu {
                return Err(bad_len());
            }
            let mut gray = samples;
            gray.truncate(wu * hu);
            Raster::gray(w, h, gray)
        }
        TiffColor::RGB(8 | 16) => {
            if samples.len() < wu * hu * 3 {
                return Err(bad_len());
            }
            let mut rgb = samples;
            rgb.truncate(wu * hu * 3);
            Raster::rgb(w, h, rgb)
        }
        TiffColor::RGBA(8 | 16) => {
            if samples.len() < wu * hu * 4 {
                return Err(bad_len());
            }
            let rgb = samples
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect();
            Raster::rgb(w, h, rgb)
        }
        other => {
            return Err(corrupt(
                path,
                page,
                &format_args!("unsupported TIFF colour type {other:?}"),
            ));
        }
    };
    // WhiteIsZero applies to every gray depth: invert so that 255 is paper.
    Ok(if white_is_zero {
        raster.inverted()
    } else {
        raster
    })
}

fn tiff_dpi(decoder: &mut TiffDecoder<Cursor<&[u8]>>) -> Option<f32> {
    let x = decoder.find_tag(Tag::XResolution).ok().flatten()?;
    let dpi = match x {
        tiff::decoder::ifd::Value::Rational(n, d) if d != 0 => n as f32 / d as f32,
        other => other.into_f32().ok()?,
    };
    let unit = decoder
        .find_tag(Tag::ResolutionUnit)
        .ok()
        .flatten()
        .and_then(|v| v.into_u16().ok())
        .unwrap_or(ResolutionUnit::Inch.to_u16());
    let dpi = if unit == ResolutionUnit::Centimeter.to_u16() {
        dpi * 2.54
    } else if unit == ResolutionUnit::Inch.to_u16() {
        dpi
    } else {
        return None;
    };
    plausible_dpi(dpi)
}
