// The portal's one door to the server: the session token, JSON and multipart calls, and errors
// turned into plain words with what to do next.

const SESSION_KEY = 'concord.session';

export function session() {
  const raw = sessionStorage.getItem(SESSION_KEY);
  return raw ? JSON.parse(raw) : undefined;
}

export function saveSession(value) {
  if (value) sessionStorage.setItem(SESSION_KEY, JSON.stringify(value));
  else sessionStorage.removeItem(SESSION_KEY);
}

export class ApiError extends Error {
  constructor(status, code, message, where) {
    super(message);
    this.status = status;
    this.code = code;
    this.where = where ?? {};
  }
}

/** What an officer should do about each kind of refusal. */
const NEXT_STEP = {
  UNAUTHENTICATED: 'Sign in again.',
  SESSION_LOCKED: 'Sign in again.',
  SIGN_IN_FAILED: 'Check your user name, password and the current code from your authenticator.',
  ACCOUNT_LOCKED: 'Too many failed sign-ins from this device or network: wait until the time shown.',
  FORBIDDEN: 'Your role does not allow this. Ask your supervisor if you need it.',
  LOW_QUALITY: 'Clean the glass and the finger, then capture that finger again.',
  NOT_AN_IMAGE: 'Choose a PNG, TIFF, BMP, JPEG or WSQ fingerprint image.',
  CORRUPT_IMAGE: 'The file is damaged: capture or export it again.',
  IMAGE_DIMENSIONS: 'Use a single-finger image at 500 ppi.',
  NO_RIDGE_AREA: 'No fingerprint was found in the image: capture it again.',
  MISSING_PURPOSE: 'Choose a purpose for this request.',
  PAYLOAD_TOO_LARGE: 'The file is too large: send single-finger images.',
  NODE_UNAVAILABLE: 'A repository is not answering; try again in a minute. Nothing was lost.',
  DUPLICATE_TCN: 'This transaction number was already used: start a new transaction.',
  SUBJECT_NOT_FOUND: 'Check the FBI number or FIN, or capture the prints again.',
};

export function explain(error) {
  if (!(error instanceof ApiError)) return { message: String(error.message ?? error), next: 'Try again; if it persists, tell your administrator.' };
  const next = NEXT_STEP[error.code] ?? (error.status >= 500 ? 'Try again; if it persists, tell your administrator.' : 'Correct the request and send it again.');
  return { message: error.message, next, code: error.code };
}

/** Calls the API; `body` is FormData (multipart), a Blob (a file) or an object (JSON). */
export async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  const token = session()?.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body instanceof Blob) {
    payload = body;
    headers['content-type'] = 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload });
  } catch {
    throw new ApiError(0, 'NODE_UNAVAILABLE', 'The Concord server cannot be reached.');
  }
  if (response.status === 204) return undefined;
  const answer = await response.json().catch(() => undefined);
  // An EBTS refusal (ERRT) is an answer in its own right; any other failure is an error.
  if (!response.ok && !(answer && answer.tot === 'ERRT')) throw failure(response.status, answer);
  return answer;
}

/** Fetches an image the API guards (a face photo) as an object URL for an <img>. */
export async function apiImage(path) {
  const token = session()?.token;
  const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw failure(response.status, await response.json().catch(() => undefined));
  return URL.createObjectURL(await response.blob());
}

/** The error for a failed response; a session that ended sends the user back to sign-in. */
function failure(status, answer) {
  const error = new ApiError(status, answer?.error?.code ?? 'HTTP_ERROR', answer?.error?.message ?? `The server answered HTTP ${status}.`, answer?.error?.where);
  if (['UNAUTHENTICATED', 'SESSION_LOCKED'].includes(error.code)) window.dispatchEvent(new CustomEvent('concord:signed-out', { detail: error.message }));
  return error;
}
