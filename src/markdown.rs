//! Markdown page bodies → HTML, plain text, summary, headings and problems, in one pass.
//!
//! CommonMark plus tables, footnotes, strikethrough, task lists and heading attributes
//! (`## 标题 {#custom-id}`), smart punctuation off. One pass over pulldown-cmark's offset
//! iterator feeds `push_html` while the plain text, the summary, the headings and the
//! resolver's problems are collected on the way.
//!
//! Safety: raw HTML is sanitized with ammonia unless `unsafe_html` is set, and only when the
//! page contains raw HTML (html5ever is slow). Without raw HTML the output is safe by
//! construction: `javascript:`, `vbscript:` and non-image `data:` URLs are replaced by `#`,
//! heading attributes other than the id and classes are dropped, and everything else that
//! Markdown produces is escaped by pulldown-cmark or here.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::iter::Peekable;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{
    CowStr, DefaultBrokenLinkCallback, Event, HeadingLevel, LinkType, OffsetIter, Parser, Tag,
    TagEnd, html,
};

/// Options from site.yaml.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Keep raw HTML (and `javascript:` links) as written instead of sanitizing them.
    pub unsafe_html: bool,
}

/// What a link or image destination in the Markdown became.
pub trait Resolver {
    /// Called for every link destination (`[t](dest)`, autolinks excluded). Return Ok(None) to keep `dest` as written,
    /// Ok(Some(url)) to replace it, Err(message) to report an error (the link is then rendered with its text only).
    /// yunzhan uses it for `@/path/from/content.md#anchor` links and relative links to other .md files.
    fn link(&mut self, dest: &str) -> Result<Option<String>, String>;
    /// Called for every image. Return Ok(None) to emit a normal <img>, Ok(Some(html)) to emit that raw HTML
    /// instead (e.g. a <picture> with srcset; the alt text is passed so it can be used), Err(message) to report.
    fn image(&mut self, src: &str, alt: &str, title: &str) -> Result<Option<String>, String>;
}

/// A heading of the page, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A problem found while rendering, at a byte offset of the Markdown source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
}

/// The rendered page body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// Plain text of the first paragraph (the default summary); or, when the body contains `<!-- more -->`
    /// (any spacing, e.g. `<!--more-->`), the plain text of everything before it.
    pub summary: String,
    /// The whole body as plain text (for the search index): words separated by spaces/newlines, no markup, no HTML tags.
    pub text: String,
    pub headings: Vec<Heading>,
    pub problems: Vec<Problem>,
}

/// Deeper nesting than this (Markdown containers plus open raw HTML elements) is never handed
/// to html5ever, whose tree building costs the depth for each element; such a page's raw HTML
/// is escaped (shown as text) instead, and a problem is reported. Browsers stop at 512 levels.
const MAX_SANITIZED_DEPTH: usize = 256;

/// Likewise when the depths of all elements add up to more than this per byte of Markdown
/// (plus [`MIN_SANITIZE_WORK`]): ordinary pages stay under 1, while thousands of elements
/// 200 levels deep would cost html5ever seconds per megabyte.
const SANITIZE_WORK_PER_BYTE: usize = 16;
const MIN_SANITIZE_WORK: usize = 1 << 16;

/// Renders a page body.
///
/// Never panics and runs in linear time. The `<!-- more -->` marker is dropped from the HTML
/// and does not count as raw HTML. Raw HTML in a page nested too deeply to sanitize in linear
/// time (more than 256 levels, or thousands of elements nested hundreds deep) is escaped
/// instead of sanitized and reported as a problem: the page is then rendered a second time,
/// with the resolver's first answers replayed, so the resolver is still called once per
/// destination.
pub fn render(markdown: &str, options: Options, resolver: &mut dyn Resolver) -> Rendered {
    render_with(markdown, options, resolver, true).0
}

/// The hash of a body's Markdown, to tell within one process whether it
/// changed: it is never written down, so a fast non-cryptographic hash does
/// (the 128-bit xxh3; blake3 was 2 % of a 100,000-page build's CPU time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextHash(u128);

impl TextHash {
    pub fn of(markdown: &str) -> TextHash {
        TextHash(xxhash_rust::xxh3::xxh3_128(markdown.as_bytes()))
    }
}

/// The resolver's answers for one body, in the order it was asked: what
/// [`render_again`] needs to make the same HTML without the resolver.
#[derive(Debug, Clone, Default)]
pub struct Answers(Vec<Answer>);

/// Finds what [`render`] finds (summary, text, headings, problems) without
/// making the HTML, and returns the resolver's answers, with which
/// [`render_again`] makes the HTML later.
pub fn scan(markdown: &str, options: Options, resolver: &mut dyn Resolver) -> (Rendered, Answers) {
    render_with(markdown, options, resolver, false)
}

/// [`render`], or [`scan`] when not `html`.
fn render_with(
    markdown: &str,
    options: Options,
    resolver: &mut dyn Resolver,
    html: bool,
) -> (Rendered, Answers) {
    let mut recorder = Recorder {
        inner: resolver,
        answers: Vec::new(),
    };
    let mut pass = run(markdown, options, &mut recorder, false, html);
    recorder.answers.shrink_to_fit();
    let answers = Answers(recorder.answers);

    if pass.raw_html && !options.unsafe_html {
        match pass.deep_at {
            None if !html => {}
            None => pass.html = sanitizer().clean(&pass.html).to_string(),
            Some(offset) => {
                if html {
                    let mut replay = Replay(answers.0.clone().into_iter());
                    pass.html = run(markdown, options, &mut replay, true, true).html;
                }
                pass.problems.push(Problem {
                    offset,
                    message: "raw HTML nested too deeply to sanitize: shown as text instead"
                        .to_owned(),
                });
            }
        }
    }

    let Pass {
        mut html,
        text,
        first_para,
        more_at,
        mut headings,
        problems,
        ..
    } = pass;

    let mut summary = match (more_at, first_para) {
        (Some(end), _) => text.buf.get(..end).unwrap_or("").trim().to_owned(),
        (None, Some(range)) => text.buf.get(range).unwrap_or("").trim().to_owned(),
        (None, None) => String::new(),
    };
    let mut text = text.buf;
    // Control characters can only come from the source, written or as a character reference.
    if may_have_controls(markdown) || markdown.contains("&#") {
        replace_controls(&mut html);
        replace_controls(&mut text);
        replace_controls(&mut summary);
        for heading in &mut headings {
            replace_controls(&mut heading.id);
            replace_controls(&mut heading.text);
        }
    }

    let rendered = Rendered {
        html,
        summary,
        text,
        headings,
        problems,
    };
    (rendered, answers)
}

/// The HTML [`render`] makes of the Markdown that [`scan`] was given, made
/// with the answers `scan` recorded instead of a resolver.
pub fn render_again(markdown: &str, options: Options, answers: &Answers) -> String {
    render(
        markdown,
        options,
        &mut Replay(answers.0.clone().into_iter()),
    )
    .html
}

/// Whether the body may hold a level-1 heading (`# …` or a `===` underline).
/// A false alarm only moves headings down a level.
fn may_have_h1(markdown: &str) -> bool {
    markdown.lines().any(|line| {
        let t = line.trim_start_matches(' ');
        line.len() - t.len() < 4
            && (t == "#"
                || t.starts_with("# ")
                || t.starts_with("#\t")
                || (t.starts_with('=') && t.trim_end().bytes().all(|b| b == b'=')))
    })
}

/// What one pass over the events produced.
struct Pass {
    html: String,
    raw_html: bool,
    deep_at: Option<usize>,
    text: PlainText,
    first_para: Option<Range<usize>>,
    more_at: Option<usize>,
    headings: Vec<Heading>,
    problems: Vec<Problem>,
}

/// One pass: events mapped by a [`Walker`] into `push_html`. With `escape_raw`, raw HTML is
/// rendered as text.
fn run(
    markdown: &str,
    options: Options,
    resolver: &mut dyn Resolver,
    escape_raw: bool,
    html: bool,
) -> Pass {
    let mut flags = pulldown_cmark::Options::empty();
    flags.insert(pulldown_cmark::Options::ENABLE_TABLES);
    flags.insert(pulldown_cmark::Options::ENABLE_FOOTNOTES);
    flags.insert(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    flags.insert(pulldown_cmark::Options::ENABLE_TASKLISTS);
    flags.insert(pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES);

    let mut ids = Ids::default();
    reserve_explicit_ids(markdown, &mut ids);

    let mut walker = Walker {
        events: Parser::new_ext(markdown, flags)
            .into_offset_iter()
            .peekable(),
        out: VecDeque::with_capacity(16),
        hold: None,
        heading_text_start: 0,
        resolver,
        demote: may_have_h1(markdown),
        unsafe_html: options.unsafe_html,
        escape_raw,
        raw_html: false,
        depth: 0,
        deep_at: None,
        work: 0,
        work_budget: markdown
            .len()
            .saturating_mul(SANITIZE_WORK_PER_BYTE)
            .saturating_add(MIN_SANITIZE_WORK),
        text: PlainText::with_capacity(markdown.len()),
        html_text: HtmlText::default(),
        para_start: None,
        first_para: None,
        more_at: None,
        footnote_depth: 0,
        table_depth: 0,
        headings: Vec::new(),
        problems: Vec::new(),
        ids,
        links: Vec::new(),
        footnotes: HashMap::new(),
    };

    let html = if html {
        let mut out = String::with_capacity(markdown.len() + markdown.len() / 2);
        html::push_html(&mut out, walker.by_ref());
        out
    } else {
        walker.by_ref().for_each(drop);
        String::new()
    };

    Pass {
        html,
        raw_html: walker.raw_html,
        deep_at: walker.deep_at,
        text: walker.text,
        first_para: walker.first_para,
        more_at: walker.more_at,
        headings: walker.headings,
        problems: walker.problems,
    }
}

/// One answer of a resolver.
#[derive(Debug, Clone)]
enum Answer {
    Link(Result<Option<String>, String>),
    Image(Result<Option<String>, String>),
}

/// Passes calls through and records the answers, for [`Replay`].
struct Recorder<'r> {
    inner: &'r mut dyn Resolver,
    answers: Vec<Answer>,
}

impl Resolver for Recorder<'_> {
    fn link(&mut self, dest: &str) -> Result<Option<String>, String> {
        let answer = self.inner.link(dest);
        self.answers.push(Answer::Link(answer.clone()));
        answer
    }

    fn image(&mut self, src: &str, alt: &str, title: &str) -> Result<Option<String>, String> {
        let answer = self.inner.image(src, alt, title);
        self.answers.push(Answer::Image(answer.clone()));
        answer
    }
}

/// Answers a second pass over the same events with the first pass's answers.
struct Replay(std::vec::IntoIter<Answer>);

impl Resolver for Replay {
    fn link(&mut self, _dest: &str) -> Result<Option<String>, String> {
        match self.0.next() {
            Some(Answer::Link(answer)) => answer,
            _ => Ok(None),
        }
    }

    fn image(&mut self, _src: &str, _alt: &str, _title: &str) -> Result<Option<String>, String> {
        match self.0.next() {
            Some(Answer::Image(answer)) => answer,
            _ => Ok(None),
        }
    }
}

