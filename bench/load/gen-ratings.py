#!/usr/bin/env python3
"""The rating requests of `bench/run load`: COUNT open requests (status
'sent', the link valid for 30 days) spread over the bulk vaimh
applications, one rater each, with tokens this script knows.  As the server
does (auth_hash_token in src/auth.c: libsodium's crypto_generichash, i.e.
BLAKE2b with a 32-byte digest, of the 64 hex characters), only the hash of
each token is stored; the tokens themselves go to TOKENS, one a line, in
the order of the rows.  Deterministic (a token is a digest of its number).

usage: gen-ratings.py DB COUNT TOKENS NOW
"""
import hashlib
import sqlite3
import sys


def main():
    db, count, tokens_out, now = sys.argv[1], int(sys.argv[2]), \
        sys.argv[3], int(sys.argv[4])
    con = sqlite3.connect(db)
    con.execute("PRAGMA synchronous = OFF")
    apps = [r[0] for r in con.execute(
        "SELECT p.id FROM application p JOIN account a ON a.id = p.account"
        " WHERE a.email LIKE 'applicant%@bench.example'"
        " AND p.association = 'vaimh' ORDER BY p.id")]
    if not apps:
        sys.exit("gen-ratings.py: no bulk vaimh applications")
    rows = []
    with open(tokens_out, "w") as out:
        for k in range(count):
            tok = hashlib.sha256(b"bench-load-rating-%d" % k).hexdigest()
            h = hashlib.blake2b(tok.encode(), digest_size=32).hexdigest()
            out.write(tok + "\n")
            rows.append((apps[k % len(apps)], "rater%06d@bench.example" % k,
                         "Rater %d" % k, "supervisor", h, now + 30 * 86400,
                         now - 86400))
    with con:
        con.executemany(
            "INSERT INTO rating (application, email, name, relationship,"
            " hash, status, expires, sent) VALUES (?, ?, ?, ?, ?, 'sent',"
            " ?, ?)", rows)
    con.close()


main()
