//! Every streamed or large response arrives whole whatever the browser accepts: brotli, gzip
//! or nothing. Compressed bodies are decoded here and compared with the uncompressed one, so
//! a transfer cut short (the export once ended after 159 bytes under brotli) fails loudly.

use std::io::Read as _;

use crate::helpers::TestApp;

const ENCODINGS: [&str; 3] = ["identity", "gzip", "br"];

/// The body of `path` as sent with `Accept-Encoding: encoding`, decoded; an error when the
/// transfer ends early.
async fn fetch(app: &TestApp, path: &str, encoding: &str) -> Result<Vec<u8>, String> {
    let response = app
        .client
        .get(app.at(path))
        .header("accept-encoding", encoding)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    assert_eq!(response.status(), 200, "{path} with {encoding}");
    let sent = response
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = response
        .bytes()
        .await
        .map_err(|e| format!("{path} with {encoding}: the transfer ended early: {e}"))?;
    let mut decoded = Vec::new();
    match sent.as_deref() {
        None => decoded.extend_from_slice(&bytes),
        Some("gzip") => {
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_end(&mut decoded)
                .map_err(|e| format!("{path}: gzip body incomplete: {e}"))?;
        }
        Some("br") => {
            brotli::Decompressor::new(&bytes[..], 4096)
                .read_to_end(&mut decoded)
                .map_err(|e| format!("{path}: brotli body incomplete: {e}"))?;
        }
        Some(other) => panic!("{path}: unexpected content-encoding {other}"),
    }
    Ok(decoded)
}

/// The same bytes under every encoding; returns them.
async fn same_under_every_encoding(app: &TestApp, path: &str) -> Vec<u8> {
    let plain = fetch(app, path, "identity").await.unwrap();
    for encoding in &ENCODINGS[1..] {
        let decoded = fetch(app, path, encoding).await.unwrap();
        assert_eq!(
            decoded.len(),
            plain.len(),
            "{path} with {encoding}: {} bytes instead of {}",
            decoded.len(),
            plain.len()
        );
        assert!(decoded == plain, "{path} with {encoding}: other bytes");
    }
    plain
}

/// A page (whose nonce and form tokens differ on every request) arrives whole under every
/// encoding: the document and the data scripts streamed after it, about as long each time.
/// A gzip or brotli stream cut short fails to decode.
async fn page_whole_under_every_encoding(app: &TestApp, path: &str) {
    let mut lengths = Vec::new();
    for encoding in ENCODINGS {
        let html = String::from_utf8(fetch(app, path, encoding).await.unwrap()).unwrap();
        assert!(
            html.contains("</html>") && html.trim_end().ends_with("</script>"),
            "{path} with {encoding} is cut short: …{}",
            &html[html.len().saturating_sub(200)..]
        );
        lengths.push(html.len());
    }
    let (shortest, longest) = (lengths.iter().min().unwrap(), lengths.iter().max().unwrap());
    assert!(
        longest - shortest < longest / 50,
        "{path}: {lengths:?} bytes"
    );
}

/// How many events the history holds.
async fn events(app: &TestApp) -> usize {
    let pool = lensgate::db::open(&app.database).await.unwrap();
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_events")
        .fetch_one(&pool)
        .await
        .unwrap();
    count as usize
}

/// Adds `count` recorded events after the history's end in one statement. Their hashes are not
/// a chain (the export does not need one, and hashing 100,000 events would dominate the test).
async fn append_events(app: &TestApp, count: i64) {
    let pool = lensgate::db::open(&app.database).await.unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1),
              base(last) AS (SELECT COALESCE(MAX(seq), 0) FROM audit_events)
         INSERT INTO audit_events (seq, occurred_at, actor, actor_role, action, target, phase,
             operation_id, request, prev_hash, hash)
         SELECT last + i, '2026-11-01T00:00:00Z', 'ana', 'author', 'SubmitForReview',
             'arn:aws:wellarchitected:us-east-1:111122223333:lens/' || i, 'recorded', 'op-' || i,
             '{\"note\":\"row ' || i || ', with a comma and \"\"quotes\"\"\"}',
             printf('%064d', last + i - 1), printf('%064d', last + i)
         FROM n, base",
    )
    .bind(count)
    .execute(&pool)
    .await
    .unwrap();
}

fn lines(body: &[u8]) -> usize {
    std::str::from_utf8(body).unwrap().lines().count()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_export_is_whole_under_brotli_gzip_and_none() {
    let app = TestApp::start_on_sqlite().await;
    app.sign_in_as_admin().await;
    append_events(&app, 10).await;
    // CSV adds a comment and a header line, JSON Lines a header object.
    let csv = same_under_every_encoding(&app, "/audit/export?format=csv").await;
    let jsonl = same_under_every_encoding(&app, "/audit/export?format=jsonl").await;
    let total = events(&app).await;
    assert!(total >= 10);
    assert_eq!(lines(&csv), total + 2);
    assert_eq!(lines(&jsonl), total + 1);

    append_events(&app, 100_000 - total as i64).await;
    assert_eq!(events(&app).await, 100_000);
    let csv = same_under_every_encoding(&app, "/audit/export?format=csv").await;
    assert_eq!(lines(&csv), 100_000 + 2);
    let jsonl = same_under_every_encoding(&app, "/audit/export?format=jsonl").await;
    assert_eq!(lines(&jsonl), 100_000 + 1);
    let last: serde_json::Value =
        serde_json::from_str(std::str::from_utf8(&jsonl).unwrap().lines().last().unwrap()).unwrap();
    assert_eq!(last["seq"], 1, "the oldest event ends the file");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_and_lens_downloads_are_whole_under_every_encoding() {
    let app = TestApp::start_on_sqlite().await;
    app.sign_in_as_admin().await;
    let large = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../lens/tests/fixtures/valid-large.json"
    ))
    .unwrap();
    let response = app
        .client
        .post(app.at("/api/lenses/import"))
        .header("accept", "application/json")
        .form(&[
            ("request[json]", large.as_str()),
            ("request[lens_arn]", ""),
            ("request[tags]", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let imported: serde_json::Value = response.json().await.unwrap();
    let arn = imported["lens_arn"].as_str().unwrap().to_owned();

    let draft = same_under_every_encoding(&app, &format!("/lenses/export?arn={arn}")).await;
    assert_eq!(draft, large.as_bytes());
    append_events(&app, 500).await;
    for page in [
        "/audit".to_owned(),
        format!("/lenses/detail?arn={arn}"),
        "/lenses".to_owned(),
    ] {
        page_whole_under_every_encoding(&app, &page).await;
    }
    app.stop().await;
}
