#!/usr/bin/env bash
# services.sh starts, stops and reports the Redis, Meilisearch (and, for the test profile,
# PostgreSQL) servers of one profile.
#
#   scripts/services.sh start  PROFILE   start what is not running, wait until it answers
#   scripts/services.sh stop   [PROFILE] stop by pid; stopping what is stopped is fine
#   scripts/services.sh status [PROFILE] print what runs; exit 3 if something is stopped
#
# PROFILE is demo, test, bench or load; each has its own ports and its own state under .run/PROFILE/:
#
#   profile  redis  meilisearch  postgresql
#   demo     6390   7710         -   (SQLite unless SOHOA_DATABASE says otherwise)
#   test     6391   7711         5491
#   bench    6392   7712         -
#   load     6393   7713         -
#
# start also writes .run/PROFILE/env (SOHOA_REDIS_ADDR, SOHOA_MEILI_URL, SOHOA_MEILI_KEY, and
# SOHOA_PG_URL for the test profile) for other scripts to source. Every server listens on
# 127.0.0.1 only; PostgreSQL has no Unix socket and a generated password.
#
# The test profile also runs cmd/s3dev, an S3-protocol server (gofakes3, file backend, data
# under .run/test/s3) on 127.0.0.1:9591 with the bucket sohoa-test, so the S3 blob backend
# is tested over real HTTP; start adds SOHOA_S3_ENDPOINT, SOHOA_S3_BUCKET and the keys to env.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	echo "usage: ${0##*/} start PROFILE | stop [PROFILE] | status [PROFILE]  (PROFILE: demo, test, bench, load)" >&2
	exit 2
}

pg_port() {
	case "$1" in test) echo 5491 ;; *) echo "" ;; esac
}
s3_port() {
	case "$1" in test) echo 9591 ;; *) echo "" ;; esac
}
S3_BUCKET="sohoa-test"
# s3dev checks no signatures; the keys are there so that clients sign requests as they do
# against a real server.
S3_ACCESS_KEY="sohoa-dev"
S3_SECRET_KEY="sohoa-dev-secret"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"

redis_up() { [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == PONG ]]; }
meili_up() { curl -fsS --max-time 2 "http://127.0.0.1:$1/health" >/dev/null 2>&1; }

# secret_file prints the secret kept in file (readable by its owner only), generating it once:
# 16 random bytes in hex. A profile's secrets must not change while its data exists.
secret_file() {
	local file="$1"
	if [[ ! -s "$file" ]]; then
		(
			umask 077
			od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$file.tmp"
		)
		mv "$file.tmp" "$file"
	fi
	cat "$file"
}

# meili_key prints the profile's master key. Meilisearch keeps it across restarts only if it
# is the same, so it must not change while the data dir exists.
meili_key() { secret_file "$1/meili.key"; }

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
		if [[ -n "$(pg_port "$profile")" ]]; then
			echo "export SOHOA_PG_URL=postgres://sohoa:$(pg_password "$dir")@127.0.0.1:$(pg_port "$profile")/sohoa?sslmode=disable" >>"$dir/env.tmp"
		fi
		if [[ -n "$(s3_port "$profile")" ]]; then
			cat >>"$dir/env.tmp" <<-EOF
				export SOHOA_S3_ENDPOINT=http://127.0.0.1:$(s3_port "$profile")
				export SOHOA_S3_BUCKET=$S3_BUCKET
				export SOHOA_S3_ACCESS_KEY=$S3_ACCESS_KEY
				export SOHOA_S3_SECRET_KEY=$S3_SECRET_KEY
			EOF
		fi
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
		if [[ -s "$dir/meili.pid" || i -ge 50 ]] && ! pid_running "$dir/meili.pid"; then
			log_tail "$dir/meili.log"
			die "$profile: meilisearch exited during start-up"
		fi
		sleep 0.1
	done
	log_tail "$dir/meili.log"
	die "$profile: meilisearch did not answer /health on http://127.0.0.1:$port within 60s"
}

pg_password() { secret_file "$1/pg.password"; }

