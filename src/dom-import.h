/*
 * Importing an association's endorsees from a CSV file (dom-import.c):
 * `endorse import endorsees` (cli-import.c) and the coordinator's import
 * page (page-import.c) read, check and store with the same functions.
 * The CSV (RFC 4180, src/csv.c) has the header
 * number,name,email,category,since,status,city; one problem anywhere
 * imports nothing.
 */
#ifndef DOM_IMPORT_H
#define DOM_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "endorse.h"
#include "domain.h"

struct ruleset;

#define IMPORT_NCOLS	7
extern const char *const import_header[IMPORT_NCOLS];
enum { IC_NUMBER, IC_NAME, IC_EMAIL, IC_CATEGORY, IC_SINCE, IC_STATUS,
	IC_CITY };

struct import_row {
	int			 line;		/* where its record starts */
	char			*f[IMPORT_NCOLS]; /* trimmed; NULL when the
						   record is short */
	enum endorsement_status	 status;
	int64_t			 account;	/* once stored */
	struct buf		 problems;	/* sentences, each ended by
						   "\n" */
};

struct import {
	struct import_row	*rows;
	int			 n;
	int			 bad;		/* rows with problems, and the
						   syntax error */
	const char		*header;	/* the first line is wrong: why */
	const char		*syntax;	/* the reader stopped: why */
	int			 syntax_line;
};

/* Read text (len bytes) and check each row by itself against rs: 0, or
   -1 when the first line is not the header (im->header says why).  No
   database needed. */
int		 import_parse(struct import *, struct arena *,
		    const struct ruleset *, const char *text, size_t len);
#define IMPORT_STORE	0x01	/* store when every row is right */
#define IMPORT_INVITE	0x02	/* mail each account a claim link */
/*
 * In one write transaction: the checks against the registry (a number
 * twice, a number already there) and, with IMPORT_STORE and no problem
 * anywhere, every row with its account, audit row (source names the file)
 * and, with IMPORT_INVITE, one welcome per account.  0 (im->bad says
 * whether anything was stored), or -1 and e (503 busy, 500).
 */
int		 import_run(const struct actor *, struct arena *,
		    const struct ruleset *, struct import *, const char *source,
		    int flags, struct derr *);
void		 import_free(struct import *);

#endif
