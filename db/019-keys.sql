-- The signing keys of the credentials (issue 19, src/vc.c): one Ed25519
-- key pair per association, made when the server or a command first finds
-- an association with none, and a new one on `endorse keys rotate`.  The
-- newest key not retired signs; every key stays published (JWKS, did.json)
-- so that a credential signed before a rotation still verifies.  secret is
-- libsodium's 64-byte secret key: it lives in this database, and a backup
-- of the database is a copy of it (docs/operations.md).
CREATE TABLE vc_key (
	id		INTEGER PRIMARY KEY,
	association	TEXT NOT NULL,
	kid		TEXT NOT NULL UNIQUE,	-- after the DID's '#'
	public		BLOB NOT NULL CHECK (length(public) = 32),
	secret		BLOB NOT NULL CHECK (length(secret) = 64),
	created		INTEGER NOT NULL,
	retired		INTEGER			-- unix time; NULL: signs
);
CREATE INDEX vc_key_association ON vc_key (association, id);
