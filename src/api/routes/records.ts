import { Type } from '@sinclair/typebox';
import { REDRESS_KINDS, type RedressKind } from '../../gateway/redress.ts';
import { DISSEMINATION_METHODS } from '../../gateway/secondary-dissemination.ts';
import { BearerHeaders, BoundedInteger, OneOf, CalendarDate, FbiNumber, NoBody, NoParameters, Ori, Paragraph, Purpose, RowId, Strict, SubjectId, Tcn, Text, WantedId } from '../schemas/common.ts';
import { notInFuture } from '../schemas/validator.ts';
import { allow, typed, type RouteContext } from './route-context.ts';


export const WantedBody = Strict({
  fbiNumber: FbiNumber,
  warrantNo: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9 ./-]{0,29}$', description: 'warrant number, e.g. TX-2026-0042' }),
  offense: Text(200),
  dateOfWarrant: CalendarDate({ description: 'not in the future' }),
  extradition: OneOf(['full', 'limited', 'none']),
  caution: Type.Optional(Type.Array(Text(100), { maxItems: 20 })),
});

export const DisseminationBody = Strict({
  record: SubjectId,
  purpose: Type.Optional(Purpose),
  requestingAgency: Text(200),
  requestingOri: Type.Optional(Ori),
  recipient: Text(200),
  method: OneOf(DISSEMINATION_METHODS),
  sharedOn: Type.Optional(CalendarDate({ description: 'defaults to today' })),
});

const DisseminationQuery = Strict({ record: Type.Optional(SubjectId), ori: Type.Optional(Ori), limit: Type.Optional(BoundedInteger(1, 10_000, { description: 'at most 500 entries are returned' })) });

export const RedressBody = Strict({
  subject: SubjectId,
  kind: OneOf(Object.keys(REDRESS_KINDS) as RedressKind[]),
  description: Paragraph(4000),
  arrestTcn: Type.Optional(Type.Union([Tcn, Type.Literal('')], { description: 'the arrest a record challenge is about; empty for none' })),
});

const RedressDecision = Strict({ outcome: OneOf(['corrected', 'declined']), reason: Paragraph(4000) });
const AlertAnswer = Strict({ answer: OneOf(['acknowledged', 'confirmed', 'not_confirmed']) });

/** Wanted persons, alerts, redress and the secondary dissemination log: records officers enter or answer. */
export function registerRecordRoutes({ app, gateway }: RouteContext): void {
  const api = typed(app);

  api.post('/v1/wanted', {
    ...allow('wanted.enter'),
    schema: { summary: 'Enter a wanted-person record', tags: ['records'], headers: BearerHeaders, querystring: NoParameters, body: WantedBody },
  }, async (request, reply) => {
    const body = request.body;
    const record = await gateway.enterWanted(request.requester!, { ...body, dateOfWarrant: notInFuture(body.dateOfWarrant, 'dateOfWarrant'), caution: body.caution ?? [] });
    return reply.status(201).send(record);
  });

  api.delete('/v1/wanted/:id', {
    ...allow('wanted.clear'),
    schema: { summary: 'Clear a wanted-person record (entering agency only)', tags: ['records'], headers: BearerHeaders, params: Strict({ id: WantedId }), querystring: NoParameters, body: NoBody },
  }, async (request) => gateway.clearWanted(request.requester!, request.params.id));

  // The secondary dissemination log: criminal history passed on outside the original exchange.
  api.post('/v1/disseminations', {
    ...allow('history'),
    schema: { summary: 'Record criminal history passed on outside the original exchange (secondary dissemination log)', tags: ['records'], headers: BearerHeaders, querystring: NoParameters, body: DisseminationBody },
  }, async (request, reply) => {
    const entry = await gateway.recordSecondaryDissemination(request.requester!, request.body);
    return reply.status(201).send(entry);
  });
  api.get('/v1/disseminations', {
    ...allow('audit.read'),
    schema: { summary: 'Read the secondary dissemination log by record or agency (privacy officer); audited', tags: ['records'], headers: BearerHeaders, querystring: DisseminationQuery },
  }, async (request) => gateway.searchDisseminations(request.requester!, request.query));

  api.post('/v1/redress', {
    ...allow('redress.open'),
    schema: { summary: "Log a person's request for correction (privacy officer)", tags: ['records'], headers: BearerHeaders, querystring: NoParameters, body: RedressBody },
  }, async (request, reply) => {
    const { arrestTcn, ...opened } = request.body;
    return reply.status(201).send(await gateway.openRedress(request.requester!, { ...opened, arrestTcn: arrestTcn || undefined }));
  });
  api.get('/v1/redress', {
    ...allow('redress.open', 'redress.decide'),
    schema: { summary: 'Redress cases (privacy officer, or the analysts of the owning repository)', tags: ['records'], headers: BearerHeaders, querystring: NoParameters },
  }, async (request) => gateway.redressCases(request.requester!));
  api.post('/v1/redress/:id/decision', {
    ...allow('redress.decide'),
    schema: {
      summary: 'Correct or decline (analyst of the owning repository); every agency that received the record is told of a correction',
      tags: ['records'],
      headers: BearerHeaders,
      params: Strict({ id: RowId }),
      querystring: NoParameters,
      body: RedressDecision,
    },
  }, async (request) => gateway.decideRedress(request.requester!, request.params.id, request.body));

  api.get('/v1/notifications', {
    ...allow('alerts'),
    schema: { summary: "Notifications addressed to the caller's agency (hits, hit confirmations, IAQ cases)", tags: ['records'], headers: BearerHeaders, querystring: NoParameters },
  }, async (request) => gateway.notifications(request.requester!.ori));
  api.post('/v1/notifications/:id/answer', {
    ...allow('alerts'),
    schema: { summary: 'Acknowledge an alert, or answer a hit confirmation (confirmed or not_confirmed); audited', tags: ['records'], headers: BearerHeaders, params: Strict({ id: RowId }), querystring: NoParameters, body: AlertAnswer },
  }, async (request) => gateway.answerAlert(request.requester!, request.params.id, request.body.answer));
}
