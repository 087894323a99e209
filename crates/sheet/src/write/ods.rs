//! ODS with spreadsheet-ods.

use spreadsheet_ods::condition::Condition;
use spreadsheet_ods::style::TableStyle;
use spreadsheet_ods::style::units::{CellAlignVertical, Length, WrapOption};
use spreadsheet_ods::text::{TextP, TextS, TextTab};
use spreadsheet_ods::validation::{MessageType, Validation, ValidationError, ValidationHelp};
use spreadsheet_ods::{
    CellRange, CellStyle, CellStyleRef, Sheet, Value, ValueFormatText, WorkBook, write_ods_buf,
};

use super::{
    HeaderStyle, Instructions, LISTS_SHEET, Workbook, WriteError, choices, choices_message,
    instructions_widths, last_validated_row, truncate,
};

/// The cell styles every sheet uses.
struct Styles {
    /// Text format ("@"): what a person types later stays text too (a phone's leading zero).
    text: CellStyleRef,
    bold: CellStyleRef,
    italic: CellStyleRef,
    wrapped: CellStyleRef,
    wrapped_bold: CellStyleRef,
}

pub(super) fn write(book: &Workbook) -> Result<Vec<u8>, WriteError> {
    let mut ods = WorkBook::new_empty();
    let styles = add_styles(&mut ods);

    let mut main = Sheet::new(&book.sheet_name);
    for (c, column) in book.columns.iter().enumerate() {
        let c = c as u32;
        main.set_col_width(c, width(column.width));
        main.set_col_cellstyle(c, &styles.text);
        let style = match column.style {
            Some(HeaderStyle::Required) => &styles.bold,
            Some(HeaderStyle::Optional) => &styles.italic,
            None => &styles.text,
        };
        main.set_styled_value(0, c, text(&column.header), style);
    }
    main.split_row_header(0);
    // A text cell is a string value whatever its first character: ODS keeps formulas in
    // their own attribute, which is never written here.
    for (r, row) in book.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                main.set_value(r as u32 + 1, c as u32, text(cell));
            }
        }
    }

    let last_row = last_validated_row(book);
    let data_end = book.rows.len() as u32; // last data row, 0-based
    let mut lists = Vec::new();
    for (c, column) in book.columns.iter().enumerate() {
        let Some(choices) = choices(column) else {
            continue;
        };
        let list_col = lists.len() as u32;
        let mut validation = Validation::new();
        validation.set_condition(Condition::content_is_in_cellrange(
            CellRange::remote(LISTS_SHEET, 1, list_col, choices.len() as u32, list_col).absolute(),
        ));
        let mut warn = ValidationError::new();
        warn.set_msg_type(MessageType::Warning);
        validation.set_err(Some(warn));
        let mut help = ValidationHelp::new();
        help.set_title(Some(truncate(&column.header, 32)));
        help.set_text(Some(
            TextP::new().text(choices_message(choices)).into_xmltag(),
        ));
        validation.set_help(Some(help));
        let validation = ods.add_validation(validation);
        let c = c as u32;
        for r in 1..=data_end {
            main.set_validation(r, c, &validation);
        }
        // The empty rows below the data: one row repeated, as LibreOffice writes it.
        if last_row > data_end {
            main.set_validation(data_end + 1, c, &validation);
        }
        lists.push((column, choices));
    }
    if !lists.is_empty() && last_row > data_end {
        main.set_row_repeat(data_end + 1, last_row - data_end);
    }
    ods.push_sheet(main);

    if let Some(instructions) = &book.instructions {
        ods.push_sheet(instructions_sheet(instructions, &styles));
    }

    if !lists.is_empty() {
        let mut sheet = Sheet::new(LISTS_SHEET);
        // Hidden through its table style, where ODF keeps it (table:display).
        let mut hidden = TableStyle::new("sesame_hidden");
        hidden.set_display(false);
        sheet.set_style(&ods.add_tablestyle(hidden));
        for (c, (column, choices)) in lists.into_iter().enumerate() {
            let c = c as u32;
            sheet.set_col_width(c, width(column.width));
            sheet.set_col_cellstyle(c, &styles.text);
            sheet.set_value(0, c, text(&column.header));
            for (r, choice) in choices.iter().enumerate() {
                sheet.set_value(r as u32 + 1, c, text(choice));
            }
        }
        ods.push_sheet(sheet);
    }

    write_ods_buf(&mut ods, Vec::new()).map_err(|e| WriteError::Failed(e.to_string()))
}

