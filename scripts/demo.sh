#!/usr/bin/env bash
# demo.sh is `make demo`: install what is missing, build, start Redis, Meilisearch, the API and
# the worker for the demo profile, upload the committed sample scans into one dossier and wait
# for them to be processed. Everything is left running; `make stop` stops it. Running it again
# reuses what runs, and the re-upload of the same files is a no-op on the server.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROFILE=demo
DOSSIER="000.00.15.H29-251201-0001"
ADDR="$(http_addr "$PROFILE")"

scripts/setup.sh
build_binary
scripts/services.sh start "$PROFILE"
scripts/app.sh start "$PROFILE"

# Only the scans: the folder also holds their ground truth (truth.jsonl), which is not an upload.
shopt -s nullglob nocaseglob
samples=(fixtures/samples/*.{pdf,tif,tiff,jpg,jpeg,png,webp,bmp})
shopt -u nullglob nocaseglob
((${#samples[@]} > 0)) || die "no sample scans in fixtures/samples/"

log "uploading ${#samples[@]} sample files into dossier $DOSSIER"
"$SOHOA_BIN" ingest --server "http://$ADDR" --key demo-admin --dossier "$DOSSIER" \
	--wait --summary --search "so hoa ho so" "${samples[@]}"

cat <<EOF

sohoa demo is running.
  UI:   http://$ADDR/
  API:  http://$ADDR/v1/  (OpenAPI: http://$ADDR/v1/openapi.json)
  Keys: send "Authorization: Bearer KEY" with one of
          demo-admin     (admin)
          demo-clerk     (clerk)
          demo-reader    (reader)
          demo-uploader  (uploader)
  e.g.  curl -H 'Authorization: Bearer demo-reader' 'http://$ADDR/v1/search?q=so+hoa+ho+so'
        curl -H 'Authorization: Bearer demo-clerk' http://$ADDR/v1/dossiers/$DOSSIER
  Dossier loaded: $DOSSIER
  Logs: .run/$PROFILE/*.log
Stop everything with: make stop
EOF
