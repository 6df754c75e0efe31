//! Front matter splitting and the typed model of every kind of file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yunzhan::load::front_matter::*;
use yunzhan::load::source::Source;
use yunzhan::yaml;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = Source::new("a.md".into(), "a.md".into(), data.to_vec()) else {
        return;
    };
    let text = source.front_matter();
    let Ok(value) = yaml::parse(text) else { return };
    let _ = yaml::unknown_keys(&value, text, &[yaml::fields_of::<Common>()], "a page");
    let _ = yaml::typed::<Common>(&value, text);
    let _ = yaml::typed::<UnitFields>(&value, text);
    let _ = yaml::typed::<HallFields>(&value, text);
    let _ = yaml::typed::<ZoneFields>(&value, text);
    let _ = yaml::typed::<ProjectFields>(&value, text);
    let _ = yaml::typed::<TeamFields>(&value, text);
    let _ = yaml::typed::<EventFields>(&value, text);
    let _ = yaml::typed::<ExhibitFields>(&value, text);
    let _ = yaml::locate(
        text,
        &[yaml::Segment::Key("a".into()), yaml::Segment::Index(1)],
    );
    let _ = source.body_position(source.body().len());
});
