//! The scan studio's document model on corpus pages: thumbnails, reorder, turn, delete,
//! re-crop by four corners, findings per page, and the bundle it builds.

use litigant_paper::{
    ConvertOptions, Geometry, PageId, PaperError, QualityWarning, ScanStudio, THUMBNAIL_SIDE,
};

use crate::support::{assert_valid_bundle, corpus, text};

fn studio() -> ScanStudio {
    ScanStudio::new(ConvertOptions {
        created: Some(std::time::UNIX_EPOCH),
        ..ConvertOptions::default()
    })
}

fn sources(studio: &ScanStudio) -> Vec<String> {
    studio
        .pages()
        .iter()
        .map(|p| p.report().file.clone())
        .collect()
}

fn thumbnail_size(studio: &ScanStudio, at: usize) -> (u32, u32) {
    let thumb = studio.pages()[at].thumbnail();
    let decoded = image::load_from_memory(&thumb.jpeg).expect("the thumbnail is a JPEG");
    assert_eq!(
        (decoded.width(), decoded.height()),
        (thumb.width, thumb.height)
    );
    (thumb.width, thumb.height)
}

#[test]
fn pages_are_added_reordered_turned_and_deleted_and_the_bundle_follows() {
    let mut studio = studio();
    let invoice = studio
        .add_file(&corpus().join("zh_scan_vat_invoice_testsample_redseal.jpg"))
        .expect("adds");
    let map = studio
        .add_file(&corpus().join("scan_baiona_color_map.png"))
        .expect("adds");
    let letter = studio
        .add_file(&corpus().join("photo_letter_signature_shadow.jpg"))
        .expect("adds");
    assert_eq!(studio.pages().len(), 3);
    for at in 0..3 {
        let (w, h) = thumbnail_size(&studio, at);
        assert!(w.max(h) <= THUMBNAIL_SIDE && w.min(h) > 20, "{w}x{h}");
    }

    studio.move_page(letter[0], 0).expect("moves");
    assert_eq!(
        sources(&studio),
        [
            "photo_letter_signature_shadow.jpg",
            "zh_scan_vat_invoice_testsample_redseal.jpg",
            "scan_baiona_color_map.png"
        ]
    );
    // Reports and findings carry the new page numbers.
    let numbers: Vec<usize> = studio.pages().iter().map(|p| p.report().page).collect();
    assert_eq!(numbers, [1, 2, 3]);
    for w in studio.warnings() {
        let page = &studio.pages()[w.page() - 1];
        assert!(w.to_string().contains(&page.report().file), "{w}");
    }

    // The invoice is wider than tall; a quarter turn makes it taller than wide.
    let before = thumbnail_size(&studio, 1);
    assert!(before.0 > before.1);
    studio.rotate(invoice[0], 1).expect("turns");
    assert_eq!(studio.pages()[1].turn(), 90);
    assert_eq!(thumbnail_size(&studio, 1), (before.1, before.0));
    studio.rotate(invoice[0], -1).expect("turns back");
    assert_eq!(studio.pages()[1].turn(), 0);
    studio.rotate(invoice[0], 1).expect("turns");

    studio.delete(map[0]).expect("deletes");
    assert_eq!(studio.pages().len(), 2);
    let unknown = studio.delete(map[0]).expect_err("already gone");
    assert!(
        matches!(unknown, PaperError::StudioPageUnknown { .. }),
        "{unknown}"
    );
    assert!(studio.rotate(PageId(999), 1).is_err());

    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("studio.pdf");
    let report = studio.build(&out).expect("builds");
    assert_valid_bundle(&out, 2);
    assert_eq!(report.pages.len(), 2);
    // The turned invoice is a portrait page now.
    let info = text(
        "pdfinfo",
        &["-f", "2", "-l", "2", out.to_str().expect("utf-8")],
    );
    let size = info
        .lines()
        .find(|l| l.starts_with("Page    2 size:"))
        .expect("page size line");
    let numbers: Vec<f64> = size
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    assert!(numbers[1] < numbers[2], "{size}");
}

