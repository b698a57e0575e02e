//! AWS Signature Version 4 verification: the emulator recomputes the signature of every request
//! with the caller's secret key and refuses the request unless it matches.

use hmac::{Hmac, Mac};
use http::{HeaderMap, Method, Uri};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};
use time::{OffsetDateTime, PrimitiveDateTime, macros::format_description};

use crate::{accounts::Account, error::ServiceError};

const ALGORITHM: &str = "AWS4-HMAC-SHA256";
const MAX_CLOCK_SKEW: time::Duration = time::Duration::minutes(15);

/// RFC 3986 unreserved characters stay as they are; everything else is percent-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub struct SignedRequest<'a> {
    pub method: &'a Method,
    pub uri: &'a Uri,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

struct Authorization<'a> {
    access_key: &'a str,
    date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

/// Returns the account whose key signed the request for `service` in `region`.
pub fn verify<'a>(
    request: &SignedRequest<'_>,
    service: &str,
    region: &str,
    accounts: &'a [Account],
    now: OffsetDateTime,
) -> Result<&'a Account, ServiceError> {
    let header = request
        .headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(ServiceError::missing_authentication)?;
    let auth = parse_authorization(header).ok_or_else(ServiceError::missing_authentication)?;
    let account = accounts
        .iter()
        .find(|a| a.access_key == auth.access_key)
        .ok_or_else(ServiceError::unrecognized_client)?;
    if auth.service != service {
        return Err(ServiceError::invalid_signature(format!(
            "Credential should be scoped to correct service: '{service}'."
        )));
    }
    if auth.region != region {
        return Err(ServiceError::invalid_signature(format!(
            "Credential should be scoped to a valid region, not '{}'.",
            auth.region
        )));
    }
    let amz_date = header_value(request.headers, "x-amz-date")
        .ok_or_else(|| ServiceError::invalid_signature("The request has no X-Amz-Date header."))?;
    let signed_at = parse_amz_date(amz_date)
        .ok_or_else(|| ServiceError::invalid_signature("X-Amz-Date is not a valid date."))?;
    if !amz_date.starts_with(auth.date) {
        return Err(ServiceError::invalid_signature(
            "The credential date does not match X-Amz-Date.",
        ));
    }
    if (now - signed_at).abs() > MAX_CLOCK_SKEW {
        return Err(ServiceError::invalid_signature(format!(
            "Signature expired: {amz_date} is not within 15 minutes of the server time."
        )));
    }
    if !auth.signed_headers.contains(&"host") {
        return Err(ServiceError::invalid_signature(
            "The host header must be signed.",
        ));
    }

    let canonical = canonical_request(request, &auth.signed_headers);
    let scope = format!(
        "{}/{}/{}/aws4_request",
        auth.date, auth.region, auth.service
    );
    let string_to_sign = format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let key = signing_key(&account.secret_key, auth.date, auth.region, auth.service);
    let mut mac = hmac(&key);
    mac.update(string_to_sign.as_bytes());
    let provided = hex::decode(auth.signature).map_err(|_| mismatch())?;
    mac.verify_slice(&provided).map_err(|_| mismatch())?;
    Ok(account)
}

fn mismatch() -> ServiceError {
    ServiceError::invalid_signature(
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    )
}

fn parse_authorization(header: &str) -> Option<Authorization<'_>> {
    let rest = header.strip_prefix(ALGORITHM)?.trim_start();
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (key, value) = part.trim().split_once('=')?;
        match key {
            "Credential" => credential = Some(value),
            "SignedHeaders" => signed_headers = Some(value),
            "Signature" => signature = Some(value),
            _ => {}
        }
    }
    let mut scope = credential?.split('/');
    let auth = Authorization {
        access_key: scope.next()?,
        date: scope.next()?,
        region: scope.next()?,
        service: scope.next()?,
        signed_headers: signed_headers?.split(';').collect(),
        signature: signature?,
    };
    (scope.next()? == "aws4_request").then_some(auth)
}

fn parse_amz_date(text: &str) -> Option<OffsetDateTime> {
    let format = format_description!("[year][month][day]T[hour][minute][second]Z");
    PrimitiveDateTime::parse(text, format)
        .ok()
        .map(time::PlainDateTime::assume_utc)
}

