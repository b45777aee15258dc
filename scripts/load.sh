#!/usr/bin/env bash
# load.sh is `make load` (not part of make test): install what is missing, build, start the
# load profile's Redis and Meilisearch and one host's serve and worker on a fresh store, then
# run `sohoa load`: SOHOA_LOAD_PAGES (1000) generated pages uploaded as one batch through the
# API, followed to the end while GET requests are timed and the worker's RSS is sampled from
# its /metrics. Everything is stopped however it ends; logs stay in .run/load/.
# Extra arguments go to sohoa load (e.g. --pages 100, --sample 10s).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROFILE=load
DIR="$(run_dir "$PROFILE")"
PAGES="${SOHOA_LOAD_PAGES:-1000}"
WORKER_METRICS="127.0.0.1:9183"

scripts/setup.sh
build_binary

cleanup() {
	scripts/app.sh stop "$PROFILE" || true
	scripts/services.sh stop "$PROFILE" || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

scripts/services.sh start "$PROFILE"
# shellcheck source=/dev/null
source "$DIR/env"
# A fresh store, queue and index: the batch is the only work the worker sees.
scripts/app.sh stop "$PROFILE" >/dev/null 2>&1 || true
redis-cli -h 127.0.0.1 -p "$(redis_port "$PROFILE")" flushall >/dev/null
rm -rf "$DIR/data"
export SOHOA_MEILI_INDEX="load"
# The index's uid carries the schema version (load_v1): drop every index of earlier runs.
for uid in $(curl -fsS -H "Authorization: Bearer $SOHOA_MEILI_KEY" "$SOHOA_MEILI_URL/indexes?limit=1000" |
	grep -o '"uid":"load[^"]*"' | cut -d'"' -f4); do
	curl -fsS -X DELETE -H "Authorization: Bearer $SOHOA_MEILI_KEY" "$SOHOA_MEILI_URL/indexes/$uid" >/dev/null
done
export SOHOA_WORKER_METRICS_ADDR="$WORKER_METRICS"
export SOHOA_LOG_LEVEL=info
# One batch is one upload request, and 1,000 degraded 300-DPI PNG pages are about 3.8 GB: above
# the default request limit (10 files of the largest size, 2,000 MB), so this profile raises it.
export SOHOA_MAX_UPLOAD_MB="${SOHOA_MAX_UPLOAD_MB:-8000}"
scripts/app.sh start "$PROFILE"
# app.sh waits for serve only; the worker's metrics listener comes up a moment later.
curl -fs --retry 30 --retry-delay 1 --retry-connrefused -o /dev/null "http://$WORKER_METRICS/metrics" ||
	die "the worker's metrics at http://$WORKER_METRICS/metrics did not answer (log: $DIR/worker.log)"

log "sohoa load --pages $PAGES $* (worker log: $DIR/worker.log)"
SOHOA_API_KEY=demo-clerk "$SOHOA_BIN" load --pages "$PAGES" --server "http://$(http_addr "$PROFILE")" \
	--worker-metrics "http://$WORKER_METRICS/metrics" --dir "$DIR" "$@"
