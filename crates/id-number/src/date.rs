//! Calendar dates without a dependency: identity numbers need only "is this a real day of the
//! Gregorian calendar" and "is it after today", and today is taken in China's time zone because
//! a child born just after midnight in Beijing is already registered under that date.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Serialize, Serializer};

/// A day of the Gregorian calendar, shown as `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// The earliest birth year accepted: GB 11643 numbers were first issued in the 1980s and 1999,
/// so a year before 1900 is a typing mistake, not a 125-year-old party.
pub const EARLIEST_BIRTH_YEAR: u16 = 1900;

/// China Standard Time is UTC+8 all year; there is no daylight saving.
const CHINA_OFFSET_SECONDS: u64 = 8 * 3600;

/// Why a birth date inside a number cannot be right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum DateProblem {
    MonthOutOfRange { month: u8 },
    DayOutOfRange { day: u8, days_in_month: u8 },
    BeforeEarliestYear { year: u16 },
    InTheFuture,
}

impl fmt::Display for DateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MonthOutOfRange { month } => write!(f, "there is no month {month:02}"),
            Self::DayOutOfRange { day, days_in_month } => write!(
                f,
                "day {day:02} does not exist (that month has {days_in_month} days)"
            ),
            Self::BeforeEarliestYear { year } => {
                write!(f, "the year {year} is before {EARLIEST_BIRTH_YEAR}")
            }
            Self::InTheFuture => f.write_str("the date is in the future"),
        }
    }
}

impl Date {
    /// A real calendar day, or why not.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Self, DateProblem> {
        if !(1..=12).contains(&month) {
            return Err(DateProblem::MonthOutOfRange { month });
        }
        let days_in_month = days_in_month(year, month);
        if day == 0 || day > days_in_month {
            return Err(DateProblem::DayOutOfRange { day, days_in_month });
        }
        Ok(Self { year, month, day })
    }

    /// Today in China (UTC+8), from the system clock.
    pub fn today_in_china() -> Self {
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        Self::from_days_since_epoch((seconds + CHINA_OFFSET_SECONDS) / 86_400)
    }

    /// The civil date `days` days after 1970-01-01 (Howard Hinnant's days-to-civil algorithm,
    /// restricted to dates after the epoch, which is all a clock can give).
    fn from_days_since_epoch(days: u64) -> Self {
        let z = days + 719_468;
        let era = z / 146_097;
        let day_of_era = z % 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + u64::from(month <= 2);
        Self {
            year: u16::try_from(year).unwrap_or(u16::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }
}

fn is_leap(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A birth date read from eight digits `YYYYMMDD`: a real day, not before 1900, not after today.
pub(crate) fn birth_date(digits: &[u8], today: Date) -> Result<Date, DateProblem> {
    let number = |range: std::ops::Range<usize>| {
        digits[range]
            .iter()
            .fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'))
    };
    let year = number(0..4);
    // Two digits each, so both fit in a u8.
    let month = u8::try_from(number(4..6)).unwrap_or(u8::MAX);
    let day = u8::try_from(number(6..8)).unwrap_or(u8::MAX);
    let date = Date::new(year, month, day)?;
    if year < EARLIEST_BIRTH_YEAR {
        return Err(DateProblem::BeforeEarliestYear { year });
    }
    if date > today {
        return Err(DateProblem::InTheFuture);
    }
    Ok(date)
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_month_lengths_and_leap_years() {
        assert!(Date::new(2000, 2, 29).is_ok());
        assert!(Date::new(2024, 2, 29).is_ok());
        assert_eq!(
            Date::new(1900, 2, 29),
            Err(DateProblem::DayOutOfRange {
                day: 29,
                days_in_month: 28
            })
        );
        assert_eq!(
            Date::new(1999, 4, 31),
            Err(DateProblem::DayOutOfRange {
                day: 31,
                days_in_month: 30
            })
        );
        assert_eq!(
            Date::new(1999, 13, 1),
            Err(DateProblem::MonthOutOfRange { month: 13 })
        );
        assert_eq!(
            Date::new(1999, 0, 1),
            Err(DateProblem::MonthOutOfRange { month: 0 })
        );
    }

    #[test]
    fn converts_days_since_the_epoch() {
        assert_eq!(Date::from_days_since_epoch(0).to_string(), "1970-01-01");
        assert_eq!(
            Date::from_days_since_epoch(11_016).to_string(),
            "2000-02-29"
        );
        assert_eq!(
            Date::from_days_since_epoch(19_782).to_string(),
            "2024-02-29"
        );
        assert_eq!(
            Date::from_days_since_epoch(20_454).to_string(),
            "2026-01-01"
        );
    }

    #[test]
    fn birth_dates_are_real_and_in_range() {
        let today = Date::new(2026, 5, 1).unwrap();
        assert_eq!(
            birth_date(b"19491231", today).unwrap().to_string(),
            "1949-12-31"
        );
        assert_eq!(birth_date(b"20260501", today).unwrap(), today);
        assert_eq!(
            birth_date(b"20260502", today),
            Err(DateProblem::InTheFuture)
        );
        assert_eq!(
            birth_date(b"18991231", today),
            Err(DateProblem::BeforeEarliestYear { year: 1899 })
        );
        assert_eq!(
            birth_date(b"19990230", today),
            Err(DateProblem::DayOutOfRange {
                day: 30,
                days_in_month: 28
            })
        );
    }

    #[test]
    fn today_is_plausible() {
        assert!(Date::today_in_china().year() >= 2025);
    }
}
