/** The OpenAPI 3.1 description of Concord's HTTP API, served at GET /openapi.json. */
import { PURPOSE_CODES } from '../gateway/dissemination-policy.ts';
import { DISSEMINATION_METHODS } from '../gateway/secondary-dissemination.ts';
import { REDRESS_KINDS } from '../gateway/redress.ts';

const error = { $ref: '#/components/schemas/Error' };
const errors = (codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: 'error', content: { 'application/json': { schema: error } } }]));
const fingerParts = {
  type: 'object',
  description: 'finger images as parts named finger_1 … finger_10 (ANSI/NIST finger positions); PNG, TIFF, BMP, JPEG or WSQ at 500 ppi',
  patternProperties: { '^finger_([1-9]|10)$': { type: 'string', format: 'binary' } },
};

const idParameter = (description: string) => ({ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description });
const jsonBody = (required: string[], properties: Record<string, object>) => ({ required: true, content: { 'application/json': { schema: { type: 'object', required, properties } } } });
const text = { type: 'string' };

/** III purpose codes: every record request names one. */
const purposeParameter = { name: 'purpose', in: 'query', required: true, schema: { type: 'string', enum: [...PURPOSE_CODES] } };

export const openApiDocument = {
  openapi: '3.1.0',
  info: { title: 'Concord', version: '0.1.0', description: 'Biometric identity interoperability: immigration and criminal repositories behind one gateway.' },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API token of a registered user' } },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, where: { type: 'object' } } } },
      },
    },
  },
  security: [{ bearer: [] }],
  paths: {
    '/health': { get: { summary: 'Health of each node, its database and the bus', security: [], responses: { '200': { description: 'all up' }, '503': { description: 'a node is down' } } } },
    '/openapi.json': { get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI document' } } } },
    '/v1/encounters': {
      post: {
        summary: 'Port-of-entry inspection and enrollment',
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                allOf: [
                  fingerParts,
                  {
                    type: 'object',
                    required: ['subject'],
                    properties: {
                      subject: {
                        type: 'string',
                        description: 'JSON: {tcn, port, inspectionDate, admissionClass, name:{family,given}, dob, sex, nationality, document:{type,number,issuingCountry}, needsI94OrWaiver?}',
                      },
                    },
                  },
                ],
              },
            },
          },
        },
        responses: { '200': { description: 'decision: admit or refer_secondary with reasons' }, ...errors([400, 401, 403, 409, 413, 422, 503]) },
      },
    },
    '/v1/bookings': {
      post: {
        summary: 'Booking with ten prints: criminal identification, arrest cycle, immigration check',
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                allOf: [
                  fingerParts,
                  { type: 'object', required: ['booking'], properties: { booking: { type: 'string', description: 'JSON: {tcn, purpose?, name:{family,given}, dob, sex, dateOfArrest, charges:[{literal, severity, ncicOffenseCode?}], dispositions?, juvenile?, treatAsAdult?}' } } },
                ],
              },
            },
          },
        },
        responses: { '200': { description: 'SRE and the policy-filtered immigration response (status WITHHELD when the purpose grants no immigration data)' }, ...errors([400, 401, 403, 409, 413, 422, 503]) },
      },
    },
    '/v1/identify': {
      post: {
        summary: 'Rapid identification from 1–10 prints against the rapid-identification gallery (criminal records, immigration violators): red, amber or green; a purpose whose grant gives no wanted status is refused',
        parameters: [purposeParameter],
        requestBody: { required: true, content: { 'multipart/form-data': { schema: { allOf: [fingerParts, { type: 'object', properties: { tcn: { type: 'string' } } }] } } } },
        responses: { '200': { description: 'colour and a short summary' }, ...errors([400, 401, 403, 409, 413, 422, 503]) },
      },
    },
    '/v1/ebts': {
      post: {
        summary: 'An EBTS transaction file (CAR, CNA, TPIS, RPIS); the answer is a file too (SRE, SRT, RPISR or ERRT)',
        requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        responses: {
          '200': { description: 'SRE, SRT or RPISR; its 1.010 TCR echoes the TCN; header x-ebts-tot names the TOT', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
          '400': { description: 'ERRT: the submission breaks the EBTS profile; 2.060 MSG names each field', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
          '422': { description: 'ERRT: the file or an image in it cannot be read; nothing was stored', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
          ...errors([401, 413, 503]),
        },
      },
    },
    '/v1/subjects/{id}/history': {
      get: {
        summary: 'One-stop history: criminal and immigration records merged, filtered by policy',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'FBI number or FIN' }, purposeParameter],
        responses: { '200': { description: 'timeline with provenance; withheld: true when policy removed anything' }, ...errors([400, 401, 403, 404, 503]) },
      },
    },
    '/v1/history': {
      post: {
        summary: 'One-stop history of whoever 1–10 prints positively identify in either repository, filtered by policy',
        parameters: [purposeParameter],
        requestBody: { required: true, content: { 'multipart/form-data': { schema: fingerParts } } },
        responses: { '200': { description: 'as GET /v1/subjects/{id}/history; subject is the FBI number, else the FIN' }, ...errors([400, 401, 403, 404, 413, 422, 503]) },
      },
    },
    '/v1/wanted': {
      post: {
        summary: 'Enter a wanted-person record',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['fbiNumber', 'warrantNo', 'offense', 'dateOfWarrant', 'extradition'], properties: { fbiNumber: { type: 'string' }, warrantNo: { type: 'string' }, offense: { type: 'string' }, dateOfWarrant: { type: 'string', format: 'date' }, extradition: { enum: ['full', 'limited', 'none'] }, caution: { type: 'array', items: { type: 'string' } } } } } } },
        responses: { '201': { description: 'the record' }, ...errors([400, 401, 403, 404]) },
      },
    },
    '/v1/wanted/{id}': {
      delete: { summary: 'Clear a wanted-person record (entering agency only)', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'the cleared record' }, ...errors([401, 403, 404]) } },
    },
    '/v1/notifications': { get: { summary: "Notifications addressed to the caller's agency (hits, hit confirmations, IAQ cases)", responses: { '200': { description: 'list' }, ...errors([401]) } } },
    '/v1/audit/verify': { get: { summary: 'Verify the hash chain of the audit trail (privacy officer)', responses: { '200': { description: 'verdict' }, ...errors([401, 403]) } } },
    '/v1/audit': {
      get: {
        summary: 'Search the audit trail by subject, user, agency and period, newest first (privacy officer); the search is audited',
        parameters: ['subject', 'user', 'ori', 'from', 'to', 'disclosures', 'limit'].map((name) => ({ name, in: 'query', schema: text })),
        responses: { '200': { description: 'audit records' }, ...errors([400, 401, 403]) },
      },
    },
    '/v1/disseminations': {
      post: {
        summary: 'Record criminal history passed on outside the original exchange (secondary dissemination log)',
        requestBody: jsonBody(['record', 'purpose', 'requestingAgency', 'recipient', 'method'], {
          record: { type: 'string', description: 'FBI number or FIN whose criminal history the agency received' },
          purpose: { type: 'string', enum: [...PURPOSE_CODES] },
          requestingAgency: text,
          requestingOri: text,
          recipient: text,
          method: { type: 'string', enum: [...DISSEMINATION_METHODS] },
          sharedOn: { type: 'string', format: 'date' },
        }),
        responses: { '201': { description: 'the log entry' }, ...errors([400, 401, 403, 409]) },
      },
      get: {
        summary: 'Read the secondary dissemination log by record or agency (privacy officer); audited',
        parameters: ['record', 'ori', 'limit'].map((name) => ({ name, in: 'query', schema: text })),
        responses: { '200': { description: 'log entries, newest first' }, ...errors([400, 401, 403]) },
      },
    },
    '/v1/subjects/{id}/photo': {
      get: { summary: 'The face photo of a traveller, under a full immigration grant; audited', parameters: [idParameter('FIN or FBI number'), purposeParameter], responses: { '200': { description: 'JPEG' }, ...errors([400, 401, 403, 404]) } },
    },
    '/v1/compare': {
      post: {
        summary: "A probe print beside a subject's stored print of the same finger: score, FMR, paired minutiae and the stored WSQ image under a biometric grant (score and FMR alone under match results only); refused before any lookup without one; audited",
        parameters: [purposeParameter],
        requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['request', 'probe'], properties: { request: { type: 'string', description: 'JSON: {subject, position}' }, probe: { type: 'string', format: 'binary' } } } } } },
        responses: { '200': { description: 'the comparison' }, ...errors([400, 401, 403, 404, 413, 422]) },
      },
    },
    '/v1/minutiae': {
      post: { summary: 'The minutiae the engine finds in each finger image sent', requestBody: { required: true, content: { 'multipart/form-data': { schema: fingerParts } } }, responses: { '200': { description: 'templates per finger' }, ...errors([400, 401, 403, 413, 422]) } },
    },
    '/v1/notifications/{id}/answer': {
      post: {
        summary: 'Acknowledge an alert, or answer a hit confirmation (confirmed or not_confirmed); audited',
        parameters: [idParameter('alert id')],
        requestBody: jsonBody(['answer'], { answer: { type: 'string', enum: ['acknowledged', 'confirmed', 'not_confirmed'] } }),
        responses: { '200': { description: 'the alert' }, ...errors([400, 401, 403, 404, 409]) },
      },
    },
    '/v1/redress': {
      post: {
        summary: "Log a person's request for correction (privacy officer)",
        requestBody: jsonBody(['subject', 'kind', 'description'], { subject: text, kind: { type: 'string', enum: Object.keys(REDRESS_KINDS) }, description: text, arrestTcn: text }),
        responses: { '201': { description: 'the case' }, ...errors([400, 401, 403]) },
      },
      get: { summary: 'Redress cases (privacy officer, or the analysts of the owning repository)', responses: { '200': { description: 'cases' }, ...errors([401, 403]) } },
    },
    '/v1/redress/{id}/decision': {
      post: {
        summary: 'Correct or decline (analyst of the owning repository); every agency that received the record is told of a correction',
        parameters: [idParameter('case id')],
        requestBody: jsonBody(['outcome', 'reason'], { outcome: { type: 'string', enum: ['corrected', 'declined'] }, reason: text }),
        responses: { '200': { description: 'the decided case' }, ...errors([400, 401, 403, 404, 409]) },
      },
    },
    '/v1/metrics': { get: { summary: 'Operational figures without personal data', parameters: [{ name: 'days', in: 'query', schema: text }], responses: { '200': { description: 'metrics' }, ...errors([400, 401, 403]) } } },
    '/v1/me': { get: { summary: 'The signed-in user', responses: { '200': { description: 'user' }, ...errors([401]) } } },
    '/auth/sign-in': {
      post: { summary: 'Password and one-time code (RFC 6238) to a session token', security: [], requestBody: jsonBody(['user', 'password', 'code'], { user: text, password: text, code: text }), responses: { '200': { description: 'session token' }, ...errors([400, 401, 423, 429]) } },
    },
    '/v1/sign-out': { post: { summary: 'End the session', responses: { '204': { description: 'ended' }, ...errors([401]) } } },
    '/v1/admin/accounts': { get: { summary: 'Agencies and users (administrator)', responses: { '200': { description: 'accounts' }, ...errors([401, 403]) } } },
    '/v1/admin/agencies': { post: { summary: 'Create an agency (administrator)', requestBody: jsonBody(['ori', 'name', 'type'], { ori: text, name: text, type: text }), responses: { '201': { description: 'the agency' }, ...errors([400, 401, 403, 409]) } } },
    '/v1/admin/users': {
      post: { summary: 'Create a user; the API token and one-time-code secret are shown once (administrator)', requestBody: jsonBody(['id', 'name', 'ori', 'role', 'password'], { id: text, name: text, ori: text, role: text, password: text }), responses: { '201': { description: 'token and secret' }, ...errors([400, 401, 403, 409]) } },
    },
    '/v1/admin/users/{id}/deactivate': { post: { summary: 'Deactivate a user and end their sessions (administrator)', parameters: [idParameter('user id')], responses: { '204': { description: 'done' }, ...errors([401, 403, 404]) } } },
    '/v1/admin/clients': {
      post: { summary: "Register another agency's system by its public key (administrator)", requestBody: jsonBody(['id', 'name', 'ori', 'role', 'publicJwk'], { id: text, name: text, ori: text, role: text, publicJwk: { type: 'object' } }), responses: { '201': { description: 'registered' }, ...errors([400, 401, 403]) } },
    },
    '/v1/admin/clients/{id}/deactivate': { post: { summary: 'Deactivate a registered system (administrator)', parameters: [idParameter('client id')], responses: { '204': { description: 'done' }, ...errors([401, 403, 404]) } } },
    '/v1/admin/keys/rotate': { post: { summary: 'Rotate the data key: stored biometrics are sealed again online (administrator); audited', responses: { '200': { description: 'new key id, resealed, refused' }, ...errors([401, 403]) } } },
    '/v1/admin/templates/reextract': {
      post: { summary: 'Make again, from their stored images, the templates an older extractor made (administrator); audited', responses: { '200': { description: 'reextracted, withoutImage, refused' }, ...errors([401, 403, 503]) } },
    },
    '/v1/admin/retention/run': { post: { summary: 'Run the retention purge now (administrator); audited', responses: { '200': { description: 'what it deleted' }, ...errors([401, 403]) } } },
  },
};
