//! Colours of the two themes, shared with the browser through
//! [`theme_colors`].

use serde::Serialize;

use crate::spec::{parse_hex_color, MarkerKind, Theme};

/// A theme's colours as `#rrggbb` strings (what a browser chart needs to
/// match the server's images).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThemeColors {
    pub background: &'static str,
    pub text: &'static str,
    pub muted_text: &'static str,
    pub grid: &'static str,
    pub border: &'static str,
    pub up: &'static str,
    pub down: &'static str,
    pub line: &'static str,
    pub entry: &'static str,
    pub stop: &'static str,
    pub target: &'static str,
    pub drawing: &'static str,
    pub simulated: &'static str,
    /// Default study colours, used in order for studies without a colour.
    pub palette: &'static [&'static str],
}

const LIGHT: ThemeColors = ThemeColors {
    background: "#ffffff",
    text: "#131722",
    muted_text: "#6a6d78",
    grid: "#eef0f5",
    border: "#d6d9e0",
    up: "#089981",
    down: "#f23645",
    line: "#2962ff",
    entry: "#2962ff",
    stop: "#e0262f",
    target: "#078a6f",
    drawing: "#7e57c2",
    simulated: "#e65100",
    palette: &[
        "#2962ff", "#ff6d00", "#9c27b0", "#00897b", "#e91e63", "#795548", "#0097a7", "#c49000",
    ],
};

const DARK: ThemeColors = ThemeColors {
    background: "#131722",
    text: "#d1d4dc",
    muted_text: "#868993",
    grid: "#1f2330",
    border: "#363a45",
    up: "#26a69a",
    down: "#ef5350",
    line: "#4c8dff",
    entry: "#4c8dff",
    stop: "#ff5c5c",
    target: "#2ec48f",
    drawing: "#b39ddb",
    simulated: "#ffa726",
    palette: &[
        "#4c8dff", "#ff9800", "#ce93d8", "#4db6ac", "#f06292", "#bcaaa4", "#4dd0e1", "#fdd835",
    ],
};

/// The colours of `theme`.
pub fn theme_colors(theme: Theme) -> ThemeColors {
    match theme {
        Theme::Light => LIGHT,
        Theme::Dark => DARK,
    }
}

/// An RGB colour.
pub(crate) type Rgb = (u8, u8, u8);

/// [`ThemeColors`] parsed for drawing.
#[derive(Debug, Clone)]
pub(crate) struct Palette {
    pub background: Rgb,
    pub text: Rgb,
    pub muted: Rgb,
    pub grid: Rgb,
    pub border: Rgb,
    pub up: Rgb,
    pub down: Rgb,
    pub line: Rgb,
    pub entry: Rgb,
    pub stop: Rgb,
    pub target: Rgb,
    pub drawing: Rgb,
    pub simulated: Rgb,
    pub studies: Vec<Rgb>,
}

fn hex(s: &str) -> Rgb {
    parse_hex_color(s).unwrap_or((128, 128, 128))
}

impl Palette {
    pub fn new(theme: Theme) -> Self {
        let c = theme_colors(theme);
        Self {
            background: hex(c.background),
            text: hex(c.text),
            muted: hex(c.muted_text),
            grid: hex(c.grid),
            border: hex(c.border),
            up: hex(c.up),
            down: hex(c.down),
            line: hex(c.line),
            entry: hex(c.entry),
            stop: hex(c.stop),
            target: hex(c.target),
            drawing: hex(c.drawing),
            simulated: hex(c.simulated),
            studies: c.palette.iter().map(|s| hex(s)).collect(),
        }
    }

    pub fn marker(&self, kind: MarkerKind) -> Rgb {
        match kind {
            MarkerKind::Entry => self.entry,
            MarkerKind::Stop => self.stop,
            MarkerKind::Target => self.target,
        }
    }

    /// Text colour readable on `bg`.
    pub fn on(&self, bg: Rgb) -> Rgb {
        let l = 0.299 * f64::from(bg.0) + 0.587 * f64::from(bg.1) + 0.114 * f64::from(bg.2);
        if l > 160.0 {
            (19, 23, 34)
        } else {
            (255, 255, 255)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_theme_colours_parse() {
        for theme in [Theme::Light, Theme::Dark] {
            let c = theme_colors(theme);
            for s in [
                c.background,
                c.text,
                c.muted_text,
                c.grid,
                c.border,
                c.up,
                c.down,
                c.line,
                c.entry,
                c.stop,
                c.target,
                c.drawing,
                c.simulated,
            ]
            .iter()
            .chain(c.palette.iter())
            {
                assert!(parse_hex_color(s).is_some(), "{s}");
            }
        }
    }
}
