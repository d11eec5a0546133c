/** The FBI EBTS profile of ANSI/NIST-ITL: the public surface of this folder. */
export { buildSubmission, FBI_CJIS_ORI, type SubmissionFinger, type SubmissionRequest } from './build-submission.ts';
export { checkDate, formatDate, formatGmt } from './ebts-dates.ts';
export { fieldMnemonic } from './mnemonics.ts';
export {
  buildErrt, buildRpisr, buildSre, buildSrt, readEbtsResponse, responseHeaderFor,
  type EbtsResponse, type ResponseHeader, type RisColor, type RpisrContent, type SreContent, type SrtContent,
} from './responses.ts';
export {
  isSubmissionTot, readEbtsSubmission, readSubject, SUBMISSION_TOTS, validateEbtsSubmission,
  type EbtsSubmission, type SubjectDescription, type SubmissionTot, type SubmittedFinger,
} from './submission.ts';
export { SUBJECT_FIELDS, RESPONSE_FIELDS } from './type2-fields.ts';
