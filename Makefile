# The two commands of the README, plus the pieces they are made of.
.PHONY: run test site check

## Build in release mode and start on http://127.0.0.1:3000 with the embedded emulator.
run:
	.ci/install
	cargo xtask run --release

## Every test: Rust unit and integration tests, then the browser tests; a summary at the end.
test:
	.ci/test

## The browser bundle alone, into target/site.
site:
	.ci/install
	cargo xtask site --release

## Fast feedback while editing.
check:
	cargo check --workspace --exclude lensgate-frontend
	cargo check --package lensgate-frontend --target wasm32-unknown-unknown
