//! TEMPORARY: replaced by the Markdown module.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub unsafe_html: bool,
}
pub trait Resolver {
    fn link(&mut self, dest: &str) -> Result<Option<String>, String>;
    fn image(&mut self, src: &str, alt: &str, title: &str) -> Result<Option<String>, String>;
}
#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}
pub struct Problem {
    pub offset: usize,
    pub message: String,
}
pub struct Rendered {
    pub html: String,
    pub summary: String,
    pub text: String,
    pub headings: Vec<Heading>,
    pub problems: Vec<Problem>,
}
pub fn render(markdown: &str, _options: Options, resolver: &mut dyn Resolver) -> Rendered {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut problems = Vec::new();
    let events: Vec<Event> = Parser::new(markdown)
        .into_offset_iter()
        .map(|(e, r)| match e {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match resolver.link(&dest_url) {
                    Ok(Some(u)) => u.into(),
                    Ok(None) => dest_url,
                    Err(m) => {
                        problems.push(Problem {
                            offset: r.start,
                            message: m,
                        });
                        dest_url
                    }
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            e => e,
        })
        .collect();
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered {
        summary: markdown
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_string(),
        text: markdown.to_string(),
        html,
        headings: vec![],
        problems,
    }
}
