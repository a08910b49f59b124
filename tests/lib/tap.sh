# TAP-like lines of the shell suites, sourced by tests/*/run:
#   ok NAME                 ok - SUITE: NAME
#   notok NAME [DETAIL...]  not ok - SUITE: NAME, then "#   DETAIL" lines
# SUITE is the word after "ok - " (cli, golden, http, ...), set by the
# script before the first line.

ok() { echo "ok - $SUITE: $1"; }
notok() {
	echo "not ok - $SUITE: $1"
	shift
	for l in "$@"; do echo "#   $l"; done
}
