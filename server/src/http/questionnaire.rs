//! A lens version (or the draft) as a questionnaire for workshops: an XLSX workbook with one
//! sheet per pillar, a CSV of the same rows, or a page to print.

use axum::{
    extract::{Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use lensgate_app::ids::LensArn;
use lensgate_lens::{
    Lens,
    questionnaire::{COLUMNS, Row, RowKind, Sheet, sheets},
};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};
use serde::Deserialize;

use super::{AppState, lens_pages::disposition, refused};

#[derive(Deserialize)]
pub struct QuestionnaireQuery {
    arn: String,
    version: Option<String>,
    format: Option<String>,
}

enum Kind {
    Xlsx,
    Csv,
    Print,
}

pub async fn questionnaire(
    State(state): State<AppState>,
    Query(query): Query<QuestionnaireQuery>,
) -> Response {
    let arn = match LensArn::parse(&query.arn) {
        Ok(arn) => arn,
        Err(error) => return (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
    };
    let kind = match query.format.as_deref() {
        None | Some("" | "print") => Kind::Print,
        Some("xlsx") => Kind::Xlsx,
        Some("csv") => Kind::Csv,
        Some(other) => {
            return (
                StatusCode::BAD_REQUEST,
                format!("No questionnaire format {other:?}: ask for xlsx, csv or print."),
            )
                .into_response();
        }
    };
    let version = query.version.filter(|v| !v.is_empty());
    let json = match state
        .services
        .lenses
        .export(arn.clone(), version.clone())
        .await
    {
        Ok(Some(json)) => json,
        Ok(None) => {
            return (
                StatusCode::NOT_FOUND,
                "lensgate has no record of this lens's draft: it was imported elsewhere.",
            )
                .into_response();
        }
        Err(error) => return refused(&error),
    };
    let Some(lens) = lensgate_lens::validate(&json).lens else {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            "This lens's JSON does not read as a lens, so it has no questions to list; open its page to see why.",
        )
            .into_response();
    };
    let version = version.as_deref().unwrap_or("draft");
    match kind {
        Kind::Xlsx => match workbook(&lens) {
            Ok(bytes) => download(
                bytes,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &disposition(&lens.name, &format!("{version}-questionnaire"), "xlsx"),
            ),
            Err(error) => {
                tracing::error!(lens = %arn, %error, "the questionnaire workbook could not be written");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "The workbook could not be written; the CSV holds the same rows.",
                )
                    .into_response()
            }
        },
        Kind::Csv => download(
            csv(&lens),
            "text/csv; charset=utf-8",
            &disposition(&lens.name, &format!("{version}-questionnaire"), "csv"),
        ),
        Kind::Print => print_page(&lens, version, &state.assets.stylesheet_href),
    }
}

fn download(body: Vec<u8>, content_type: &'static str, disposition: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// One sheet per pillar, named after it as far as Excel allows (31 characters, no `[]:*?/\`,
/// unique), the header row frozen, question rows bold.
fn workbook(lens: &Lens) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold().set_background_color("#DDE3EA");
    let question = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let mut names: Vec<String> = Vec::new();
    for sheet in sheets(lens) {
        let name = sheet_name(&sheet, &names);
        names.push(name.clone());
        let worksheet = workbook.add_worksheet().set_name(&name)?;
        for (column, (title, width)) in COLUMNS.iter().zip([18, 40, 40, 50, 10, 30, 50]).enumerate()
        {
            let column = u16::try_from(column).unwrap_or(u16::MAX);
            worksheet.write_with_format(0, column, *title, &header)?;
            worksheet.set_column_width(column, width)?;
        }
        worksheet.set_freeze_panes(1, 0)?;
        for (index, row) in sheet.rows.iter().enumerate() {
            let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let format = match row.kind {
                RowKind::Question => &question,
                RowKind::Choice => &wrap,
            };
            for (column, text) in row.cells.iter().enumerate() {
                let column = u16::try_from(column).unwrap_or(u16::MAX);
                worksheet.write_with_format(line, column, text.as_str(), format)?;
            }
        }
    }
    if names.is_empty() {
        workbook.add_worksheet().set_name("No pillars")?;
    }
    workbook.save_to_buffer()
}

fn sheet_name(sheet: &Sheet<'_>, taken: &[String]) -> String {
    let cleaned: String = sheet
        .pillar
        .name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'');
    let base: String = if cleaned.is_empty() {
        sheet.pillar.id.chars().take(31).collect()
    } else {
        cleaned.chars().take(31).collect()
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({n})");
        let room = 31 - suffix.chars().count();
        name = format!("{}{suffix}", base.chars().take(room).collect::<String>());
        n += 1;
    }
    name
}

