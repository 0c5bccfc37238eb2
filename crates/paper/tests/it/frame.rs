//! Camera frames (a kiosk's document camera) as pages: raw pixels made from a corpus photo of
//! a sheet on a dark table, handed in as the camera code would, with padded rows.

use litigant_paper::{DecodeLimits, Frame, FrameFormat, Geometry, PaperError, ScanStudio};

use crate::support::{assert_valid_bundle, corpus};

/// The photo at about a document camera's resolution, as rows `pad` bytes longer than its
/// pixels, in `format`.
fn camera_frame(format: FrameFormat, pad: usize) -> Frame {
    let photo = image::open(corpus().join("photo_textpage_darkbg_tall.jpg"))
        .expect("corpus photo")
        .thumbnail(1500, 2700);
    let (width, height) = (photo.width(), photo.height());
    let pixels = match format {
        FrameFormat::Rgb8 => photo.to_rgb8().into_raw(),
        FrameFormat::Rgba8 => photo.to_rgba8().into_raw(),
        FrameFormat::Gray8 => photo.to_luma8().into_raw(),
    };
    let row = width as usize * format.bytes_per_pixel();
    let stride = row + pad;
    let mut bytes = Vec::with_capacity(stride * height as usize);
    for line in pixels.chunks_exact(row) {
        bytes.extend_from_slice(line);
        bytes.resize(bytes.len() + pad, 0xAB);
    }
    Frame::new(
        width,
        height,
        stride,
        format,
        bytes,
        &DecodeLimits::default(),
    )
    .expect("valid")
}

#[test]
fn a_camera_frame_is_a_photo_page_its_sheet_found_and_flattened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut studio = ScanStudio::new(litigant_paper::ConvertOptions::default());
    let frame = camera_frame(FrameFormat::Rgb8, 8);
    let id = studio.add_frame(&frame, dir.path()).expect("adds");
    let page = &studio.pages()[0];
    assert_eq!(page.id(), id);
    let report = page.report();
    assert_eq!(report.file, "frame-0001.png");
    assert_eq!(
        (report.source_width, report.source_height),
        (frame.width(), frame.height())
    );
    let Geometry::Sheet { corners } = report.geometry else {
        panic!("the sheet was not found: {:?}", report.geometry);
    };
    // The dark table shows around the sheet: the page was cropped to it.
    let (w, h) = (f64::from(frame.width()), f64::from(frame.height()));
    for [x, y] in corners {
        assert!(
            x > 5.0 && y > 5.0 && x < w - 5.0 && y < h - 5.0,
            "{corners:?}"
        );
    }
    // A second frame (alpha and gray frames too) numbers on; turning re-reads the kept PNG.
    studio
        .add_frame(&camera_frame(FrameFormat::Rgba8, 0), dir.path())
        .expect("adds");
    let gray = studio
        .add_frame(&camera_frame(FrameFormat::Gray8, 3), dir.path())
        .expect("adds");
    studio.rotate(gray, 1).expect("turns");
    assert_eq!(studio.pages()[1].report().file, "frame-0002.png");
    let out = dir.path().join("camera.pdf");
    studio.build(&out).expect("builds");
    assert_valid_bundle(&out, 3);
}

#[test]
fn a_damaged_frame_adds_nothing_and_leaves_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Width and height swapped by the camera code: the bytes do not fit the rows.
    let err = Frame::new(
        480,
        640,
        640 * 3,
        FrameFormat::Rgb8,
        vec![0; 640 * 480 * 3],
        &DecodeLimits::default(),
    )
    .expect_err("rows do not fit");
    assert!(matches!(err, PaperError::FrameInvalid { .. }), "{err}");
    assert!(err.to_string().contains("480x640"), "{err}");
    // A valid but uniform frame is still a page (blank, with its finding), not an error.
    let mut studio = ScanStudio::new(litigant_paper::ConvertOptions::default());
    let blank = Frame::new(
        64,
        48,
        64,
        FrameFormat::Gray8,
        vec![255; 64 * 48],
        &DecodeLimits::default(),
    )
    .expect("valid");
    studio.add_frame(&blank, dir.path()).expect("adds");
    assert_eq!(studio.pages().len(), 1);
    // A folder that cannot be written: nothing is added.
    let missing = dir.path().join("gone");
    let err = studio.add_frame(&blank, &missing).expect_err("no folder");
    assert_eq!(err.code(), "paper.write_failed");
    assert_eq!(studio.pages().len(), 1);
}
