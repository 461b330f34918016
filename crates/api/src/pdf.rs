//! PDF documents: reports (a title, a line of filters, and a table over as many A4 landscape
//! pages as it needs, headers repeated, pages numbered) and sheets of stamps (QR codes with
//! their printed codes, A4 portrait). Text is drawn with DejaVu Sans (Vietnamese diacritics
//! included), embedded as a subset holding only the glyphs the document uses.

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;
use ttf_parser::Face;

const FONT: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const PAGE: (f32, f32) = (842.0, 595.0);
const MARGIN: f32 = 36.0;
const SIZE: f32 = 8.0;
const ROW: f32 = 13.0;
const TITLE_SIZE: f32 = 13.0;

/// A column of the table: its heading and whether it holds numbers (aligned right).
pub struct Column<'a> {
    pub heading: &'a str,
    pub numeric: bool,
}

struct Writer<'f> {
    face: Face<'f>,
    glyphs: GlyphRemapper,
}

impl Writer<'_> {
    fn width(&self, text: &str, size: f32) -> f32 {
        let per_em = f32::from(self.face.units_per_em());
        text.chars()
            .map(|c| {
                let gid = self.face.glyph_index(c).unwrap_or_default();
                f32::from(self.face.glyph_hor_advance(gid).unwrap_or(0)) / per_em * size
            })
            .sum()
    }

    /// The text cut to fit `max` points, with an ellipsis when cut.
    fn fit(&self, text: &str, size: f32, max: f32) -> String {
        if self.width(text, size) <= max {
            return text.to_owned();
        }
        let mut out = String::new();
        for c in text.chars() {
            if self.width(&format!("{out}{c}…"), size) > max {
                break;
            }
            out.push(c);
        }
        out.push('…');
        out
    }

    /// Draws `text` at (x, y), encoding each character as the glyph id of the subset.
    fn show(&mut self, content: &mut Content, text: &str, x: f32, y: f32, size: f32) {
        let mut encoded = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let gid = self.face.glyph_index(c).map_or(0, |g| g.0);
            encoded.extend_from_slice(&self.glyphs.remap(gid).to_be_bytes());
        }
        content.begin_text().set_font(Name(b"F1"), size).next_line(x, y).show(Str(&encoded)).end_text();
    }
}

/// Renders the table; `rows` hold the cells' text, one per column.
pub fn render(title: &str, filters: &str, columns: &[Column<'_>], rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    let face = Face::parse(FONT, 0).map_err(|e| e.to_string())?;
    let mut w = Writer { face, glyphs: GlyphRemapper::new() };
    // Column widths: the widest cell (within reason), scaled to the page.
    let usable = PAGE.0 - 2.0 * MARGIN;
    let mut widths: Vec<f32> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let widest = rows.iter().map(|r| w.width(r.get(i).map_or("", String::as_str), SIZE)).fold(0.0, f32::max);
            widest.max(w.width(c.heading, SIZE)).clamp(30.0, 260.0) + 8.0
        })
        .collect();
    let total: f32 = widths.iter().sum();
    widths.iter_mut().for_each(|x| *x *= usable / total);

    let per_page = (((PAGE.1 - 2.0 * MARGIN - 40.0) / ROW).floor() as usize).saturating_sub(1).max(1);
    let chunks: Vec<&[Vec<String>]> = if rows.is_empty() { vec![&[]] } else { rows.chunks(per_page).collect() };
    let mut contents = Vec::with_capacity(chunks.len());
    for (n, chunk) in chunks.iter().enumerate() {
        let mut c = Content::new();
        let mut y = PAGE.1 - MARGIN - TITLE_SIZE;
        w.show(&mut c, title, MARGIN, y, TITLE_SIZE);
        y -= 16.0;
        c.set_fill_gray(0.35);
        w.show(&mut c, filters, MARGIN, y, SIZE);
        c.set_fill_gray(0.0);
        y -= 18.0;
        // Header row on a grey band.
        c.set_fill_gray(0.9).rect(MARGIN, y - 4.0, usable, ROW).fill_nonzero().set_fill_gray(0.0);
        draw_row(
            &mut w,
            &mut c,
            columns,
            &widths,
            &columns.iter().map(|c| c.heading.to_owned()).collect::<Vec<_>>(),
            y,
            true,
        );
        for row in *chunk {
            y -= ROW;
            c.set_stroke_gray(0.85)
                .set_line_width(0.4)
                .move_to(MARGIN, y + ROW - 4.0)
                .line_to(MARGIN + usable, y + ROW - 4.0)
                .stroke();
            draw_row(&mut w, &mut c, columns, &widths, row, y, false);
        }
        c.set_fill_gray(0.35);
        let footer = format!("Trang {} / {}", n + 1, chunks.len());
        let fw = w.width(&footer, SIZE);
        w.show(&mut c, &footer, PAGE.0 - MARGIN - fw, MARGIN - 12.0, SIZE);
        contents.push(c.finish());
    }
    assemble(&w, title, contents, PAGE)
}