/// The event adapter: maps pulldown-cmark's events for `push_html` and collects everything
/// else on the way. Events usually pass straight through `out`; a heading is held back until
/// its end so that its id can be made from its text.
struct Walker<'a, 'r> {
    events: Peekable<OffsetIter<'a, DefaultBrokenLinkCallback>>,
    out: VecDeque<Event<'a>>,
    /// Index in `out` of the heading start being held back.
    hold: Option<usize>,
    heading_text_start: usize,
    resolver: &'r mut dyn Resolver,
    /// Move every heading one level down (the body has `#` headings).
    demote: bool,
    unsafe_html: bool,
    /// Render raw HTML as text (the second pass of a page nested too deeply to sanitize).
    escape_raw: bool,
    raw_html: bool,
    /// Open Markdown elements.
    depth: usize,
    /// Where the nesting (Markdown plus raw HTML) first went past `MAX_SANITIZED_DEPTH`, or
    /// `work` past `work_budget`.
    deep_at: Option<usize>,
    /// The depths of all elements so far, added up: what html5ever would spend on them.
    work: usize,
    work_budget: usize,
    text: PlainText,
    html_text: HtmlText,
    para_start: Option<usize>,
    first_para: Option<Range<usize>>,
    more_at: Option<usize>,
    footnote_depth: usize,
    table_depth: usize,
    headings: Vec<Heading>,
    problems: Vec<Problem>,
    ids: Ids,
    /// For each open link: whether its start was emitted (false when the resolver failed).
    links: Vec<bool>,
    /// Footnote label (lowercased) → number, in order of first appearance.
    footnotes: HashMap<String, usize>,
}

impl<'a> Iterator for Walker<'a, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if self.hold.is_none()
                && let Some(event) = self.out.pop_front()
            {
                return Some(event);
            }
            match self.events.next() {
                Some((event, range)) => {
                    // Most events map to exactly one event, returned without the queue.
                    if let Some(event) = self.handle(event, range) {
                        if self.hold.is_none() {
                            return Some(event);
                        }
                        self.out.push_back(event);
                    }
                }
                None => {
                    // Unbalanced input cannot happen, but never lose output.
                    self.hold = None;
                    return self.out.pop_front();
                }
            }
        }
    }
}

impl<'a> Walker<'a, '_> {
    /// Handles one source event: returns the one event it maps to, or queues what it maps to
    /// in `out` and returns `None`.
    fn handle(&mut self, event: Event<'a>, range: Range<usize>) -> Option<Event<'a>> {
        match event {
            Event::Start(tag) => {
                // An image is consumed whole, its end included.
                if !matches!(tag, Tag::Image { .. }) {
                    self.depth += 1;
                    self.account(Opened::ONE, range.start);
                }
                self.start(tag, range)
            }
            Event::End(end) => {
                self.depth = self.depth.saturating_sub(1);
                self.end(end)
            }
            Event::Text(text) => {
                if !self.html_text.in_raw_text() {
                    self.text.push(&text);
                }
                Some(Event::Text(text))
            }
            Event::Code(code) => {
                self.text.push(&code);
                Some(Event::Code(code))
            }
            Event::Html(raw) => self.raw_html(raw, false, range.start),
            Event::InlineHtml(raw) => self.raw_html(raw, true, range.start),
            // Void elements without pulldown-cmark's XHTML-style ` />`, which the Nu checker
            // comments on.
            Event::SoftBreak => {
                self.space();
                Some(event)
            }
            Event::HardBreak => {
                self.space();
                Some(Event::InlineHtml(CowStr::Borrowed("<br>\n")))
            }
            Event::Rule => {
                self.block_break();
                Some(Event::Html(CowStr::Borrowed("<hr>\n")))
            }
            Event::TaskListMarker(checked) => {
                Some(Event::InlineHtml(CowStr::Borrowed(if checked {
                    "<input disabled=\"\" type=\"checkbox\" checked=\"\">\n"
                } else {
                    "<input disabled=\"\" type=\"checkbox\">\n"
                })))
            }
            Event::FootnoteReference(label) => {
                let n = self.footnote_number(&label);
                Some(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-reference\"><a href=\"#fn:{n}\">{n}</a></sup>"
                ))))
            }
            other => Some(other),
        }
    }

    /// The page's title is its only `<h1>`: a body that uses `#` headings has them
    /// all moved one level down.
    fn level(&self, level: HeadingLevel) -> HeadingLevel {
        if !self.demote {
            return level;
        }
        match level {
            HeadingLevel::H1 => HeadingLevel::H2,
            HeadingLevel::H2 => HeadingLevel::H3,
            HeadingLevel::H3 => HeadingLevel::H4,
            HeadingLevel::H4 => HeadingLevel::H5,
            _ => HeadingLevel::H6,
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) -> Option<Event<'a>> {
        match tag {
            Tag::Paragraph => self.start_paragraph(),
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                self.block_break();
                let attrs = if self.unsafe_html { attrs } else { Vec::new() };
                let id = id.filter(|id| !id.is_empty());
                self.hold = Some(self.out.len());
                self.heading_text_start = self.text.len();
                self.out.push_back(Event::Start(Tag::Heading {
                    level: self.level(level),
                    id,
                    classes,
                    attrs,
                }));
                None
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => self.start_link(link_type, dest_url, title, id, range),
            Tag::Image {
                dest_url, title, ..
            } => {
                let (html, _) = self.image(dest_url, title, range);
                Some(Event::InlineHtml(CowStr::from(html)))
            }
            Tag::Table(alignments) => {
                self.block_break();
                self.table_depth += 1;
                self.out.push_back(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-wrap\">\n",
                )));
                self.out.push_back(Event::Start(Tag::Table(alignments)));
                None
            }
            Tag::FootnoteDefinition(label) => {
                self.block_break();
                self.footnote_depth += 1;
                let n = self.footnote_number(&label);
                Some(Event::Html(CowStr::from(format!(
                    "<div class=\"footnote-definition\" id=\"fn:{n}\">\
                     <sup class=\"footnote-definition-label\">{n}</sup>"
                ))))
            }
            Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript => Some(Event::Start(tag)),
            Tag::TableCell => {
                self.space();
                Some(Event::Start(tag))
            }
            other => {
                self.block_break();
                Some(Event::Start(other))
            }
        }
    }

    fn end(&mut self, end: TagEnd) -> Option<Event<'a>> {
        match end {
            TagEnd::Paragraph => {
                self.end_paragraph();
                Some(Event::End(end))
            }
            TagEnd::Heading(level) => {
                let level = self.level(level);
                let text = self
                    .text
                    .buf
                    .get(self.heading_text_start..)
                    .unwrap_or("")
                    .trim()
                    .to_owned();
                if let Some(index) = self.hold.take()
                    && let Some(Event::Start(Tag::Heading { id, .. })) = self.out.get_mut(index)
                {
                    let final_id = match id {
                        Some(explicit) => {
                            let explicit = explicit.to_string();
                            self.ids.reserve(&explicit);
                            explicit
                        }
                        None => {
                            let unique = self.ids.unique(slugify(&text));
                            *id = Some(CowStr::from(unique.clone()));
                            unique
                        }
                    };
                    self.headings.push(Heading {
                        level: level as u8,
                        id: final_id,
                        text,
                    });
                }
                self.out.push_back(Event::End(TagEnd::Heading(level)));
                self.block_break();
                None
            }
            TagEnd::Link => self.links.pop().unwrap_or(true).then_some(Event::End(end)),
            // Images are consumed whole in `image`.
            TagEnd::Image => None,
            TagEnd::Table => {
                self.table_depth = self.table_depth.saturating_sub(1);
                self.out.push_back(Event::End(end));
                self.out
                    .push_back(Event::Html(CowStr::Borrowed("</div>\n")));
                self.block_break();
                None
            }
            TagEnd::FootnoteDefinition => {
                self.footnote_depth = self.footnote_depth.saturating_sub(1);
                self.block_break();
                Some(Event::Html(CowStr::Borrowed("</div>\n")))
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript => Some(Event::End(end)),
            TagEnd::TableCell => {
                self.space();
                Some(Event::End(end))
            }
            _ => {
                self.block_break();
                Some(Event::End(end))
            }
        }
    }

    fn start_paragraph(&mut self) -> Option<Event<'a>> {
        self.block_break();
        if self.first_para.is_none() && self.footnote_depth == 0 && self.table_depth == 0 {
            self.para_start = Some(self.text.len());
        }
        // An image alone in its paragraph that the resolver turned into a <picture> or
        // <figure> is emitted without the paragraph around it.
        if matches!(
            self.events.peek(),
            Some((Event::Start(Tag::Image { .. }), _))
        ) && let Some((
            Event::Start(Tag::Image {
                dest_url, title, ..
            }),
            range,
        )) = self.events.next()
        {
            let (mut html, block) = self.image(dest_url, title, range);
            if block && matches!(self.events.peek(), Some((Event::End(TagEnd::Paragraph), _))) {
                self.events.next();
                self.depth = self.depth.saturating_sub(1);
                html.push('\n');
                self.out.push_back(Event::Html(CowStr::from(html)));
                self.end_paragraph();
            } else {
                self.out.push_back(Event::Start(Tag::Paragraph));
                self.out.push_back(Event::InlineHtml(CowStr::from(html)));
            }
            return None;
        }
        Some(Event::Start(Tag::Paragraph))
    }

    fn end_paragraph(&mut self) {
        if let Some(start) = self.para_start.take() {
            let has_text = self
                .text
                .buf
                .get(start..)
                .is_some_and(|t| !t.trim().is_empty());
            if has_text {
                self.first_para = Some(start..self.text.len());
            }
        }
        self.block_break();
    }

    fn start_link(
        &mut self,
        link_type: LinkType,
        dest_url: CowStr<'a>,
        title: CowStr<'a>,
        id: CowStr<'a>,
        range: Range<usize>,
    ) -> Option<Event<'a>> {
        let mut dest = dest_url;
        match link_type {
            LinkType::Email => {}
            LinkType::Autolink => {}
            _ => match self.resolver.link(&dest) {
                Ok(None) => {}
                Ok(Some(url)) => dest = CowStr::from(url),
                Err(message) => {
                    self.problems.push(Problem {
                        offset: range.start,
                        message,
                    });
                    self.links.push(false);
                    return None;
                }
            },
        }
        if !self.unsafe_html && link_type != LinkType::Email && is_dangerous_url(&dest, false) {
            dest = CowStr::Borrowed("#");
        }
        self.links.push(true);
        Some(Event::Start(Tag::Link {
            link_type,
            dest_url: dest,
            title,
            id,
        }))
    }

    /// Consumes an image up to its end; returns its HTML and whether that HTML is a block
    /// (`<picture>` or `<figure>` from the resolver).
    fn image(&mut self, src: CowStr<'a>, title: CowStr<'a>, range: Range<usize>) -> (String, bool) {
        let mut alt = String::new();
        let mut depth = 0usize;
        for (event, _) in self.events.by_ref() {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                Event::Text(t) | Event::Code(t) | Event::InlineHtml(t) => alt.push_str(&t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        match self.resolver.image(&src, &alt, &title) {
            Ok(Some(html)) => {
                let head = html.trim_start().as_bytes();
                let block = starts_with_ignore_case(head, b"<picture")
                    || starts_with_ignore_case(head, b"<figure");
                (html, block)
            }
            Ok(None) => {
                let mut html = String::with_capacity(src.len() + alt.len() + title.len() + 48);
                html.push_str("<img src=\"");
                if !self.unsafe_html && is_dangerous_url(&src, true) {
                    html.push('#');
                } else {
                    push_href_escaped(&mut html, &src);
                }
                html.push_str("\" alt=\"");
                push_attr_escaped(&mut html, &alt);
                if !title.is_empty() {
                    html.push_str("\" title=\"");
                    push_attr_escaped(&mut html, &title);
                }
                html.push_str("\" loading=\"lazy\">");
                (html, false)
            }
            Err(message) => {
                self.problems.push(Problem {
                    offset: range.start,
                    message,
                });
                let mut html = String::with_capacity(alt.len());
                push_attr_escaped(&mut html, &alt);
                (html, false)
            }
        }
    }

    fn raw_html(&mut self, raw: CowStr<'a>, inline: bool, offset: usize) -> Option<Event<'a>> {
        if is_more_marker(&raw) {
            if self.more_at.is_none() {
                self.more_at = Some(self.text.len());
            }
            return None;
        }
        if self.escape_raw {
            return Some(Event::Text(raw));
        }
        self.raw_html = true;
        let opened = self.html_text.feed(&raw, &mut self.text);
        self.account(opened, offset);
        Some(if inline {
            Event::InlineHtml(raw)
        } else {
            Event::Html(raw)
        })
    }

    /// Accounts for elements just opened (a Markdown element or raw HTML tags).
    fn account(&mut self, opened: Opened, offset: usize) {
        let base = (self.depth + self.html_text.depth).saturating_sub(opened.net);
        self.work = self
            .work
            .saturating_add(opened.count.saturating_mul(base))
            .saturating_add(opened.work);
        let peak = base.saturating_add(opened.peak);
        if (peak > MAX_SANITIZED_DEPTH || self.work > self.work_budget) && self.deep_at.is_none() {
            self.deep_at = Some(offset);
        }
    }

    fn footnote_number(&mut self, label: &str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(label.to_lowercase()).or_insert(next)
    }

    /// Separates words in the plain text.
    fn space(&mut self) {
        self.text.space();
    }

    /// Separates blocks in the plain text.
    fn block_break(&mut self) {
        self.html_text.reset();
        self.text.newline();
    }
}

/// HTML forbids control characters other than whitespace (NUL included, which pulldown-cmark
/// passes through): each becomes U+FFFD.
fn replace_controls(s: &mut String) {
    fn forbidden(c: char) -> bool {
        c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c')
    }
    if may_have_controls(s) && s.contains(forbidden) {
        *s = s
            .chars()
            .map(|c| if forbidden(c) { '\u{fffd}' } else { c })
            .collect();
    }
}

/// Whether `s` may contain a control character other than whitespace (C0, DEL or C1; a
/// false positive on some Latin-1 characters is fine). Eight bytes at a time: this runs over
/// every page.
fn may_have_controls(s: &str) -> bool {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    fn has_less(x: u64, n: u8) -> bool {
        x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH != 0
    }
    fn has_byte(x: u64, b: u8) -> bool {
        let y = x ^ (ONES * u64::from(b));
        y.wrapping_sub(ONES) & !y & HIGH != 0
    }
    let bytes = s.as_bytes();
    let suspect = |at: usize| {
        let b = bytes[at];
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
            || b == 0x7f
            || (b == 0xc2 && bytes.get(at + 1).is_some_and(|n| (0x80..0xa0).contains(n)))
    };
    let chunks = bytes.chunks_exact(8);
    let tail = chunks.len() * 8;
    for (i, chunk) in chunks.enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_ne_bytes(word);
        if (has_less(x, 0x20) || has_byte(x, 0x7f) || has_byte(x, 0xc2))
            && (i * 8..i * 8 + 8).any(suspect)
        {
            return true;
        }
    }
    (tail..bytes.len()).any(suspect)
}

/// `<!-- more -->` with any spacing.
fn is_more_marker(raw: &str) -> bool {
    raw.trim()
        .strip_prefix("<!--")
        .and_then(|rest| rest.strip_suffix("-->"))
        .is_some_and(|inner| inner.trim() == "more")
}

// ---------------------------------------------------------------------------------------
// Heading ids

#[derive(Default)]
struct Ids {
    used: HashSet<String>,
    /// Next suffix to try for a base id.
    next: HashMap<String, usize>,
}

impl Ids {
    fn reserve(&mut self, id: &str) {
        if !self.used.contains(id) {
            self.used.insert(id.to_owned());
        }
    }

    fn unique(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_owned()
        } else {
            base
        };
        if !self.used.contains(&base) {
            self.used.insert(base.clone());
            return base;
        }
        let mut n = self.next.get(&base).copied().unwrap_or(1);
        loop {
            let candidate = format!("{base}-{n}");
            n += 1;
            if !self.used.contains(&candidate) {
                self.used.insert(candidate.clone());
                self.next.insert(base, n);
                return candidate;
            }
        }
    }
}

