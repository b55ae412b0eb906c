//! Lines from glyphs: baseline grouping, raised footnote markers, word spaces, bold detection.
//!
//! A footnote marker in UN reports is set about 0.58 of the body size and raised about 0.39 of
//! it (measured: 5.8 pt raised 3.9 pt over 10 pt body, see `stack-notes.md`); such glyphs are
//! kept on their line and flagged `raised`.

use std::collections::HashMap;

use super::glyphs::{Glyph, PageGlyphs};

/// Lower-case and capital letters whose advance width is larger in the bold cut than in both
/// the regular and the italic cut of Times and Helvetica/Arial (the faces of UN documents).
const BOLD_PROBES: &str = "bdhkmnptuEHIKLMORT";

/// Modal advance width (font units / 1000, ×1000 rounded) of each probe letter over a
/// document: the regular body face. A glyph wider than the mode is set in a bold face.
#[derive(Debug, Default)]
pub(crate) struct WidthModes {
    modes: HashMap<char, u32>,
}

impl WidthModes {
    /// Counts probe-letter widths over all pages.
    pub fn from_refs(pages: &[&PageGlyphs]) -> WidthModes {
        let mut counts: HashMap<char, HashMap<u32, u32>> = HashMap::new();
        for g in pages.iter().flat_map(|p| p.glyphs.iter()) {
            if let Some(c) = probe(&g.text) {
                *counts.entry(c).or_default().entry(milli(g.w0)).or_default() += 1;
            }
        }
        let modes = counts
            .into_iter()
            .filter_map(|(c, m)| {
                m.into_iter()
                    .max_by_key(|&(w, n)| (n, std::cmp::Reverse(w)))
                    .map(|(w, _)| (c, w))
            })
            .collect();
        WidthModes { modes }
    }

    /// `Some(true)` when the glyph is a probe letter wider than the regular face.
    fn is_wide(&self, g: &Glyph) -> Option<bool> {
        let c = probe(&g.text)?;
        let mode = *self.modes.get(&c)?;
        Some(milli(g.w0) as f32 > mode as f32 * 1.04 + 1.0)
    }
}

fn milli(w0: f32) -> u32 {
    (w0 * 1000.0).round().clamp(0.0, 100_000.0) as u32
}

fn probe(text: &str) -> Option<char> {
    let mut it = text.chars();
    let c = it.next()?;
    (it.next().is_none() && BOLD_PROBES.contains(c)).then_some(c)
}

/// One printed line.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    /// Left edge of the first glyph (points from the left).
    pub x0: f32,
    /// Right edge of the last glyph.
    pub x1: f32,
    /// Baseline (points from the top).
    pub y: f32,
    /// Dominant size of the line's glyphs that are not raised.
    pub size: f32,
    /// Mostly set in a bold face.
    pub bold: bool,
    /// Text: raised digits as Unicode superscripts, words separated by single spaces.
    pub text: String,
    /// The line starts with raised glyphs (a footnote's own number).
    pub starts_raised: bool,
}

impl Line {
    /// Top of the line (approximate ascender height above the baseline).
    pub fn top(&self) -> f32 {
        self.y - self.size * 0.8
    }
}

/// A glyph placed in a run, with its raised flag.
struct Placed<'a> {
    g: &'a Glyph,
    raised: bool,
    space_before: bool,
}

/// A run of glyphs on one baseline in content-stream order.
struct Run<'a> {
    base_y: f32,
    base_size: f32,
    end: f32,
    glyphs: Vec<Placed<'a>>,
}

fn is_space(t: &str) -> bool {
    t.chars().all(|c| c.is_whitespace() || c == '\u{a0}') || t.is_empty()
}

/// Groups a page's glyphs into lines, top to bottom.
///
/// A page set in two columns (summary records, old Official Records) is read column by column:
/// a vertical gutter near the middle of the page that no glyph crosses splits it.
pub(crate) fn build_lines(page: &PageGlyphs, modes: &WidthModes) -> Vec<Line> {
    match gutter(page) {
        Some(gx) => {
            let (left, right): (Vec<&Glyph>, Vec<&Glyph>) =
                page.glyphs.iter().partition(|g| g.x + g.adv / 2.0 < gx);
            let mut lines = lines_of(&left, modes);
            lines.extend(lines_of(&right, modes));
            lines
        }
        None => lines_of(&page.glyphs.iter().collect::<Vec<_>>(), modes),
    }
}

