//! The typed front matter of each kind of file (SPEC §3), and the small value
//! types that check themselves while being read (counts, dates, locations…).
//!
//! Every field is optional here; what is required is checked with the file's
//! other rules, so one file reports all of its problems at once.

use crate::date::{Date, PartialDate};
use crate::yaml;
use serde::Deserialize;
use serde::de::{self, Deserializer, Unexpected, Visitor};
use std::collections::BTreeMap;
use std::fmt;

/// Fields every file may have.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct Common {
    pub title: Option<Text>,
    pub slug: Option<Text>,
    pub date: Option<DateField>,
    pub draft: Option<bool>,
    pub summary: Option<String>,
    pub tags: Option<Vec<Text>>,
    pub cover: Option<String>,
    pub weight: Option<i64>,
    pub extra: Option<yaml::Value>,
}

/// A practice unit's `_index.md`.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct UnitFields {
    pub level: Option<String>,
    pub established: Option<PartialDateField>,
    pub address: Option<String>,
    pub location: Option<Location>,
    pub area_m2: Option<NonNegative>,
    pub rating: Option<Rating>,
    pub platforms: Option<Vec<String>>,
    pub stats: Option<BTreeMap<String, Count>>,
    pub contact: Option<Contact>,
    pub honors: Option<Vec<Honor>>,
}

/// A hall's `_index.md` (`type: hall`).
#[derive(Debug, Default, Clone, Deserialize)]
pub struct HallFields {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub opens: Option<DateField>,
    pub closes: Option<DateField>,
}

/// A zone's `_index.md`.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ZoneFields {
    pub include: Option<Include>,
}

/// A brand project.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ProjectFields {
    pub platform: Option<String>,
    pub since: Option<PartialDateField>,
    pub awards: Option<Vec<Award>>,
    pub teams: Option<Vec<Text>>,
    pub partners: Option<Vec<Text>>,
}

/// A lecture, volunteer or expert team.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct TeamFields {
    pub kind: Option<String>,
    pub members: Option<Count>,
    pub founded: Option<PartialDateField>,
    pub topics: Option<Vec<Text>>,
    pub platform: Option<String>,
}

/// An event.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct EventFields {
    pub end_date: Option<DateField>,
    pub platform: Option<String>,
    pub participants: Option<Count>,
    pub teams: Option<Vec<Text>>,
    pub projects: Option<Vec<Text>>,
    pub place: Option<String>,
    pub photos: Option<Vec<Photo>>,
}

/// An exhibit of the hall.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct ExhibitFields {
    pub medium: Option<String>,
    pub author: Option<String>,
    pub year: Option<Text>,
    pub unit: Option<Text>,
    pub images: Option<Vec<Photo>>,
    pub video: Option<String>,
    pub poster: Option<String>,
}

/// `contact:` of a unit.
#[derive(Debug, Default, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub phone: Option<Text>,
    pub email: Option<String>,
    pub hours: Option<String>,
}

/// An honor: a plain string, or `{year, title}`.
#[derive(Debug, Clone)]
pub struct Honor {
    pub year: Option<PartialDate>,
    pub title: String,
}

/// An award of a project: `{year, title, level}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Award {
    pub year: Option<PartialDateField>,
    pub title: Text,
    pub level: Option<String>,
}

/// A picture: `{src, alt, caption}`, or just the path.
#[derive(Debug, Clone)]
pub struct Photo {
    pub src: String,
    pub alt: Option<String>,
    pub caption: Option<String>,
}

/// What a zone pulls in from the units.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Include {
    pub kinds: Option<Vec<IncludeKind>>,
    pub platforms: Option<Vec<String>>,
    pub tags: Option<Vec<Text>>,
    pub under: Option<Text>,
    pub limit: Option<usize>,
}

/// The kinds a zone can include.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IncludeKind {
    Project,
    Team,
    Event,
}

/// Text written as a string or a number (`title: 2024`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A figure: a non-negative whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count(pub u64);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Count;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a non-negative whole number")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
                Ok(Count(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
                u64::try_from(v)
                    .map(Count)
                    .map_err(|_| E::custom(format!("figures cannot be negative, found {v}")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Count, E> {
                Err(E::invalid_value(Unexpected::Float(v), &self))
            }
        }
        d.deserialize_any(V)
    }
}

/// A non-negative number (an area).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NonNegative(pub f64);

impl<'de> Deserialize<'de> for NonNegative {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        if v.is_finite() && v >= 0.0 {
            Ok(NonNegative(v))
        } else {
            Err(de::Error::custom(format!(
                "must be a number of 0 or more, found {v}"
            )))
        }
    }
}

/// A star rating from 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rating(pub f64);

impl<'de> Deserialize<'de> for Rating {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        if (1.0..=5.0).contains(&v) {
            Ok(Rating(v))
        } else {
            Err(de::Error::custom(format!(
                "a rating is 1 to 5 stars, found {v}"
            )))
        }
    }
}

/// `[lat, lon]` in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
}

impl<'de> Deserialize<'de> for Location {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Vec::<f64>::deserialize(d)?;
        match v.as_slice() {
            [lat, lon] if (-90.0..=90.0).contains(lat) && (-180.0..=180.0).contains(lon) => {
                Ok(Location {
                    lat: *lat,
                    lon: *lon,
                })
            }
            [lat, lon] => Err(de::Error::custom(format!(
                "[{lat}, {lon}] is not a place on Earth: write [latitude, longitude], latitude within ±90"
            ))),
            _ => Err(de::Error::custom(
                "write the location as [latitude, longitude]",
            )),
        }
    }
}

/// A `YYYY-MM-DD` or RFC 3339 date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateField(pub Date);

impl<'de> Deserialize<'de> for DateField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Text(t) = Text::deserialize(d)?;
        Date::parse(&t).map(DateField).map_err(de::Error::custom)
    }
}

/// A year, a month or a date (`2019`, `2019-06`, `2019-06-01`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialDateField(pub PartialDate);

impl<'de> Deserialize<'de> for PartialDateField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Text(t) = Text::deserialize(d)?;
        PartialDate::parse(&t)
            .map(PartialDateField)
            .map_err(de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Honor {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            year: Option<PartialDateField>,
            title: Text,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Title(Text),
            Full(Full),
        }
        match Either::deserialize(d) {
            Ok(Either::Title(t)) => Ok(Honor {
                year: None,
                title: t.0,
            }),
            Ok(Either::Full(f)) => Ok(Honor {
                year: f.year.map(|y| y.0),
                title: f.title.0,
            }),
            Err(_) => Err(de::Error::custom(
                "an honor is a title, or `{year: YYYY, title: …}`",
            )),
        }
    }
}

impl<'de> Deserialize<'de> for Photo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            src: String,
            alt: Option<String>,
            caption: Option<String>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Src(String),
            Full(Full),
        }
        match Either::deserialize(d) {
            Ok(Either::Src(src)) => Ok(Photo {
                src,
                alt: None,
                caption: None,
            }),
            Ok(Either::Full(f)) => Ok(Photo {
                src: f.src,
                alt: f.alt,
                caption: f.caption,
            }),
            Err(_) => Err(de::Error::custom(
                "a picture is `{src: file.jpg, alt: what it shows, caption: …}` (fields: src, alt, caption)",
            )),
        }
    }
}
