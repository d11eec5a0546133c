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
  // A TCN is unique per arresting agency, not across agencies.
  `ALTER TABLE arrests DROP CONSTRAINT arrests_tcn_key;
   CREATE UNIQUE INDEX arrests_ori_tcn ON arrests (arresting_ori, tcn)`,
];