/// The x of a column gutter: a band at least 6 pt wide in the middle 40 % of the page that
/// no glyph of the page body crosses, with at least a quarter of the glyphs on each side.
fn gutter(page: &PageGlyphs) -> Option<f32> {
    let w = page.width;
    let h = page.height;
    if w <= 0.0 || w > 5000.0 {
        return None;
    }
    let body: Vec<&Glyph> = page
        .glyphs
        .iter()
        .filter(|g| g.y > h * 0.12 && g.y < h * 0.92 && !is_space(&g.text))
        .collect();
    if body.len() < 300 {
        return None;
    }
    let bins = (w / 2.0).ceil() as usize + 1;
    let mut cover = vec![0u32; bins];
    for g in &body {
        let a = (g.x / 2.0).floor().max(0.0) as usize;
        let b = ((g.x + g.adv) / 2.0).ceil().max(0.0) as usize;
        for c in cover
            .iter_mut()
            .take(b.min(bins - 1) + 1)
            .skip(a.min(bins - 1))
        {
            *c += 1;
        }
    }
    let limit = (body.len() / 500).max(1) as u32;
    let (lo, hi) = ((w * 0.3 / 2.0) as usize, (w * 0.7 / 2.0) as usize);
    let mut best: Option<(usize, usize)> = None;
    let mut start = None;
    for (i, &c) in cover.iter().enumerate().take(hi.min(bins)).skip(lo) {
        if c <= limit {
            start.get_or_insert(i);
        } else if let Some(s) = start.take()
            && best.is_none_or(|(bs, be)| i - s > be - bs)
        {
            best = Some((s, i));
        }
    }
    if let Some(s) = start
        && best.is_none_or(|(bs, be)| hi - s > be - bs)
    {
        best = Some((s, hi));
    }
    let (s, e) = best?;
    if e - s < 3 {
        return None;
    }
    let gx = (s + e) as f32; // centre of the band in points: (s + e) / 2 bins × 2 pt
    let left = body.iter().filter(|g| g.x < gx).count();
    (left * 4 >= body.len() && (body.len() - left) * 4 >= body.len()).then_some(gx)
}

fn lines_of(glyphs: &[&Glyph], modes: &WidthModes) -> Vec<Line> {
    let mut runs: Vec<Run<'_>> = Vec::new();
    let mut pending_space = false;
    for &g in glyphs {
        if is_space(&g.text) {
            pending_space = true;
            continue;
        }
        let joined = match runs.last_mut() {
            Some(run) => try_extend(run, g, pending_space),
            None => false,
        };
        if !joined {
            runs.push(Run {
                base_y: g.y,
                base_size: g.size,
                end: g.x + g.adv,
                glyphs: vec![Placed {
                    g,
                    raised: false,
                    space_before: false,
                }],
            });
        }
        pending_space = false;
    }
    // Lines: runs sharing a baseline, ordered by x.
    runs.sort_by(|a, b| a.base_y.total_cmp(&b.base_y));
    let mut lines = Vec::new();
    let mut group: Vec<Run<'_>> = Vec::new();
    for run in runs {
        let same = group.first().is_some_and(|first: &Run<'_>| {
            (run.base_y - first.base_y).abs() <= 0.3 * first.base_size.max(run.base_size).min(14.0)
        });
        if !same && !group.is_empty() {
            lines.push(finish_line(std::mem::take(&mut group), modes));
        }
        group.push(run);
    }
    if !group.is_empty() {
        lines.push(finish_line(group, modes));
    }
    lines.retain(|l| !l.text.is_empty());
    lines
}

/// Adds `g` to `run` when it continues it (same baseline or a raised marker); returns false
/// when `g` starts a new run.
fn try_extend<'a>(run: &mut Run<'a>, g: &'a Glyph, space: bool) -> bool {
    let gap = g.x - run.end;
    let horizontally_next = gap > -0.5 * run.base_size && gap < 3.0 * run.base_size;
    if !horizontally_next {
        return false;
    }
    let dy = run.base_y - g.y; // positive when g is higher
    let tol = 0.2 * run.base_size.max(g.size);
    let space_before = space || gap > 0.15 * g.size.min(run.base_size).max(1.0);
    if dy.abs() <= tol && !(run.glyphs.iter().all(|p| p.raised)) {
        run.end = g.x + g.adv;
        run.glyphs.push(Placed {
            g,
            raised: false,
            space_before,
        });
        return true;
    }
    // Raised smaller glyph after base text: a footnote marker.
    if g.size < 0.85 * run.base_size && dy > 0.12 * run.base_size && dy < 0.75 * run.base_size {
        run.end = g.x + g.adv;
        run.glyphs.push(Placed {
            g,
            raised: true,
            space_before: space && gap > 0.3 * g.size,
        });
        return true;
    }
    // Back to base after raised glyphs.
    if run.glyphs.iter().all(|p| !p.raised) {
        // Run so far is all base; maybe it was the raised marker and g is the base text.
        if run.base_size < 0.85 * g.size && -dy > 0.12 * g.size && -dy < 0.75 * g.size {
            for p in &mut run.glyphs {
                p.raised = true;
            }
            run.base_y = g.y;
            run.base_size = g.size;
            run.end = g.x + g.adv;
            run.glyphs.push(Placed {
                g,
                raised: false,
                space_before,
            });
            return true;
        }
        return false;
    }
    // A run with raised glyphs: return to its baseline.
    if dy.abs() <= tol {
        run.end = g.x + g.adv;
        run.glyphs.push(Placed {
            g,
            raised: false,
            space_before,
        });
        return true;
    }
    false
}

