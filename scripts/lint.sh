#!/usr/bin/env bash
# lint.sh checks formatting and static analysis without changing any file.
#
#   scripts/lint.sh fmt    gofmt -l: fail if a Go file is not gofmt-formatted
#   scripts/lint.sh vet    go vet ./...
#   scripts/lint.sh        both, plus shellcheck on scripts/ and .ci/run when it is installed
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_fmt() {
	local files f
	# Hidden directories (.tools, .run, .git) and testdata hold no code of ours.
	files="$(find . -name '*.go' -not -path './.*' -not -path '*/testdata/*' -print0 | xargs -0 -r gofmt -l)"
	if [[ -n "$files" ]]; then
		log "not gofmt-formatted (run gofmt -w on them):"
		while IFS= read -r f; do printf '    %s\n' "$f" >&2; done <<<"$files"
		return 1
	fi
	log "gofmt: ok"
}

check_vet() {
	go vet ./... || return 1
	log "go vet: ok"
}

check_shell() {
	if ! command -v shellcheck >/dev/null 2>&1; then
		log "shellcheck not installed (apt-get install shellcheck); skipped"
		return 0
	fi
	shellcheck -x scripts/*.sh .ci/run || return 1
	log "shellcheck: ok"
}

case "${1:-all}" in
fmt) check_fmt ;;
vet) check_vet ;;
all)
	rc=0
	check_fmt || rc=1
	check_vet || rc=1
	check_shell || rc=1
	exit "$rc"
	;;
*)
	echo "usage: ${0##*/} [fmt|vet|all]" >&2
	exit 2
	;;
esac