fn header_value<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn canonical_request(request: &SignedRequest<'_>, signed_headers: &[&str]) -> String {
    // Services other than S3 sign the path encoded once more, segment by segment.
    let path = request.uri.path();
    let canonical_uri = if path.is_empty() {
        "/".to_owned()
    } else {
        path.split('/')
            .map(|segment| utf8_percent_encode(segment, UNRESERVED).to_string())
            .collect::<Vec<_>>()
            .join("/")
    };

    let mut query: Vec<(String, String)> = request
        .uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (encode_component(k), encode_component(v))
        })
        .collect();
    query.sort();
    let canonical_query = query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");

    let mut canonical_headers = String::new();
    for name in signed_headers {
        let values: Vec<String> = request
            .headers
            .get_all(*name)
            .iter()
            .map(|v| collapse_spaces(&String::from_utf8_lossy(v.as_bytes())))
            .collect();
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }

    let payload_hash = header_value(request.headers, "x-amz-content-sha256")
        .map(str::to_owned)
        .unwrap_or_else(|| hex::encode(Sha256::digest(request.body)));

    format!(
        "{}\n{canonical_uri}\n{canonical_query}\n{canonical_headers}\n{}\n{payload_hash}",
        request.method,
        signed_headers.join(";")
    )
}

fn encode_component(raw: &str) -> String {
    let decoded = percent_decode_str(raw).decode_utf8_lossy().into_owned();
    utf8_percent_encode(&decoded, UNRESERVED).to_string()
}

fn collapse_spaces(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8]) -> HmacSha256 {
    HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length")
}

fn hmac_bytes(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = hmac(key);
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Vec<u8> {
    let k_date = hmac_bytes(format!("AWS4{secret}").as_bytes(), date);
    let k_region = hmac_bytes(&k_date, region);
    let k_service = hmac_bytes(&k_region, service);
    hmac_bytes(&k_service, "aws4_request")
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, HeaderValue, Method, Uri};
    use time::OffsetDateTime;

    use super::*;

    fn account() -> Account {
        Account::new("AKIATEST00000000001", "secret", "111122223333").unwrap()
    }

    /// A request signed the way the SDKs sign it, at `at`.
    fn signed(at: OffsetDateTime, secret: &str) -> (Method, Uri, HeaderMap) {
        let method = Method::GET;
        let uri: Uri = "/lenses?MaxResults=5".parse().unwrap();
        let amz_date = at
            .format(format_description!(
                "[year][month][day]T[hour][minute][second]Z"
            ))
            .unwrap();
        let date = &amz_date[..8];
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("127.0.0.1:4010"));
        headers.insert("x-amz-date", HeaderValue::from_str(&amz_date).unwrap());
        let request = SignedRequest {
            method: &method,
            uri: &uri,
            headers: &headers,
            body: b"",
        };
        let canonical = canonical_request(&request, &["host", "x-amz-date"]);
        let scope = format!("{date}/us-east-1/wellarchitected/aws4_request");
        let to_sign = format!(
            "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
            hex::encode(Sha256::digest(canonical.as_bytes()))
        );
        let signature = hex::encode(hmac_bytes(
            &signing_key(secret, date, "us-east-1", "wellarchitected"),
            &to_sign,
        ));
        let authorization = format!(
            "{ALGORITHM} Credential=AKIATEST00000000001/{scope}, SignedHeaders=host;x-amz-date, Signature={signature}"
        );
        headers.insert(
            "authorization",
            HeaderValue::from_str(&authorization).unwrap(),
        );
        (method, uri, headers)
    }

    fn check(at: OffsetDateTime, secret: &str, service: &str) -> Result<String, ServiceError> {
        let (method, uri, headers) = signed(at, secret);
        let accounts = [account()];
        verify(
            &SignedRequest {
                method: &method,
                uri: &uri,
                headers: &headers,
                body: b"",
            },
            service,
            "us-east-1",
            &accounts,
            OffsetDateTime::now_utc(),
        )
        .map(|a| a.account_id.clone())
    }

    #[test]
    fn a_fresh_signature_names_the_account() {
        assert_eq!(
            check(OffsetDateTime::now_utc(), "secret", "wellarchitected").unwrap(),
            "111122223333"
        );
    }

    #[test]
    fn a_signature_older_than_fifteen_minutes_has_expired() {
        let error = check(
            OffsetDateTime::now_utc() - time::Duration::minutes(16),
            "secret",
            "wellarchitected",
        )
        .unwrap_err();
        assert_eq!(error.code, "InvalidSignatureException");
        assert!(
            error.message.contains("Signature expired"),
            "{}",
            error.message
        );
    }

    #[test]
    fn a_signature_for_another_service_or_with_another_secret_is_refused() {
        let error = check(OffsetDateTime::now_utc(), "secret", "license-manager").unwrap_err();
        assert!(
            error.message.contains("correct service"),
            "{}",
            error.message
        );
        let error = check(OffsetDateTime::now_utc(), "other", "wellarchitected").unwrap_err();
        assert!(
            error.message.contains("does not match"),
            "{}",
            error.message
        );
    }
}
