# syntax=docker/dockerfile:1
# sohoa in a container: `docker build -t sohoa .`, then `docker run sohoa serve` (or worker,
# ingest, process …). compose.yaml runs it with Redis and Meilisearch.

# --- build: cgo needs the Tesseract and Leptonica headers -------------------------------------
FROM golang:1.26-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libtesseract-dev libleptonica-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Modules first, so that a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags="-s -w" -o /out/sohoa ./cmd/sohoa

# --- run: Tesseract with the Vietnamese models, poppler for pdftoppm, fonts -------------------
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr tesseract-ocr-vie tesseract-ocr-script-viet tesseract-ocr-osd \
        poppler-utils fonts-liberation2 fonts-dejavu-core fonts-noto-core ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# The data dir exists and belongs to the user before VOLUME, so a new named volume inherits
# that ownership and the non-root process can write to it.
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/sohoa --shell /usr/sbin/nologin sohoa \
    && mkdir -p /var/lib/sohoa/data \
    && chown -R sohoa:sohoa /var/lib/sohoa
COPY --from=build /out/sohoa /usr/local/bin/sohoa
# libgomp reads OMP_THREAD_LIMIT when libtesseract loads; with OpenMP on, pages recognised in
# parallel run 3–5× slower (shared/notes/libraries.md §2).
ENV OMP_THREAD_LIMIT=1 \
    SOHOA_DATA_DIR=/var/lib/sohoa/data \
    SOHOA_HTTP_ADDR=0.0.0.0:8080
USER sohoa
WORKDIR /var/lib/sohoa
VOLUME ["/var/lib/sohoa/data"]
EXPOSE 8080
ENTRYPOINT ["sohoa"]
CMD ["serve"]
