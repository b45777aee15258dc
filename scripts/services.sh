#!/usr/bin/env bash
# services.sh starts, stops and reports the Redis and Meilisearch servers of one profile.
#
#   scripts/services.sh start  PROFILE   start what is not running, wait until it answers
#   scripts/services.sh stop   [PROFILE] stop by pid; stopping what is stopped is fine
#   scripts/services.sh status [PROFILE] print what runs; exit 3 if something is stopped
#
# PROFILE is demo, test or bench; each has its own ports and its own state under .run/PROFILE/:
#
#   profile  redis  meilisearch
#   demo     6390   7710
#   test     6391   7711
#   bench    6392   7712
#
# start also writes .run/PROFILE/env (SOHOA_REDIS_ADDR, SOHOA_MEILI_URL, SOHOA_MEILI_KEY) for
# other scripts to source. Both servers listen on 127.0.0.1 only.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	echo "usage: ${0##*/} start PROFILE | stop [PROFILE] | status [PROFILE]  (PROFILE: demo, test, bench)" >&2
	exit 2
}

redis_up() { [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == PONG ]]; }
meili_up() { curl -fsS --max-time 2 "http://127.0.0.1:$1/health" >/dev/null 2>&1; }

# meili_key prints the profile's master key, generating it once. Meilisearch keeps it across
# restarts only if it is the same, so it must not change while the data dir exists.
meili_key() {
	local file="$1/meili.key"
	if [[ ! -s "$file" ]]; then
		(
			umask 077
			od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$file.tmp"
		)
		mv "$file.tmp" "$file"
	fi
	cat "$file"
}

write_env() {
	local profile="$1" dir="$2" key="$3"
	(
		umask 077
		cat >"$dir/env.tmp" <<-EOF
			# Written by scripts/services.sh for the $profile profile; source it.
			export SOHOA_REDIS_ADDR=127.0.0.1:$(redis_port "$profile")
			export SOHOA_MEILI_URL=http://127.0.0.1:$(meili_port "$profile")
			export SOHOA_MEILI_KEY=$key
		EOF
	)
	mv "$dir/env.tmp" "$dir/env"
}

start_redis() {
	local profile="$1" dir="$2" port i
	port="$(redis_port "$profile")"
	if pid_alive "$dir/redis.pid" redis-server; then
		log "$profile: redis already running (pid $(<"$dir/redis.pid"), 127.0.0.1:$port)"
		return
	fi
	if redis_up "$port"; then
		die "$profile: port $port already answers Redis, but not from our pid file $dir/redis.pid; stop that server first"
	fi
	command -v redis-server >/dev/null 2>&1 || die "redis-server not installed; run scripts/setup.sh"
	mkdir -p "$dir/redis"
	rm -f "$dir/redis.pid"
	# AOF on and noeviction: asynq loses or strands tasks when Redis drops keys (libraries.md §5).
	if ! redis-server --port "$port" --bind 127.0.0.1 --dir "$dir/redis" \
		--appendonly yes --maxmemory-policy noeviction \
		--daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"; then
		log_tail "$dir/redis.log"
		die "$profile: redis-server failed to start on 127.0.0.1:$port"
	fi
	for ((i = 0; i < 100; i++)); do
		if redis_up "$port"; then
			log "$profile: redis ready (pid $(cat "$dir/redis.pid" 2>/dev/null || echo '?'), 127.0.0.1:$port)"
			return
		fi
		sleep 0.1
	done
	log_tail "$dir/redis.log"
	die "$profile: redis did not answer PING on 127.0.0.1:$port within 10s"
}

