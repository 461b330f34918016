# Production image: the SPA built with Node, the server built with Rust, both copied into a
# slim Debian runtime. Build with `docker compose build`.
FROM node:20-bookworm-slim AS spa
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
COPY openapi/ /src/openapi/
RUN npm run build

FROM rust:1.95-bookworm AS server
WORKDIR /src
COPY Cargo.toml Cargo.lock rustfmt.toml clippy.toml ./
COPY crates/ crates/
COPY migrations/ migrations/
COPY reference/ reference/
RUN cargo build --release -p ocop-server

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/ocop --create-home ocop
COPY --from=server /src/target/release/ocop /usr/local/bin/ocop
COPY --from=spa /src/frontend/dist /usr/share/ocop/spa
USER ocop
WORKDIR /var/lib/ocop
ENV OCOP_ENV=production \
    OCOP_BIND=0.0.0.0:8080 \
    OCOP_DATA_DIR=/var/lib/ocop \
    OCOP_SPA_DIR=/usr/share/ocop/spa \
    OCOP_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fs http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["ocop"]
CMD ["serve"]
