use std::{fs, path::Path};

use crate::helpers::TestApp;

fn hashed_site(site: &Path) {
    let pkg = site.join("pkg");
    fs::write(
        pkg.join("lensgate.0123456789abcdef.js"),
        "export function hydrate() {}",
    )
    .unwrap();
    fs::write(pkg.join("lensgate.0123456789abcdef.js.br"), b"brotli bytes").unwrap();
    fs::write(pkg.join("lensgate.fedcba9876543210.wasm"), b"\0asm").unwrap();
    fs::write(pkg.join("lensgate.00000000000000aa.css"), "body{}").unwrap();
    fs::write(
        site.join("hash.txt"),
        "js: 0123456789abcdef\nwasm: fedcba9876543210\ncss: 00000000000000aa\n",
    )
    .unwrap();
}

#[tokio::test]
async fn pages_name_the_content_hashed_bundle() {
    let app = TestApp::start_with(hashed_site).await;
    app.sign_in_as_admin().await;
    let html = app
        .client
        .get(app.at("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("/pkg/lensgate.0123456789abcdef.js"));
    assert!(html.contains("/pkg/lensgate.fedcba9876543210.wasm"));
    assert!(html.contains(r#"href="/pkg/lensgate.00000000000000aa.css""#));
    app.stop().await;
}

#[tokio::test]
async fn hashed_files_are_cached_for_a_year_and_served_precompressed() {
    let app = TestApp::start_with(hashed_site).await;
    app.sign_in_as_admin().await;
    let response = app
        .client
        .get(app.at("/pkg/lensgate.0123456789abcdef.js"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"brotli bytes");
    app.stop().await;
}

#[tokio::test]
async fn an_unhashed_development_bundle_is_revalidated() {
    let app = TestApp::start_with(|site| {
        fs::write(
            site.join("pkg").join("lensgate.js"),
            "export function hydrate() {}",
        )
        .unwrap();
    })
    .await;
    app.sign_in_as_admin().await;
    let response = app
        .client
        .get(app.at("/pkg/lensgate.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let html = app
        .client
        .get(app.at("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"href="/pkg/lensgate.css""#));
    app.stop().await;
}

#[tokio::test]
async fn a_missing_bundle_file_is_a_404() {
    let app = TestApp::start_with(hashed_site).await;
    app.sign_in_as_admin().await;
    let response = app
        .client
        .get(app.at("/pkg/nothing.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    app.stop().await;
}
