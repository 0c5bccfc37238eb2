//! The pre-hearing check on the test pattern and tone: the pattern is bright enough, the tone is
//! some background noise (a warning, not a problem), and the disk check uses the real free space.

use std::time::Duration;

use litigant_hearing::{CheckItem, CheckSettings, Source, Verdict, check_environment};

#[test]
fn the_test_source_is_seen_and_heard_and_the_disk_is_measured() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut settings = CheckSettings::new(data.path(), Source::test());
    settings.listen = Duration::from_millis(1500);
    settings.minutes = 1;
    let report = check_environment(&settings).expect("checks");
    assert_eq!(verdict_of(&report, CheckItem::Camera), Verdict::Ok);
    assert_eq!(verdict_of(&report, CheckItem::Microphone), Verdict::Ok);
    assert_eq!(
        verdict_of(&report, CheckItem::Light),
        Verdict::Ok,
        "{report:#?}"
    );
    // The test tone is a sine at 0.02 of full scale: about -37 dB RMS, some background noise.
    let noise = report.noise_db.expect("heard");
    assert!((-40.0..-34.0).contains(&noise), "{noise}");
    assert_eq!(verdict_of(&report, CheckItem::Noise), Verdict::Warning);
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.verdict == Verdict::Ok || f.fix.is_some())
    );
    assert_eq!(verdict_of(&report, CheckItem::Upload), Verdict::NotChecked);
    assert_eq!(report.worst(), Verdict::Warning);
    assert!(report.free_bytes > 0);
    assert_eq!(
        verdict_of(&report, CheckItem::Disk),
        Verdict::Ok,
        "{report:#?}"
    );

    // More minutes than any disk here holds.
    settings.minutes = u32::MAX;
    settings.listen = Duration::from_millis(300);
    let report = check_environment(&settings).expect("checks");
    assert!(report.needed_bytes > report.free_bytes);
    assert_eq!(verdict_of(&report, CheckItem::Disk), Verdict::Problem);
    assert_eq!(report.worst(), Verdict::Problem);
}

fn verdict_of(report: &litigant_hearing::EnvironmentReport, item: CheckItem) -> Verdict {
    report
        .findings
        .iter()
        .find(|f| f.item == item)
        .expect("finding")
        .verdict
}