#[test]
fn a_page_is_recropped_by_four_corners_and_bad_corners_change_nothing() {
    let mut studio = studio();
    let ids = studio
        .add_file(&corpus().join("photo_letter_signature_shadow.jpg"))
        .expect("adds");
    let id = ids[0];
    // The left half of the 880 × 660 photo, corners in any order.
    let corners = [[440.0, 660.0], [0.0, 0.0], [440.0, 0.0], [0.0, 660.0]];
    studio.recrop(id, Some(corners)).expect("recrops");
    let page = &studio.pages()[0];
    assert_eq!(page.chosen_corners(), Some(corners));
    match &page.report().geometry {
        Geometry::Sheet { corners } => {
            assert_eq!(
                *corners,
                [[0.0, 0.0], [440.0, 0.0], [440.0, 660.0], [0.0, 660.0]]
            );
        }
        other @ Geometry::FullFrame { .. } => panic!("expected the chosen sheet, got {other:?}"),
    }
    let (w, h) = thumbnail_size(&studio, 0);
    let aspect = f64::from(w) / f64::from(h);
    assert!((aspect - 440.0 / 660.0).abs() < 0.02, "{w}x{h}");

    let outside = [[0.0, 0.0], [2000.0, 0.0], [2000.0, 660.0], [0.0, 660.0]];
    let err = studio
        .recrop(id, Some(outside))
        .expect_err("outside the photo");
    assert_eq!(err.code(), "paper.corners_invalid");
    assert!(err.to_string().contains("880 × 660"), "{err}");
    let line = [[0.0, 0.0], [100.0, 100.0], [200.0, 200.0], [300.0, 300.0]];
    assert!(studio.recrop(id, Some(line)).is_err());
    assert_eq!(studio.pages()[0].chosen_corners(), Some(corners));

    // Back to the detected outline.
    studio.recrop(id, None).expect("recrops");
    assert_eq!(studio.pages()[0].chosen_corners(), None);
}

#[test]
fn duplicates_are_found_across_the_current_order_and_an_empty_studio_builds_nothing() {
    let mut studio = studio();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("empty.pdf");
    assert!(matches!(studio.build(&out), Err(PaperError::StudioEmpty)));
    assert!(!out.exists());

    let first = studio
        .add_file(&corpus().join("scan_baiona_color_map.png"))
        .expect("adds");
    studio
        .add_file(&corpus().join("zh_scan_vat_invoice_testsample_redseal.jpg"))
        .expect("adds");
    studio
        .add_file(&corpus().join("scan_baiona_color_map.png"))
        .expect("adds again");
    let duplicates = |s: &ScanStudio| -> Vec<(usize, usize)> {
        s.warnings()
            .iter()
            .filter_map(|w| match w {
                QualityWarning::LikelyDuplicate { page, of_page, .. } => Some((*page, *of_page)),
                _ => None,
            })
            .collect()
    };
    assert_eq!(duplicates(&studio), [(3, 1)]);
    studio.move_page(first[0], 1).expect("moves");
    assert_eq!(duplicates(&studio), [(3, 2)]);
}

#[test]
fn the_studio_turns_pages_upright_and_says_when_it_cannot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = image::open(corpus().join("scan_linn_300dpi_2col.png")).expect("decodes");
    let sideways = dir.path().join("sideways.png");
    page.crop_imm(0, 0, page.width(), 1400)
        .rotate90()
        .save(&sideways)
        .expect("write");

    let mut studio = ScanStudio::new(ConvertOptions {
        orient: true,
        ..ConvertOptions::default()
    });
    let id = studio.add_file(&sideways).expect("adds")[0];
    let orientation = studio.pages()[0].report().orientation.expect("checked");
    assert_eq!(orientation.rotated, 270);
    // Upright, the crop is wider than tall; the person's extra turn comes on top.
    let (w, h) = thumbnail_size(&studio, 0);
    assert!(w > h, "{w}x{h}");
    studio.rotate(id, 1).expect("turns");
    assert_eq!(thumbnail_size(&studio, 0), (h, w));
    assert!(studio.ocr_problems().is_empty());

    let mut without = ScanStudio::new(ConvertOptions {
        orient: true,
        ocr: Some(litigant_paper::OcrOptions {
            program: "/nonexistent/tesseract".into(),
            ..litigant_paper::OcrOptions::default()
        }),
        ..ConvertOptions::default()
    });
    without.add_file(&sideways).expect("adds all the same");
    let codes: Vec<&str> = without
        .ocr_problems()
        .iter()
        .map(litigant_paper::OcrProblem::code)
        .collect();
    assert_eq!(codes, ["paper.ocr.program_missing"]);
    assert!(without.pages()[0].report().orientation.is_none());
}

