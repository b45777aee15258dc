#!/usr/bin/env bash
# app.sh starts and stops `sohoa serve` and `sohoa worker` for one profile, in the background,
# against that profile's services (start them first with scripts/services.sh start PROFILE).
#
#   scripts/app.sh start  PROFILE   start what is not running, wait for GET /healthz -> 200
#   scripts/app.sh stop   [PROFILE] stop by pid; stopping what is stopped is fine
#
# Logs and pid files: .run/PROFILE/{serve,worker}.{log,pid}; data: .run/PROFILE/data.
# HTTP: demo 127.0.0.1:8080, test 127.0.0.1:8081, bench 127.0.0.1:8082, load 127.0.0.1:8083.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The demo keys are printed by make demo; they are for a local demo only.
DEMO_API_KEYS="demo-admin:admin,demo-clerk:clerk,demo-reader:reader,demo-uploader:uploader"

usage() {
	echo "usage: ${0##*/} start PROFILE | stop [PROFILE]  (PROFILE: demo, test, bench, load)" >&2
	exit 2
}

healthz() {
	[[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$1/healthz" 2>/dev/null)" == 200 ]]
}

# launch DIR NAME starts `bin/sohoa NAME` detached from the caller's terminal, with the
# environment already exported by start; the inner shell records its pid before exec.
launch() {
	local dir="$1" name="$2" sum
	sum="$(sha256sum "$SOHOA_BIN" | cut -d' ' -f1)"
	if pid_alive "$dir/$name.pid" "sohoa $name"; then
		# go build rewrites the file every time, so compare contents, not dates.
		if [[ "$(cat "$dir/$name.sum" 2>/dev/null)" == "$sum" ]]; then
			log "$PROFILE: sohoa $name already running (pid $(<"$dir/$name.pid"))"
			return
		fi
		log "$PROFILE: bin/sohoa changed since sohoa $name started; restarting it"
		stop_pid "$dir/$name.pid" "sohoa $name" 45 || true
	fi
	rm -f "$dir/$name.pid"
	echo "$sum" >"$dir/$name.sum"
	printf '\n=== %s start\n' "$(date '+%F %T')" >>"$dir/$name.log"
	# shellcheck disable=SC2016 # $$ and $@ belong to the inner shell.
	setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$dir/$name.pid" \
		"$SOHOA_BIN" "$name" </dev/null >>"$dir/$name.log" 2>&1 &
	log "$PROFILE: sohoa $name started (log $dir/$name.log)"
}

fail_start() {
	local dir="$1"
	log_tail "$dir/serve.log"
	log_tail "$dir/worker.log"
	stop "$PROFILE" >/dev/null 2>&1 || true
	die "$PROFILE: $2"
}

start() {
	local dir addr i
	dir="$(run_dir "$PROFILE")"
	addr="$(http_addr "$PROFILE")"
	[[ -x "$SOHOA_BIN" ]] || die "$SOHOA_BIN missing; run make build"
	[[ -s "$dir/env" ]] || die "$dir/env missing; run scripts/services.sh start $PROFILE first"
	# shellcheck source=/dev/null
	source "$dir/env"
	mkdir -p "$dir/data"
	export SOHOA_DATA_DIR="$dir/data"
	export SOHOA_HTTP_ADDR="$addr"
	export SOHOA_API_KEYS="$DEMO_API_KEYS"
	# libgomp reads this when libtesseract loads; with OpenMP on, parallel OCR is 3-5x slower.
	export OMP_THREAD_LIMIT=1

	launch "$dir" serve
	launch "$dir" worker
	for ((i = 0; i < 600; i++)); do
		if healthz "$addr"; then
			break
		fi
		# Give the launcher shells a moment to write the pid files before judging them.
		if ((i >= 10)); then
			pid_alive "$dir/serve.pid" "sohoa serve" || fail_start "$dir" "sohoa serve exited during start-up"
			pid_alive "$dir/worker.pid" "sohoa worker" || fail_start "$dir" "sohoa worker exited during start-up"
		fi
		sleep 0.1
	done
	healthz "$addr" || fail_start "$dir" "GET http://$addr/healthz did not answer 200 within 60s"
	pid_alive "$dir/worker.pid" "sohoa worker" || fail_start "$dir" "sohoa worker exited during start-up"
	log "$PROFILE: ready at http://$addr/ (serve pid $(<"$dir/serve.pid"), worker pid $(<"$dir/worker.pid"))"
}

stop() {
	local profile="$1" dir name
	dir="$(run_dir "$profile")"
	# serve first, so no new work is accepted while the worker finishes what it holds.
	for name in serve worker; do
		# The worker may be in the middle of a page: asynq waits for handlers before exiting.
		if stop_pid "$dir/$name.pid" "sohoa $name" 45; then
			log "$profile: sohoa $name stopped"
		else
			log "$profile: sohoa $name not running"
		fi
	done
}

action="${1:-}"
PROFILE="${2:-}"
case "$action" in
start)
	profile_check "$PROFILE"
	start
	;;
stop)
	if [[ -n "$PROFILE" ]]; then
		profile_check "$PROFILE"
		stop "$PROFILE"
	else
		for p in demo test bench load; do stop "$p"; done
	fi
	;;
*) usage ;;
esac
