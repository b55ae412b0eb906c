//! Glyph collection: pdf-extract's [`OutputDev`] callbacks → positioned glyphs per page.
//!
//! Coordinates are converted to points from the page's top-left corner (y grows downwards),
//! so a glyph's `y` is its baseline measured from the top of the page.

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// One glyph as drawn.
#[derive(Debug, Clone)]
pub(crate) struct Glyph {
    /// Left edge, points from the page's left edge.
    pub x: f32,
    /// Baseline, points from the page's top edge.
    pub y: f32,
    /// Advance width in points.
    pub adv: f32,
    /// Rendered font size in points (text matrix scale × `Tf` size).
    pub size: f32,
    /// Advance width in font units / 1000 (size-independent; used to tell bold from regular).
    pub w0: f32,
    /// Decoded text (usually one char; ligatures may decode to several).
    pub text: String,
}

/// The glyphs of one page.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageGlyphs {
    /// Page width in points.
    pub width: f32,
    /// Page height in points.
    pub height: f32,
    /// Glyphs in content-stream order (whitespace glyphs included).
    pub glyphs: Vec<Glyph>,
    /// Glyphs skipped because they were drawn rotated (vertical margin text).
    pub rotated: usize,
}

/// An [`OutputDev`] that records glyphs of one page.
#[derive(Debug, Default)]
pub(crate) struct Collector {
    pub page: PageGlyphs,
    ury: f64,
    llx: f64,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.ury = media_box.ury;
        self.llx = media_box.llx;
        self.page.width = (media_box.urx - media_box.llx).abs() as f32;
        self.page.height = (media_box.ury - media_box.lly).abs() as f32;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), OutputError> {
        // Rotated text (|m12| dominant) is margin decoration in UN documents; skip it.
        if trm.m12.abs() > trm.m11.abs() * 0.2 || trm.m11 <= 0.0 {
            self.page.rotated += 1;
            return Ok(());
        }
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let size = (font_size * scale) as f32;
        if !size.is_finite() || size <= 0.0 {
            return Ok(());
        }
        let x = (trm.m31 - self.llx) as f32;
        let y = (self.ury - trm.m32) as f32;
        if !x.is_finite() || !y.is_finite() {
            return Ok(());
        }
        self.page.glyphs.push(Glyph {
            x,
            y,
            adv: (width * font_size * trm.m11.abs()) as f32,
            size,
            w0: width as f32,
            text: ch.to_string(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
