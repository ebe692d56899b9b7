//! The embedded DejaVu Sans fonts (fonts/README.md): registered once with
//! plotters (family `sans-serif`) and laid out and rasterised directly with
//! `ab_glyph` for PNG text. plotters 0.3.7's own ab_glyph renderer places
//! each glyph without its left side bearing and with a truncated vertical
//! offset, which misplaces narrow glyphs such as the decimal point.

use std::sync::OnceLock;

use ab_glyph::{point, Font, FontRef, GlyphId, PxScale, ScaleFont};
use plotters::style::{register_font, FontStyle};

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// The two parsed faces.
pub(crate) struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();

/// Parses and registers the fonts on first call; later calls return the
/// first result. Thread-safe: `OnceLock` runs the initialisation once even
/// when several threads render their first chart at the same time.
pub(crate) fn ensure_fonts() -> Result<&'static Fonts, String> {
    FONTS
        .get_or_init(|| {
            let regular = FontRef::try_from_slice(REGULAR)
                .map_err(|_| "embedded DejaVuSans.ttf could not be parsed".to_owned())?;
            let bold = FontRef::try_from_slice(BOLD)
                .map_err(|_| "embedded DejaVuSans-Bold.ttf could not be parsed".to_owned())?;
            register_font("sans-serif", FontStyle::Normal, REGULAR)
                .map_err(|_| "plotters rejected DejaVuSans.ttf".to_owned())?;
            register_font("sans-serif", FontStyle::Bold, BOLD)
                .map_err(|_| "plotters rejected DejaVuSans-Bold.ttf".to_owned())?;
            Ok(Fonts { regular, bold })
        })
        .as_ref()
        .map_err(Clone::clone)
}

impl Fonts {
    fn face(&self, bold: bool) -> &FontRef<'static> {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }

    /// ab_glyph scales so that ascent - descent spans the scale; this gives
    /// an em of `em` pixels.
    fn scale(&self, bold: bool, em: f64) -> PxScale {
        let f = self.face(bold);
        let upem = f.units_per_em().unwrap_or(2048.0);
        PxScale::from((em as f32) * f.height_unscaled() / upem)
    }

    /// Glyphs of `text` with their pen positions (kerned), and the advance.
    fn layout(&self, text: &str, em: f64, bold: bool) -> (Vec<(GlyphId, f32)>, f32) {
        let font = self.face(bold).as_scaled(self.scale(bold, em));
        let mut caret = 0f32;
        let mut prev: Option<GlyphId> = None;
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(p) = prev {
                caret += font.kern(p, id);
            }
            out.push((id, caret));
            caret += font.h_advance(id);
            prev = Some(id);
        }
        (out, caret)
    }

    /// Advance width of `text` in pixels at `em`.
    pub(crate) fn width(&self, text: &str, em: f64, bold: bool) -> f64 {
        f64::from(self.layout(text, em, bold).1)
    }

    /// Rasterises `text` with its pen starting at `x` on baseline `y`, calling
    /// `pixel(x, y, coverage)` for every covered pixel.
    pub(crate) fn raster(
        &self,
        text: &str,
        (x, y): (f64, f64),
        em: f64,
        bold: bool,
        mut pixel: impl FnMut(i32, i32, f32),
    ) {
        let face = self.face(bold);
        let scale = self.scale(bold, em);
        let (glyphs, _) = self.layout(text, em, bold);
        for (id, caret) in glyphs {
            let g = id.with_scale_and_position(scale, point(x as f32 + caret, y as f32));
            if let Some(o) = face.outline_glyph(g) {
                let b = o.px_bounds();
                let (bx, by) = (b.min.x as i32, b.min.y as i32);
                o.draw(|gx, gy, c| {
                    if c > 0.0 {
                        pixel(bx + gx as i32, by + gy as i32, c.min(1.0));
                    }
                });
            }
        }
    }
}

/// `text` with characters DejaVu Sans may not have replaced by `?`, so no
/// tofu boxes appear. Kept: Latin, Greek, Cyrillic, general punctuation,
/// currency signs, arrows, mathematical operators, box drawing and geometric
/// shapes (DejaVu Sans covers these blocks).
pub(crate) fn safe_text(text: &str) -> String {
    text.chars()
        .map(|c| {
            let u = c as u32;
            let covered = matches!(u,
                0x20..=0x7e
                | 0xa0..=0x24f
                | 0x370..=0x3ff
                | 0x400..=0x4ff
                | 0x2000..=0x206f
                | 0x20a0..=0x20cf
                | 0x2190..=0x21ff
                | 0x2200..=0x22ff
                | 0x2500..=0x25ff);
            if covered {
                c
            } else if c.is_whitespace() {
                ' '
            } else {
                '?'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_once_from_many_threads() {
        let handles: Vec<_> = (0..4)
            .map(|_| std::thread::spawn(|| ensure_fonts().is_ok()))
            .collect();
        for h in handles {
            assert_eq!(h.join().ok(), Some(true));
        }
    }

    #[test]
    fn widths_scale_with_size() {
        let f = ensure_fonts().expect("fonts");
        let w12 = f.width("188.84", 12.0, false);
        let w24 = f.width("188.84", 24.0, false);
        assert!(w12 > 30.0 && w12 < 45.0, "{w12}");
        assert!((w24 - 2.0 * w12).abs() < 0.01);
        assert!(f.width("188.84", 12.0, true) > w12);
    }

    #[test]
    fn unknown_glyphs_become_question_marks() {
        assert_eq!(safe_text("AAPL · 1D"), "AAPL · 1D");
        assert_eq!(safe_text("日経 225\n€"), "?? 225 €");
    }
}
