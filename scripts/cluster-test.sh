#!/usr/bin/env bash
# cluster-test.sh is `make cluster-test` (run by .ci/run after make test): TestCluster in
# cmd/sohoa, sohoa on three network namespaces (services; host A: serve + worker; host B:
# worker) on 198.18.0.0/24. Three batches of SOHOA_CLUSTER_PAGES (40) generated pages go
# through the API: with one worker namespace, with two (pages/min of each printed), and one
# during which host B's worker is killed with SIGKILL. It checks every page stored once and
# every document indexed once, and that no namespace is left behind.
#
# Needs root (network namespaces). Starts the test profile's services (the test uses its
# Meilisearch; Redis, PostgreSQL and the S3 server run inside the namespaces) unless they
# already run, and stops what it started however the run ends. Built without -race: the
# rates are meant to measure sohoa, not the race detector. Extra arguments go to go test.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROFILE="test"
DIR="$(run_dir "$PROFILE")"
start=$SECONDS

scripts/setup.sh

started=0
scripts/services.sh status "$PROFILE" >/dev/null 2>&1 || started=1
cleanup() {
	if ((started)); then
		scripts/services.sh stop "$PROFILE" || true
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
scripts/services.sh start "$PROFILE"

# shellcheck disable=SC2016 # the variables belong to the inner shell.
mapfile -t svc < <(bash -c 'source "$1" && printf "%s\n" "$SOHOA_MEILI_URL" "$SOHOA_MEILI_KEY"' _ "$DIR/env")
((${#svc[@]} == 2)) || die "reading $DIR/env failed"
export SOHOA_REQUIRE_SERVICES=1
export SOHOA_TEST_MEILI_URL="${svc[0]}"
export SOHOA_TEST_MEILI_KEY="${svc[1]}"
export OMP_THREAD_LIMIT=1

log_file="$DIR/cluster-test.log"
log "go test -count=1 -timeout 60m -run '^TestCluster\$' -v ./cmd/sohoa $* (log: ${log_file#"$ROOT"/})"
rc=0
go test -count=1 -timeout 60m -run '^TestCluster$' -v "$@" ./cmd/sohoa >"$log_file" 2>&1 || rc=$?
grep -E '^(cluster-test:|--- |(ok|FAIL)[[:space:]])' "$log_file" || true
((rc == 0)) || tail -n 80 "$log_file"

# The test removes its namespaces in t.Cleanup; check that it did, whatever it reported. Only
# the ones it logged: a make test running beside it has namespaces of its own.
left=()
for ns in $(sed -n 's/.*: namespaces \(sohoa-.*\)$/\1/p' "$log_file"); do
	if ip netns list | grep -q "^$ns\b"; then
		left+=("$ns")
	fi
done
if ((${#left[@]} > 0)); then
	log "namespaces left behind: ${left[*]}"
	rc=1
fi
verdict="PASS"
((rc == 0)) || verdict="FAIL"
echo "make cluster-test: $verdict; $(elapsed $((SECONDS - start))) (log: ${log_file#"$ROOT"/})"
exit "$rc"