/// Superscript form of an ASCII digit.
pub(crate) fn superscript_digit(c: char) -> Option<char> {
    Some(match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4' => '⁴',
        '5' => '⁵',
        '6' => '⁶',
        '7' => '⁷',
        '8' => '⁸',
        '9' => '⁹',
        _ => return None,
    })
}

fn run_text(r: &Run<'_>) -> String {
    r.glyphs.iter().map(|p| p.g.text.as_str()).collect()
}

fn finish_line(mut group: Vec<Run<'_>>, modes: &WidthModes) -> Line {
    group.sort_by(|a, b| {
        let ax = a.glyphs.first().map_or(0.0, |p| p.g.x);
        let bx = b.glyphs.first().map_or(0.0, |p| p.g.x);
        ax.total_cmp(&bx)
    });
    // Text struck twice at a small offset (fake bold of typewriter-era masters): keep one.
    let mut kept: Vec<Run<'_>> = Vec::with_capacity(group.len());
    for run in group {
        let x = run.glyphs.first().map_or(0.0, |p| p.g.x);
        let dup = kept.iter().any(|k| {
            let kx = k.glyphs.first().map_or(0.0, |p| p.g.x);
            (kx - x).abs() < 0.3 * k.base_size && run_text(k) == run_text(&run)
        });
        if !dup {
            kept.push(run);
        }
    }
    let group = kept;
    let y = group.iter().map(|r| r.base_y).fold(f32::MIN, f32::max);
    let mut text = String::new();
    let mut x0 = f32::MAX;
    let mut x1 = f32::MIN;
    let mut sizes: Vec<(u32, usize)> = Vec::new();
    let (mut wide, mut probes) = (0usize, 0usize);
    let mut starts_raised = false;
    let mut prev_end: Option<f32> = None;
    let mut prev_raised = false;
    for (ri, run) in group.iter().enumerate() {
        for (gi, p) in run.glyphs.iter().enumerate() {
            let g = p.g;
            if ri == 0 && gi == 0 {
                starts_raised = p.raised;
            }
            x0 = x0.min(g.x);
            x1 = x1.max(g.x + g.adv);
            let sep = if gi == 0 {
                prev_end.is_some_and(|e| g.x - e > 0.15 * run.base_size) && !p.raised
            } else {
                p.space_before && (!p.raised || prev_raised)
            };
            if sep && !text.is_empty() && !text.ends_with(' ') {
                text.push(' ');
            }
            if p.raised {
                for c in g.text.chars() {
                    match c {
                        '∗' | '*' => text.push('*'),
                        _ => text.push(superscript_digit(c).unwrap_or(c)),
                    }
                }
            } else {
                text.push_str(&g.text);
                let key = (g.size * 10.0).round() as u32;
                match sizes.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, n)) => *n += 1,
                    None => sizes.push((key, 1)),
                }
                if let Some(w) = modes.is_wide(g) {
                    probes += 1;
                    wide += usize::from(w);
                }
            }
            prev_end = Some(g.x + g.adv);
            prev_raised = p.raised;
        }
    }
    let size = sizes.iter().max_by_key(|&&(k, n)| (n, k)).map_or_else(
        || group.first().map_or(0.0, |r| r.base_size),
        |&(k, _)| k as f32 / 10.0,
    );
    let text = text.trim().to_string();
    Line {
        x0,
        x1,
        y,
        size,
        bold: probes >= 2 && wide * 10 >= probes * 6,
        text,
        starts_raised,
    }
}
