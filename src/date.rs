//! Dates as writers give them: `YYYY-MM-DD` or RFC 3339, and the looser
//! `YYYY` / `YYYY-MM` of founding years.

use std::cmp::Ordering;
use std::fmt;

/// A calendar date, with the exact instant when the writer gave one (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date {
    pub date: jiff::civil::Date,
    /// The time as written (`10:30:00+08:00`), when given.
    pub time: Option<String>,
    instant: Option<jiff::Timestamp>,
}

impl Date {
    /// Parses `YYYY-MM-DD` or an RFC 3339 timestamp.
    pub fn parse(text: &str) -> Result<Date, String> {
        let text = text.trim();
        let bad = || {
            format!(
                "`{text}` is not a date: write YYYY-MM-DD (e.g. 2024-05-18) or an RFC 3339 time"
            )
        };
        if text.len() == 10 {
            let date: jiff::civil::Date = text.parse().map_err(|_| bad())?;
            return Ok(Date {
                date,
                time: None,
                instant: None,
            });
        }
        let zoned: jiff::Timestamp = text.parse().map_err(|_| bad())?;
        let date: jiff::civil::Date = text
            .get(..10)
            .and_then(|d| d.parse().ok())
            .ok_or_else(bad)?;
        Ok(Date {
            date,
            time: Some(text[11..].to_string()),
            instant: Some(zoned),
        })
    }

    /// `YYYY-MM-DD`.
    pub fn ymd(&self) -> String {
        self.date.to_string()
    }

    pub fn year(&self) -> i16 {
        self.date.year()
    }

    /// `YYYY-MM`.
    pub fn month_key(&self) -> String {
        format!("{:04}-{:02}", self.date.year(), self.date.month())
    }

    /// RFC 3339, midnight UTC when only a date was given (feeds need a time).
    pub fn rfc3339(&self) -> String {
        match &self.time {
            Some(t) => format!("{}T{}", self.date, t),
            None => format!("{}T00:00:00Z", self.date),
        }
    }

    /// `2024年5月18日`.
    pub fn chinese(&self) -> String {
        format!(
            "{}年{}月{}日",
            self.date.year(),
            self.date.month(),
            self.date.day()
        )
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        self.date
            .cmp(&other.date)
            .then_with(|| self.instant.cmp(&other.instant))
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date)
    }
}

/// A year, a month or a day: `2019`, `2019-06` or `2019-06-01`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i16,
    pub month: Option<i8>,
    pub day: Option<i8>,
}

impl PartialDate {
    pub fn parse(text: &str) -> Result<PartialDate, String> {
        let text = text.trim();
        let bad = || format!("`{text}` is not a year or date: write YYYY, YYYY-MM or YYYY-MM-DD");
        let parts: Vec<&str> = text.split('-').collect();
        let num = |s: &str, len: usize| -> Option<i32> {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        match parts.as_slice() {
            [y] => {
                let year = num(y, 4).ok_or_else(bad)?;
                Ok(PartialDate {
                    year: year as i16,
                    month: None,
                    day: None,
                })
            }
            [y, m] => {
                let (year, month) = (num(y, 4).ok_or_else(bad)?, num(m, 2).ok_or_else(bad)?);
                if !(1..=12).contains(&month) {
                    return Err(bad());
                }
                Ok(PartialDate {
                    year: year as i16,
                    month: Some(month as i8),
                    day: None,
                })
            }
            [_, _, _] => {
                let d = Date::parse(text)?;
                Ok(PartialDate {
                    year: d.date.year(),
                    month: Some(d.date.month()),
                    day: Some(d.date.day()),
                })
            }
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let d = Date::parse("2024-05-18").unwrap();
        assert_eq!(d.rfc3339(), "2024-05-18T00:00:00Z");
        assert_eq!(d.chinese(), "2024年5月18日");
        let t = Date::parse("2024-05-18T09:30:00+08:00").unwrap();
        assert_eq!(t.ymd(), "2024-05-18");
        assert_eq!(t.rfc3339(), "2024-05-18T09:30:00+08:00");
        assert!(Date::parse("2024-13-01").is_err());
        assert!(Date::parse("2024-02-30").is_err());
        assert!(Date::parse("昨天").is_err());
    }

    #[test]
    fn partial_dates() {
        assert_eq!(PartialDate::parse("2019").unwrap().to_string(), "2019");
        assert_eq!(
            PartialDate::parse("2019-06").unwrap().to_string(),
            "2019-06"
        );
        assert_eq!(
            PartialDate::parse("2019-06-01").unwrap().to_string(),
            "2019-06-01"
        );
        assert!(PartialDate::parse("2019-13").is_err());
        assert!(PartialDate::parse("19").is_err());
    }
}