fn draw_row(
    w: &mut Writer<'_>,
    c: &mut Content,
    columns: &[Column<'_>],
    widths: &[f32],
    cells: &[String],
    y: f32,
    header: bool,
) {
    let mut x = MARGIN;
    for (i, (col, width)) in columns.iter().zip(widths).enumerate() {
        let text = w.fit(cells.get(i).map_or("", String::as_str), SIZE, width - 8.0);
        let tx = if col.numeric && !header { x + width - 4.0 - w.width(&text, SIZE) } else { x + 4.0 };
        w.show(c, &text, tx, y, SIZE);
        x += width;
    }
}

fn assemble(w: &Writer<'_>, title: &str, contents: Vec<pdf_writer::Buf>, size: (f32, f32)) -> Result<Vec<u8>, String> {
    let mut next = 1;
    let mut id = || {
        next += 1;
        Ref::new(next - 1)
    };
    let (catalog, tree, font, cid, descriptor, file, unicode, info) = (id(), id(), id(), id(), id(), id(), id(), id());
    let pages: Vec<(Ref, Ref)> = contents.iter().map(|_| (id(), id())).collect();
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(pages.iter().map(|(p, _)| *p)).count(i32::try_from(pages.len()).unwrap_or(i32::MAX));
    pdf.document_info(info).title(TextStr(title)).producer(TextStr("ocop"));
    for ((page, content_id), content) in pages.iter().zip(&contents) {
        let mut p = pdf.page(*page);
        p.media_box(Rect::new(0.0, 0.0, size.0, size.1)).parent(tree).contents(*content_id);
        p.resources().fonts().pair(Name(b"F1"), font);
        p.finish();
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(content, 6);
        pdf.stream(*content_id, &packed).filter(Filter::FlateDecode);
    }
    let base = Name(b"OCOPAA+DejaVuSans");
    let system = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
    pdf.type0_font(font)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(unicode);
    let per_em = f32::from(w.face.units_per_em());
    let scale = |v: i16| f32::from(v) / per_em * 1000.0;
    let advances: Vec<f32> = w
        .glyphs
        .remapped_gids()
        .map(|old| f32::from(w.face.glyph_hor_advance(ttf_parser::GlyphId(old)).unwrap_or(0)) / per_em * 1000.0)
        .collect();
    let mut cid_font = pdf.cid_font(cid);
    cid_font.subtype(CidFontType::Type2).base_font(base).system_info(system).font_descriptor(descriptor);
    cid_font.cid_to_gid_map_predefined(Name(b"Identity"));
    cid_font.widths().consecutive(0, advances);
    cid_font.finish();
    let bbox = w.face.global_bounding_box();
    pdf.font_descriptor(descriptor)
        .name(base)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(scale(bbox.x_min), scale(bbox.y_min), scale(bbox.x_max), scale(bbox.y_max)))
        .italic_angle(0.0)
        .ascent(scale(w.face.ascender()))
        .descent(scale(w.face.descender()))
        .cap_height(scale(w.face.capital_height().unwrap_or(w.face.ascender())))
        .stem_v(80.0)
        .font_file2(file);
    let subset = subsetter::subset(FONT, 0, &w.glyphs).map_err(|e| format!("{e:?}"))?;
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&subset, 6);
    pdf.stream(file, &packed).filter(Filter::FlateDecode);
    // Text can be copied and searched: each glyph maps back to its character.
    let chars = chars_of(&w.face, &w.glyphs.remapped_gids().collect());
    let mut cmap = pdf_writer::types::UnicodeCmap::new(Name(b"OCOP-UTF16"), system);
    for (new, old) in w.glyphs.remapped_gids().enumerate() {
        if let Some(c) = chars.get(&old) {
            cmap.pair(u16::try_from(new).unwrap_or(0), *c);
        }
    }
    let cmap = cmap.finish();
    pdf.cmap(unicode, &cmap).system_info(system);
    Ok(pdf.finish())
}

/// Stamps per sheet: 5 across, 8 down.
const SHEET: (usize, usize) = (5, 8);

/// The QR modules of a URL (dark = true), row by row, and the side length.
fn qr(url: &str) -> Result<(Vec<bool>, usize), String> {
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).map_err(|e| e.to_string())?;
    let width = code.width();
    Ok((code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect(), width))
}

