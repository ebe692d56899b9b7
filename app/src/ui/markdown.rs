//! Markdown of user notes rendered to HTML that is safe to insert into the page: raw HTML
//! in the notes is shown as text, links keep only http(s), mailto and in-app targets, and
//! images become their alt text (the CSP would block remote images anyway, and they would
//! tell a third party who reads the journal).

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

pub fn to_safe_html(markdown: &str) -> String {
    let mut in_image = 0usize;
    let events = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS,
    )
    .filter_map(|ev| match ev {
        // Text events are escaped by the renderer: markup typed in a note stays visible text.
        Event::Html(s) | Event::InlineHtml(s) => Some(Event::Text(s)),
        Event::Start(Tag::Image { .. }) => {
            in_image += 1;
            None
        }
        Event::End(TagEnd::Image) => {
            in_image = in_image.saturating_sub(1);
            None
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Some(Event::Start(Tag::Link {
            link_type,
            dest_url: if safe_url(&dest_url) {
                dest_url
            } else {
                "#".into()
            },
            title,
            id,
        })),
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

fn safe_url(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("https://")
        || u.starts_with("http://")
        || u.starts_with("mailto:")
        || (u.starts_with('/') && !u.starts_with("//"))
        || u.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formatting_renders() {
        assert_eq!(
            to_safe_html("Waited for the **retest**, then:\n\n- entry 101.5\n- stop 99"),
            "<p>Waited for the <strong>retest</strong>, then:</p>\n<ul>\n<li>entry 101.5</li>\n<li>stop 99</li>\n</ul>\n"
        );
        assert_eq!(
            to_safe_html("[plan](https://example.com/p?a=1&b=2)"),
            "<p><a href=\"https://example.com/p?a=1&amp;b=2\">plan</a></p>\n"
        );
    }

    #[test]
    fn markup_and_scripts_stay_text() {
        assert_eq!(
            to_safe_html("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        let h = to_safe_html("hi <img src=x onerror=alert(1)> there");
        assert!(!h.contains("<img"), "{h}");
        assert!(h.contains("&lt;img src=x onerror=alert(1)&gt;"), "{h}");
        assert_eq!(
            to_safe_html("[x](javascript:alert(1)) [y](JavaScript:alert(1)) [z](//evil.example)"),
            "<p><a href=\"#\">x</a> <a href=\"#\">y</a> <a href=\"#\">z</a></p>\n"
        );
        assert_eq!(
            to_safe_html("![chart](https://tracker.example/p.png)"),
            "<p>chart</p>\n"
        );
    }

    proptest! {
        #[test]
        fn nothing_executable_survives(s in ".{0,200}", url in "[a-zA-Z:/.()]{0,30}") {
            let html = to_safe_html(&format!("{s} [l]({url}) <{s}>"));
            let lower = html.to_ascii_lowercase();
            prop_assert!(!lower.contains("<script"));
            prop_assert!(!lower.contains("<img"));
            prop_assert!(!lower.contains("<iframe"));
            for href in lower.split("href=\"").skip(1) {
                prop_assert!(
                    ["https://", "http://", "mailto:", "/", "#"].iter().any(|p| href.starts_with(p)),
                    "unsafe href in {}", html
                );
                prop_assert!(!href.starts_with("//"));
            }
        }
    }
}
