//! Pictures handed over by camera code as raw pixels: a kiosk's document camera gives frames,
//! not files. A frame is checked against its own description (size, row length, bytes) and
//! the decode limits before anything else is done with it, then kept as a lossless PNG in a
//! folder the caller owns, so the studio can go back to it (a turn, a re-crop) as it does to a
//! photo, and the page goes through the photo's pipeline: sheet found, perspective undone.

use std::io::BufWriter;
use std::path::{Path, PathBuf};

use image::ExtendedColorType;
use image::ImageEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};

use crate::decode::DecodeLimits;
use crate::error::PaperError;

/// How a frame's pixels are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FrameFormat {
    /// Red, green, blue: 3 bytes a pixel.
    Rgb8,
    /// Red, green, blue, alpha: 4 bytes a pixel; alpha is ignored.
    Rgba8,
    /// One byte a pixel.
    Gray8,
}

impl FrameFormat {
    pub fn bytes_per_pixel(self) -> usize {
        match self {
            Self::Rgb8 => 3,
            Self::Rgba8 => 4,
            Self::Gray8 => 1,
        }
    }
}

/// One camera frame, checked: its bytes hold exactly the rows its size says.
#[derive(Clone, PartialEq, Eq)]
pub struct Frame {
    width: u32,
    height: u32,
    stride: usize,
    format: FrameFormat,
    bytes: Vec<u8>,
}

impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Frame({}x{} {:?}, stride {})",
            self.width, self.height, self.format, self.stride
        )
    }
}

impl Frame {
    /// A frame of `width` × `height` pixels in `format`, rows `stride` bytes apart (a row
    /// may be padded past its pixels). Refused when the bytes do not match that description
    /// (the last row may omit its padding) or the frame exceeds `limits`.
    pub fn new(
        width: u32,
        height: u32,
        stride: usize,
        format: FrameFormat,
        bytes: Vec<u8>,
        limits: &DecodeLimits,
    ) -> Result<Self, PaperError> {
        let invalid = |detail: &str| PaperError::FrameInvalid {
            width,
            height,
            stride,
            bytes: bytes.len(),
            detail: detail.to_owned(),
        };
        if width == 0 || height == 0 {
            return Err(invalid("it has no pixels"));
        }
        let pixels = u64::from(width) * u64::from(height);
        if pixels > limits.max_pixels {
            return Err(PaperError::FrameTooLarge {
                actual: pixels,
                max: limits.max_pixels,
            });
        }
        if width.max(height) > limits.max_side {
            return Err(invalid(&format!(
                "a side is longer than {} pixels",
                limits.max_side
            )));
        }
        let row = width as usize * format.bytes_per_pixel();
        if stride < row {
            return Err(invalid(&format!(
                "a row of {width} pixels needs at least {row} bytes"
            )));
        }
        let needed = stride * (height as usize - 1) + row;
        if bytes.len() < needed {
            return Err(invalid(&format!("its rows need at least {needed} bytes")));
        }
        if bytes.len() > stride * height as usize {
            return Err(invalid(&format!(
                "it holds more than the {} bytes its rows take; are width and height right?",
                stride * height as usize
            )));
        }
        Ok(Self {
            width,
            height,
            stride,
            format,
            bytes,
        })
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    /// The pixels without row padding: RGB for colour formats (alpha dropped), else gray.
    fn packed(&self) -> (Vec<u8>, ExtendedColorType) {
        let width = self.width as usize;
        let per = self.format.bytes_per_pixel();
        let rows = self
            .bytes
            .chunks(self.stride)
            .take(self.height as usize)
            .map(|r| &r[..width * per]);
        match self.format {
            FrameFormat::Gray8 => (rows.flatten().copied().collect(), ExtendedColorType::L8),
            FrameFormat::Rgb8 => (rows.flatten().copied().collect(), ExtendedColorType::Rgb8),
            FrameFormat::Rgba8 => (
                rows.flat_map(|r| r.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]))
                    .collect(),
                ExtendedColorType::Rgb8,
            ),
        }
    }

    /// Writes the frame as a PNG at `path` (lossless: the page is made from the camera's
    /// own pixels).
    pub fn write_png(&self, path: &Path) -> Result<(), PaperError> {
        let write_err = |source| PaperError::Write {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::create(path).map_err(write_err)?;
        let (pixels, colour) = self.packed();
        // Fast compression: the file is a working copy, read back for turns and re-crops.
        PngEncoder::new_with_quality(
            BufWriter::new(file),
            CompressionType::Fast,
            FilterType::Adaptive,
        )
        .write_image(&pixels, self.width, self.height, colour)
        .map_err(|e| write_err(std::io::Error::other(e)))
    }

    /// Writes the frame into `dir` as the first free `frame-0001.png`, `frame-0002.png`, …
    /// and returns its path.
    pub fn keep_in(&self, dir: &Path) -> Result<PathBuf, PaperError> {
        let path = (1..=99_999)
            .map(|n| dir.join(format!("frame-{n:04}.png")))
            .find(|p| !p.exists())
            .ok_or_else(|| PaperError::Write {
                path: dir.to_path_buf(),
                source: std::io::Error::other("it already holds 99 999 frames"),
            })?;
        self.write_png(&path)?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(
        w: u32,
        h: u32,
        stride: usize,
        format: FrameFormat,
        len: usize,
    ) -> Result<Frame, PaperError> {
        Frame::new(w, h, stride, format, vec![7; len], &DecodeLimits::default())
    }

    #[test]
    fn a_frame_must_match_its_description() {
        assert!(frame(4, 2, 12, FrameFormat::Rgb8, 24).is_ok());
        // Padded rows, the last one without its padding.
        assert!(frame(4, 2, 16, FrameFormat::Rgb8, 28).is_ok());
        for (w, h, stride, format, len, says) in [
            (0, 2, 12, FrameFormat::Rgb8, 24, "no pixels"),
            (4, 2, 11, FrameFormat::Rgb8, 24, "at least 12 bytes"),
            (4, 2, 12, FrameFormat::Rgb8, 23, "at least 24 bytes"),
            (4, 2, 16, FrameFormat::Rgba8, 40, "more than the 32 bytes"),
            (2, 4, 4, FrameFormat::Gray8, 32, "more than the 16 bytes"),
        ] {
            let err = frame(w, h, stride, format, len).expect_err(says);
            assert_eq!(err.code(), "paper.frame.invalid", "{err}");
            assert!(err.to_string().contains(says), "{err}");
        }
        let limits = DecodeLimits {
            max_pixels: 100,
            ..DecodeLimits::default()
        };
        let err = Frame::new(20, 20, 20, FrameFormat::Gray8, vec![0; 400], &limits)
            .expect_err("too many pixels");
        assert!(
            matches!(
                err,
                PaperError::FrameTooLarge {
                    actual: 400,
                    max: 100
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn padding_and_alpha_are_dropped() {
        let bytes = vec![
            1, 2, 3, 255, 4, 5, 6, 255, 9, 9, // row 1 and two bytes of padding
            7, 8, 9, 0, 10, 11, 12, 0, // row 2 without padding
        ];
        let frame = Frame::new(
            2,
            2,
            10,
            FrameFormat::Rgba8,
            bytes,
            &DecodeLimits::default(),
        )
        .expect("valid");
        let (pixels, colour) = frame.packed();
        assert_eq!(colour, ExtendedColorType::Rgb8);
        assert_eq!(pixels, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    }
}