/// Printable A4 sheets of stamps: each a QR code of its URL and the code printed below it.
pub fn stamp_sheets(stamps: &[(String, String)]) -> Result<Vec<u8>, String> {
    const A4: (f32, f32) = (595.0, 842.0);
    let face = Face::parse(FONT, 0).map_err(|e| e.to_string())?;
    let mut w = Writer { face, glyphs: GlyphRemapper::new() };
    let (cols, rows) = SHEET;
    let cell = ((A4.0 - 2.0 * MARGIN) / cols as f32, (A4.1 - 2.0 * MARGIN) / rows as f32);
    let side = 64.0;
    let mut contents = Vec::new();
    let pages: Vec<&[(String, String)]> =
        if stamps.is_empty() { vec![&[]] } else { stamps.chunks(cols * rows).collect() };
    for page in pages {
        let mut c = Content::new();
        for (i, (url, printed)) in page.iter().enumerate() {
            let (col, row) = (i % cols, i / cols);
            let x = MARGIN + col as f32 * cell.0 + (cell.0 - side) / 2.0;
            let top = A4.1 - MARGIN - row as f32 * cell.1 - 6.0;
            let (modules, n) = qr(url)?;
            let m = side / n as f32;
            for (k, dark) in modules.iter().enumerate() {
                if *dark {
                    c.rect(x + (k % n) as f32 * m, top - ((k / n) as f32 + 1.0) * m, m, m);
                }
            }
            c.fill_nonzero();
            let tw = w.width(printed, 7.0);
            w.show(&mut c, printed, MARGIN + col as f32 * cell.0 + (cell.0 - tw) / 2.0, top - side - 10.0, 7.0);
        }
        contents.push(c.finish());
    }
    assemble(&w, "Tem truy xuất nguồn gốc OCOP", contents, A4)
}

/// The same sheet as one SVG (millimetres), for print shops that take vector files.
pub fn stamp_sheet_svg(stamps: &[(String, String)]) -> String {
    let (cols, _) = SHEET;
    let (cw, ch, side) = (38.0_f32, 34.0_f32, 24.0_f32);
    let rows = stamps.len().div_ceil(cols).max(1);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}mm\" height=\"{h}mm\" viewBox=\"0 0 {w} {h}\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>",
        w = cw * cols as f32,
        h = ch * rows as f32
    );
    for (i, (url, printed)) in stamps.iter().enumerate() {
        let Ok((modules, n)) = qr(url) else { continue };
        let (x, y) = ((i % cols) as f32 * cw + (cw - side) / 2.0, (i / cols) as f32 * ch + 2.0);
        let m = side / n as f32;
        let mut path = String::new();
        for (k, dark) in modules.iter().enumerate() {
            if *dark {
                path.push_str(&format!(
                    "M{:.3} {:.3}h{m:.3}v{m:.3}h-{m:.3}z",
                    x + (k % n) as f32 * m,
                    y + (k / n) as f32 * m
                ));
            }
        }
        out.push_str(&format!(
            "<path d=\"{path}\" fill=\"#000\"/><text x=\"{:.2}\" y=\"{:.2}\" font-family=\"DejaVu Sans, sans-serif\" font-size=\"2.6\" text-anchor=\"middle\">{printed}</text>",
            x + side / 2.0,
            y + side + 4.0
        ));
    }
    out.push_str("</svg>");
    out
}

/// The character each of these glyphs stands for (the first the font's cmap maps to it).
fn chars_of(face: &Face<'_>, gids: &std::collections::HashSet<u16>) -> std::collections::HashMap<u16, char> {
    let mut found = std::collections::HashMap::new();
    let Some(table) = face.tables().cmap else { return found };
    for sub in table.subtables.into_iter().filter(|s| s.is_unicode()) {
        sub.codepoints(|cp| {
            if let (Some(g), Some(c)) = (sub.glyph_index(cp), char::from_u32(cp))
                && gids.contains(&g.0)
            {
                found.entry(g.0).or_insert(c);
            }
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_over_pages_with_vietnamese_text() {
        let columns = [Column { heading: "Sản phẩm", numeric: false }, Column { heading: "Số sao", numeric: true }];
        let rows: Vec<Vec<String>> = (0..100).map(|i| vec![format!("Chả mực Hạ Long {i}"), "4".to_owned()]).collect();
        let pdf = render("Danh sách sản phẩm OCOP", "Tỉnh Quảng Ninh · 2026", &columns, &rows).expect("pdf");
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Count 3"), "100 rows take three pages");
        assert!(text.contains("/FontFile2"));
        // The subset is far smaller than the 760 kB font.
        assert!(pdf.len() < 60_000, "{} bytes", pdf.len());
    }

    #[test]
    fn stamp_sheets_hold_forty_stamps_a_page() {
        let stamps: Vec<(String, String)> = (0..41)
            .map(|i| (format!("https://ocop.example/t/0000000000{i:03}X"), format!("0000-00000-0{i:03}X")))
            .collect();
        let pdf = stamp_sheets(&stamps).expect("pdf");
        assert!(String::from_utf8_lossy(&pdf).contains("/Count 2"));
        let svg = stamp_sheet_svg(&stamps[..2]);
        assert!(svg.starts_with("<svg") && svg.contains("0000-00000-0001X"));
    }
}