#[test]
fn the_source_preview_is_the_whole_source_shrunk_for_dragging_corners() {
    let mut studio = studio();
    let ids = studio
        .add_file(&corpus().join("photo_page_sparse_wood.png"))
        .expect("adds");
    let report = studio.pages()[0].report().clone();
    let preview = studio.source_preview(ids[0], 500).expect("previews");
    assert!(preview.width.max(preview.height) <= 500, "{preview:?}");
    // The same shape as the source (a whole-factor shrink), not the cropped page's.
    let source = f64::from(report.source_width) / f64::from(report.source_height);
    let shown = f64::from(preview.width) / f64::from(preview.height);
    assert!((source - shown).abs() < 0.01, "{source} vs {shown}");
    assert!(image::load_from_memory(&preview.jpeg).is_ok());
    assert!(matches!(
        studio.source_preview(PageId(99), 500),
        Err(PaperError::StudioPageUnknown { id: 99 })
    ));
}

#[test]
fn a_bundle_built_with_text_is_searchable_with_the_pages_as_they_were_fixed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut studio = studio();
    let scan = studio
        .add_file(&corpus().join("scan_linn_300dpi_2col.png"))
        .expect("adds");
    studio
        .add_file(&corpus().join("photo_letter_signature_shadow.jpg"))
        .expect("adds");
    // Turned twice and back: the text layer follows the stored page, not the source.
    studio.rotate(scan[0], 2).expect("turns");
    studio.rotate(scan[0], 2).expect("turns back");
    studio.move_page(scan[0], 1).expect("moves");

    let out = dir.path().join("searchable.pdf");
    let report = studio
        .build_with_text(&out, Some(&litigant_paper::OcrOptions::default()))
        .expect("builds");
    assert!(report.ocr_problems.is_empty(), "{:?}", report.ocr_problems);
    assert_valid_bundle(&out, 2);
    let path = out.to_str().expect("utf-8 temp path");
    let second = text("pdftotext", &["-f", "2", "-l", "2", path, "-"]);
    assert!(second.contains("LinnSequencer"), "{second}");
    let scan_text = report.pages[1].text.expect("the scan has a text layer");
    assert!(scan_text.words > 20, "{scan_text:?}");

    // Without OCR the same studio writes no text.
    let plain = dir.path().join("plain.pdf");
    let report = studio.build(&plain).expect("builds");
    assert!(report.pages.iter().all(|p| p.text.is_none()));
    let plain = plain.to_str().expect("utf-8 temp path");
    assert!(text("pdftotext", &[plain, "-"]).trim().is_empty());
}

#[test]
fn without_tesseract_the_bundle_is_built_without_text_and_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut studio = studio();
    studio
        .add_file(&corpus().join("scan_baiona_color_map.png"))
        .expect("adds");
    let out = dir.path().join("no-ocr.pdf");
    let missing = litigant_paper::OcrOptions {
        program: dir.path().join("no-such-tesseract"),
        ..litigant_paper::OcrOptions::default()
    };
    let report = studio
        .build_with_text(&out, Some(&missing))
        .expect("builds without text");
    assert_valid_bundle(&out, 1);
    assert!(
        matches!(
            report.ocr_problems.as_slice(),
            [litigant_paper::OcrProblem::ProgramMissing { .. }]
        ),
        "{:?}",
        report.ocr_problems
    );
    assert!(report.pages[0].text.is_none());
}
