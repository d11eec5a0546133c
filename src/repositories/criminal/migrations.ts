import { GALLERY_CHANGE_LOG } from '../shared/gallery-sync.ts';

/** Schema of the criminal repository's own database. */
export const criminalMigrations = [
  `CREATE SEQUENCE fbi_sequence START 4100001;
   CREATE SEQUENCE wanted_sequence START 1001;
   CREATE TABLE subjects (fbi_number TEXT PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
   CREATE TABLE identities (
     id SERIAL PRIMARY KEY, fbi_number TEXT NOT NULL REFERENCES subjects(fbi_number), family TEXT NOT NULL, given TEXT NOT NULL,
     dob TEXT NOT NULL, sex TEXT, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
   CREATE TABLE samples (
     id SERIAL PRIMARY KEY, fbi_number TEXT NOT NULL REFERENCES subjects(fbi_number), position INTEGER NOT NULL,
     template BYTEA NOT NULL, quality INTEGER NOT NULL, tcn TEXT NOT NULL);
   CREATE TABLE arrests (
     id SERIAL PRIMARY KEY, tcn TEXT NOT NULL UNIQUE, fbi_number TEXT NOT NULL REFERENCES subjects(fbi_number),
     date_of_arrest TEXT NOT NULL, arresting_ori TEXT NOT NULL, charges JSONB NOT NULL, dispositions JSONB NOT NULL,
     juvenile BOOLEAN NOT NULL DEFAULT false, treat_as_adult BOOLEAN NOT NULL DEFAULT false, sealed BOOLEAN NOT NULL DEFAULT false,
     response JSONB NOT NULL);
   CREATE TABLE wanted (
     id TEXT PRIMARY KEY, fbi_number TEXT NOT NULL REFERENCES subjects(fbi_number), warrant_no TEXT NOT NULL,
     entering_ori TEXT NOT NULL, offense TEXT NOT NULL, date_of_warrant TEXT NOT NULL, extradition TEXT NOT NULL,
     caution JSONB NOT NULL, status TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
  // The captured image (WSQ, sealed) beside each template, for examiners.
  `ALTER TABLE samples ADD COLUMN image BYTEA`,
  // Which generation of the extractor made each template (NULL: made before generations were recorded).
  `ALTER TABLE samples ADD COLUMN extractor INTEGER`,
  // Typed storage, a second line behind the arrest rules: dates as DATE (a value that is no
  // calendar date cannot be stored; the conversion fails whole, changing nothing, if an existing
  // one is not), and CHECKs on ranges and enumerations. The CHECKs are NOT VALID: rows already
  // stored are not refused retroactively (the history read reports them); every write from now on is
  // checked. Dates are bounded below only: "not in the future" depends on the clock, the rules' job.
  `ALTER TABLE identities ALTER COLUMN dob TYPE DATE USING dob::date;
   ALTER TABLE arrests ALTER COLUMN date_of_arrest TYPE DATE USING date_of_arrest::date;
   ALTER TABLE wanted ALTER COLUMN date_of_warrant TYPE DATE USING date_of_warrant::date;
   ALTER TABLE identities ADD CONSTRAINT identities_dob_range CHECK (dob >= DATE '1900-01-01') NOT VALID;
   ALTER TABLE arrests ADD CONSTRAINT arrests_date_range CHECK (date_of_arrest >= DATE '1900-01-01') NOT VALID;
   ALTER TABLE wanted ADD CONSTRAINT wanted_date_range CHECK (date_of_warrant >= DATE '1900-01-01') NOT VALID;
   ALTER TABLE wanted ADD CONSTRAINT wanted_extradition_known CHECK (extradition IN ('full', 'limited', 'none')) NOT VALID;
   ALTER TABLE wanted ADD CONSTRAINT wanted_status_known CHECK (status IN ('active', 'cleared', 'cancelled')) NOT VALID;
   ALTER TABLE arrests ADD CONSTRAINT arrests_charges_valid CHECK (
     jsonb_typeof(charges) = 'array' AND jsonb_array_length(charges) > 0 AND NOT jsonb_path_exists(charges,
       '$[*] ? (@.type() != "object" || !(@.severity == "felony" || @.severity == "misdemeanor") || !exists(@.literal ? (@.type() == "string"))
               || (exists(@.level) && !(@.level == 1 || @.level == 2 || @.level == 3)))')) NOT VALID;
   ALTER TABLE arrests ADD CONSTRAINT arrests_dispositions_valid CHECK (
     jsonb_typeof(dispositions) = 'array' AND NOT jsonb_path_exists(dispositions,
       '$[*] ? (@.type() != "object" || !(@.outcome == "convicted" || @.outcome == "dismissed" || @.outcome == "pending" || @.outcome == "acquitted")
               || !exists(@.court ? (@.type() == "string")) || !exists(@.date ? (@.type() == "string" && @ like_regex "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")))')) NOT VALID`,
  // A TCN is unique per arresting agency, not across agencies.
  `ALTER TABLE arrests DROP CONSTRAINT arrests_tcn_key;
   CREATE UNIQUE INDEX arrests_ori_tcn ON arrests (arresting_ori, tcn)`,
  // Replicas keep their galleries in step: every change to the templates a gallery is made from is
  // logged, in its own transaction, for the other replicas to reload (gallery-sync.ts).
  `${GALLERY_CHANGE_LOG};
   CREATE TRIGGER samples_gallery_change AFTER INSERT OR UPDATE OR DELETE ON samples FOR EACH ROW EXECUTE FUNCTION note_gallery_change('samples', 'fbi_number')`,
  // Booking photos (a Type-10 face of a CAR or CNA), sealed and bound to the FBI number like the
  // prints, with the face template the capture checks made and the model generation that made it.
  `CREATE TABLE photos (
     id SERIAL PRIMARY KEY, fbi_number TEXT NOT NULL REFERENCES subjects(fbi_number), tcn TEXT NOT NULL,
     captured_at TIMESTAMPTZ NOT NULL DEFAULT now(), image BYTEA NOT NULL,
     face_template BYTEA, face_generation INTEGER, capture_checks JSONB, override_reason TEXT)`,
  // A history asks each arrest for its photo, and a release for a subject's newest: by FBI number and TCN.
  `CREATE INDEX photos_fbi_number_tcn ON photos (fbi_number, tcn)`,
  // A subject's rows by FBI number (a booking's gallery reload, a history, a wants check), which
  // would otherwise scan the whole table. IF NOT EXISTS: an operator may build them beforehand, concurrently.
  `CREATE INDEX IF NOT EXISTS samples_fbi_number ON samples (fbi_number);
   CREATE INDEX IF NOT EXISTS identities_fbi_number ON identities (fbi_number);
   CREATE INDEX IF NOT EXISTS arrests_fbi_number ON arrests (fbi_number);
   CREATE INDEX IF NOT EXISTS wanted_fbi_number ON wanted (fbi_number)`,
];