/// Explicit `{#id}` attributes anywhere in the page are reserved up front so that an
/// automatic id never takes an id written later in the page. Over-reserving (e.g. from a
/// code block) only makes an automatic id get a suffix.
fn reserve_explicit_ids(src: &str, ids: &mut Ids) {
    if !src.contains('}') {
        return;
    }
    for line in src.lines() {
        let line = line.trim_end();
        let Some(body) = line.strip_suffix('}') else {
            continue;
        };
        let Some(open) = body.rfind('{') else {
            continue;
        };
        for token in body[open + 1..].split_ascii_whitespace() {
            if let Some(id) = token.strip_prefix('#')
                && !id.is_empty()
            {
                ids.reserve(id);
            }
        }
    }
}

/// An id from a heading's plain text: letters (CJK included) and digits kept, ASCII
/// lowercased, every run of anything else becomes one `-`, no `-` at either end.
fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    slug
}

// ---------------------------------------------------------------------------------------
// URLs and escaping

/// `javascript:`, `vbscript:` and `data:` URLs (`data:image/…` allowed for images), matched
/// the way browsers read them: case-insensitive, leading spaces and control characters
/// skipped, tabs and newlines ignored.
fn is_dangerous_url(url: &str, image: bool) -> bool {
    let bytes = url.as_bytes();
    let mut i = 0;
    while i < bytes.len() && bytes[i] <= b' ' {
        i += 1;
    }
    let mut scheme = [0u8; 10];
    let mut len = 0;
    let rest = loop {
        let Some(&b) = bytes.get(i) else {
            return false;
        };
        i += 1;
        match b {
            b'\t' | b'\n' | b'\r' => {}
            b':' => break &bytes[i..],
            b if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.') => {
                if len == scheme.len() {
                    return false;
                }
                scheme[len] = b.to_ascii_lowercase();
                len += 1;
            }
            _ => return false,
        }
    };
    match &scheme[..len] {
        b"javascript" | b"vbscript" => true,
        b"data" => {
            if !image {
                return true;
            }
            let rest: Vec<u8> = rest
                .iter()
                .copied()
                .filter(|b| !matches!(b, b'\t' | b'\n' | b'\r'))
                .take(6)
                .collect();
            !starts_with_ignore_case(&rest, b"image/")
        }
        _ => false,
    }
}

