#!/usr/bin/env python3
"""The renewal benchmark's database (bench/renewal/run).

    python3 bench/renewal/gen.py [--n N] [--out FILE] [--migrations DIR]

Creates FILE (default build/bench-renewal/renewal-100k.db; an existing
file is replaced) in the application's schema, as its migrator makes it:
every db/NNN-*.sql in order, each with executescript() in one transaction
with PRAGMA user_version = NNN.  Then, deterministically
(random.Random(20271231)), for N (default 100,000) endorsees of
infancy-onward:

  account      e{i}@bench.example, role applicant, pwhash '!'
  endorsement  one each, IN-2020-{i:06d}: IFS 40 %, IMHS 30 %, IMHM-C
               15 %, ECFS 15 %, since 2018-01-01 to 2027-06-30, active;
               about 5 % also hold ERS (IN-2021-{i:06d}), since that
               date or later
  membership   individual-1, one calendar year each of 2024 to 2027;
               about 8 % miss one of those years
  log_entry    2025 to 2027, each year 3 to 5 training entries and 1 to
               3 rsc_received (about 18 rows per endorsee); data is the
               entry as in endorse-portfolio/1 and the typed columns are
               the same entry (db/005-renewal.sql)

The log is inserted in the order it would have been logged: each year's
entries of all endorsees sorted by their created time, so that one
endorsee's rows are spread over the table as in a real database, not
stored together.  journal_mode=OFF and synchronous=OFF while inserting;
then ANALYZE and journal_mode=WAL.  Progress on stderr; on stdout one
JSON object with the row counts.
"""

import argparse
import datetime
import json
import os
import random
import struct
import re
import sqlite3
import sys
import time

SEED = 20271231
ASSOC = "infancy-onward"
EPOCH = datetime.date(1970, 1, 1)
BATCH = 50000

T0 = time.monotonic()


def say(msg):
    print("gen.py: %6.1f s: %s" % (time.monotonic() - T0, msg),
          file=sys.stderr, flush=True)


def day(y, m, d):
    """Days since 1970-01-01."""
    return (datetime.date(y, m, d) - EPOCH).days


# 'YYYY-MM-DD' of every day number the generator uses.
FIRST_DAY, LAST_DAY = day(2016, 1, 1), day(2028, 12, 31)
ISO = {n: (EPOCH + datetime.timedelta(days=n)).isoformat()
       for n in range(FIRST_DAY, LAST_DAY + 1)}

FIRST = ("Ada Ben Cora Dev Eli Fay Gus Hana Ivo June Kai Lena Milo Nia "
         "Omar Pia Quinn Rosa Sam Tess Uma Vic Wren Xavi Yara Zoe").split()
LAST = ("Abbott Baker Chen Diaz Evans Flores Garcia Hughes Ito Jensen "
        "Khan Lopez Miller Nguyen Owens Patel Quist Reyes Smith Tran "
        "Usman Vega Walker Xu Young Zimmer").split()
TITLES = [
    "Reflective practice in home visiting",
    "Attachment across the first three years",
    "Infant mental health assessment",
    "Trauma-informed care for young children",
    "Perinatal mood disorders and the dyad",
    "Observation of parent-infant interaction",
    "Racial equity in infant mental health",
    "Supporting families through separation",
    "Early relational health",
    "Providing reflective supervision",
    "Cultural humility with families",
    "Regulation and co-regulation in toddlers",
]
OTHER_TAGS = ["attachment", "trauma", "assessment", "perinatal"]
ROLES = ["attended", "provided", "volunteer"]	# ROLE_* order
FORMATS = ["individual", "group", "peer"]	# FMT_* order
FOCI = ["practice", "provision"]		# FOCUS_* order
QUALIFYING = ["IMHM-C", "ECMHM-C", "ERS"]
TOPIC_DEI, TOPIC_RSC_PROVISION = 1, 2


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"))


def rec(kind, start, end, hours, role, bits, providers):
    """The typed record of a log entry (db/005-renewal.sql, log_entry.rec):
    kind, role, bits as bytes, start, end, hours as little-endian int32,
    then the provider codes."""
    return struct.pack("<BBBiii", 0 if kind == "training" else 1, role, bits,
                       start, end, hours) + providers.encode()


