import { Type } from '@sinclair/typebox';
import { ConcordError } from '../../shared/errors.ts';
import { answerEbtsSubmission } from '../../app/ebts-exchange.ts';
import { readTransaction } from '../../formats/ansi-nist/read-transaction.ts';
import { readEbtsResponse } from '../../formats/ebts/responses.ts';
import { decodeWsq } from '../../formats/wsq/index.ts';
import { encodePng } from '../../infra/images/encode-png.ts';
import { analysePhotoOnPool } from '../../app/face-pool.ts';
import { acceptPhoto } from '../../app/face-photo.ts';
import { captureRefusal, failedChecks } from '../../biometrics/face/capture-checks.ts';
import { httpStatusFor } from '../http-status.ts';
import { fingersFromImages, singleFinger } from '../fingerprint-parts.ts';
import { readMultipart } from '../multipart.ts';
import { BearerHeaders, BoundedInteger, CalendarDate, Name, NoParameters, OneOf, Purpose, PurposeQuery, Strict, SubjectId, Tcn, Text } from '../schemas/common.ts';
import { binaryBody, multipartBody } from '../schemas/multipart.ts';
import { notInFuture, partCheck } from '../schemas/validator.ts';
import { allow, typed, type RouteContext } from './route-context.ts';

const Sex = OneOf(['M', 'F', 'X', 'U']);
const PersonName = Strict({ family: Name, given: Name });
const CountryCode = Type.String({ pattern: '^[A-Za-z]{3}$', description: 'ISO 3166 alpha-3 country code' });

/** The `subject` part of a port-of-entry inspection. */
export const TravellerPart = Strict({
  tcn: Tcn,
  port: Type.String({ pattern: '^[A-Z0-9]{3,4}$', description: 'port of entry code, e.g. IAD' }),
  inspectionDate: Type.Optional(CalendarDate({ description: 'defaults to today' })),
  admissionClass: Text(20, { description: 'e.g. B2, F1, H1B, NATO-2' }),
  name: PersonName,
  dob: CalendarDate({ description: 'date of birth, from 1900, not in the future' }),
  sex: Type.Optional(Sex),
  nationality: CountryCode,
  needsI94OrWaiver: Type.Optional(Type.Boolean()),
  document: Strict({ type: Text(40), number: Text(40), issuingCountry: CountryCode }),
  photoOverride: Type.Optional(Text(200, { description: "the officer's reason for accepting a photo that fails its capture checks (audited)" })),
});

const Charge = Strict({
  literal: Text(200, { description: 'the charge as written' }),
  severity: OneOf(['felony', 'misdemeanor']),
  ncicOffenseCode: Type.Optional(Type.String({ pattern: '^[0-9]{4}$', description: 'NCIC offense code, four digits' })),
  level: Type.Optional(OneOf([1, 2, 3], { description: 'criminal-alien priority level' })),
});

const Disposition = Strict({
  court: Text(200),
  date: CalendarDate(),
  outcome: OneOf(['convicted', 'dismissed', 'pending', 'acquitted']),
  sentence: Type.Optional(Text(500)),
});

/** The `booking` part of a booking. */
export const BookingPart = Strict({
  tcn: Tcn,
  purpose: Type.Optional(Purpose),
  name: PersonName,
  dob: CalendarDate({ description: 'date of birth, from 1900, not in the future' }),
  sex: Type.Optional(Sex),
  dateOfArrest: CalendarDate({ description: 'not in the future' }),
  charges: Type.Array(Charge, { minItems: 1, maxItems: 50 }),
  dispositions: Type.Optional(Type.Array(Disposition, { maxItems: 50 })),
  juvenile: Type.Optional(Type.Boolean()),
  treatAsAdult: Type.Optional(Type.Boolean()),
});

/** The optional `request` part of a rapid identification (or a `tcn` text part). */
export const IdentifyPart = Strict({ tcn: Type.Optional(Tcn) });

/** The `request` part of an examiner's comparison. */
export const ComparePart = Strict({ subject: SubjectId, position: BoundedInteger(1, 10, { description: 'finger position 1–10' }) });

const traveller = partCheck(TravellerPart, 'subject');
const booking = partCheck(BookingPart, 'booking');
const identifyRequest = partCheck(IdentifyPart, 'request');
const compareRequest = partCheck(ComparePart, 'request');