fn starts_with_ignore_case(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack.len() >= prefix.len() && haystack[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Escapes for a double-quoted attribute value.
fn push_attr_escaped(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(escaped);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Escapes a URL for an attribute the way pulldown-cmark does for links (percent-encoding
/// what is not safe in a URL, `&` and `'` as entities).
fn push_href_escaped(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let safe = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b'-'
                    | b'.'
                    | b'/'
                    | b':'
                    | b';'
                    | b'='
                    | b'?'
                    | b'@'
                    | b'_'
                    | b'~'
            );
        if safe {
            continue;
        }
        out.push_str(&s[start..i]);
        match b {
            b'&' => out.push_str("&amp;"),
            b'\'' => out.push_str("&#x27;"),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

// ---------------------------------------------------------------------------------------
// Plain text

/// The plain text being collected. Separators are held back until more text follows, so the
/// text never ends with one and a recorded length never points past a separator that a later
/// block break would change.
struct PlainText {
    buf: String,
    /// 0: none, 1: a space, 2: a newline.
    pending: u8,
}

impl PlainText {
    fn with_capacity(capacity: usize) -> Self {
        PlainText {
            buf: String::with_capacity(capacity),
            pending: 0,
        }
    }

    fn len(&self) -> usize {
        self.buf.len()
    }

    fn space(&mut self) {
        self.pending = self.pending.max(1);
    }

    fn newline(&mut self) {
        self.pending = 2;
    }

    fn separator(&mut self, whitespace: &str) {
        if whitespace.contains('\n') {
            self.newline();
        } else {
            self.space();
        }
    }

    /// Appends text; whitespace at either end becomes a pending separator.
    fn push(&mut self, s: &str) {
        let start = s.trim_start();
        if start.len() < s.len() {
            self.separator(&s[..s.len() - start.len()]);
        }
        let core = start.trim_end();
        if !core.is_empty() {
            if !self.buf.is_empty() {
                match self.pending {
                    1 => self.buf.push(' '),
                    2 => self.buf.push('\n'),
                    _ => {}
                }
            }
            self.pending = 0;
            self.buf.push_str(core);
        }
        if core.len() < start.len() {
            self.separator(&start[core.len()..]);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Plain text of raw HTML

/// Strips tags, comments and script/style contents from raw HTML for the plain text,
/// carrying its state from one raw HTML event to the next.
#[derive(Default)]
struct HtmlText {
    state: HtmlState,
    /// Raw HTML elements left open (void and optional-end-tag elements not counted).
    depth: usize,
}

#[derive(Default, Clone, Copy)]
enum HtmlState {
    #[default]
    Text,
    /// Inside `<…>`; `quote` is the open quote character or 0; `raw` the closing tag to wait
    /// for after this tag when it opens raw text (script, style…).
    Tag {
        quote: u8,
        raw: Option<&'static str>,
    },
    Comment,
    /// Inside an element whose content is not text (script, style…), until this closing tag.
    Raw(&'static str),
}

const RAW_TEXT_ELEMENTS: [(&str, &str); 7] = [
    ("script", "</script"),
    ("style", "</style"),
    ("iframe", "</iframe"),
    ("noscript", "</noscript"),
    ("textarea", "</textarea"),
    ("title", "</title"),
    ("template", "</template"),
];

/// Elements opened by a piece of raw HTML (or one Markdown element), depths counted from
/// where it started.
#[derive(Default, Clone, Copy)]
struct Opened {
    count: usize,
    /// The depths above the start at which they were opened, added up.
    work: usize,
    /// The highest depth above the start.
    peak: usize,
    /// How much deeper it ended than it started.
    net: usize,
}

impl Opened {
    const ONE: Opened = Opened {
        count: 1,
        work: 1,
        peak: 1,
        net: 1,
    };

    fn finish(mut self, end_depth: usize, start_depth: usize) -> Self {
        self.net = end_depth.saturating_sub(start_depth);
        self
    }
}

/// Elements that never nest by themselves: void elements and those whose end tag is implied.
const UNNESTED_ELEMENTS: [&str; 36] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb",
    "rt", "rtc", "rp", "thead", "tbody", "tfoot", "colgroup", "caption", "html", "head", "body",
];

const INLINE_ELEMENTS: [&str; 31] = [
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font", "i",
    "ins", "kbd", "mark", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "time", "u",
];

impl HtmlText {
    fn in_raw_text(&self) -> bool {
        matches!(self.state, HtmlState::Raw(_))
    }

    fn reset(&mut self) {
        self.state = HtmlState::Text;
    }

    /// Adds the text of a piece of raw HTML; returns what it opened.
    fn feed(&mut self, s: &str, out: &mut PlainText) -> Opened {
        let b = s.as_bytes();
        let mut i = 0;
        let start_depth = self.depth;
        let mut opened = Opened::default();
        while i < b.len() {
            match self.state {
                HtmlState::Text => {
                    let j = b[i..]
                        .iter()
                        .position(|&c| c == b'<' || c == b'&')
                        .map_or(b.len(), |p| i + p);
                    out.push(&s[i..j]);
                    if j == b.len() {
                        return opened.finish(self.depth, start_depth);
                    }
                    if b[j] == b'&' {
                        i = decode_entity(s, j, out);
                        continue;
                    }
                    let rest = &b[j + 1..];
                    if rest.starts_with(b"!--") {
                        self.state = HtmlState::Comment;
                        i = j + 4;
                        continue;
                    }
                    let closing = rest.first() == Some(&b'/');
                    let name_start = j + 1 + usize::from(closing);
                    let mut k = name_start;
                    while k < b.len() && (b[k].is_ascii_alphanumeric() || b[k] == b'-') {
                        k += 1;
                    }
                    let declaration = matches!(rest.first(), Some(b'!' | b'?'));
                    if k == name_start && !declaration {
                        out.push("<");
                        i = j + 1;
                        continue;
                    }
                    let name = &s[name_start..k];
                    if !INLINE_ELEMENTS.iter().any(|e| e.eq_ignore_ascii_case(name)) {
                        out.space();
                    }
                    if !name.is_empty()
                        && !UNNESTED_ELEMENTS
                            .iter()
                            .any(|e| e.eq_ignore_ascii_case(name))
                    {
                        if closing {
                            self.depth = self.depth.saturating_sub(1);
                        } else {
                            self.depth += 1;
                            opened.count += 1;
                            let above = self.depth.saturating_sub(start_depth);
                            opened.work = opened.work.saturating_add(above);
                            opened.peak = opened.peak.max(above);
                        }
                    }
                    let raw = if closing {
                        None
                    } else {
                        RAW_TEXT_ELEMENTS
                            .iter()
                            .find(|(e, _)| e.eq_ignore_ascii_case(name))
                            .map(|&(_, end)| end)
                    };
                    self.state = HtmlState::Tag { quote: 0, raw };
                    i = k;
                }
                HtmlState::Tag { mut quote, raw } => {
                    let mut done = false;
                    while i < b.len() {
                        let c = b[i];
                        i += 1;
                        if quote != 0 {
                            if c == quote {
                                quote = 0;
                            }
                        } else if c == b'"' || c == b'\'' {
                            quote = c;
                        } else if c == b'>' {
                            done = true;
                            break;
                        }
                    }
                    self.state = match (done, raw) {
                        (false, _) => HtmlState::Tag { quote, raw },
                        (true, Some(end)) => HtmlState::Raw(end),
                        (true, None) => HtmlState::Text,
                    };
                }
                HtmlState::Comment => match find(&b[i..], b"-->", false) {
                    Some(p) => {
                        i += p + 3;
                        self.state = HtmlState::Text;
                    }
                    None => return opened.finish(self.depth, start_depth),
                },
                HtmlState::Raw(end) => match find(&b[i..], end.as_bytes(), true) {
                    Some(p) => {
                        i += p;
                        self.state = HtmlState::Text;
                    }
                    None => return opened.finish(self.depth, start_depth),
                },
            }
        }
        opened.finish(self.depth, start_depth)
    }
}

/// Position of `needle` (non-empty, starting with an ASCII byte) in `haystack`.
fn find(haystack: &[u8], needle: &[u8], ignore_case: bool) -> Option<usize> {
    let first = *needle.first()?;
    let mut from = 0;
    while let Some(p) = haystack[from..].iter().position(|&c| c == first) {
        let at = from + p;
        let candidate = haystack.get(at..at + needle.len())?;
        let found = if ignore_case {
            candidate.eq_ignore_ascii_case(needle)
        } else {
            candidate == needle
        };
        if found {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Decodes the character reference at `s[at]` (`&`) into `out`; returns where to go on.
fn decode_entity(s: &str, at: usize, out: &mut PlainText) -> usize {
    let b = s.as_bytes();
    let limit = b.len().min(at + 34);
    let mut end = at + 1;
    while end < limit && (b[end].is_ascii_alphanumeric() || b[end] == b'#') {
        end += 1;
    }
    if end < limit && b[end] == b';' {
        let name = &s[at + 1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" | "ensp" | "emsp" | "thinsp" => Some(' '),
            "middot" => Some('·'),
            "mdash" => Some('—'),
            "ndash" => Some('–'),
            "hellip" => Some('…'),
            "ldquo" => Some('“'),
            "rdquo" => Some('”'),
            "copy" => Some('©'),
            _ => name.strip_prefix('#').and_then(|num| {
                let code = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse().ok(),
                };
                code.filter(|&c| c != 0).and_then(char::from_u32)
            }),
        };
        if let Some(c) = decoded {
            out.push(c.encode_utf8(&mut [0; 4]));
            return end + 1;
        }
    }
    out.push("&");
    at + 1
}

// ---------------------------------------------------------------------------------------
// Sanitizer

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(build_sanitizer)
}

/// ammonia's defaults (no script/style/iframe/object/form, no `on*` attributes, no `style`,
/// URLs only with safe schemes such as http, https, mailto, tel, relative URLs kept), widened
/// so that everything this module and the resolver produce survives: `id`, `class` and `dir`
/// everywhere, `<picture>`/`<source>`, `srcset`/`sizes`/`loading` on images, task-list
/// checkboxes, `text-align` styles on table cells, `<video>`/`<audio>`; no `rel` added to
/// links; `data:image/…` kept in `<img src>`.
fn build_sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_tags([
        "picture", "source", "input", "video", "audio", "track", "tfoot", "section", "address",
    ])
    .add_clean_content_tags([
        "iframe",
        "object",
        "embed",
        "noscript",
        "template",
        "textarea",
        "title",
        "xmp",
        "noembed",
        "noframes",
        "plaintext",
        "applet",
        "frameset",
        "frame",
    ])
    .add_generic_attributes(["id", "class", "dir"])
    .add_tag_attributes(
        "img",
        [
            "loading",
            "decoding",
            "fetchpriority",
            "srcset",
            "sizes",
            "title",
        ],
    )
    .add_tag_attributes(
        "source",
        ["srcset", "sizes", "type", "media", "src", "width", "height"],
    )
    .add_tag_attributes("th", ["style"])
    .add_tag_attributes("td", ["style"])
    .add_tag_attributes("ol", ["reversed", "type"])
    .add_tag_attributes("li", ["value"])
    .add_tag_attributes("details", ["open"])
    .add_tag_attributes("input", ["checked"])
    .add_tag_attributes("time", ["datetime"])
    .add_tag_attributes("data", ["value"])
    .add_tag_attributes(
        "video",
        [
            "src",
            "poster",
            "controls",
            "width",
            "height",
            "preload",
            "muted",
            "loop",
            "playsinline",
        ],
    )
    .add_tag_attributes("audio", ["src", "controls", "preload", "muted", "loop"])
    .add_tag_attributes("track", ["src", "kind", "srclang", "label", "default"])
    // Every <input> is a task-list checkbox: read-only, never a text field.
    .set_tag_attribute_value("input", "type", "checkbox")
    .set_tag_attribute_value("input", "disabled", "")
    // `data:` passes ammonia's scheme check only for the filter below to keep it in
    // `<img src>` alone, as `data:image/…`.
    .add_url_schemes(["data"])
    .link_rel(None)
    .attribute_filter(|element, attribute, value| match (element, attribute) {
        (
            _,
            "href" | "src" | "xlink:href" | "poster" | "cite" | "action" | "formaction" | "ping"
            | "data",
        ) => {
            let image = element == "img" && attribute == "src";
            (!is_dangerous_url(value, image)).then_some(Cow::Borrowed(value))
        }
        ("th" | "td", "style") => text_align_style(value).map(Cow::Borrowed),
        (_, "srcset") => {
            let safe = value.split(',').all(|candidate| {
                let url = candidate.split_ascii_whitespace().next().unwrap_or("");
                !is_dangerous_url(url, true)
            });
            safe.then_some(Cow::Borrowed(value))
        }
        _ => Some(Cow::Borrowed(value)),
    });
    b
}

/// Only a `text-align` declaration survives in table cells' `style` attributes.
fn text_align_style(value: &str) -> Option<&'static str> {
    let (property, align) = value.trim().trim_end_matches(';').split_once(':')?;
    if !property.trim().eq_ignore_ascii_case("text-align") {
        return None;
    }
    let align = align.trim();
    [
        ("left", "text-align: left"),
        ("center", "text-align: center"),
        ("right", "text-align: right"),
        ("start", "text-align: start"),
        ("end", "text-align: end"),
        ("justify", "text-align: justify"),
    ]
    .iter()
    .find(|(name, _)| name.eq_ignore_ascii_case(align))
    .map(|&(_, style)| style)
}

// ---------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    /// Keeps every destination, records the calls.
    #[derive(Default)]
    struct Keep {
        links: Vec<String>,
        images: Vec<(String, String, String)>,
    }

    impl Resolver for Keep {
        fn link(&mut self, dest: &str) -> Result<Option<String>, String> {
            self.links.push(dest.to_owned());
            Ok(None)
        }
        fn image(&mut self, src: &str, alt: &str, title: &str) -> Result<Option<String>, String> {
            self.images
                .push((src.to_owned(), alt.to_owned(), title.to_owned()));
            Ok(None)
        }
    }

    /// Resolves `@/` links, fails on `missing`, turns `.jpg` images into <picture>s.
    struct Site;

    impl Resolver for Site {
        fn link(&mut self, dest: &str) -> Result<Option<String>, String> {
            if let Some(path) = dest.strip_prefix("@/") {
                let (path, anchor) = path.split_once('#').unwrap_or((path, ""));
                if path.contains("missing") {
                    return Err(format!("no page {path}"));
                }
                let url = format!("/{}/", path.trim_end_matches(".md"));
                Ok(Some(if anchor.is_empty() {
                    url
                } else {
                    format!("{url}#{anchor}")
                }))
            } else {
                Ok(None)
            }
        }
        fn image(&mut self, src: &str, alt: &str, _title: &str) -> Result<Option<String>, String> {
            if src.contains("missing") {
                return Err(format!("no image {src}"));
            }
            if let Some(stem) = src.strip_suffix(".jpg") {
                let mut html = String::new();
                html.push_str("<picture><source type=\"image/webp\" srcset=\"");
                html.push_str(stem);
                html.push_str("-480.webp 480w, ");
                html.push_str(stem);
                html.push_str("-960.webp 960w\" sizes=\"100vw\"><img src=\"");
                html.push_str(stem);
                html.push_str("-960.jpg\" alt=\"");
                push_attr_escaped(&mut html, alt);
                html.push_str("\" width=\"960\" height=\"640\" loading=\"lazy\"></picture>");
                Ok(Some(html))
            } else if let Some(stem) = src.strip_suffix(".png") {
                Ok(Some(format!(
                    "<figure><img src=\"{stem}.webp\" alt=\"{alt}\"><figcaption>{alt}</figcaption></figure>"
                )))
            } else {
                Ok(None)
            }
        }
    }

    /// The tags (`<…>`) of some HTML.
    fn tags(html: &str) -> Vec<&str> {
        let mut tags = Vec::new();
        let mut rest = html;
        while let Some(start) = rest.find('<') {
            let end = rest[start..]
                .find('>')
                .map_or(rest.len(), |e| start + e + 1);
            tags.push(&rest[start..end]);
            rest = &rest[end..];
        }
        tags
    }

    /// The values of an attribute in the tags of some HTML.
    fn attributes<'h>(html: &'h str, name: &str) -> Vec<&'h str> {
        let pattern = format!(" {name}=\"");
        tags(html)
            .into_iter()
            .filter_map(|tag| {
                let at = tag.find(&pattern)? + pattern.len();
                Some(&tag[at..at + tag[at..].find('"')?])
            })
            .collect()
    }

    fn md(src: &str) -> Rendered {
        render(src, Options::default(), &mut Keep::default())
    }

    fn md_unsafe(src: &str) -> Rendered {
        render(src, Options { unsafe_html: true }, &mut Keep::default())
    }

    fn ids(r: &Rendered) -> Vec<&str> {
        r.headings.iter().map(|h| h.id.as_str()).collect()
    }

    // --- Markdown features ---------------------------------------------------------

    #[test]
    fn paragraph_and_inline() {
        let r = md("你好，**世界**。*强调* `代码`\n");
        assert_eq!(
            r.html,
            "<p>你好，<strong>世界</strong>。<em>强调</em> <code>代码</code></p>\n"
        );
        assert_eq!(r.text, "你好，世界。强调 代码");
        assert!(r.problems.is_empty());
    }

    #[test]
    fn smart_punctuation_is_off() {
        let r = md("\"引号\" -- 'single' ...\n");
        assert_eq!(r.html, "<p>\"引号\" -- 'single' ...</p>\n");
    }

    #[test]
    fn tables_are_wrapped_and_aligned() {
        let r = md("| 名称 | 人数 | 备注 |\n|:---|---:|:-:|\n| 宣讲团 | 12 | 好 |\n");
        assert_eq!(
            r.html,
            "<div class=\"table-wrap\">\n<table><thead><tr>\
             <th style=\"text-align: left\">名称</th>\
             <th style=\"text-align: right\">人数</th>\
             <th style=\"text-align: center\">备注</th></tr></thead><tbody>\n\
             <tr><td style=\"text-align: left\">宣讲团</td>\
             <td style=\"text-align: right\">12</td>\
             <td style=\"text-align: center\">好</td></tr>\n\
             </tbody></table>\n</div>\n"
        );
        assert_eq!(r.text, "名称 人数 备注\n宣讲团 12 好");
        // No summary from a table.
        assert_eq!(r.summary, "");
    }

    #[test]
    fn tables_survive_the_sanitizer() {
        let r = md("<b>粗</b>\n\n| a | b |\n|:-:|--|\n| 1 | 2 |\n");
        assert!(r.html.contains("<div class=\"table-wrap\">"), "{}", r.html);
        assert!(
            r.html.contains("<th style=\"text-align: center\">a</th>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<td>2</td>"), "{}", r.html);
    }

    #[test]
    fn footnotes() {
        let src = "正文[^注]，再引[^b]。\n\n[^注]: 第一条注释。\n[^b]: 第二条。\n";
        let r = md(src);
        assert_eq!(
            r.html,
            "<p>正文<sup class=\"footnote-reference\"><a href=\"#fn:1\">1</a></sup>，\
             再引<sup class=\"footnote-reference\"><a href=\"#fn:2\">2</a></sup>。</p>\n\
             <div class=\"footnote-definition\" id=\"fn:1\">\
             <sup class=\"footnote-definition-label\">1</sup>\n<p>第一条注释。</p>\n</div>\n\
             <div class=\"footnote-definition\" id=\"fn:2\">\
             <sup class=\"footnote-definition-label\">2</sup>\n<p>第二条。</p>\n</div>\n"
        );
        assert_eq!(r.summary, "正文，再引。");
        assert!(r.text.contains("第一条注释。"));
        // With raw HTML the footnote markup survives the sanitizer.
        let r = md(&format!("<kbd>K</kbd>{src}"));
        assert!(
            r.html.contains(
                "<div class=\"footnote-definition\" id=\"fn:1\"><sup class=\"footnote-definition-label\">1</sup>"
            ),
            "{}",
            r.html
        );
        assert!(r.html.contains("<a href=\"#fn:2\">2</a>"), "{}", r.html);
    }

    #[test]
    fn undefined_footnote_is_text() {
        let r = md("见[^无]。\n");
        assert_eq!(r.html, "<p>见[^无]。</p>\n");
    }

    #[test]
    fn strikethrough() {
        let r = md("~~旧地址~~ 新地址\n");
        assert_eq!(r.html, "<p><del>旧地址</del> 新地址</p>\n");
        let r = md("<i>x</i> ~~旧~~\n");
        assert!(r.html.contains("<del>旧</del>"), "{}", r.html);
    }

    #[test]
    fn task_lists() {
        let src = "- [x] 布置场地\n- [ ] 通知志愿者\n";
        let r = md(src);
        assert_eq!(
            r.html,
            "<ul>\n<li><input disabled=\"\" type=\"checkbox\" checked=\"\">\n布置场地</li>\n\
             <li><input disabled=\"\" type=\"checkbox\">\n通知志愿者</li>\n</ul>\n"
        );
        assert_eq!(r.text, "布置场地\n通知志愿者");
        let r = md(&format!("<span>x</span>\n\n{src}"));
        assert!(r.html.contains("checked=\"\""), "{}", r.html);
        assert!(r.html.contains("type=\"checkbox\""), "{}", r.html);
        assert_eq!(r.html.matches("<input").count(), 2);
        assert_eq!(r.html.matches("disabled=\"\"").count(), 2);
    }

    #[test]
    fn code_blocks_keep_language_class() {
        let r = md("```rust\nfn main() { \"<x>\" }\n```\n");
        assert_eq!(
            r.html,
            "<pre><code class=\"language-rust\">fn main() { \"&lt;x&gt;\" }\n</code></pre>\n"
        );
        assert_eq!(r.text, "fn main() { \"<x>\" }");
        let r = md("<br>\n\n```yaml\na: 1\n```\n");
        assert!(
            r.html.contains("<code class=\"language-yaml\">"),
            "{}",
            r.html
        );
    }

    // --- Heading levels --------------------------------------------------------------

    #[test]
    fn level_one_headings_move_down_so_the_title_stays_the_only_h1() {
        let r = md("# 第一部分\n\n## 小节\n\n正文\n");
        assert!(
            r.html.contains("<h2 id=\"第一部分\">第一部分</h2>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h3 id=\"小节\">小节</h3>"), "{}", r.html);
        assert_eq!(r.headings[0].level, 2);
        let r = md("## 小节\n");
        assert!(r.html.contains("<h2"), "{}", r.html);
    }

    // --- Heading ids -----------------------------------------------------------------

    #[test]
    fn chinese_heading_ids() {
        let r = md("## 活动介绍\n\n正文\n\n## 活动介绍\n\n### 活动介绍\n");
        assert_eq!(ids(&r), ["活动介绍", "活动介绍-1", "活动介绍-2"]);
        assert!(r.html.starts_with("<h2 id=\"活动介绍\">活动介绍</h2>\n"));
        assert!(r.html.contains("<h2 id=\"活动介绍-1\">活动介绍</h2>"));
        assert!(r.html.contains("<h3 id=\"活动介绍-2\">活动介绍</h3>"));
        assert_eq!(r.headings[0].level, 2);
        assert_eq!(r.headings[2].level, 3);
        assert_eq!(r.headings[0].text, "活动介绍");
    }

    #[test]
    fn mixed_and_punctuated_heading_ids() {
        let r = md(
            "## 第2部分 Overview\n# 一、志愿服务：“文明实践”在行动！\n#### Hello, World -- 2024\n",
        );
        assert_eq!(
            ids(&r),
            [
                "第2部分-overview",
                "一-志愿服务-文明实践-在行动",
                "hello-world-2024"
            ]
        );
        // A body with a `#` heading has every heading one level down.
        assert_eq!(
            r.headings.iter().map(|h| h.level).collect::<Vec<_>>(),
            [3, 2, 5]
        );
        assert!(r.html.contains("<h2 id=\"一-志愿服务-文明实践-在行动\">"));
    }

    #[test]
    fn heading_text_includes_inline_markup_text() {
        let r = md("## 关于 **[我们](/about/)** `v2`\n");
        assert_eq!(r.headings[0].text, "关于 我们 v2");
        assert_eq!(r.headings[0].id, "关于-我们-v2");
        assert!(
            r.html
                .starts_with("<h2 id=\"关于-我们-v2\">关于 <strong><a href=\"/about/\">我们</a></strong> <code>v2</code></h2>")
        );
    }

    #[test]
    fn empty_heading_ids_fall_back_to_section() {
        let r = md("## ！！！\n\n## ？\n\n##\n");
        assert_eq!(ids(&r), ["section", "section-1", "section-2"]);
    }

    #[test]
    fn explicit_ids_win() {
        let r = md("## 活动介绍 {#intro}\n\n## 活动介绍\n\n## 另一个 {#活动介绍}\n\n## Intro\n");
        assert_eq!(ids(&r), ["intro", "活动介绍-1", "活动介绍", "intro-1"]);
        assert!(r.html.contains("<h2 id=\"intro\">活动介绍</h2>"));
        assert!(r.html.contains("<h2 id=\"活动介绍\">另一个</h2>"));
        assert_eq!(r.headings[2].text, "另一个");
    }

    #[test]
    fn heading_attributes_other_than_id_and_class_are_dropped() {
        let r = md("## 标题 {#t .big onclick=alert(1) style=color:red}\n");
        assert_eq!(r.html, "<h2 id=\"t\" class=\"big\">标题</h2>\n");
        let r = md_unsafe("## 标题 {data-x=1}\n");
        assert!(r.html.contains("data-x=\"1\""), "{}", r.html);
    }

    #[test]
    fn heading_ids_survive_the_sanitizer() {
        let r = md("## 活动介绍\n\n<mark>重点</mark>\n\n## 活动介绍 {.wide}\n");
        assert!(
            r.html.contains("<h2 id=\"活动介绍\">活动介绍</h2>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<mark>重点</mark>"), "{}", r.html);
        assert!(
            r.html
                .contains("<h2 id=\"活动介绍-1\" class=\"wide\">活动介绍</h2>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn setext_heading() {
        let r = md("活动\n介绍\n====\n");
        assert_eq!(r.headings[0].id, "活动-介绍");
        assert_eq!(r.headings[0].level, 2, "the page title is the only h1");
    }

    // --- Sanitizing ------------------------------------------------------------------

    #[test]
    fn script_removed() {
        let r = md("前<script>alert(1)</script>后\n\n<script>\nalert(2)\n</script>\n");
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("alert"), "{}", r.html);
        assert!(r.html.contains("前"));
        assert!(r.html.contains("后"));
        assert!(!r.text.contains("alert"), "{}", r.text);
        assert_eq!(r.text, "前 后");
    }

    #[test]
    fn event_handlers_removed() {
        let r = md(
            "<img src=\"x.png\" onerror=\"alert(1)\">\n\n<p onclick=\"x()\" class=\"k\">段</p>\n",
        );
        assert!(!r.html.contains("onerror"), "{}", r.html);
        assert!(!r.html.contains("onclick"), "{}", r.html);
        assert!(r.html.contains("<img src=\"x.png\">"), "{}", r.html);
        assert!(r.html.contains("<p class=\"k\">段</p>"), "{}", r.html);
    }

    #[test]
    fn javascript_links_neutralized_on_fast_path() {
        for src in [
            "[点我](javascript:alert(1))",
            "[点我](JavaScript:alert(1))",
            "[点我](  javascript:alert(1))",
            "[点我](<java\tscript:alert(1)>)",
            "[点我](java&#9;script:alert(1))",
            "[点我](&#106;avascript:alert(1))",
            "[点我](vbscript:msgbox)",
            "[点我](data:text/html;base64,PHNjcmlwdD4=)",
            "[点我](data:image/svg+xml;base64,AAAA)",
            "<javascript:alert(1)>",
            "[点我][r]\n\n[r]: javascript:alert(1)",
        ] {
            let r = md(src);
            assert_eq!(attributes(&r.html, "href"), ["#"], "{src} → {}", r.html);
            // The fast path was taken: pulldown-cmark's own serialization.
            assert!(r.html.starts_with("<p><a href="), "{}", r.html);
        }
        let r = md("[ok](https://example.com/a?b=1&c=2) [rel](../x/) [mail](mailto:a@b.cn)\n");
        assert_eq!(
            r.html,
            "<p><a href=\"https://example.com/a?b=1&amp;c=2\">ok</a> <a href=\"../x/\">rel</a> \
             <a href=\"mailto:a@b.cn\">mail</a></p>\n"
        );
    }

    /// Found by the `markdown` fuzz target (whose check was too broad): the
    /// word as text is kept, as a link it is neutralized.
    #[test]
    fn javascript_as_text_is_only_text() {
        let r = md("tags: [院落治理, 微心javascript:愿]\n\n[去](javascript:愿)\n");
        assert!(r.html.contains("微心javascript:愿"), "{}", r.html);
        assert_eq!(attributes(&r.html, "href"), ["#"], "{}", r.html);
    }

    #[test]
    fn dangerous_image_sources_neutralized() {
        let r = md(
            "![a](javascript:alert(1)) ![b](data:text/html,x) ![c](data:image/png;base64,iVBO)\n",
        );
        assert_eq!(
            r.html,
            "<p><img src=\"#\" alt=\"a\" loading=\"lazy\"> <img src=\"#\" alt=\"b\" loading=\"lazy\"> \
             <img src=\"data:image/png;base64,iVBO\" alt=\"c\" loading=\"lazy\"></p>\n"
        );
    }

    #[test]
    fn javascript_links_removed_in_raw_html() {
        let r = md(
            "<a href=\"javascript:alert(1)\">x</a> <a href=\" JAVASCRIPT:alert(1)\">y</a> [z](javascript:void)\n",
        );
        assert!(
            !r.html.to_ascii_lowercase().contains("javascript"),
            "{}",
            r.html
        );
        assert!(r.html.contains(">x</a>"), "{}", r.html);
    }

    #[test]
    fn iframe_object_style_removed() {
        let r = md(
            "<iframe src=\"https://evil.example/\">内</iframe>\n\n<object data=\"x.swf\"></object>\n\n\
             <style>body{display:none}</style>\n\n<div style=\"width: expression(alert(1))\">块</div>\n\n\
             <table><tr><td style=\"text-align: expression(alert(1))\">格</td>\
             <td style=\"TEXT-ALIGN:center\">中</td></tr></table>\n",
        );
        for bad in [
            "<iframe",
            "<object",
            "<style",
            "expression",
            "display:none",
            "evil",
        ] {
            assert!(!r.html.contains(bad), "{bad} in {}", r.html);
        }
        assert!(r.html.contains("<div>块</div>"), "{}", r.html);
        assert!(r.html.contains("<td>格</td>"), "{}", r.html);
        assert!(
            r.html.contains("<td style=\"text-align: center\">中</td>"),
            "{}",
            r.html
        );
        assert!(!r.text.contains("display"), "{}", r.text);
    }

    #[test]
    fn harmless_tags_kept() {
        let src = "<details open><summary>更多</summary>\n\n内容<sup>1</sup><sub>2</sub> <kbd>Ctrl</kbd> \
                   <abbr title=\"新时代文明实践\">文明实践</abbr> <ruby>社<rp>(</rp><rt>shè</rt><rp>)</rp></ruby> \
                   <mark>要</mark> <del>删</del>\n\n</details>\n\n\
                   <figure class=\"photo\"><img src=\"/a.jpg\" alt=\"图\" width=\"480\" height=\"320\" loading=\"lazy\" \
                   srcset=\"/a-480.jpg 480w, /a-960.jpg 960w\" sizes=\"100vw\"><figcaption>说明</figcaption></figure>\n\n\
                   <picture><source type=\"image/webp\" srcset=\"/a.webp\"><img src=\"/a.jpg\" alt=\"\"></picture>\n\n\
                   <div id=\"x\" class=\"note\"><a href=\"/about/\" title=\"关于\">关于</a></div>\n";
        let r = md(src);
        for kept in [
            "<details open=\"\"><summary>更多</summary>",
            "<sup>1</sup><sub>2</sub>",
            "<kbd>Ctrl</kbd>",
            "<abbr title=\"新时代文明实践\">文明实践</abbr>",
            "<ruby>社<rp>(</rp><rt>shè</rt><rp>)</rp></ruby>",
            "<mark>要</mark>",
            "<del>删</del>",
            "<figure class=\"photo\"><img src=\"/a.jpg\" alt=\"图\" width=\"480\" height=\"320\" loading=\"lazy\" srcset=\"/a-480.jpg 480w, /a-960.jpg 960w\" sizes=\"100vw\"><figcaption>说明</figcaption></figure>",
            "<picture><source type=\"image/webp\" srcset=\"/a.webp\"><img src=\"/a.jpg\" alt=\"\"></picture>",
            "<div id=\"x\" class=\"note\"><a href=\"/about/\" title=\"关于\">关于</a></div>",
        ] {
            assert!(r.html.contains(kept), "missing {kept} in {}", r.html);
        }
        assert!(!r.html.contains("rel="), "{}", r.html);
        assert!(r.text.contains("更多"));
        assert!(r.text.contains("文明实践"));
        assert!(!r.text.contains('<'), "{}", r.text);
    }

    #[test]
    fn data_urls_only_for_images() {
        let r = md(
            "<img src=\"data:image/png;base64,iVBO\" alt=\"a\"> <a href=\"data:text/html,x\">b</a> \
                    <a href=\"DATA:image/png,x\">c</a> <img src=\"data:text/html,x\" alt=\"d\"> \
                    <video src=\"data:video/mp4,x\" controls></video>\n",
        );
        assert_eq!(
            r.html,
            "<p><img src=\"data:image/png;base64,iVBO\" alt=\"a\"> <a>b</a> <a>c</a> <img alt=\"d\"> \
             <video controls=\"\"></video></p>\n"
        );
    }

    #[test]
    fn srcset_with_javascript_dropped() {
        let r = md("<img src=\"/a.jpg\" srcset=\"javascript:alert(1) 1x\" alt=\"\">\n");
        assert!(!r.html.contains("javascript"), "{}", r.html);
        assert!(
            r.html.contains("<img src=\"/a.jpg\" alt=\"\">"),
            "{}",
            r.html
        );
    }

    #[test]
    fn unsafe_html_keeps_everything() {
        let src = "<script>alert(1)</script>\n\n<iframe src=\"https://v.example/1\"></iframe>\n\n\
                   <img src=x onerror=alert(1)>\n\n[j](javascript:go())\n";
        let r = md_unsafe(src);
        assert!(r.html.contains("<script>alert(1)</script>"), "{}", r.html);
        assert!(
            r.html
                .contains("<iframe src=\"https://v.example/1\"></iframe>")
        );
        assert!(r.html.contains("onerror=alert(1)"));
        assert!(r.html.contains("href=\"javascript:go()\""));
        // The plain text still has no tags or script.
        assert_eq!(r.text, "j");
    }

    #[test]
    fn fast_path_output_is_escaped() {
        let r = md("a < b & c > d \"e\"\n\n[x](</a b> \"t\\\"<\")\n\n![<alt>](/i.png \"<t>\")\n");
        assert_eq!(
            r.html,
            "<p>a &lt; b &amp; c &gt; d \"e\"</p>\n\
             <p><a href=\"/a%20b\" title=\"t&quot;&lt;\">x</a></p>\n\
             <p><img src=\"/i.png\" alt=\"&lt;alt&gt;\" title=\"&lt;t&gt;\" loading=\"lazy\"></p>\n"
        );
    }

    // --- Resolver -----------------------------------------------------------------

    #[test]
    fn resolver_replaces_links_and_reports_errors() {
        let src = "见[老辈子宣讲团](@/青羊区/teams/老辈子.md#成员)和[不存在](@/missing.md)。\n\n\
                   [外部](https://example.com) <https://auto.example> [引用][r]\n\n\
                   [r]: @/missing-ref.md\n";
        let mut resolver = Site;
        let r = render(src, Options::default(), &mut resolver);
        assert_eq!(
            r.html,
            "<p>见<a href=\"/%E9%9D%92%E7%BE%8A%E5%8C%BA/teams/%E8%80%81%E8%BE%88%E5%AD%90/#%E6%88%90%E5%91%98\">老辈子宣讲团</a>和不存在。</p>\n\
             <p><a href=\"https://example.com\">外部</a> <a href=\"https://auto.example\">https://auto.example</a> 引用</p>\n"
        );
        assert_eq!(
            r.problems,
            [
                Problem {
                    offset: src.find("[不存在]").unwrap(),
                    message: "no page missing.md".into()
                },
                Problem {
                    offset: src.find("[引用]").unwrap(),
                    message: "no page missing-ref.md".into()
                },
            ]
        );
    }

    #[test]
    fn resolver_sees_every_link_but_not_autolinks() {
        let mut keep = Keep::default();
        let src = "[a](x.md) <https://b.example> [c][d] ![i](p.png \"标题\") [![内](q.jpg)](r.md)\n\n[d]: y.md\n";
        let r = render(src, Options::default(), &mut keep);
        assert_eq!(keep.links, ["x.md", "y.md", "r.md"]);
        assert_eq!(
            keep.images,
            [
                ("p.png".into(), "i".into(), "标题".into()),
                ("q.jpg".into(), "内".into(), String::new())
            ]
        );
        assert!(
            r.html
                .contains("<a href=\"r.md\"><img src=\"q.jpg\" alt=\"内\" loading=\"lazy\"></a>")
        );
    }

    #[test]
    fn image_errors_reported_with_offsets() {
        let src = "# 图\n\n前文 ![缺图](missing.webp) 后文\n\n- ![another](../missing/a.jpg)\n";
        let r = render(src, Options::default(), &mut Site);
        assert_eq!(
            r.problems,
            [
                Problem {
                    offset: src.find("![缺图]").unwrap(),
                    message: "no image missing.webp".into()
                },
                Problem {
                    offset: src.find("![another]").unwrap(),
                    message: "no image ../missing/a.jpg".into()
                },
            ]
        );
        assert!(r.html.contains("<p>前文 缺图 后文</p>"), "{}", r.html);
        assert!(!r.html.contains("<img"), "{}", r.html);
    }

    #[test]
    fn block_image_html_unwrapped_from_paragraph() {
        let src = "![活动现场](photos/a.jpg)\n\n![合影](b.png)\n\n文字 ![行内](c.jpg)\n\n![普通](d.gif)\n";
        let r = render(src, Options::default(), &mut Site);
        assert_eq!(
            r.html,
            "<picture><source type=\"image/webp\" srcset=\"photos/a-480.webp 480w, photos/a-960.webp 960w\" \
             sizes=\"100vw\"><img src=\"photos/a-960.jpg\" alt=\"活动现场\" width=\"960\" height=\"640\" \
             loading=\"lazy\"></picture>\n\
             <figure><img src=\"b.webp\" alt=\"合影\"><figcaption>合影</figcaption></figure>\n\
             <p>文字 <picture><source type=\"image/webp\" srcset=\"c-480.webp 480w, c-960.webp 960w\" \
             sizes=\"100vw\"><img src=\"c-960.jpg\" alt=\"行内\" width=\"960\" height=\"640\" \
             loading=\"lazy\"></picture></p>\n\
             <p><img src=\"d.gif\" alt=\"普通\" loading=\"lazy\"></p>\n"
        );
        assert_eq!(r.summary, "文字");
        // Resolver HTML survives the sanitizer.
        let r = render(&format!("<b>x</b>\n\n{src}"), Options::default(), &mut Site);
        assert!(
            r.html.contains(
                "<picture><source type=\"image/webp\" srcset=\"photos/a-480.webp 480w, photos/a-960.webp 960w\" sizes=\"100vw\"><img src=\"photos/a-960.jpg\" alt=\"活动现场\" width=\"960\" height=\"640\" loading=\"lazy\"></picture>"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(
                "<figure><img src=\"b.webp\" alt=\"合影\"><figcaption>合影</figcaption></figure>"
            ),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<p><figure"), "{}", r.html);
    }

    #[test]
    fn image_alt_collects_nested_text() {
        let mut keep = Keep::default();
        let r = render(
            "![**社区** `活动`\n照片](a.jpg \"t\")",
            Options::default(),
            &mut keep,
        );
        assert_eq!(keep.images[0].1, "社区 活动 照片");
        assert_eq!(
            r.html,
            "<p><img src=\"a.jpg\" alt=\"社区 活动 照片\" title=\"t\" loading=\"lazy\"></p>\n"
        );
    }

    // --- Summary and text ------------------------------------------------------------

    #[test]
    fn summary_from_first_paragraph() {
        let r = md("# 标题\n\n![封面](a.jpg)\n\n第一段**文字**，\n第二行。\n\n第二段。\n");
        assert_eq!(r.summary, "第一段文字， 第二行。");
        assert_eq!(r.text, "标题\n第一段文字， 第二行。\n第二段。");
    }

    #[test]
    fn summary_from_more_marker() {
        for marker in ["<!-- more -->", "<!--more-->", "<!--   more\t-->"] {
            let src = format!("# 标题\n\n第一段。\n\n- 列表\n\n{marker}\n\n后文。\n");
            let r = md(&src);
            assert_eq!(r.summary, "标题\n第一段。\n列表", "{marker}");
            assert!(!r.html.contains("more"), "{}", r.html);
            assert!(!r.html.contains("<!--"), "{}", r.html);
            assert!(r.text.ends_with("后文。"));
        }
        let r = md("开头<!-- more -->结尾\n");
        assert_eq!(r.summary, "开头");
        assert_eq!(r.html, "<p>开头结尾</p>\n");
        assert_eq!(r.text, "开头结尾");
    }

    #[test]
    fn more_marker_does_not_trigger_sanitizer() {
        // The fast path: pulldown-cmark's serialization (ammonia would write `<p>前</p><hr>`).
        let r = md("前\n\n<!-- more -->\n\n---\n");
        assert_eq!(r.html, "<p>前</p>\n<hr>\n");
    }

    #[test]
    fn plain_text_has_no_tags() {
        let r = md(
            "# 标题\n\n<div class=\"a\">块<b>粗</b>&amp;&lt;&#x4E2D;&nbsp;文</div>\n\n段<span style=\"x\">落</span>\n\n\
             <!-- 注释 -->\n\n> 引用\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        );
        assert!(!r.text.contains("注释"), "{}", r.text);
        assert!(!r.text.contains("span"), "{}", r.text);
        assert!(!r.text.contains("class"), "{}", r.text);
        assert_eq!(r.text, "标题\n块粗&<中 文\n段落\n引用\na b\n1 2");
    }

    #[test]
    fn summary_empty_without_paragraph() {
        let r = md("# 只有标题\n");
        assert_eq!(r.summary, "");
        let r = md("");
        assert_eq!(r.html, "");
        assert_eq!(r.text, "");
        assert!(r.headings.is_empty());
    }

    #[test]
    fn tilde_ranges_in_chinese_text() {
        // Single tildes between digits are not strikethrough.
        let r = md("时间 9:00~11:00 和 14:00~16:00，人数 10~20 人\n");
        assert_eq!(
            r.html,
            "<p>时间 9:00~11:00 和 14:00~16:00，人数 10~20 人</p>\n"
        );
    }

    // --- Adversarial input ---------------------------------------------------------------

    #[test]
    fn deeply_nested_quotes() {
        let src = format!("{}引用\n", ">".repeat(10_000));
        let r = md(&src);
        assert_eq!(r.html.matches("<blockquote>").count(), 10_000);
        assert_eq!(r.text, "引用");
        assert!(r.problems.is_empty());
        // With raw HTML: too deep for the sanitizer, so the raw HTML is escaped.
        let r = md(&format!("<b>x</b>\n\n{src}"));
        assert_eq!(r.html.matches("<blockquote>").count(), 10_000);
        assert!(
            r.html
                .starts_with("<p>&lt;b&gt;x&lt;/b&gt;</p>\n<blockquote>"),
            "{}",
            &r.html[..80]
        );
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].offset, "<b>x</b>\n\n".len() + 256);
        assert_eq!(r.text, "x\n引用");
    }

    #[test]
    fn deep_raw_html_is_escaped_not_sanitized() {
        let src = format!("{}内容{}\n", "<div>".repeat(300), "</div>".repeat(300));
        let r = md(&src);
        assert!(!r.html.contains("<div>"), "{}", &r.html[..100]);
        assert!(r.html.starts_with("&lt;div&gt;&lt;div&gt;"));
        assert_eq!(
            r.problems,
            [Problem {
                offset: 0,
                message: "raw HTML nested too deeply to sanitize: shown as text instead".into()
            }]
        );
        assert_eq!(r.text, "内容");
        // 250 levels is fine once…
        let src = format!("{}内容{}\n", "<div>".repeat(250), "</div>".repeat(250));
        let r = md(&src);
        assert!(r.problems.is_empty());
        assert_eq!(r.html.matches("<div>").count(), 250);
        // …but not thousands of times: the sum of depths is bounded per byte.
        let unit = format!("{}<b>x</b>\n\n", ">".repeat(200));
        let r = md(&unit.repeat(2_000));
        assert_eq!(r.problems.len(), 1);
        assert!(r.html.contains("&lt;b&gt;x&lt;/b&gt;"));
        // Ordinary nesting with raw HTML is sanitized as usual.
        let unit = "- 一\n  - 二\n    - 三 <b>粗</b>\n      > 引用 <i>斜</i>\n\n";
        let r = md(&unit.repeat(3_000));
        assert!(r.problems.is_empty());
        assert_eq!(r.html.matches("<b>粗</b>").count(), 3_000);
    }

    #[test]
    fn deep_fallback_calls_the_resolver_once() {
        #[derive(Default)]
        struct Counting(usize, usize);
        impl Resolver for Counting {
            fn link(&mut self, dest: &str) -> Result<Option<String>, String> {
                self.0 += 1;
                if dest == "bad" {
                    Err("bad link".into())
                } else {
                    Ok(Some(format!("/resolved/{}/", self.0)))
                }
            }
            fn image(&mut self, _: &str, alt: &str, _: &str) -> Result<Option<String>, String> {
                self.1 += 1;
                Ok(Some(format!(
                    "<picture><img src=\"/p.webp\" alt=\"{alt}\"></picture>"
                )))
            }
        }
        let src = format!(
            "[a](x) [b](bad) ![图](y.jpg)\n\n{}<span>深</span>\n\n[c](z)\n",
            "> ".repeat(300)
        );
        let mut counting = Counting::default();
        let r = render(&src, Options::default(), &mut counting);
        assert_eq!((counting.0, counting.1), (3, 1));
        assert!(r.html.starts_with(
            "<p><a href=\"/resolved/1/\">a</a> b <picture><img src=\"/p.webp\" alt=\"图\"></picture></p>"
        ), "{}", &r.html[..120]);
        assert!(r.html.contains("&lt;span&gt;深&lt;/span&gt;"));
        assert!(r.html.ends_with("<p><a href=\"/resolved/3/\">c</a></p>\n"));
        assert_eq!(r.problems.len(), 2);
        assert_eq!(r.problems[0].message, "bad link");
    }

    /// What a one-off build does with each body: scan it in the resolve stage,
    /// make its HTML when its page is rendered.
    #[test]
    fn scan_then_render_again_is_render() {
        /// Numbers every answer, so a replay out of order shows.
        #[derive(Default)]
        struct Numbered(usize);
        impl Resolver for Numbered {
            fn link(&mut self, dest: &str) -> Result<Option<String>, String> {
                self.0 += 1;
                match dest {
                    "bad" => Err("bad link".into()),
                    "/" => Ok(None),
                    _ => Ok(Some(format!("/n/{}/", self.0))),
                }
            }
            fn image(&mut self, _: &str, alt: &str, _: &str) -> Result<Option<String>, String> {
                self.0 += 1;
                Ok(Some(format!(
                    "<img src=\"/i/{}.webp\" alt=\"{alt}\">",
                    self.0
                )))
            }
        }
        let bodies = [
            String::new(),
            "开头一段，[首页](/)与[项目](@/a/b.md#x)。\n\n<!--more-->\n\n## 活动\n\n![合影](a.jpg)[坏](bad)\n".to_string(),
            "# 标题\n\n<div onclick=\"x()\">原始 <b>HTML</b></div>\n\n[^1]\n\n[^1]: 注 [链](c.md)\n".to_string(),
            format!("[a](x)\n\n{}<span>深</span>\n\n![图](y.jpg)\n", "> ".repeat(300)),
            "| 甲 | 乙 |\n|---|---|\n| [x](y.md) | \u{7} |\n\n- [ ] 待办 &#1;\n".to_string(),
        ];
        for options in [Options::default(), Options { unsafe_html: true }] {
            for body in &bodies {
                let rendered = render(body, options, &mut Numbered::default());
                let (scanned, answers) = scan(body, options, &mut Numbered::default());
                assert_eq!(scanned.html, "");
                assert_eq!(scanned.summary, rendered.summary);
                assert_eq!(scanned.text, rendered.text);
                assert_eq!(scanned.headings, rendered.headings);
                assert_eq!(scanned.problems, rendered.problems);
                assert_eq!(
                    render_again(body, options, &answers),
                    rendered.html,
                    "{body}"
                );
            }
        }
    }

    #[test]
    fn deeply_nested_lists() {
        let src = format!("{}项\n", "- ".repeat(10_000));
        let r = md(&src);
        assert_eq!(r.html.matches("<ul>").count(), 10_000);
        let src = format!("{}<i>项</i>\n", "1. ".repeat(5_000));
        let r = md(&src);
        assert_eq!(r.html.matches("<ol>").count(), 5_000);
        assert!(r.html.contains("&lt;i&gt;项&lt;/i&gt;"));
        assert_eq!(r.problems.len(), 1);
    }

    #[test]
    fn many_brackets() {
        let r = md(&"[".repeat(10_000));
        assert_eq!(r.html, format!("<p>{}</p>\n", "[".repeat(10_000)));
        let r = md(&format!("{}x{}", "[".repeat(10_000), "](y)".repeat(10_000)));
        assert!(r.html.starts_with("<p>"));
        let r = md(&format!(
            "{}x{}",
            "![".repeat(10_000),
            "](y)".repeat(10_000)
        ));
        assert!(r.html.starts_with("<p>"));
        let r = md(&"[^".repeat(10_000));
        assert!(r.html.starts_with("<p>"));
        let r = md(&"*_".repeat(10_000));
        assert!(r.html.starts_with("<p>"));
    }

    #[test]
    fn unclosed_and_invalid_html() {
        for src in [
            "<div><span><b>未闭合",
            "<script>alert(1)",
            "<!-- 未闭合注释",
            "<a href=\"x",
            "段落 <img src=x onerror=alert(1) \n\n后文",
            "</div></div></p>",
            "<svg><iframe><a title=\"</iframe><img src onerror=alert(1)>\">t",
            "<math><mtext><table><mglyph><style><img src onerror=alert(1)>",
            "<<<<>>>>",
            "<table><tr><td>1<td>2",
        ] {
            let r = md(src);
            for tag in tags(&r.html) {
                assert!(!tag.contains("onerror"), "{src} → {}", r.html);
                assert!(!tag.starts_with("<script"), "{src} → {}", r.html);
                assert!(!tag.starts_with("<iframe"), "{src} → {}", r.html);
                assert!(!tag.starts_with("<style"), "{src} → {}", r.html);
            }
        }
        // Not HTML for CommonMark: escaped text.
        let r = md("段落 <img src=x onerror=alert(1)\n");
        assert_eq!(r.html, "<p>段落 &lt;img src=x onerror=alert(1)</p>\n");
        let r = md("<div><span>未闭合\n");
        assert_eq!(r.html, "<div><span>未闭合\n</span></div>");
    }

    #[test]
    fn nul_bytes_and_odd_characters() {
        let r = md("a\0b\x01\x7f\u{85}\n\n## \0\n\n[\0](\0) ![\0](\0)\n\r\n\u{feff}\u{200b}#\n");
        assert!(
            r.html
                .starts_with("<p>a\u{fffd}b\u{fffd}\u{fffd}\u{fffd}</p>"),
            "{:?}",
            r.html
        );
        assert!(!r.html.contains('\0'));
        assert!(!r.text.contains('\0'));
        assert!(r.text.starts_with("a\u{fffd}b"), "{:?}", r.text);
        assert_eq!(r.headings.len(), 1);
        assert_eq!(r.headings[0].id, "section");
        let r = md("<b>\0</b>\0\n");
        assert!(!r.html.contains('\0'), "{:?}", r.html);
    }

    #[test]
    fn huge_table() {
        let cols = 200;
        let mut src = String::new();
        src.push_str(&"| 列 ".repeat(cols));
        src.push_str("|\n");
        src.push_str(&"|---".repeat(cols));
        src.push_str("|\n");
        for _ in 0..500 {
            src.push_str(&"| 格 ".repeat(cols));
            src.push_str("|\n");
        }
        let r = md(&src);
        assert_eq!(r.html.matches("<td>格</td>").count(), cols * 500);
        assert!(r.html.starts_with("<div class=\"table-wrap\">"));
        // A table row with many more cells than the header.
        let src = format!("|a|\n|-|\n{}\n", "|b".repeat(50_000));
        let r = md(&src);
        assert!(r.html.contains("<td>b</td>"));
    }

    #[test]
    fn many_headings_same_text() {
        let src = "## 同名\n\n".repeat(2_000);
        let r = md(&src);
        assert_eq!(r.headings.len(), 2_000);
        assert_eq!(r.headings[1999].id, "同名-1999");
        let unique: HashSet<&str> = ids(&r).into_iter().collect();
        assert_eq!(unique.len(), 2_000);
    }

    #[test]
    fn ten_megabytes_of_mixed_input() {
        let unit = "## 标题\n\n正文**加粗**[链接](a.md) ![图](b.jpg)\n\n> 引用\n\n- [ ] 任务\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n";
        let src = unit.repeat(10 * 1024 * 1024 / unit.len());
        let r = md(&src);
        assert!(r.html.len() > src.len());
        assert_eq!(r.headings.len(), src.len() / unit.len());
    }

    #[test]
    #[ignore = "100 MB; run with --release -- --ignored"]
    fn hundred_megabytes() {
        let unit =
            "文明实践站开展志愿服务活动，[链接](a.md) **重点** ~~删除~~ `code`\n\n> 引用\n\n";
        let src = unit.repeat(100 * 1024 * 1024 / unit.len());
        let start = std::time::Instant::now();
        let r = md(&src);
        println!("100 MB: {:?}, html {} bytes", start.elapsed(), r.html.len());
        let src = format!("{}\n", "<b>".repeat(1_000_000));
        let start = std::time::Instant::now();
        let r = md(&src);
        println!(
            "1M unclosed <b>: {:?}, html {} bytes",
            start.elapsed(),
            r.html.len()
        );
    }

    // --- Throughput ----------------------------------------------------------------------

    /// About `size` bytes of Chinese Markdown, deterministic.
    fn chinese_corpus(size: usize, raw_html: bool) -> String {
        const WORDS: [&str; 24] = [
            "新时代",
            "文明实践",
            "志愿服务",
            "社区",
            "宣讲团",
            "老党员",
            "理论宣讲",
            "群众",
            "活动",
            "开展",
            "组织",
            "居民",
            "文化",
            "科普",
            "健身",
            "便民",
            "服务",
            "中心",
            "站点",
            "村民",
            "青年",
            "传统",
            "节日",
            "邻里",
        ];
        const PUNCT: [&str; 4] = ["，", "。", "、", "；"];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut s = String::with_capacity(size + 4096);
        let mut section = 0;
        while s.len() < size {
            section += 1;
            s.push_str(&format!("## 第{section}部分 {}\n\n", WORDS[next(24)]));
            for p in 0..4 {
                for w in 0..60 {
                    s.push_str(WORDS[next(24)]);
                    if w % 7 == 6 {
                        s.push_str(PUNCT[next(4)]);
                    }
                    if w == 20 {
                        s.push_str("**重点内容**");
                    }
                    if w == 40 && p == 1 {
                        s.push_str("[相关链接](@/news/a.md)");
                    }
                    if raw_html && w == 30 && p == 2 {
                        s.push_str("<span class=\"hl\">标注</span>");
                    }
                }
                s.push_str("。\n\n");
            }
            s.push_str("- 时间：2024年5月1日\n- 地点：社区文化活动中心\n- 人数：120人\n\n");
            if section % 4 == 0 {
                s.push_str("| 项目 | 次数 |\n|---|--:|\n| 宣讲 | 12 |\n| 义诊 | 3 |\n\n");
            }
        }
        s
    }

    #[test]
    #[ignore = "timing; run with --release -- --ignored --nocapture"]
    fn throughput() {
        for raw_html in [false, true] {
            let src = chinese_corpus(5 * 1024 * 1024, raw_html);
            let mib = src.len() as f64 / (1024.0 * 1024.0);
            let mut best = f64::MAX;
            let mut best_cmark = f64::MAX;
            for _ in 0..5 {
                let start = std::time::Instant::now();
                let r = render(&src, Options::default(), &mut Keep::default());
                best = best.min(start.elapsed().as_secs_f64());
                assert!(r.html.len() > src.len() / 2);

                let start = std::time::Instant::now();
                let mut html = String::new();
                html::push_html(
                    &mut html,
                    Parser::new_ext(
                        &src,
                        pulldown_cmark::Options::ENABLE_TABLES
                            | pulldown_cmark::Options::ENABLE_FOOTNOTES
                            | pulldown_cmark::Options::ENABLE_STRIKETHROUGH
                            | pulldown_cmark::Options::ENABLE_TASKLISTS
                            | pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES,
                    ),
                );
                best_cmark = best_cmark.min(start.elapsed().as_secs_f64());
            }
            println!(
                "raw_html={raw_html}: {mib:.1} MiB in {:.1} ms = {:.0} MiB/s \
                 (plain pulldown-cmark push_html: {:.0} MiB/s)",
                best * 1e3,
                mib / best,
                mib / best_cmark
            );
        }
    }
}
