//! The API's OpenAPI 3.1 document, generated from the handlers' annotations, and a page that
//! reads it for people (rendered here: no script, nothing fetched from elsewhere).

use axum::{
    Json,
    response::{Html, IntoResponse},
};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use super::{audit, lenses, problem, reviews};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "lensgate API",
        description = "Validate, import, review and publish Well-Architected custom lenses from pipelines, and read the audit history. Every change goes through the same rules and audit history as the pages. Authenticate with a personal API token from your account page: `Authorization: Bearer lgt_…`."
    ),
    paths(
        lenses::validate,
        lenses::list,
        lenses::import,
        lenses::versions,
        reviews::submit,
        reviews::read,
        reviews::publish,
        audit::search,
        audit::export,
    ),
    components(schemas(problem::Problem)),
    modifiers(&BearerToken),
    tags(
        (name = "lenses", description = "Validate and import lens files, list lenses and versions"),
        (name = "reviews", description = "Submit drafts, follow reviews, publish versions"),
        (name = "audit", description = "Search and export the audit history"),
    )
)]
pub struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("lgt_ followed by 40 hex digits")
                    .build(),
            ),
        );
    }
}

pub async fn document() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `/api/v1/docs`: every operation with its parameters and answers, and every problem type.
/// Its only style is inline and it has no script, which its Content-Security-Policy says.
pub async fn page() -> impl IntoResponse {
    let doc = ApiDoc::openapi();
    let mut html = String::from(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>lensgate API</title>\
         <style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}code{background:#f1f3f5;padding:0 .2em}h3{font-family:ui-monospace,monospace;font-size:1rem}table{border-collapse:collapse}td,th{border-bottom:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}</style></head><body>",
    );
    html.push_str(&format!(
        "<h1>{}</h1><p>{}</p><p>The machine-readable document: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a> (OpenAPI 3.1).</p>",
        escape(&doc.info.title),
        escape(doc.info.description.as_deref().unwrap_or_default()),
    ));
    html.push_str("<h2>Operations</h2>");
    for (path, item) in &doc.paths.paths {
        let operations = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
        ];
        for (method, operation) in operations {
            let Some(operation) = operation else {
                continue;
            };
            html.push_str(&format!("<h3>{method} {}</h3>", escape(path)));
            if let Some(description) = operation
                .description
                .as_deref()
                .or(operation.summary.as_deref())
            {
                html.push_str(&format!("<p>{}</p>", escape(description)));
            }
            if let Some(parameters) = &operation.parameters
                && !parameters.is_empty()
            {
                html.push_str("<table><tr><th>Parameter</th><th>In</th><th>About</th></tr>");
                for parameter in parameters {
                    html.push_str(&format!(
                        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                        escape(&parameter.name),
                        serde_json::to_value(&parameter.parameter_in)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default(),
                        escape(parameter.description.as_deref().unwrap_or_default())
                    ));
                }
                html.push_str("</table>");
            }
            html.push_str("<p>Answers: ");
            let answers: Vec<String> = operation
                .responses
                .responses
                .keys()
                .map(|status| format!("<code>{}</code>", escape(status)))
                .collect();
            html.push_str(&answers.join(", "));
            html.push_str("</p>");
        }
    }
    html.push_str("<h2>Problems</h2><p>Errors are <a href=\"https://www.rfc-editor.org/rfc/rfc9457\">RFC 9457</a> problem details (<code>application/problem+json</code>) whose <code>type</code> links here.</p><dl>");
    for (slug, title, about) in problem::KINDS {
        html.push_str(&format!(
            "<dt id=\"problem-{slug}\"><strong>{}</strong> <code>{slug}</code></dt><dd>{}</dd>",
            escape(title),
            escape(about)
        ));
    }
    html.push_str("</dl></body></html>");
    (
        [(
            http::header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        )],
        Html(html),
    )
}
