/** Schema of the gateway's own database: identities and access, transactions, audit, notifications. */
export const gatewayMigrations = [
  `CREATE TABLE agencies (ori TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, state TEXT);
   CREATE TABLE users (
     id TEXT PRIMARY KEY, name TEXT NOT NULL, ori TEXT NOT NULL REFERENCES agencies(ori), role TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE, active BOOLEAN NOT NULL DEFAULT true);
   CREATE TABLE transactions (
     tcn TEXT PRIMARY KEY, tot TEXT NOT NULL, ori TEXT NOT NULL, user_id TEXT NOT NULL, purpose TEXT,
     received_at TEXT NOT NULL, answered_at TEXT, status TEXT NOT NULL, response JSONB);
   CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL);
   INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, 'genesis');
   CREATE TABLE audit_log (
     seq BIGINT PRIMARY KEY, at TEXT NOT NULL, component TEXT NOT NULL, event TEXT NOT NULL, user_id TEXT, ori TEXT,
     purpose TEXT, tcn TEXT, outcome TEXT NOT NULL, record_ids JSONB NOT NULL, field_classes JSONB NOT NULL,
     client TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
   CREATE TABLE identity_links (fbi_number TEXT NOT NULL, fin TEXT NOT NULL, linked_at TEXT NOT NULL, tcn TEXT, PRIMARY KEY (fbi_number, fin));
   CREATE TABLE notifications (
     id SERIAL PRIMARY KEY, kind TEXT NOT NULL, to_ori TEXT NOT NULL, subject_ref TEXT NOT NULL, tcn TEXT NOT NULL,
     payload JSONB NOT NULL, sent_at TEXT NOT NULL, deadline TEXT, ack_at TEXT, UNIQUE (kind, tcn, to_ori))`,
  // Interactive sign-in: password (argon2id), one-time-code secret, lockout, sessions.
  `ALTER TABLE users ADD COLUMN password_hash TEXT;
   ALTER TABLE users ADD COLUMN totp_secret TEXT;
   ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE users ADD COLUMN locked_until TEXT;
   ALTER TABLE users ADD COLUMN last_code_step BIGINT;
   CREATE TABLE sessions (
     token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), created_at TEXT NOT NULL,
     last_seen_at TEXT NOT NULL, revoked BOOLEAN NOT NULL DEFAULT false)`,
  // Alerts are worked: acknowledged, and hit confirmations answered by the agency that holds the warrant.
  `ALTER TABLE notifications ADD COLUMN answer TEXT;
   ALTER TABLE notifications ADD COLUMN answered_by TEXT`,
  // Redress cases (domain brief 5.7).
  `CREATE TABLE redress_cases (
     id SERIAL PRIMARY KEY, subject TEXT NOT NULL, kind TEXT NOT NULL, repository TEXT NOT NULL, description TEXT NOT NULL,
     arrest_tcn TEXT, opened_by TEXT NOT NULL, opened_at TEXT NOT NULL, status TEXT NOT NULL, decided_by TEXT, decided_at TEXT,
     reason TEXT, notified JSONB NOT NULL)`,
  // Retention: audit records past their retention are purged; the chain then starts at this checkpoint.
  `CREATE TABLE audit_checkpoint (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL);
   INSERT INTO audit_checkpoint (id, seq, hash) VALUES (1, 0, 'genesis')`,
  // Other agencies' systems: public keys for signed, short-lived client assertions.
  `CREATE TABLE clients (
     id TEXT PRIMARY KEY, name TEXT NOT NULL, ori TEXT NOT NULL REFERENCES agencies(ori), role TEXT NOT NULL,
     public_jwk JSONB NOT NULL, active BOOLEAN NOT NULL DEFAULT true);
   CREATE TABLE client_token_ids (jti TEXT PRIMARY KEY, client_id TEXT NOT NULL, expires_at TEXT NOT NULL)`,
  // A TCN is claimed before its work runs; the claim names its owner, so a taken-over claim is no longer the old owner's to answer or release.
  `ALTER TABLE transactions ADD COLUMN claim TEXT`,
  // The secondary dissemination log (domain brief 7.1): criminal history passed on outside the original exchange.
  `CREATE TABLE secondary_disseminations (
     id SERIAL PRIMARY KEY, shared_on TEXT NOT NULL, record TEXT NOT NULL, purpose TEXT NOT NULL, requesting_agency TEXT NOT NULL,
     requesting_ori TEXT, recipient TEXT NOT NULL, method TEXT NOT NULL, released_by TEXT NOT NULL, released_by_ori TEXT NOT NULL,
     audit_seq BIGINT NOT NULL)`,
  // Accounts (security review F3, F4, F17): persons sign in and have no API token; API tokens belong to
  // registered systems and expire; an account or a system may wait for a second approver; sign-in failures are
  // counted per (account, client address); an agency says how many sessions a user may hold at once.
  `ALTER TABLE users DROP COLUMN token_hash;
   ALTER TABLE users DROP COLUMN failed_logins;
   ALTER TABLE users DROP COLUMN locked_until;
   ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
   ALTER TABLE users ADD COLUMN created_by TEXT;
   ALTER TABLE users ADD COLUMN approved_by TEXT;
   ALTER TABLE agencies ADD COLUMN max_sessions INTEGER NOT NULL DEFAULT 1;
   ALTER TABLE sessions ADD COLUMN client TEXT;
   ALTER TABLE clients ALTER COLUMN public_jwk DROP NOT NULL;
   ALTER TABLE clients ADD COLUMN token_hash TEXT UNIQUE;
   ALTER TABLE clients ADD COLUMN expires_at TEXT;
   ALTER TABLE clients ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
   ALTER TABLE clients ADD COLUMN created_by TEXT;
   ALTER TABLE clients ADD COLUMN approved_by TEXT;
   CREATE TABLE sign_in_failures (
     user_id TEXT NOT NULL, client TEXT NOT NULL, failures INTEGER NOT NULL, last_failure_ms BIGINT NOT NULL,
     locked_until_ms BIGINT, PRIMARY KEY (user_id, client))`,
  // Typed storage: instants as TIMESTAMPTZ and days as DATE (the conversion fails whole, changing
  // nothing, if a stored value is neither), and CHECKs on enumerations, NOT VALID: rows already
  // stored are kept, every write from now on is checked. The audit log's "at" stays TEXT: the
  // text is what each record's hash covers, and the chain must verify as it was written.
  `ALTER TABLE transactions ALTER COLUMN received_at TYPE TIMESTAMPTZ USING received_at::timestamptz;
   ALTER TABLE transactions ALTER COLUMN answered_at TYPE TIMESTAMPTZ USING answered_at::timestamptz;
   ALTER TABLE identity_links ALTER COLUMN linked_at TYPE TIMESTAMPTZ USING linked_at::timestamptz;
   ALTER TABLE notifications ALTER COLUMN sent_at TYPE TIMESTAMPTZ USING sent_at::timestamptz;
   ALTER TABLE notifications ALTER COLUMN deadline TYPE TIMESTAMPTZ USING deadline::timestamptz;
   ALTER TABLE notifications ALTER COLUMN ack_at TYPE TIMESTAMPTZ USING ack_at::timestamptz;
   ALTER TABLE clients ALTER COLUMN expires_at TYPE TIMESTAMPTZ USING expires_at::timestamptz;
   ALTER TABLE sessions ALTER COLUMN created_at TYPE TIMESTAMPTZ USING created_at::timestamptz;
   ALTER TABLE sessions ALTER COLUMN last_seen_at TYPE TIMESTAMPTZ USING last_seen_at::timestamptz;
   ALTER TABLE redress_cases ALTER COLUMN opened_at TYPE TIMESTAMPTZ USING opened_at::timestamptz;
   ALTER TABLE redress_cases ALTER COLUMN decided_at TYPE TIMESTAMPTZ USING decided_at::timestamptz;
   ALTER TABLE client_token_ids ALTER COLUMN expires_at TYPE TIMESTAMPTZ USING expires_at::timestamptz;
   ALTER TABLE secondary_disseminations ALTER COLUMN shared_on TYPE DATE USING shared_on::date;
   ALTER TABLE transactions ADD CONSTRAINT transactions_status_known CHECK (status IN ('pending', 'answered', 'completed')) NOT VALID;
   ALTER TABLE transactions ADD CONSTRAINT transactions_purpose_known CHECK (purpose IS NULL OR purpose IN ('A', 'C', 'D', 'F', 'H', 'I', 'J', 'R', 'S', 'V', 'X')) NOT VALID;
   ALTER TABLE secondary_disseminations ADD CONSTRAINT secondary_disseminations_purpose_known CHECK (purpose IN ('A', 'C', 'D', 'F', 'H', 'I', 'J', 'R', 'S', 'V', 'X')) NOT VALID;
   ALTER TABLE secondary_disseminations ADD CONSTRAINT secondary_disseminations_date_range CHECK (shared_on >= DATE '1900-01-01') NOT VALID;
   ALTER TABLE secondary_disseminations ADD CONSTRAINT secondary_disseminations_method_known CHECK (method IN ('electronic', 'email', 'fax', 'mail', 'in_person', 'phone')) NOT VALID;
   ALTER TABLE redress_cases ADD CONSTRAINT redress_cases_status_known CHECK (status IN ('open', 'deciding', 'corrected', 'declined')) NOT VALID`,
  // TCNs are unique per originating agency (ORI + TCN, as EBTS intends); a repeat must carry the same request (its digest).
  // Two agencies' transactions under one TCN may both notify ICE: a notification is one per subject too.
  `ALTER TABLE transactions ADD COLUMN digest TEXT;
   ALTER TABLE transactions DROP CONSTRAINT transactions_pkey;
   ALTER TABLE transactions ADD PRIMARY KEY (ori, tcn);
   ALTER TABLE notifications DROP CONSTRAINT notifications_kind_tcn_to_ori_key;
   ALTER TABLE notifications ADD CONSTRAINT notifications_once UNIQUE (kind, tcn, to_ori, subject_ref)`,
  // Shared state, so any number of gateway processes serve from one database: request counts per key and second
  // (UNLOGGED: a count lost in a crash only forgives a minute's requests), blocked client addresses, the leases
  // that let one replica run each scheduled job, and a claim's heartbeat (a claim not renewed is its dead holder's).
  // Sign-in failures keep their times as TIMESTAMPTZ like every other table.
  `CREATE UNLOGGED TABLE rate_counts (key TEXT NOT NULL, second TIMESTAMPTZ NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (key, second));
   CREATE INDEX rate_counts_by_second ON rate_counts (second);
   CREATE UNLOGGED TABLE rate_blocks (key TEXT PRIMARY KEY, until TIMESTAMPTZ NOT NULL);
   CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL, last_run_at TIMESTAMPTZ);
   ALTER TABLE transactions ADD COLUMN claim_renewed_at TIMESTAMPTZ;
   ALTER TABLE sign_in_failures ADD COLUMN last_failure_at TIMESTAMPTZ;
   ALTER TABLE sign_in_failures ADD COLUMN locked_until TIMESTAMPTZ;
   UPDATE sign_in_failures SET last_failure_at = to_timestamp(last_failure_ms / 1000.0), locked_until = to_timestamp(locked_until_ms / 1000.0);
   ALTER TABLE sign_in_failures ALTER COLUMN last_failure_at SET NOT NULL;
   ALTER TABLE sign_in_failures DROP COLUMN last_failure_ms;
   ALTER TABLE sign_in_failures DROP COLUMN locked_until_ms`,
  // One request's rate-limit check, as a function: its plan is kept per connection, so the check costs about one
  // round trip. Keys whose window is full come back, with how long until their oldest second leaves it, and then
  // nothing is counted. (No semicolon ends a line here: migrations are split into statements at those.)
  `CREATE FUNCTION rate_take(keys TEXT[], most INTEGER[]) RETURNS TABLE (reached TEXT, wait_ms FLOAT8) LANGUAGE plpgsql AS $$
   #variable_conflict use_column
   DECLARE now_second TIMESTAMPTZ := date_trunc('second', clock_timestamp()); BEGIN
     RETURN QUERY
       SELECT c.key, (EXTRACT(EPOCH FROM (min(c.second) + interval '60 seconds' - clock_timestamp())) * 1000)::float8
         FROM rate_counts c JOIN unnest(keys, most) AS l(key, most) ON l.key = c.key
        WHERE c.second > now_second - interval '60 seconds'
        GROUP BY c.key, l.most HAVING sum(c.count) >= l.most; IF FOUND THEN RETURN; END IF; INSERT INTO rate_counts AS r (key, second, count)
       SELECT k, now_second, 1 FROM unnest(keys) AS k ON CONFLICT (key, second) DO UPDATE SET count = r.count + 1; END
   $$`,
  // When a lease's holder took it: how long a dead holder's job waited for another (a lease renewed keeps its time).
  `ALTER TABLE leases ADD COLUMN held_since TIMESTAMPTZ`,
];