/// Every sheet's rows in one table, the pillar in the first column.
fn csv(lens: &Lens) -> Vec<u8> {
    let mut out = Vec::new();
    let header = std::iter::once("Pillar").chain(COLUMNS);
    for (i, title) in header.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        crate::csv::cell(title.as_bytes(), &mut out);
    }
    out.push(b'\n');
    for sheet in sheets(lens) {
        for row in &sheet.rows {
            crate::csv::cell(sheet.pillar.name.as_bytes(), &mut out);
            for cell in &row.cells {
                out.push(b',');
                crate::csv::cell(cell.as_bytes(), &mut out);
            }
            out.push(b'\n');
        }
    }
    out
}

/// A page that prints as a workshop handout: every question with a box per choice, room for
/// notes, and the risk rules in words.
fn print_page(lens: &Lens, version: &str, stylesheet: &str) -> Response {
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{name}: questionnaire</title><link rel=\"stylesheet\" href=\"{css}\"></head>\
         <body class=\"questionnaire\"><header><h1>{name}</h1><p>Questionnaire of {version}. \
         Tick what applies; notes go under each question.</p></header>",
        name = escape(&lens.name),
        css = escape(stylesheet),
        version = escape(if version == "draft" {
            "the draft"
        } else {
            version
        }),
    );
    for sheet in sheets(lens) {
        html.push_str(&format!(
            "<section class=\"pillar\"><h2>{}</h2>",
            escape(&sheet.pillar.name)
        ));
        let mut open = false;
        for row in &sheet.rows {
            push_row(&mut html, row, &mut open);
        }
        if open {
            html.push_str("</ul><div class=\"notes\">Notes</div></article>");
        }
        html.push_str("</section>");
    }
    html.push_str("</body></html>\n");
    let mut response = html.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'self'; frame-ancestors 'none'"),
    );
    response
}

fn push_row(html: &mut String, row: &Row, open: &mut bool) {
    let [id, question, choice, helpful, _, _, rules] = &row.cells;
    match row.kind {
        RowKind::Question => {
            if *open {
                html.push_str("</ul><div class=\"notes\">Notes</div></article>");
            }
            *open = true;
            html.push_str(&format!(
                "<article class=\"question\" id=\"{}\"><h3>{}</h3>",
                escape(id),
                escape(question)
            ));
            if !helpful.is_empty() {
                html.push_str(&format!("<p class=\"helpful\">{}</p>", lines(helpful)));
            }
            if !rules.is_empty() {
                html.push_str(&format!("<p class=\"rules\">{}</p>", lines(rules)));
            }
            html.push_str("<ul class=\"choices\">");
        }
        RowKind::Choice => {
            html.push_str(&format!(
                "<li><span class=\"box\" aria-hidden=\"true\"></span>{}",
                escape(choice)
            ));
            if !helpful.is_empty() {
                html.push_str(&format!("<small>{}</small>", lines(helpful)));
            }
            html.push_str("</li>");
        }
    }
}

fn lines(text: &str) -> String {
    text.split('\n')
        .map(escape)
        .collect::<Vec<_>>()
        .join("<br>")
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use lensgate_lens::{model::Pillar, questionnaire::Sheet};

    use super::sheet_name;

    fn named(name: &str, taken: &[String]) -> String {
        let pillar = Pillar {
            id: "p".into(),
            name: name.into(),
            questions: Vec::new(),
        };
        sheet_name(
            &Sheet {
                pillar: &pillar,
                rows: Vec::new(),
            },
            taken,
        )
    }

    #[test]
    fn sheet_names_are_what_excel_accepts_and_unique() {
        assert_eq!(named("Security", &[]), "Security");
        assert_eq!(named("Cost: [now]/later?", &[]), "Cost- -now--later-");
        assert_eq!(named(&"x".repeat(40), &[]).chars().count(), 31);
        assert_eq!(named("Security", &["security".into()]), "Security (2)");
        let long = "y".repeat(40);
        let first = named(&long, &[]);
        let second = named(&long, std::slice::from_ref(&first));
        assert_eq!(second.chars().count(), 31);
        assert!(second.ends_with(" (2)"));
        assert_eq!(named("''", &[]), "p");
    }
}
