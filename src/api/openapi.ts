/** The OpenAPI 3.1 description of Concord's HTTP API, served at GET /openapi.json. */
import { PURPOSE_CODES } from '../gateway/dissemination-policy.ts';

const error = { $ref: '#/components/schemas/Error' };
const errors = (codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: 'error', content: { 'application/json': { schema: error } } }]));
const fingerParts = {
  type: 'object',
  description: 'finger images as parts named finger_1 … finger_10 (ANSI/NIST finger positions); PNG, TIFF, BMP, JPEG or WSQ at 500 ppi',
  patternProperties: { '^finger_([1-9]|10)$': { type: 'string', format: 'binary' } },
};

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
        responses: { '200': { description: 'SRE and the policy-filtered immigration response' }, ...errors([400, 401, 403, 409, 413, 422, 503]) },
      },
    },
    '/v1/identify': {
      post: {
        summary: 'Rapid identification from 1–10 prints: red, amber or green',
        requestBody: { required: true, content: { 'multipart/form-data': { schema: { allOf: [fingerParts, { type: 'object', properties: { tcn: { type: 'string' } } }] } } } },
        responses: { '200': { description: 'colour and a short summary' }, ...errors([400, 401, 403, 413, 422, 503]) },
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
  },
};