/** Prints in, an answer out: enrollment, booking, rapid identification, EBTS, the examiner's tools. */
export function registerIdentificationRoutes({ app, gateway, options }: RouteContext): void {
  const api = typed(app);

  // For the examiner's view: the minutiae the engine finds in one image, to overlay on it.
  api.post('/v1/minutiae', {
    ...allow('enroll', 'book', 'identify'),
    schema: { summary: 'The minutiae the engine finds in one finger image', tags: ['identification'], headers: BearerHeaders, querystring: NoParameters, body: multipartBody({ image: Type.Optional(Type.String({ format: 'binary', description: 'the image, if not sent as finger_N' })) }, { fingers: true, description: 'one finger image part' }) },
  }, async (request) => {
    const { images } = await readMultipart(request, undefined);
    const { template, image } = await singleFinger(images);
    return { width: template.width, height: template.height, quality: template.quality, minutiae: template.minutiae, image };
  });

  // The examiner's comparison: a probe print against a subject's stored print, side by side.
  api.post('/v1/compare', {
    ...allow('identify'),
    schema: {
      summary: "A probe print beside a subject's stored print of the same finger: score, FMR, paired minutiae and the stored image; audited",
      tags: ['identification'],
      headers: BearerHeaders,
      querystring: PurposeQuery,
      body: multipartBody({ request: ComparePart, probe: Type.Optional(Type.String({ format: 'binary', description: 'the probe image, if not sent as finger_N' })) }, { fingers: true, description: 'the JSON part `request` and one finger image part' }),
    },
  }, async (request) => {
    const { json, images } = await readMultipart(request, undefined);
    const { subject, position } = compareRequest.read(json);
    const probe = await singleFinger(images);
    const comparison = await gateway.compare(request.requester!, { probe: probe.template, subject, position, purpose: request.query.purpose });
    const probeView = { width: probe.template.width, height: probe.template.height, minutiae: probe.template.minutiae, image: probe.image };
    // A grant of match results only (no stored print) answers the score without the candidate.
    if (!comparison.candidate) return { score: comparison.score, fmr: comparison.fmr, pairs: comparison.pairs, probe: probeView };
    const { wsq, ...candidate } = comparison.candidate;
    return {
      score: comparison.score,
      fmr: comparison.fmr,
      pairs: comparison.pairs,
      probe: probeView,
      candidate: { ...candidate, image: wsq ? await pngDataUrl(decodeWsq(Buffer.from(wsq, 'base64'))) : undefined },
    };
  });

  api.post('/v1/encounters', {
    ...allow('enroll'),
    schema: {
      summary: 'Port-of-entry inspection and enrollment: admit, or refer to secondary with reasons',
      tags: ['identification'],
      headers: BearerHeaders,
      querystring: NoParameters,
      body: multipartBody({ subject: TravellerPart, photo: Type.Optional(Type.String({ format: 'binary', description: 'face photo' })) }, { fingers: true, description: 'the JSON part `subject`, finger images and an optional face photo' }),
    },
  }, async (request) => {
    const { json, images, photo } = await readMultipart(request, 'subject');
    const subject = traveller.read(json);
    const travellerData = {
      name: subject.name,
      dob: notInFuture(subject.dob, 'dob', 'subject'),
      sex: subject.sex,
      nationality: subject.nationality.toUpperCase(),
      admissionClass: subject.admissionClass,
      needsI94OrWaiver: subject.needsI94OrWaiver === true,
      document: { ...subject.document, issuingCountry: subject.document.issuingCountry.toUpperCase() },
    };
    const [fingers, analysed] = await Promise.all([fingersFromImages(images, 'retained'), photo ? analysePhotoOnPool('photo', photo) : undefined]);
    const accepted = analysed && acceptPhoto(analysed, subject.photoOverride, { tcn: subject.tcn });
    return gateway.enroll(request.requester!, {
      photo: accepted?.photo,
      face: accepted?.face,
      tcn: subject.tcn,
      port: subject.port,
      inspectionDate: subject.inspectionDate ?? new Date().toISOString().slice(0, 10),
      traveller: travellerData,
      fingers,
    });
  });

  api.post('/v1/bookings', {
    ...allow('book'),
    schema: {
      summary: 'Booking with ten prints: criminal identification, arrest cycle, immigration check',
      tags: ['identification'],
      headers: BearerHeaders,
      querystring: NoParameters,
      body: multipartBody({ booking: BookingPart }, { fingers: true, description: 'the JSON part `booking` and finger images' }),
    },
  }, async (request) => {
    const { json, images } = await readMultipart(request, 'booking');
    const arrest = booking.read(json);
    notInFuture(arrest.dob, 'dob', 'booking');
    notInFuture(arrest.dateOfArrest, 'dateOfArrest', 'booking');
    const fingers = await fingersFromImages(images, 'retained');
    if (fingers.length === 0) throw new ConcordError('FINGER_COUNT', 'a booking needs fingerprints (finger_1 … finger_10)', { fingers: 0 });
    return gateway.book(request.requester!, {
      tcn: arrest.tcn,
      purpose: arrest.purpose,
      arrest: {
        name: arrest.name,
        dob: arrest.dob,
        sex: arrest.sex,
        dateOfArrest: arrest.dateOfArrest,
        charges: arrest.charges,
        dispositions: arrest.dispositions ?? [],
        juvenile: arrest.juvenile === true,
        treatAsAdult: arrest.treatAsAdult === true,
      },
      fingers,
    });
  });

  api.post('/v1/identify', {
    ...allow('identify'),
    schema: {
      summary: 'Rapid identification from 1–10 prints among criminal records and immigration violators: red, amber or green; a photo alone gives face leads only',
      tags: ['identification'],
      headers: BearerHeaders,
      querystring: PurposeQuery,
      body: multipartBody({ request: Type.Optional(IdentifyPart), tcn: Type.Optional(Tcn), photo: Type.Optional(Type.String({ format: 'binary', description: 'a face photo, searched for leads when the prints are amber or absent' })) }, { fingers: true, description: 'finger images, and optionally the JSON part `request` or a text part `tcn`, and a face photo' }),
    },
  }, async (request) => {
    const { json, images, photo } = await readMultipart(request, undefined, { photo: true });
    const tcn = identifyRequest.read(json).tcn ?? `RPIS-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    // A photo alone is a face search: the grant is asked before the photo is analysed.
    if (images.length === 0 && photo) await gateway.checkFaceIdentificationGrant(request.requester!, request.query.purpose, tcn);
    const [fingers, analysed] = await Promise.all([fingersFromImages(images, 'search'), photo ? analysePhotoOnPool('photo', photo) : undefined]);
    if (analysed && !analysed.template) throw captureRefusal(analysed.checks, 'photo');
    const face = analysed?.template && Buffer.from(analysed.template).toString('base64');
    return gateway.identify(request.requester!, { tcn, purpose: request.query.purpose, fingers, face });
  });

  api.post('/v1/faces/search', {
    ...allow('identify'),
    schema: {
      summary: '1:N face search among immigration violators with one photo: leads for an examiner, never an identification; criminal-justice purposes only; audited',
      tags: ['identification'],
      headers: BearerHeaders,
      querystring: PurposeQuery,
      body: multipartBody({ photo: Type.String({ format: 'binary', description: 'a photo with one face' }) }, { fingers: false, description: 'the photo' }),
    },
  }, async (request) => {
    const { photo } = await readMultipart(request, undefined, { photo: true });
    if (!photo) throw new ConcordError('MISSING_PART', 'a face search needs the part `photo`', { part: 'photo' });
    // The grant is asked before the photo is analysed: a requester without one learns nothing of it.
    await gateway.checkFaceSearchGrant(request.requester!, request.query.purpose);
    const analysed = await analysePhotoOnPool('photo', photo);
    // Only a photo with one face can be searched; its other checks inform, an investigator's photo is what it is.
    if (!analysed.template) throw captureRefusal(analysed.checks, 'photo');
    return gateway.searchFaces(request.requester!, { purpose: request.query.purpose, template: Buffer.from(analysed.template).toString('base64') });
  });

  // The port console's live checks: a photo scored as an enrollment would score it, nothing stored.
  api.post('/v1/faces/check', {
    ...allow('enroll'),
    schema: {
      summary: "A photo's portrait capture checks, as an enrollment would run them, without enrolling anything; audited",
      tags: ['identification'],
      headers: BearerHeaders,
      querystring: NoParameters,
      body: multipartBody({ photo: Type.String({ format: 'binary', description: 'the photo to check' }) }, { fingers: false, description: 'the photo' }),
    },
  }, async (request) => {
    const { photo } = await readMultipart(request, undefined, { photo: true });
    if (!photo) throw new ConcordError('MISSING_PART', 'a face check needs the part `photo`', { part: 'photo' });
    const analysed = await analysePhotoOnPool('photo', photo);
    const failed = failedChecks(analysed.checks).map((c) => c.check);
    await gateway.recordFaceCheck(request.requester!, { faces: analysed.faces, failed });
    return { passed: failed.length === 0, faces: analysed.faces, checks: analysed.checks, failed };
  });

  // EBTS transactions arrive as files; the answer is a file too (SRE, SRT, RPISR or ERRT).
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: options.maxUploadBytes }, (_request, body, done) => done(null, body));
  api.post('/v1/ebts', {
    ...allow('book', 'identify'),
    schema: {
      summary: 'An EBTS transaction file (CAR, CNA, TPIS, RPIS); the answer is a file too (SRE, SRT, RPISR or ERRT), or its reading as JSON when asked with Accept: application/json',
      tags: ['identification'],
      headers: Type.Object({ ...BearerHeaders.properties, accept: Type.Optional(Type.String({ maxLength: 1024 })) }),
      querystring: NoParameters,
      body: binaryBody('the transaction, Content-Type application/octet-stream'),
    },
  }, async (request, reply) => {
    if (!Buffer.isBuffer(request.body)) throw new ConcordError('BAD_REQUEST', 'send the EBTS transaction as the body, Content-Type application/octet-stream', {});
    const body = request.body;
    const answer = await answerEbtsSubmission(gateway, request.requester!, new Uint8Array(body.buffer, body.byteOffset, body.length), () => new Date());
    const status = answer.problem ? httpStatusFor(answer.problem.code) : 200;
    // A browser asks for the answer read back as JSON; a booking station gets the file.
    if (request.headers.accept?.includes('application/json')) return reply.status(status).send(readEbtsResponse(readTransaction(answer.bytes)));
    return reply
      .status(status)
      .header('content-type', 'application/octet-stream')
      .header('x-ebts-tot', answer.tot)
      .send(Buffer.from(answer.bytes));
  });
}

/** A stored image (ours, at most 2000×2000) as a PNG data URL, since browsers show no WSQ. */
async function pngDataUrl(image: Parameters<typeof encodePng>[0]): Promise<string> {
  return `data:image/png;base64,${(await encodePng(image)).toString('base64')}`;
}