start_meili() {
	local profile="$1" dir="$2" key="$3" port pid i
	port="$(meili_port "$profile")"
	if pid_alive "$dir/meili.pid" meilisearch; then
		log "$profile: meilisearch already running (pid $(<"$dir/meili.pid"), http://127.0.0.1:$port)"
		return
	fi
	if meili_up "$port"; then
		die "$profile: port $port already answers Meilisearch, but not from our pid file $dir/meili.pid; stop that server first"
	fi
	[[ -x "$MEILI_BIN" ]] || die "meilisearch not installed at $MEILI_BIN; run scripts/setup.sh"
	mkdir -p "$dir/meili"
	rm -f "$dir/meili.pid"
	printf '\n=== %s start\n' "$(date '+%F %T')" >>"$dir/meili.log"
	# The master key goes in through MEILI_MASTER_KEY (the documented equivalent of --master-key)
	# so that it does not show in ps. setsid detaches the server from the caller's terminal and
	# signals; the inner shell writes its own pid, which exec hands to meilisearch.
	# Indexing is capped to one thread and 512 MB: CI and the demo box have 2 cores, and
	# Meilisearch otherwise takes most of the memory (libraries.md §6).
	# shellcheck disable=SC2016 # $$ and $@ belong to the inner shell.
	MEILI_MASTER_KEY="$key" setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$dir/meili.pid" \
		"$MEILI_BIN" --http-addr "127.0.0.1:$port" \
		--db-path "$dir/meili/data.ms" --dump-dir "$dir/meili/dumps" --snapshot-dir "$dir/meili/snapshots" \
		--no-analytics --env development \
		--max-indexing-threads 1 --max-indexing-memory 512Mb \
		</dev/null >>"$dir/meili.log" 2>&1 &
	for ((i = 0; i < 600; i++)); do
		if meili_up "$port"; then
			log "$profile: meilisearch ready (pid $(cat "$dir/meili.pid" 2>/dev/null || echo '?'), http://127.0.0.1:$port)"
			return
		fi
		# The pid file appears once the launcher shell has run; give it 5s.
		if [[ -s "$dir/meili.pid" || i -ge 50 ]] && ! pid_alive "$dir/meili.pid" meilisearch; then
			log_tail "$dir/meili.log"
			die "$profile: meilisearch exited during start-up"
		fi
		sleep 0.1
	done
	log_tail "$dir/meili.log"
	die "$profile: meilisearch did not answer /health on http://127.0.0.1:$port within 60s"
}

start() {
	local profile="$1" dir key
	dir="$(run_dir "$profile")"
	mkdir -p "$dir"
	key="$(meili_key "$dir")"
	write_env "$profile" "$dir" "$key"
	start_redis "$profile" "$dir"
	start_meili "$profile" "$dir" "$key"
}

stop() {
	local profile="$1" dir
	dir="$(run_dir "$profile")"
	if stop_pid "$dir/meili.pid" meilisearch 20; then
		log "$profile: meilisearch stopped"
	else
		log "$profile: meilisearch not running"
	fi
	# SIGTERM makes Redis flush the AOF and exit cleanly.
	if stop_pid "$dir/redis.pid" redis-server 20; then
		log "$profile: redis stopped"
	else
		log "$profile: redis not running"
	fi
}

# status prints one line per server and returns 3 if any of them is not running.
status() {
	local profile="$1" dir rc=0
	dir="$(run_dir "$profile")"
	if pid_alive "$dir/redis.pid" redis-server; then
		printf '%-6s redis        running  pid %-8s 127.0.0.1:%s\n' "$profile" "$(<"$dir/redis.pid")" "$(redis_port "$profile")"
	else
		printf '%-6s redis        stopped\n' "$profile"
		rc=3
	fi
	if pid_alive "$dir/meili.pid" meilisearch; then
		printf '%-6s meilisearch  running  pid %-8s http://127.0.0.1:%s\n' "$profile" "$(<"$dir/meili.pid")" "$(meili_port "$profile")"
	else
		printf '%-6s meilisearch  stopped\n' "$profile"
		rc=3
	fi
	return "$rc"
}

action="${1:-}"
profile="${2:-}"
case "$action" in
start)
	profile_check "$profile"
	start "$profile"
	;;
stop | status)
	if [[ -n "$profile" ]]; then
		profile_check "$profile"
		profiles=("$profile")
	else
		profiles=(demo test bench)
	fi
	rc=0
	for p in "${profiles[@]}"; do
		"$action" "$p" || rc=$?
	done
	exit "$rc"
	;;
*) usage ;;
esac
