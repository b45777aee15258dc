#!/usr/bin/env bash
# bench.sh is `make bench`: install what is missing, build, start the bench profile's services,
# run `sohoa bench` against them (output under .run/bench), and stop the services however it
# ends. Extra arguments go to sohoa bench.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROFILE=bench
DIR="$(run_dir "$PROFILE")"

scripts/setup.sh
build_binary

trap 'scripts/services.sh stop "$PROFILE" || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

scripts/services.sh start "$PROFILE"
# shellcheck source=/dev/null
source "$DIR/env"
export SOHOA_BENCH_DIR="$DIR"
export SOHOA_DATA_DIR="$DIR/data"
export OMP_THREAD_LIMIT=1
redis-cli -h 127.0.0.1 -p "$(redis_port "$PROFILE")" flushall >/dev/null

log "sohoa bench $*"
"$SOHOA_BIN" bench "$@"
