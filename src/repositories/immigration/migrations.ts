import { GALLERY_CHANGE_LOG } from '../shared/gallery-sync.ts';

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
  // Typed storage, a second line behind the enrollment rules: dates as DATE (the conversion fails
  // whole, changing nothing, if a stored value is no calendar date), and CHECKs on ranges and
  // enumerations, NOT VALID: rows already stored are kept as they are, every write from now on is
  // checked. The admission classes are those of enrollment-rules.ts when this was written. The
  // index serves the document-reuse check of every enrollment.
  `ALTER TABLE identities ALTER COLUMN dob TYPE DATE USING dob::date;
   ALTER TABLE encounters ALTER COLUMN inspection_date TYPE DATE USING inspection_date::date;
   ALTER TABLE encounters ALTER COLUMN admitted_until TYPE DATE USING admitted_until::date;
   ALTER TABLE flags ALTER COLUMN since TYPE DATE USING since::date;
   ALTER TABLE identities ADD CONSTRAINT identities_dob_range CHECK (dob >= DATE '1900-01-01') NOT VALID;
   ALTER TABLE encounters ADD CONSTRAINT encounters_dates_in_order CHECK (inspection_date >= DATE '1900-01-01' AND (admitted_until IS NULL OR admitted_until >= inspection_date)) NOT VALID;
   ALTER TABLE encounters ADD CONSTRAINT encounters_decision_known CHECK (decision IN ('admit', 'refer_secondary')) NOT VALID;
   ALTER TABLE encounters ADD CONSTRAINT encounters_admission_class_known CHECK (admission_class IS NULL OR admission_class IN (
     'A1', 'A2', 'A3', 'B1', 'B2', 'B1B2', 'C1', 'C1D', 'C2', 'C3', 'C4', 'CW1', 'CW2', 'D1', 'D2', 'E1', 'E2', 'E2C', 'E3', 'E3D', 'E3R',
     'F1', 'F2', 'F3', 'G1', 'G2', 'G3', 'G4', 'G5', 'H1B', 'H1B1', 'H1C', 'H2A', 'H2B', 'H2R', 'H3', 'H4', 'I', 'J1', 'J2',
     'K1', 'K2', 'K3', 'K4', 'L1', 'L1A', 'L1B', 'L2', 'M1', 'M2', 'M3', 'NATO1', 'NATO2', 'NATO3', 'NATO4', 'NATO5', 'NATO6', 'NATO7',
     'O1', 'O2', 'O3', 'P1', 'P2', 'P3', 'P4', 'Q1', 'R1', 'R2', 'S5', 'S6', 'S7', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'TN', 'TD',
     'U1', 'U2', 'U3', 'U4', 'U5', 'V1', 'V2', 'V3', 'WB', 'WT', 'GB', 'GT', 'LPR', 'IMMIGRANT', 'REFUGEE', 'ASYLEE', 'PAROLEE')) NOT VALID;
   ALTER TABLE flags ADD CONSTRAINT flags_kind_known CHECK (kind IN (
     'watchlist', 'removed', 'expedited_removal', 'visa_refused_cat1', 'overstay', 'identity_conflict', 'protected_1367', 'asylum')) NOT VALID;
   CREATE INDEX identities_travel_document ON identities (upper(trim(issuing_country)), upper(trim(document_number)))`,
  // A TCN is unique per originating agency, not across agencies.
  `ALTER TABLE encounters DROP CONSTRAINT encounters_tcn_key;
   CREATE UNIQUE INDEX encounters_ori_tcn ON encounters (ori, tcn)`,
  // Replicas keep their galleries in step: every change to the templates a gallery is made from is
  // logged, in its own transaction, for the other replicas to reload (gallery-sync.ts).
  `${GALLERY_CHANGE_LOG};
   CREATE TRIGGER samples_gallery_change AFTER INSERT OR UPDATE OR DELETE ON samples FOR EACH ROW EXECUTE FUNCTION note_gallery_change('travellers', 'fin');
   CREATE TRIGGER watchlist_samples_gallery_change AFTER INSERT OR UPDATE OR DELETE ON watchlist_samples FOR EACH ROW EXECUTE FUNCTION note_gallery_change('watchlist', 'wanted_id');
   CREATE TRIGGER watchlist_gallery_change AFTER UPDATE OF status ON watchlist FOR EACH ROW EXECUTE FUNCTION note_gallery_change('watchlist', 'wanted_id')`,
  // Face templates beside the photos, sealed and bound to the FIN like fingerprint templates, with
  // the face model generation that made them, the capture checks and an officer's override.
  `ALTER TABLE photos ADD COLUMN face_template BYTEA, ADD COLUMN face_generation INTEGER, ADD COLUMN capture_checks JSONB, ADD COLUMN override_reason TEXT`,
  // A traveller's rows by FIN (a gallery reload, a history, an enrollment's checks), and a watchlist
  // entry's prints by its id, which would otherwise scan the whole table. IF NOT EXISTS: an
  // operator may build them beforehand, concurrently.
  `CREATE INDEX IF NOT EXISTS samples_fin ON samples (fin);
   CREATE INDEX IF NOT EXISTS identities_fin ON identities (fin);
   CREATE INDEX IF NOT EXISTS encounters_fin ON encounters (fin);
   CREATE INDEX IF NOT EXISTS flags_fin ON flags (fin);
   CREATE INDEX IF NOT EXISTS protected_records_fin ON protected_records (fin);
   CREATE INDEX IF NOT EXISTS photos_fin ON photos (fin);
   CREATE INDEX IF NOT EXISTS watchlist_samples_wanted_id ON watchlist_samples (wanted_id)`,
];
