#!/usr/bin/env bash
# test.sh is `make test` and CI: install what is missing, start the test profile's Redis,
# Meilisearch, PostgreSQL and S3 server (cmd/s3dev), run go vet and the whole test suite against them with SOHOA_REQUIRE_SERVICES=1
# (so no integration test may skip), stop the services again however the run ends, and exit
# with go test's status (or 1 if only go vet failed). Extra arguments go to go test, e.g.
# `scripts/test.sh -run TestOCR`.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROFILE="test"
DIR="$(run_dir "$PROFILE")"
start=$SECONDS

scripts/setup.sh

# Stop the services whatever happens from here on: success, failure, Ctrl-C or CI cancelling.
# INT/TERM are turned into an exit so that the EXIT trap runs.
trap 'scripts/services.sh stop "$PROFILE" || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

scripts/services.sh start "$PROFILE"

# Read the profile's addresses without exporting SOHOA_REDIS_ADDR & co. into the tests: tests
# get only the SOHOA_TEST_* names, so none of them picks up a service by accident.
# shellcheck disable=SC2016 # the variables belong to the inner shell.
mapfile -t svc < <(bash -c 'source "$1" && printf "%s\n" "$SOHOA_REDIS_ADDR" "$SOHOA_MEILI_URL" "$SOHOA_MEILI_KEY" "$SOHOA_PG_URL" \
	"$SOHOA_S3_ENDPOINT/$SOHOA_S3_BUCKET" "$SOHOA_S3_ACCESS_KEY" "$SOHOA_S3_SECRET_KEY"' _ "$DIR/env")
((${#svc[@]} == 7)) || die "reading $DIR/env failed"
export SOHOA_REQUIRE_SERVICES=1
export SOHOA_TEST_REDIS_ADDR="${svc[0]}"
export SOHOA_TEST_MEILI_URL="${svc[1]}"
export SOHOA_TEST_MEILI_KEY="${svc[2]}"
export SOHOA_TEST_DATABASE_URL="${svc[3]}"
export SOHOA_TEST_S3_URL="${svc[4]}" # http://host:port/bucket (cmd/s3dev)
export SOHOA_TEST_S3_ACCESS_KEY="${svc[5]}"
export SOHOA_TEST_S3_SECRET_KEY="${svc[6]}"
export OMP_THREAD_LIMIT=1

# Every run starts from an empty queue (store tests make their own PostgreSQL schemas).
redis-cli -h 127.0.0.1 -p "$(redis_port "$PROFILE")" flushall >/dev/null

log "go vet ./..."
vet_rc=0
go vet ./... || vet_rc=$?

# TestCluster (three 40-page batches in network namespaces, timed) is make cluster-test's,
# run by .ci/run after this; the short TestNetworkNamespaces stays here.
log "go test -race -count=1 -timeout 45m -skip '^TestCluster\$' ./... $*"
test_log="$DIR/go-test.log"
test_rc=0
go test -race -count=1 -timeout 45m -skip '^TestCluster$' "$@" ./... 2>&1 | tee "$test_log" || test_rc=${PIPESTATUS[0]}

# Fuzzing, briefly, after the tests: each target of the file decoders and guards (scan), the
# field normalisers (extract), the dossier code parser (record) and the ID masking (pii)
# runs for a fixed time on top of its committed corpus (testdata/fuzz/Fuzz*/, which the
# go test run above already replays). A crash is written there as a new corpus file: commit
# it with the fix, and it stays a regular test. Left out when only some tests were asked
# for (extra arguments).
fuzz_targets=(scan:FuzzPages scan:FuzzUnzip scan:FuzzHeaderMeta extract:FuzzNormalise record:FuzzParseDossierID pii:FuzzMaskText)
fuzz_time=10s
fuzz_log="$DIR/go-fuzz.log"
fuzz_failed=()
: >"$fuzz_log"
if (($# == 0)); then
	for target in "${fuzz_targets[@]}"; do
		pkg="./${target%%:*}" name="${target#*:}"
		log "go test -run '^\$' -fuzz '^$name\$' -fuzztime $fuzz_time $pkg"
		if ! go test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzz_time" "$pkg" >>"$fuzz_log" 2>&1; then
			fuzz_failed+=("$name")
			log "fuzz $name FAILED: the failing input is under ${pkg#./}/testdata/fuzz/$name/ (log: ${fuzz_log#"$ROOT"/})"
		fi
	done
fi

passed="$(grep -c '^ok ' "$test_log" || true)"
failed="$(grep -c '^FAIL[[:space:]]' "$test_log" || true)"
notests="$(grep -c '^?[[:space:]]' "$test_log" || true)"
vet_word="ok"
((vet_rc == 0)) || vet_word="FAILED"
fuzz_word="not run (tests selected)"
if (($# == 0)); then
	fuzz_word="${#fuzz_targets[@]} targets ok"
	((${#fuzz_failed[@]} == 0)) || fuzz_word="FAILED: ${fuzz_failed[*]}"
fi
rc=$test_rc
((rc != 0 || vet_rc == 0)) || rc=1
((rc != 0 || ${#fuzz_failed[@]} == 0)) || rc=1
verdict="PASS"
((rc == 0)) || verdict="FAIL"
echo "make test: $verdict: $passed packages ok, $failed failed, $notests without tests; go vet $vet_word; fuzz $fuzz_word ($fuzz_time each); $(elapsed $((SECONDS - start))) (log: ${test_log#"$ROOT"/})"
exit "$rc"