def hours_json(h):
    return int(h) if h == int(h) else h


def migrate(db, migrations):
    names = sorted(f for f in os.listdir(migrations)
                   if re.match(r"^[0-9]{3}-.*\.sql$", f))
    if not names:
        sys.exit("gen.py: no NNN-*.sql in %s" % migrations)
    version = 0
    for name in names:
        with open(os.path.join(migrations, name), encoding="utf-8") as f:
            text = f.read()
        version = int(name[:3])
        # As src/db.c migrate(): the script and its version bump in one
        # transaction.
        db.executescript("BEGIN IMMEDIATE;\n%s\n;PRAGMA user_version = %d;\n"
                         "COMMIT;" % (text, version))
    return names, version


def main():
    ap = argparse.ArgumentParser(description="the renewal benchmark's database")
    root = os.path.normpath(os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "..", ".."))
    ap.add_argument("--n", type=int, default=100000, help="endorsees")
    ap.add_argument("--out", default=os.path.join(
        root, "build", "bench-renewal", "renewal-100k.db"))
    ap.add_argument("--migrations", default=os.path.join(root, "db"))
    args = ap.parse_args()
    n = args.n
    if n < 1:
        ap.error("--n must be at least 1")

    out = args.out
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(out + suffix):
            os.remove(out + suffix)

    rng = random.Random(SEED)
    rand, randint = rng.random, rng.randint

    db = sqlite3.connect(out, isolation_level=None)
    names, version = migrate(db, args.migrations)
    say("schema: %s (user_version %d)" % (", ".join(names), version))
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-1000000")	# 1 GB: the index inserts

    # ---- accounts and endorsements
    since_lo, since_hi = day(2018, 1, 1), day(2027, 6, 30)
    accounts, endorsements, ers = [], [], []
    acct_created = [0] * (n + 1)
    for i in range(1, n + 1):
        name = "%s %s" % (FIRST[randint(0, len(FIRST) - 1)],
                          LAST[randint(0, len(LAST) - 1)])
        since = randint(since_lo, since_hi)
        created = (since - randint(60, 720)) * 86400 + randint(0, 86399)
        acct_created[i] = created
        accounts.append((i, "e%d@bench.example" % i, name, "!", "applicant",
                         created))
        r = rand()
        cat = ("IFS" if r < 0.40 else "IMHS" if r < 0.70 else
               "IMHM-C" if r < 0.85 else "ECFS")
        endorsements.append(("IN-2020-%06d" % i, i, ASSOC, cat, ISO[since],
                             "active", name, "", since * 86400 + 43200))
        if rand() < 0.05:
            s = randint(since, since_hi)
            ers.append(("IN-2021-%06d" % i, i, ASSOC, "ERS", ISO[s], "active",
                        name, "", s * 86400 + 43200))
    db.execute("BEGIN")
    db.executemany("INSERT INTO account (id, email, name, pwhash, role, "
                   "created) VALUES (?, ?, ?, ?, ?, ?)", accounts)
    sql = ("INSERT INTO endorsement (number, account, association, category, "
           "since, status, name, city, created) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
    db.executemany(sql, endorsements)
    db.executemany(sql, ers)
    db.execute("COMMIT")
    n_end = len(endorsements) + len(ers)
    say("%d accounts, %d endorsements (%d ERS)" % (n, n_end, len(ers)))
    del accounts, endorsements, ers

    # ---- memberships: one calendar year a row, year after year
    years = [2024, 2025, 2026, 2027]
    gap = {}
    for i in range(1, n + 1):
        if rand() < 0.08:
            gap[i] = years[randint(0, 3)]
    rows = []
    for y in years:
        start, end = "%d-01-01" % y, "%d-12-31" % y
        t = day(y, 1, 1) * 86400
        for i in range(1, n + 1):
            if gap.get(i) != y:
                rows.append((i, ASSOC, "individual-1", start, end,
                             max(t - randint(1, 60 * 86400),
                                 acct_created[i])))
    db.execute("BEGIN")
    db.executemany("INSERT INTO membership (account, association, term, start, "
                   "end, created) VALUES (?, ?, ?, ?, ?, ?)", rows)
    db.execute("COMMIT")
    n_mem = len(rows)
    say("%d memberships (%d endorsees miss a year)" % (n_mem, len(gap)))
    del rows

    # ---- the endorsee log, a year at a time
    sql = ("INSERT INTO log_entry (account, association, kind, data, start, "
           "rec, created) VALUES (?, ?, ?, ?, ?, ?, ?)")
    cap = (day(2027, 12, 31) + 1) * 86400 - 1	# nothing logged after --now
    n_log = n_train = n_rsc = 0
    db.execute("BEGIN")
    for y in (2025, 2026, 2027):
        y0, y1 = day(y, 1, 1), day(y, 12, 31)
        # first day of each month of the year, and of the next January
        month = [day(y, m, 1) for m in range(1, 13)] + [day(y + 1, 1, 1)]
        rows = []
        for i in range(1, n + 1):
            for _ in range(randint(3, 5)):
                d = randint(y0, y1)
                h = randint(2, 16) / 2			# 1 to 8, by 0.5
                r = rand()
                role = 0 if r < 0.70 else 1 if r < 0.90 else 2
                topics, bits = [], 0
                if rand() < 0.15:
                    topics.append("dei")
                    bits |= TOPIC_DEI
                if rand() < 0.15:
                    topics.append("rsc_provision")
                    bits |= TOPIC_RSC_PROVISION
                if rand() < 0.30:
                    topics.append(OTHER_TAGS[randint(0, 3)])
                data = dumps({"title": TITLES[randint(0, len(TITLES) - 1)],
                              "date": ISO[d], "hours": hours_json(h),
                              "topics": topics, "role": ROLES[role]})
                rows.append((min(d * 86400 + randint(0, 14 * 86400), cap), i,
                             "training", data, d, d, round(h * 100), role,
                             bits, ""))
            for _ in range(randint(1, 3)):
                length = randint(1, 6)			# months
                m = randint(0, 12 - length)
                s, e = month[m], month[m + length] - 1
                h = randint(8, 24) / 2			# 4 to 12, by 0.5
                r = rand()
                fmt = 0 if r < 0.60 else 1 if r < 0.95 else 2
                focus = 0 if rand() < 0.70 else 1
                r = rand()
                if r < 0.10:
                    codes = ["IFS"]			# not a qualified provider
                elif r < 0.15:
                    codes = ["IMHS", "ERS"]		# qualified by its ERS
                else:
                    codes = [QUALIFYING[randint(0, 2)]]
                data = dumps({"provider": "%s %s" % (
                                  FIRST[randint(0, len(FIRST) - 1)],
                                  LAST[randint(0, len(LAST) - 1)]),
                              "provider_endorsements": codes,
                              "format": FORMATS[fmt], "start": ISO[s],
                              "end": ISO[e], "hours": hours_json(h),
                              "focus": FOCI[focus]})
                rows.append((min(e * 86400 + randint(0, 21 * 86400), cap), i,
                             "rsc_received", data, s, e, round(h * 100), fmt,
                             focus, " ".join(codes)))
        say("%d: %d log entries generated; sorting by created" % (y, len(rows)))
        rows.sort(key=lambda row: (row[0], row[1]))
        for k in range(0, len(rows), BATCH):
            db.executemany(sql, ((a, ASSOC, kind, data, s,
                                  rec(kind, s, e, h, role, bits, prov), t)
                                 for t, a, kind, data, s, e, h, role, bits,
                                 prov in rows[k:k + BATCH]))
        n_log += len(rows)
        n_train += sum(1 for row in rows if row[2] == "training")
        del rows
        say("%d: inserted (%d log entries so far)" % (y, n_log))
    db.execute("COMMIT")
    n_rsc = n_log - n_train

    say("ANALYZE")
    db.execute("ANALYZE")
    mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
    if mode != "wal":
        sys.exit("gen.py: journal_mode is %s, not wal" % mode)
    db.close()
    if os.path.exists(out + "-wal"):
        sys.exit("gen.py: %s-wal left behind" % out)
    say("%s: %.0f MiB" % (out, os.path.getsize(out) / 1048576))
    print(dumps({"endorsees": n, "endorsements": n_end, "memberships": n_mem,
                 "log_entries": n_log, "training": n_train,
                 "rsc_received": n_rsc, "user_version": version}))


if __name__ == "__main__":
    main()
