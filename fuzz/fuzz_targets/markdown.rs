//! Markdown rendering, with a resolver that answers links and images every way.
#![no_main]

use libfuzzer_sys::fuzz_target;
use yunzhan::markdown::{Options, Resolver, render};

struct Alternating(u32);

impl Resolver for Alternating {
    fn link(&mut self, dest: &str) -> Result<Option<String>, String> {
        self.0 += 1;
        match self.0 % 3 {
            0 => Ok(None),
            1 => Ok(Some(format!("/x/{dest}/"))),
            _ => Err(format!("no {dest}")),
        }
    }
    fn image(&mut self, src: &str, alt: &str, _: &str) -> Result<Option<String>, String> {
        self.0 += 1;
        match self.0 % 3 {
            0 => Ok(None),
            1 => Ok(Some(format!(
                "<picture><img src=\"{src}\" alt=\"{alt}\"></picture>"
            ))),
            _ => Err("missing".into()),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for unsafe_html in [false, true] {
        let r = render(text, Options { unsafe_html }, &mut Alternating(0));
        if !unsafe_html {
            let lower = r.html.to_ascii_lowercase();
            assert!(!lower.contains("<script"), "a script survived: {text:?}");
            // as text, "javascript:" is harmless; as a link or image address it is not
            for attr in ["href=\"", "src=\""] {
                for value in lower.split(attr).skip(1) {
                    let value = value.split('"').next().unwrap_or("");
                    assert!(
                        !value.trim_start().starts_with("javascript:"),
                        "a javascript: URL survived: {text:?}"
                    );
                }
            }
        }
        for p in &r.problems {
            assert!(p.offset <= text.len());
        }
    }
});
