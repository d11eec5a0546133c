/** The one place where error codes become HTTP statuses. */
const STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_REQUEST: 400,
  BAD_TCN: 400,
  BAD_PURPOSE: 400,
  MISSING_PURPOSE: 400,
  MISSING_PART: 400,
  BAD_JSON: 400,
  FINGER_COUNT: 400,
  BAD_ARGUMENT: 400,
  BAD_ORI: 400,
  BAD_ROLE: 400,
  INVALID_FIELD: 400,
  INVALID_DATE: 400,
  MISSING_FIELD: 400,
  MISSING_RECORD: 422,
  NO_IMAGES: 422,
  UNSUPPORTED_TOT: 422,
  NOT_AN_IMAGE: 422,
  CORRUPT_IMAGE: 422,
  IMAGE_DIMENSIONS: 422,
  BAD_RESOLUTION: 422,
  NO_RIDGE_AREA: 422,
  LOW_QUALITY: 422,
  WRONG_RESOLUTION: 422,
  SUBJECT_NOT_FOUND: 404,
  WANTED_NOT_FOUND: 404,
  NOT_FOUND: 404,
  DUPLICATE_TCN: 409,
  IMAGE_TOO_LARGE: 413,
  PAYLOAD_TOO_LARGE: 413,
  TEMPLATE_TOO_LARGE: 413,
  NOT_AVAILABLE: 501,
  NODE_UNAVAILABLE: 503,
};

/** Whole families of format errors: the request was well-formed HTTP but its file is not. */
const FORMAT_PREFIXES = ['AN_', 'WSQ_', 'TEMPLATE_'];

export function httpStatusFor(code: string): number {
  return STATUS[code] ?? (FORMAT_PREFIXES.some((prefix) => code.startsWith(prefix)) ? 422 : 500);
}
