# syntax=docker/dockerfile:1
# lensgate: multi-stage build. The same pinned tools as `make run`: the wasm32 target, wasm-bindgen
# linked from Cargo.lock, and binaryen's wasm-opt from package-lock.json.

FROM node:20-bookworm-slim AS node-tools
WORKDIR /tools
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM rust:1.95-slim-bookworm AS builder
RUN rustup target add wasm32-unknown-unknown
COPY --from=node-tools /usr/local/bin/node /usr/local/bin/node
WORKDIR /src
COPY . .
COPY --from=node-tools /tools/node_modules ./node_modules
RUN cargo xtask site --release \
 && cargo build --release --locked --package lensgate \
 && mkdir -p /out \
 && cp target/release/lensgate /out/lensgate \
 && cp -r target/site /out/site

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/lensgate --create-home lensgate
# Migrations are compiled into the binary (sqlx::migrate!) and applied at start-up.
COPY --from=builder /out/lensgate /usr/local/bin/lensgate
COPY --from=builder /out/site /usr/share/lensgate/site
ENV LENSGATE_LISTEN=0.0.0.0:3000 \
    LENSGATE_DATABASE=/var/lib/lensgate/lensgate.db \
    LENSGATE_SITE_ROOT=/usr/share/lensgate/site \
    LENSGATE_LOG_FORMAT=json
# The audit signing key and the checkpoint file go beside the database unless LENSGATE_AUDIT_KEY
# and LENSGATE_CHECKPOINT_DIR point at another volume, which keeps the evidence apart from the
# data it vouches for (README, "Signed checkpoints").
VOLUME ["/var/lib/lensgate"]
USER lensgate
WORKDIR /var/lib/lensgate
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
  CMD curl -fsS http://127.0.0.1:3000/healthz || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/lensgate"]
