//! Replays a scene's drawing commands on a 2D canvas, sharp on high-density screens, in
//! the page theme's colours.

use super::scene::{Align, Cmd, Theme};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

const FONT: &str = "12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const BOLD: &str = "600 12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/// The theme of the page as its CSS variables set it now (light, dark or the system's).
pub fn page_theme() -> Theme {
    let mut t = Theme::light();
    let Some(window) = web_sys::window() else {
        return t;
    };
    let Some(root) = window.document().and_then(|d| d.document_element()) else {
        return t;
    };
    let Ok(Some(css)) = window.get_computed_style(&root) else {
        return t;
    };
    let var = |name: &str, into: &mut String| {
        if let Ok(v) = css.get_property_value(name) {
            let v = v.trim();
            if !v.is_empty() {
                *into = v.to_string();
            }
        }
    };
    var("--surface", &mut t.bg);
    var("--text", &mut t.text);
    var("--muted", &mut t.muted);
    var("--surface-2", &mut t.grid);
    t
}

/// Sizes the canvas to `width` × `height` CSS pixels and draws `cmds`.
pub fn paint(canvas: &HtmlCanvasElement, width: f64, height: f64, cmds: &[Cmd]) {
    let dpr = web_sys::window()
        .map_or(1.0, |w| w.device_pixel_ratio())
        .max(1.0);
    let (pw, ph) = ((width * dpr).round() as u32, (height * dpr).round() as u32);
    if canvas.width() != pw {
        canvas.set_width(pw);
    }
    if canvas.height() != ph {
        canvas.set_height(ph);
    }
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.set_text_baseline("middle");
    let solid = js_sys::Array::new();
    let dash = js_sys::Array::of2(&JsValue::from(4.0), &JsValue::from(3.0));
    // One saved state per clip, so a new clip replaces the previous one.
    ctx.save();
    for cmd in cmds {
        match cmd {
            Cmd::Clip(rect) => {
                ctx.restore();
                ctx.save();
                if let Some(r) = rect {
                    ctx.begin_path();
                    ctx.rect(r.x, r.y, r.w, r.h);
                    ctx.clip();
                }
            }
            Cmd::Fill { rect, color, alpha } => {
                ctx.set_global_alpha(*alpha);
                ctx.set_fill_style_str(color);
                ctx.fill_rect(rect.x, rect.y, rect.w, rect.h);
                ctx.set_global_alpha(1.0);
            }
            Cmd::Stroke {
                points,
                color,
                width,
                dashed,
            } => {
                let Some((first, rest)) = points.split_first() else {
                    continue;
                };
                ctx.begin_path();
                // Half-pixel offsets keep 1 px horizontal and vertical lines sharp.
                let crisp = |v: f64| if *width == 1.0 { v.round() + 0.5 } else { v };
                ctx.move_to(crisp(first.0), crisp(first.1));
                for p in rest {
                    ctx.line_to(crisp(p.0), crisp(p.1));
                }
                ctx.set_line_width(*width);
                ctx.set_stroke_style_str(color);
                let _ = ctx.set_line_dash(if *dashed { &dash } else { &solid });
                ctx.stroke();
            }
            Cmd::Text {
                x,
                y,
                text,
                color,
                align,
                bold,
                boxed,
            } => {
                ctx.set_font(if *bold { BOLD } else { FONT });
                ctx.set_text_align(match align {
                    Align::Left => "left",
                    Align::Center => "center",
                });
                if let Some(bg) = boxed {
                    let w = ctx.measure_text(text).map_or(40.0, |m| m.width()) + 8.0;
                    let left = match align {
                        Align::Left => x - 4.0,
                        Align::Center => x - w / 2.0,
                    };
                    ctx.set_fill_style_str(bg);
                    ctx.fill_rect(left, y - 9.0, w, 18.0);
                }
                ctx.set_fill_style_str(color);
                let _ = ctx.fill_text(text, *x, *y);
            }
        }
    }
    ctx.restore();
}
