//! Re-verification before the steps that need it (Art. 7(3)): mediation, evidence exchange and
//! hearings may only go ahead while the person's last identity check is recent. The platform
//! enforces its own limit; the app asks first, so the person re-verifies before starting a step
//! rather than being refused halfway through one.

use chrono::{DateTime, Duration, Utc};
use litigant_court_api::policy::LitigationLink;

/// How long an assurance must still hold when a step starts: a step that takes a few minutes
/// (a recorded answer, an exchange session) must not run out of assurance while it is under way.
pub const STEP_MARGIN: Duration = Duration::minutes(5);

/// Whether a litigation link needs a recent re-verification at all (Art. 7(3) names mediation,
/// evidence exchange and hearings; the other links only need the registration).
pub fn needs_recent_assurance(link: LitigationLink) -> bool {
    matches!(
        link,
        LitigationLink::Mediation | LitigationLink::EvidenceExchange | LitigationLink::Hearing
    )
}

/// The answer for one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assurance {
    /// The step does not need a recent re-verification.
    NotRequired,
    /// The last re-verification holds until `valid_until`, long enough for the step.
    Holds { valid_until: DateTime<Utc> },
    /// Re-verify first: there has been none (`last` is `None`), or it ran out (or runs out
    /// within [`STEP_MARGIN`]) at `valid_until`.
    Needed {
        last: Option<DateTime<Utc>>,
        valid_until: Option<DateTime<Utc>>,
    },
}

impl Assurance {
    pub fn needed(self) -> bool {
        matches!(self, Self::Needed { .. })
    }
}

/// Decides whether `link` may go ahead at `now`, given when the person last re-verified
/// (`assurance_at`, from the platform) and how long the platform accepts one (`max_age`, from
/// its policy).
pub fn assurance_for(
    link: LitigationLink,
    assurance_at: Option<DateTime<Utc>>,
    max_age: Duration,
    now: DateTime<Utc>,
) -> Assurance {
    if !needs_recent_assurance(link) {
        return Assurance::NotRequired;
    }
    let Some(last) = assurance_at else {
        return Assurance::Needed {
            last: None,
            valid_until: None,
        };
    };
    let valid_until = last + max_age;
    if valid_until - STEP_MARGIN > now {
        Assurance::Holds { valid_until }
    } else {
        Assurance::Needed {
            last: Some(last),
            valid_until: Some(valid_until),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(minutes)
    }

    #[test]
    fn only_mediation_evidence_exchange_and_hearings_need_it() {
        let needing: Vec<_> = LitigationLink::ALL
            .into_iter()
            .filter(|link| needs_recent_assurance(*link))
            .collect();
        assert_eq!(
            needing,
            [
                LitigationLink::Mediation,
                LitigationLink::EvidenceExchange,
                LitigationLink::Hearing
            ]
        );
        assert_eq!(
            assurance_for(LitigationLink::Filing, None, Duration::minutes(30), at(0)),
            Assurance::NotRequired
        );
    }

    #[test]
    fn a_recent_assurance_holds_until_the_margin_and_then_is_needed_again() {
        let max_age = Duration::minutes(30);
        assert_eq!(
            assurance_for(LitigationLink::Hearing, None, max_age, at(0)),
            Assurance::Needed {
                last: None,
                valid_until: None
            }
        );
        assert_eq!(
            assurance_for(LitigationLink::Hearing, Some(at(0)), max_age, at(24)),
            Assurance::Holds {
                valid_until: at(30)
            }
        );
        // 25 minutes in, only 5 are left: not enough for a step.
        let late = assurance_for(LitigationLink::Mediation, Some(at(0)), max_age, at(25));
        assert!(late.needed());
        assert_eq!(
            late,
            Assurance::Needed {
                last: Some(at(0)),
                valid_until: Some(at(30))
            }
        );
        assert!(
            assurance_for(
                LitigationLink::EvidenceExchange,
                Some(at(0)),
                max_age,
                at(90)
            )
            .needed()
        );
    }
}
