//! HTTP(S) requests lensgate sends itself (`lensgate push`, webhook deliveries), through the
//! client the AWS SDK already builds: hyper with rustls on aws-lc-rs and the system's roots.

use std::{sync::Arc, time::Duration};

use axum::body::Bytes;
use http_body_util::{BodyExt as _, Full};

/// What went wrong before an answer came back.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("{0} is not an address a request can be sent to")]
    Address(String),
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    #[error("{0}")]
    Connection(String),
}

pub struct Answer {
    pub status: http::StatusCode,
    pub body: Bytes,
}

#[derive(Clone)]
pub struct Outbound {
    http: hyper_util::client::legacy::Client<
        hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
        Full<Bytes>,
    >,
    user_agent: &'static str,
}

impl Outbound {
    pub fn new(user_agent: &'static str) -> std::io::Result<Self> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(provider)?
            .https_or_http()
            .enable_http1()
            .build();
        Ok(Outbound {
            http: hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(connector),
            user_agent,
        })
    }

    /// POSTs `body` as JSON to `url` with `headers`, waiting at most `timeout` for the whole
    /// answer.
    pub async fn post_json(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: String,
        timeout: Duration,
    ) -> Result<Answer, SendError> {
        let mut request = http::Request::post(url)
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(http::header::USER_AGENT, self.user_agent);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request
            .body(Full::new(Bytes::from(body)))
            .map_err(|_| SendError::Address(url.to_owned()))?;
        let exchange = async {
            let response = self
                .http
                .request(request)
                .await
                .map_err(|e| SendError::Connection(describe(&e)))?;
            let status = response.status();
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(|e| SendError::Connection(e.to_string()))?
                .to_bytes();
            Ok(Answer { status, body })
        };
        tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| SendError::Timeout(timeout))?
    }
}

/// The innermost cause: hyper's own message ("client error (Connect)") says little.
fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    cause.to_string()
}
