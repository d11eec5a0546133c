/** Schema of the immigration repository's own database. */
export const immigrationMigrations = [
  `CREATE SEQUENCE fin_sequence START 100000001;
   CREATE TABLE subjects (fin TEXT PRIMARY KEY, a_number TEXT, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
   CREATE TABLE identities (
     id SERIAL PRIMARY KEY, fin TEXT NOT NULL REFERENCES subjects(fin), family TEXT NOT NULL, given TEXT NOT NULL,
     dob TEXT NOT NULL, sex TEXT, nationality TEXT, document_type TEXT, document_number TEXT, issuing_country TEXT,
     source_tcn TEXT, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
   CREATE TABLE samples (
     id SERIAL PRIMARY KEY, fin TEXT NOT NULL REFERENCES subjects(fin), position INTEGER NOT NULL, template BYTEA NOT NULL,
     quality INTEGER NOT NULL, tcn TEXT NOT NULL, captured_at TIMESTAMPTZ NOT NULL DEFAULT now());
   CREATE TABLE encounters (
     id SERIAL PRIMARY KEY, tcn TEXT NOT NULL UNIQUE, fin TEXT REFERENCES subjects(fin), type TEXT NOT NULL, place TEXT,
     at TIMESTAMPTZ NOT NULL DEFAULT now(), inspection_date TEXT NOT NULL, officer TEXT, ori TEXT, admission_class TEXT,
     decision TEXT NOT NULL, exemption TEXT, admitted_until TEXT, response JSONB NOT NULL);
   CREATE TABLE flags (
     id SERIAL PRIMARY KEY, fin TEXT NOT NULL REFERENCES subjects(fin), kind TEXT NOT NULL, since TEXT NOT NULL, source_ref TEXT, detail JSONB);
   CREATE TABLE protected_records (
     id SERIAL PRIMARY KEY, fin TEXT NOT NULL REFERENCES subjects(fin), kind TEXT NOT NULL, content TEXT NOT NULL);
   CREATE TABLE watchlist (
     wanted_id TEXT PRIMARY KEY, fbi_number TEXT NOT NULL, warrant_no TEXT NOT NULL, entering_ori TEXT NOT NULL,
     offense TEXT NOT NULL, caution JSONB NOT NULL, status TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL DEFAULT now());
   CREATE TABLE watchlist_samples (wanted_id TEXT NOT NULL REFERENCES watchlist(wanted_id), position INTEGER NOT NULL, template BYTEA NOT NULL)`,
  // Templates are sealed at rest; a key lets them be sealed again row by row after a key rotation.
  `ALTER TABLE watchlist_samples ADD COLUMN id SERIAL`,
  // Face photos, sealed at rest like the templates.
  `CREATE TABLE photos (
     id SERIAL PRIMARY KEY, fin TEXT NOT NULL REFERENCES subjects(fin), tcn TEXT NOT NULL,
     captured_at TIMESTAMPTZ NOT NULL DEFAULT now(), image BYTEA NOT NULL)`,
  // The captured image (WSQ, sealed) beside each template, for examiners.
  `ALTER TABLE samples ADD COLUMN image BYTEA`,
  // Which generation of the extractor made each template (NULL: made before generations were recorded).
  `ALTER TABLE samples ADD COLUMN extractor INTEGER`,
  // A TCN is unique per originating agency, not across agencies.
  `ALTER TABLE encounters DROP CONSTRAINT encounters_tcn_key;
   CREATE UNIQUE INDEX encounters_ori_tcn ON encounters (ori, tcn)`,
];
