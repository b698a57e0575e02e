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
    lens_catalog::{ImportRequest, detail_href},
    routes::lens_editor::LensFormEcho,
    shell,
};
use leptos::prelude::provide_context;
use serde::Deserialize;

use super::AppState;
use crate::lenses::LensArn;

#[derive(Deserialize)]
pub struct ExportQuery {
    arn: String,
    version: Option<String>,
}

/// The JSON of a lens version (the draft without `version`), as a download.
pub async fn export(State(state): State<AppState>, Query(query): Query<ExportQuery>) -> Response {
    let arn = match LensArn::parse(&query.arn) {
        Ok(arn) => arn,
        Err(error) => return (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
    };
    let Some(version) = query.version.filter(|v| !v.is_empty()) else {
        // AWS exports published versions only; the draft is the JSON lensgate imported.
        return match state.services.lenses.draft(arn.to_string()).await {
            Ok(Some(json)) => download(&arn, "draft", json),
            Ok(None) => (
                StatusCode::NOT_FOUND,
                "lensgate has no record of this lens's draft: it was imported elsewhere.",
            )
                .into_response(),
            Err(error) => (StatusCode::BAD_GATEWAY, error.to_string()).into_response(),
        };
    };
    match state
        .gateway
        .export_lens(arn.as_str(), Some(version.clone()))
        .await
    {
        Ok(exported) => download(
            &arn,
            &version,
            exported.lens_json().unwrap_or_default().to_owned(),
        ),
        Err(error) => {
            let status = match error.kind {
                crate::gateway::ErrorKind::NotFound => StatusCode::NOT_FOUND,
                crate::gateway::ErrorKind::Invalid => StatusCode::BAD_REQUEST,
                _ => StatusCode::BAD_GATEWAY,
            };
            (status, AppError::from(error).to_string()).into_response()
        }
    }
}

fn download(arn: &LensArn, version: &str, json: String) -> Response {
    let file = format!("{}-{version}.json", arn.id()).replace(
        |c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)),
        "_",
    );
    let mut response = json.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
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
    let request = ImportRequest {
        json: form.json,
        lens_arn: form.lens_arn,
        tags: form.tags,
        token: form.token,
    };
    let report = lensgate_lens::validate(&request.json);
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
    let status = match &error {
        None => StatusCode::OK,
        Some(AppError::Forbidden { .. }) => StatusCode::FORBIDDEN,
        Some(AppError::Aws { .. } | AppError::Unavailable(_)) => StatusCode::BAD_GATEWAY,
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
    };
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