fn add_styles(ods: &mut WorkBook) -> Styles {
    let mut format = ValueFormatText::new_named("sesame_text");
    format.part_text_content().build();
    let format = ods.add_text_format(format);

    let mut style = |name: &str, set: &dyn Fn(&mut CellStyle)| {
        let mut style = CellStyle::new(name, &format);
        set(&mut style);
        ods.add_cellstyle(style)
    };
    Styles {
        text: style("sesame_text", &|_| {}),
        bold: style("sesame_required", &|s| s.set_font_bold()),
        italic: style("sesame_optional", &|s| s.set_font_italic()),
        wrapped: style("sesame_wrapped", &|s| {
            s.set_wrap_option(WrapOption::Wrap);
            s.set_vertical_align(CellAlignVertical::Top);
        }),
        wrapped_bold: style("sesame_wrapped_bold", &|s| {
            s.set_wrap_option(WrapOption::Wrap);
            s.set_vertical_align(CellAlignVertical::Top);
            s.set_font_bold();
        }),
    }
}

fn instructions_sheet(instructions: &Instructions, styles: &Styles) -> Sheet {
    let mut sheet = Sheet::new(&instructions.sheet_name);
    for (c, w) in instructions_widths(instructions).into_iter().enumerate() {
        sheet.set_col_width(c as u32, width(w));
        sheet.set_col_cellstyle(c as u32, &styles.wrapped);
    }
    for (c, cell) in instructions.header.iter().enumerate() {
        sheet.set_styled_value(0, c as u32, text(cell), &styles.wrapped_bold);
    }
    sheet.split_row_header(0);
    for (r, row) in instructions.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u32);
            sheet.set_styled_value(r, c, text(cell), &styles.wrapped);
        }
    }
    sheet
}

/// A text cell's value. In a paragraph ODF collapses runs of spaces and ignores them at its
/// ends, and takes a tab for a space: such cells spell them out (`<text:s>`, `<text:tab>`),
/// one paragraph per line, so they read back as written. A carriage return becomes a line
/// break (XML would turn it into one anyway).
fn text(cell: &str) -> Value {
    let plain = !cell.contains(['\t', '\r', '\n'])
        && !cell.contains("  ")
        && !cell.starts_with(' ')
        && !cell.ends_with(' ');
    if plain {
        return Value::Text(cell.to_owned());
    }
    let cell = cell.replace("\r\n", "\n").replace('\r', "\n");
    let paragraphs = cell.split('\n').map(|line| {
        let mut p = TextP::new();
        let mut run = String::new();
        let mut chars = line.chars().peekable();
        // At the paragraph's start or after a tab, a space would be dropped.
        let mut after_blank = true;
        while let Some(c) = chars.next() {
            match c {
                '\t' => {
                    p = p.text(std::mem::take(&mut run)).tag(TextTab::new());
                    after_blank = true;
                }
                ' ' => {
                    let mut spaces = 1;
                    while chars.next_if_eq(&' ').is_some() {
                        spaces += 1;
                    }
                    let at_end = chars.peek().is_none();
                    // One space between words is plain text; any other is spelled out.
                    if spaces == 1 && !after_blank && !at_end {
                        run.push(' ');
                    } else {
                        p = p
                            .text(std::mem::take(&mut run))
                            .tag(TextS::new().count(spaces));
                    }
                }
                c => {
                    run.push(c);
                    after_blank = false;
                }
            }
        }
        p.text(run).into_xmltag()
    });
    Value::TextXml(paragraphs.collect())
}

/// A width in characters as Excel counts them (7 pixels each plus 5 of padding, at 96 pixels
/// per inch), so both formats show the same widths.
fn width(chars: f64) -> Length {
    Length::Pt((chars * 7.0 + 5.0) * 0.75)
}
