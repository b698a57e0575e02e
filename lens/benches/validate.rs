//! How long the validator takes on lenses of the sizes authors upload, up to the 500,000
//! character limit. Run with `cargo bench -p lensgate-lens`.

#![allow(
    clippy::unwrap_used,
    reason = "a benchmark that cannot set up stops with the value in the report"
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn validate(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate");
    for (name, text) in [
        (
            "small (3 KB)",
            include_str!("../tests/fixtures/valid-small.json"),
        ),
        (
            "large (470 KB)",
            include_str!("../tests/fixtures/valid-large.json"),
        ),
    ] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("{name}, JSON parse only"), |b| {
            b.iter(|| lensgate_lens::json::parse(black_box(text), 0));
        });
        group.bench_function(name, |b| {
            b.iter(|| lensgate_lens::validate(black_box(text)));
        });
        let yaml = lensgate_lens::source::to_yaml(text, lensgate_lens::Format::Json).unwrap();
        group.bench_function(format!("{name}, as YAML, parse only"), |b| {
            b.iter(|| lensgate_lens::yaml::parse(black_box(&yaml)));
        });
        group.bench_function(format!("{name}, as YAML"), |b| {
            b.iter(|| lensgate_lens::validate_as(black_box(&yaml), lensgate_lens::Format::Yaml));
        });
        group.bench_function(format!("{name}, written as YAML"), |b| {
            b.iter(|| lensgate_lens::source::to_yaml(black_box(text), lensgate_lens::Format::Json));
        });
    }
    group.finish();
}

criterion_group!(benches, validate);
criterion_main!(benches);