# as_pg runs a PostgreSQL program: initdb and postgres refuse to run as root, so root runs
# them as the postgres user the Debian package creates.
as_pg() {
	if ((EUID == 0)); then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

pg_up() { pg_isready -q -h 127.0.0.1 -p "$1" >/dev/null 2>&1; }

# start_pg starts a private cluster in .run/PROFILE/pg (created on first start, owned by the
# user running the server), listening on 127.0.0.1 only, and stopped by its pid.
start_pg() {
	local profile="$1" dir="$2" port pw i pg_log
	port="$(pg_port "$profile")"
	[[ -n "$port" ]] || return 0
	if pid_alive "$dir/pg.pid" postgres; then
		log "$profile: postgresql already running (pid $(<"$dir/pg.pid"), 127.0.0.1:$port)"
		return
	fi
	if pg_up "$port"; then
		die "$profile: port $port already answers PostgreSQL, but not from our pid file $dir/pg.pid; stop that server first"
	fi
	[[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL server not installed under /usr/lib/postgresql; run scripts/setup.sh"
	pw="$(pg_password "$dir")"
	rm -f "$dir/pg.pid"
	# Run as root, the server runs as postgres, which must reach the data directory and log;
	# a clone under a private home (/root is 0700) is out of its reach, so the cluster then
	# lives under /var/tmp, named after this checkout, with .run/PROFILE/pg linking to it.
	if ((EUID == 0)) && ! runuser -u postgres -- test -x "$dir"; then
		local away
		away="/var/tmp/sohoa-pg-$profile-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
		mkdir -p "$away"
		chown postgres: "$away"
		chmod 700 "$away"
		[[ -L "$dir/pg" ]] || {
			rm -rf "$dir/pg"
			ln -s "$away/data" "$dir/pg"
		}
		pg_log="$away/pg.log"
	else
		pg_log="$dir/pg.log"
	fi
	if [[ ! -s "$dir/pg/PG_VERSION" ]]; then
		local data pwfile
		data="$(readlink -m "$dir/pg")"
		rm -rf "$data"
		mkdir -p "$data"
		chmod 700 "$data"
		((EUID != 0)) || chown postgres: "$data"
		# The password goes in through a file the server user can read, not the command line.
		pwfile="$(dirname "$data")/pg.pwfile"
		(
			umask 077
			printf '%s\n' "$pw" >"$pwfile"
		)
		((EUID != 0)) || chown postgres: "$pwfile"
		if ! as_pg "$PG_BIN/initdb" -D "$data" -U sohoa --pwfile="$pwfile" \
			--auth-host=scram-sha-256 --auth-local=reject -E UTF8 --no-locale >"$pg_log" 2>&1; then
			rm -f "$pwfile"
			log_tail "$pg_log"
			die "$profile: initdb failed"
		fi
		rm -f "$pwfile"
	fi
	touch "$pg_log"
	((EUID != 0)) || chown postgres: "$pg_log"
	# fsync off: a test cluster is thrown away, and fsync would only slow the shared machine.
	if ! as_pg "$PG_BIN/pg_ctl" -D "$(readlink -m "$dir/pg")" -l "$pg_log" -w -t 60 start \
		-o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories= -c fsync=off -c max_connections=200" >/dev/null; then
		log_tail "$pg_log"
		die "$profile: postgresql failed to start on 127.0.0.1:$port"
	fi
	head -1 "$dir/pg/postmaster.pid" >"$dir/pg.pid"
	for ((i = 0; i < 100; i++)); do
		if PGPASSWORD="$pw" psql -q -h 127.0.0.1 -p "$port" -U sohoa -d postgres -tAc \
			"SELECT 1 FROM pg_database WHERE datname = 'sohoa'" 2>/dev/null | grep -q 1 ||
			PGPASSWORD="$pw" psql -q -h 127.0.0.1 -p "$port" -U sohoa -d postgres -c "CREATE DATABASE sohoa" >/dev/null 2>&1; then
			log "$profile: postgresql ready (pid $(<"$dir/pg.pid"), 127.0.0.1:$port)"
			return
		fi
		sleep 0.1
	done
	log_tail "$pg_log"
	die "$profile: postgresql did not accept connections on 127.0.0.1:$port within 10s"
}

s3_up() { curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$1/$S3_BUCKET?max-keys=1" 2>/dev/null; }

# start_s3 builds cmd/s3dev into bin/ (a no-op when nothing changed) and starts it with the
# profile's bucket, detached like Meilisearch and stopped by its pid.
start_s3() {
	local profile="$1" dir="$2" port i
	port="$(s3_port "$profile")"
	[[ -n "$port" ]] || return 0
	if pid_alive "$dir/s3.pid" s3dev; then
		log "$profile: s3dev already running (pid $(<"$dir/s3.pid"), http://127.0.0.1:$port)"
		return
	fi
	if s3_up "$port"; then
		die "$profile: port $port already answers S3, but not from our pid file $dir/s3.pid; stop that server first"
	fi
	go build -o "$ROOT/bin/s3dev" ./cmd/s3dev || die "building cmd/s3dev failed"
	mkdir -p "$dir/s3"
	rm -f "$dir/s3.pid"
	# shellcheck disable=SC2016 # $$ and $@ belong to the inner shell.
	setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$dir/s3.pid" \
		"$ROOT/bin/s3dev" -addr "127.0.0.1:$port" -dir "$dir/s3" -bucket "$S3_BUCKET" \
		</dev/null >>"$dir/s3.log" 2>&1 &
	for ((i = 0; i < 100; i++)); do
		if s3_up "$port"; then
			log "$profile: s3dev ready (pid $(cat "$dir/s3.pid" 2>/dev/null || echo '?'), http://127.0.0.1:$port, bucket $S3_BUCKET)"
			return
		fi
		if [[ -s "$dir/s3.pid" || i -ge 50 ]] && ! pid_running "$dir/s3.pid"; then
			log_tail "$dir/s3.log"
			die "$profile: s3dev exited during start-up"
		fi
		sleep 0.1
	done
	log_tail "$dir/s3.log"
	die "$profile: s3dev did not answer on http://127.0.0.1:$port within 10s"
}

# stop_pg asks for a fast shutdown (SIGINT: sessions are ended, not waited for).
stop_pg() {
	local dir="$1" pid i
	pid_alive "$dir/pg.pid" postgres || {
		rm -f "$dir/pg.pid"
		return 1
	}
	pid="$(<"$dir/pg.pid")"
	kill -INT "$pid" 2>/dev/null || true
	for ((i = 0; i < 200; i++)); do
		kill -0 "$pid" 2>/dev/null || {
			rm -f "$dir/pg.pid"
			return 0
		}
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	rm -f "$dir/pg.pid"
}

start() {
	local profile="$1" dir key
	dir="$(run_dir "$profile")"
	mkdir -p "$dir"
	key="$(meili_key "$dir")"
	write_env "$profile" "$dir" "$key"
	start_redis "$profile" "$dir"
	start_meili "$profile" "$dir" "$key"
	start_pg "$profile" "$dir"
	start_s3 "$profile" "$dir"
}

stop() {
	local profile="$1" dir
	dir="$(run_dir "$profile")"
	if [[ -n "$(s3_port "$profile")" ]]; then
		if stop_pid "$dir/s3.pid" s3dev 10; then
			log "$profile: s3dev stopped"
		else
			log "$profile: s3dev not running"
		fi
	fi
	if [[ -n "$(pg_port "$profile")" ]]; then
		if stop_pg "$dir"; then
			log "$profile: postgresql stopped"
		else
			log "$profile: postgresql not running"
		fi
	fi
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
	if [[ -n "$(pg_port "$profile")" ]]; then
		if pid_alive "$dir/pg.pid" postgres; then
			printf '%-6s postgresql   running  pid %-8s 127.0.0.1:%s\n' "$profile" "$(<"$dir/pg.pid")" "$(pg_port "$profile")"
		else
			printf '%-6s postgresql   stopped\n' "$profile"
			rc=3
		fi
	fi
	if [[ -n "$(s3_port "$profile")" ]]; then
		if pid_alive "$dir/s3.pid" s3dev; then
			printf '%-6s s3dev        running  pid %-8s http://127.0.0.1:%s\n' "$profile" "$(<"$dir/s3.pid")" "$(s3_port "$profile")"
		else
			printf '%-6s s3dev        stopped\n' "$profile"
			rc=3
		fi
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
		profiles=(demo test bench load)
	fi
	rc=0
	for p in "${profiles[@]}"; do
		"$action" "$p" || rc=$?
	done
	exit "$rc"
	;;
*) usage ;;
esac
