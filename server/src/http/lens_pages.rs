//! The lens routes that are not server functions: downloading a version's JSON, and the lens
//! form posted without JavaScript, which the server validates (and imports) and answers by
//! rendering the form again with the problems, or by going to the imported lens.

use axum::{
    Form,
    body::Body,
    extract::{FromRequest, Query, Request, State},
    response::{IntoResponse, Redirect, Response},
};
use http::{HeaderValue, StatusCode, header};
use lensgate_app::{
    auth::{CurrentUser, Role},
    error::AppError,
    lens_catalog::{ImportRequest, LensFormEcho, detail_href},
    shell,
};
use lensgate_lens::{Format, source};
use leptos::prelude::provide_context;
use serde::Deserialize;

use super::{AppState, refused};
use lensgate_app::ids::LensArn;

#[derive(Deserialize)]
pub struct ExportQuery {
    arn: String,
    version: Option<String>,
    format: Option<String>,
}

/// A lens version (the draft without `version`) as a download, in JSON or, with
/// `format=yaml`, in YAML.
pub async fn export(State(state): State<AppState>, Query(query): Query<ExportQuery>) -> Response {
    // A malformed address is a bad request, not input a form could correct.
    let arn = match LensArn::parse(&query.arn) {
        Ok(arn) => arn,
        Err(error) => return (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
    };
    let version = query.version.filter(|v| !v.is_empty());
    let format = match query.format.as_deref() {
        None | Some("" | "json") => Format::Json,
        Some("yaml") => Format::Yaml,
        Some(other) => {
            return (
                StatusCode::BAD_REQUEST,
                format!("No export format {other:?}: ask for json or yaml."),
            )
                .into_response();
        }
    };
    match state
        .services
        .lenses
        .export(arn.clone(), version.clone())
        .await
    {
        Ok(Some(json)) => download(&arn, version.as_deref().unwrap_or("draft"), json, format),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            "lensgate has no record of this lens's draft: it was imported elsewhere.",
        )
            .into_response(),
        Err(error) => refused(&error),
    }
}

fn download(arn: &LensArn, version: &str, json: String, format: Format) -> Response {
    let name = lens_name(&json).unwrap_or_else(|| arn.id().to_owned());
    let (body, content_type) = match format {
        Format::Json => (json, "application/json; charset=utf-8"),
        Format::Yaml => match source::to_yaml(&json, Format::Json) {
            Ok(yaml) => (yaml, "application/yaml; charset=utf-8"),
            Err(syntax) => {
                tracing::warn!(lens = %arn, error = %syntax.message, "a stored lens does not parse as JSON");
                return (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("This lens's JSON does not parse ({}), so it cannot be written as YAML; download the JSON instead.", syntax.message),
                )
                    .into_response();
            }
        },
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition(&name, version, format.as_str())) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The lens's own name, read from its JSON; a file that does not say falls back to the ARN's id.
fn lens_name(json: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Named {
        name: String,
    }
    serde_json::from_str::<Named>(json).ok().map(|n| n.name)
}

/// `Serverless API review`, `1.0` as `serverless-api-review-1.0.json`: letters, digits and
/// dashes, at most 80 characters before the version. With `ascii`, other letters become dashes
/// too, for browsers that read only the plain `filename`.
fn file_name(name: &str, version: &str, extension: &str, ascii: bool) -> String {
    let slug = |text: &str, keep: &str| {
        let mut out = String::new();
        for c in text.chars() {
            let letter = if ascii {
                c.is_ascii_alphanumeric()
            } else {
                c.is_alphanumeric()
            };
            if letter || keep.contains(c) {
                out.extend(c.to_lowercase());
            } else if !out.ends_with('-') {
                out.push('-');
            }
        }
        out.trim_matches('-').to_owned()
    };
    let stem: String = slug(name, "").chars().take(80).collect();
    let stem = stem.trim_end_matches('-');
    let stem = if stem.is_empty() { "lens" } else { stem };
    format!("{stem}-{}.{extension}", slug(version, "._"))
}

/// RFC 6266: the plain name for every browser, and the name in UTF-8 (RFC 5987) for those that
/// read it.
pub(super) fn disposition(name: &str, version: &str, extension: &str) -> String {
    let plain = file_name(name, version, extension, true);
    let full = file_name(name, version, extension, false);
    let encoded: String = full
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}")
}

#[derive(Deserialize)]
pub struct LensForm {
    #[serde(default)]
    json: String,
    #[serde(default)]
    lens_arn: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    intent: String,
    #[serde(default)]
    token: String,
}

/// The lens form posted by a browser without JavaScript.
pub async fn submit(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Some(user) = parts.extensions.get::<CurrentUser>().cloned() else {
        return Redirect::to("/login?next=/lenses/new").into_response();
    };
    let form = match Form::<LensForm>::from_request(
        Request::from_parts(parts.clone(), body),
        &state,
    )
    .await
    {
        Ok(Form(form)) => form,
        Err(rejection) => return rejection.into_response(),
    };
    // "Replace all" without JavaScript: the same rewrite the editor does, then the form again.
    let json = match form.intent.as_str() {
        "replace" => lensgate_lens::replace_restricted(&form.json).unwrap_or(form.json),
        _ => form.json,
    };
    let request = ImportRequest {
        json,
        lens_arn: form.lens_arn,
        tags: form.tags,
        token: form.token,
    };
    let report = lensgate_lens::validate_as(&request.json, Format::detect(&request.json));
    let error = if form.intent != "import" {
        None
    } else if !user.can(Role::Author) {
        Some(AppError::Forbidden {
            needed: Role::Author.to_string(),
        })
    } else {
        match state.services.lenses.import(user, request.clone()).await {
            Ok(imported) => {
                return Redirect::to(&format!("{}&imported=1", detail_href(&imported.lens_arn)))
                    .into_response();
            }
            Err(error) => Some(error),
        }
    };
    let status = error.as_ref().map_or(StatusCode::OK, |e| {
        StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    });
    let echo = LensFormEcho {
        request,
        report,
        error,
    };
    let services = state.services.clone();
    let options = state.leptos_options.clone();
    let stylesheet = state.assets.stylesheet_href.clone();
    let render = leptos_axum::render_app_to_stream_with_context(
        move || {
            provide_context(services.clone());
            provide_context(echo.clone());
        },
        move || shell(options.clone(), stylesheet.clone()),
    );
    let mut page = render(Request::from_parts(parts, Body::empty())).await;
    *page.status_mut() = status;
    page
}

#[cfg(test)]
mod tests {
    use super::{disposition, file_name, lens_name};

    #[test]
    fn a_download_is_named_after_its_lens_and_version() {
        assert_eq!(
            file_name("Serverless API review", "1.0", "json", true),
            "serverless-api-review-1.0.json"
        );
        assert_eq!(
            file_name("<script>", "../../etc", "yaml", true),
            "script-..-..-etc.yaml"
        );
        assert_eq!(file_name("???", "2", "json", true), "lens-2.json");
        assert_eq!(
            file_name(&"a".repeat(200), "1", "json", true).len(),
            80 + "-1.json".len()
        );
        assert_eq!(
            disposition("Équipe / \"ops\"", "draft", "json"),
            "attachment; filename=\"quipe-ops-draft.json\"; filename*=UTF-8''%C3%A9quipe-ops-draft.json"
        );
        assert_eq!(
            lens_name(r#"{"name": "Ops", "x": 1}"#).as_deref(),
            Some("Ops")
        );
        assert_eq!(lens_name("not json"), None);
    }
}
