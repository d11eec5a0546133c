/** ANSI/NIST-ITL 1-2011 transactions (traditional encoding): the public surface of this folder. */
export * from './model.ts';
export { readTransaction, type LenientReadResult, type ReadOptions } from './read-transaction.ts';
export { writeTransaction } from './write-transaction.ts';
export { buildTransaction, taggedRecord, type FieldInput } from './build-records.ts';
export { contentsFor, parseContents, type ContentsEntry } from './contents-field.ts';
export { decodeImageRecord, isImageRecord, summarizeImage, summarizeImages, type ImageGeometry, type ImageSummary } from './image-records.ts';
export { decodeFingerImages, type FingerImage } from './finger-images.ts';
export { transactionProblem, type ProblemLocation } from './problems.ts';
export { BINARY_HEADER_NAMES, isFieldAllowed, standardFieldName } from './field-names/index.ts';
