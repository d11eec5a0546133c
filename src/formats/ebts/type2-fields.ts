/**
 * The Type-2 fields Concord reads and writes, by EBTS tag number (EBTS v11 field list; the
 * subject description is the same for CAR, CNA, TPIS and RPIS). One table so that the reader,
 * the builder and the dump agree.
 */
export const SUBJECT_FIELDS = {
  retain: 5, // RET: retain the submission, Y/N
  attention: 6, // ATN: the person the answer is for
  caseNumber: 9, // OCA: originating agency case number
  fbiNumber: 14, // FBI/UCN
  stateId: 15, // SID
  socialSecurityNumber: 16, // SOC
  otherNumbers: 17, // MNU: repeated, prefix-coded (AR alien registration, FN DHS FIN...)
  name: 18, // NAM: LAST,FIRST MIDDLE
  aliases: 19, // AKA: repeated
  placeOfBirth: 20, // POB
  citizenship: 21, // CTZ: repeated
  dateOfBirth: 22, // DOB: CCYYMMDD
  sex: 24, // SEX
  race: 25, // RAC
  height: 27, // HGT: feet and inches, e.g. 510
  weight: 29, // WGT: pounds
  eyes: 31, // EYE
  hair: 32, // HAI
  reasonFingerprinted: 37, // RFP
  datePrinted: 38, // DPR
  dateOfArrest: 45, // DOA
  arrestSegments: 47, // ASL: repeated, items offence date and literal
  rapSheetRequested: 70, // RAP: Y/N
  controllingAgency: 73, // CRI
  amputations: 84, // AMP: repeated, items finger position and code (XX amputated, UP unprintable)
  treatAsAdult: 87, // TAA: Y
} as const;

export type SubjectFieldName = keyof typeof SUBJECT_FIELDS;

/** Fields whose value repeats as subfields. */
export const REPEATED_SUBJECT_FIELDS: ReadonlySet<SubjectFieldName> = new Set(['otherNumbers', 'aliases', 'citizenship', 'arrestSegments', 'amputations']);

/** Response fields (FBI to agency). */
export const RESPONSE_FIELDS = {
  searchResult: 59, // SRF: I identified, N not identified
  message: 60, // MSG: status or error text, repeated
  candidates: 64, // CAN: repeated, items FBI number and name
  electronicRapSheet: 75, // ERS
} as const;
