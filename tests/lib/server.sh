# The shell side of a suite with its own `endorse serve`, sourced by
# tests/http/run, tests/mail/run, tests/hostile/run and tests/e2e/run (the
# other suites start their servers from Node: tests/lib/server.mjs).
#
#   suite_init SUITE "$@"   the script's arguments checked (one executable,
#                           the endorse binary): E (its absolute path),
#                           ROOT (the source tree, also the working
#                           directory), T (a new temporary directory,
#                           removed on exit with the server killed, and
#                           whatever cleanup_hook, if defined, does first)
#   server_start [OPTION...]  `$E serve` on a fresh database $T/endorse.db,
#                           127.0.0.1 and a free port ($port), the tree's
#                           rules, templates and static files, with the
#                           options given; stdout to $T/server.out, stderr
#                           to $T/server.err; waits up to 30 s for
#                           "endorse: serving" and retries on another port
#                           when the port was taken meanwhile (suites run
#                           side by side).  Sets pid; exports the HTTP_*
#                           variables of tests/lib/client.mjs.  Returns 1
#                           if the server did not start.
#   server_stop             SIGTERM, then up to 30 s for the exit: sets
#                           server_rc to its exit status, or to "" when it
#                           did not stop (it is killed)
#   server_stop_check EXITS CLEAN  stop, and report: "not ok - EXITS" on a
#                           non-zero exit, "not ok - CLEAN" on a sanitizer
#                           report in its stderr, else "ok - CLEAN";
#                           returns 1 on a problem
#   server_sanitized        true if $T/server.err holds a sanitizer report
#   server_stderr           "#" lines: the sanitizer reports in the
#                           server's stderr, else its last lines
#   run_client LOG COMMAND...  run a test client, its output to LOG, then
#                           to stdout; client_rc its exit status; returns 1
#                           if LOG has a "not ok" line
#   client_check            after run_client: a client that exited
#                           non-zero without a "not ok" line is one
#                           ("test client finished"); returns 1 on either
#
# It also sources tests/lib/tap.sh (ok, notok).

TESTS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$TESTS_LIB/tap.sh"

SANITIZER_RE='ERROR: (Address|Leak)Sanitizer|runtime error:'
pid=
port=
server_rc=
client_rc=
client_log=

suite_init() {
	SUITE=$1
	shift
	if [ $# -ne 1 ] || [ ! -x "$1" ]; then
		echo "usage: tests/$SUITE/run ENDORSE_BINARY" >&2
		exit 2
	fi
	E=$(realpath "$1")
	cd "$TESTS_LIB/../.." || exit 2
	ROOT=$(pwd)
	T=$(mktemp -d)
	trap suite_cleanup EXIT
}

server_kill() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	pid=
}

suite_cleanup() {
	server_kill
	if declare -F cleanup_hook >/dev/null; then
		cleanup_hook
	fi
	rm -rf "$T"
}

free_port() {
	node "$TESTS_LIB/port.mjs"
}

server_start() {
	local attempt started=0
	for attempt in 1 2 3; do
		port=$(free_port)
		: >"$T/server.out"
		: >"$T/server.err"
		"$E" serve "$@" --db "$T/endorse.db" --listen "127.0.0.1:$port" \
		    --share "$ROOT" --rules "$ROOT/rules" \
		    >"$T/server.out" 2>"$T/server.err" &
		pid=$!
		for _ in $(seq 1 300); do
			if grep -q '^endorse: serving' "$T/server.out"; then
				started=1
				break
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		[ "$started" -eq 1 ] && break
		server_kill
		grep -q 'cannot listen' "$T/server.err" || break
	done
	[ "$started" -eq 1 ] || return 1
	export HTTP_BASE="http://127.0.0.1:$port" HTTP_DB="$T/endorse.db" \
	    HTTP_BIN="$E" HTTP_ROOT="$ROOT" HTTP_TMP="$T" \
	    HTTP_SERVER_OUT="$T/server.out"
}

server_stop() {
	server_rc=
	kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 1 300); do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid"
			server_rc=$?
			pid=
			return 0
		fi
		sleep 0.1
	done
	server_kill
	return 1
}

server_sanitized() {
	grep -qE "$SANITIZER_RE" "$T/server.err"
}

server_stderr() {
	if server_sanitized; then
		echo "#   server stderr (sanitizer reports, first frames of each):"
		grep -E -A7 'ERROR: |runtime error:|^Direct leak' "$T/server.err" |
		    head -n 150 | sed 's/^/#     /'
		grep -E '^SUMMARY: ' "$T/server.err" | sed 's/^/#     /'
	elif [ -s "$T/server.err" ]; then
		echo "#   server stderr (last 60 lines):"
		tail -n 60 "$T/server.err" | sed 's/^/#     /'
	else
		echo "#   server stderr: (empty)"
	fi
}

server_stop_check() {
	local exits=$1 clean=$2
	if ! server_stop; then
		notok "server stops on SIGTERM" "still running after 30 s; killed"
		server_stderr
		return 1
	fi
	if [ "$server_rc" -ne 0 ]; then
		notok "$exits" "exit status $server_rc"
		server_stderr
		return 1
	elif grep -qE "$SANITIZER_RE|SUMMARY: " "$T/server.err"; then
		notok "$clean"
		server_stderr
		return 1
	fi
	ok "$clean"
}

run_client() {
	client_log=$1
	shift
	"$@" >"$client_log" 2>&1
	client_rc=$?
	cat "$client_log"
	! grep -q '^not ok' "$client_log"
}

client_check() {
	if grep -q '^not ok' "$client_log"; then
		return 1
	fi
	if [ "$client_rc" -ne 0 ]; then
		notok "test client finished (exit $client_rc)"
		return 1
	fi
	return 0
}
