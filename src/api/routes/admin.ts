import { Type } from '@sinclair/typebox';
import type { JWK } from 'jose';
import { AGENCY_TYPES, ROLES } from '../../gateway/access.ts';
import { CLIENT_AUDIENCE } from '../../gateway/client-credentials.ts';
import { DEFAULT_RETENTION } from '../../gateway/gateway.ts';
import { AccountId, BearerHeaders, OneOf, Name, NoBody, NoParameters, Ori, Strict, Text } from '../schemas/common.ts';
import { allow, typed, type RouteContext } from './route-context.ts';

const Role = OneOf(ROLES);
const Base64Url = (max: number) => Type.String({ pattern: '^[A-Za-z0-9_-]+$', maxLength: max });

/** An ORI as typed into a form: either case, stored upper-case. */
const OriAnyCase = Type.String({ pattern: '^[A-Za-z]{2}[A-Za-z0-9]{7}$', description: 'ORI (2-letter state + 7), either case' });

export const AgencyBody = Strict({ ori: OriAnyCase, name: Name, type: OneOf(AGENCY_TYPES) });

export const UserBody = Strict({ id: AccountId, name: Name, ori: Ori, role: Role, password: Text(256, { description: 'initial password, 12 characters or more' }) });

/** A public key as a JWK (ES256 or Ed25519). A private part (d) is named so that its refusal can say why. */
const PublicJwk = Strict({
  kty: OneOf(['EC', 'OKP']),
  crv: OneOf(['P-256', 'Ed25519']),
  x: Base64Url(128),
  y: Type.Optional(Base64Url(128)),
  d: Type.Optional(Base64Url(128)),
  kid: Type.Optional(Text(200)),
  alg: Type.Optional(OneOf(['ES256', 'EdDSA'])),
  use: Type.Optional(Type.Literal('sig')),
});

export const ClientBody = Strict({ id: AccountId, name: Name, ori: Ori, role: Role, publicKey: PublicJwk });

/** The path of a route about one account (user or registered system). */
export const AccountParams = Strict({ id: AccountId });

/** Agencies, accounts, registered systems, keys, templates and retention: the administrator's routes. */
export function registerAdminRoutes({ app, gateway, system, options }: RouteContext): void {
  const api = typed(app);
  const admin = (summary: string) => ({ summary, tags: ['admin'], headers: BearerHeaders, querystring: NoParameters });

  api.get('/v1/admin/accounts', { ...allow('accounts.manage'), schema: admin('Agencies and users (administrator)') }, async (request) => gateway.accounts(request.requester!));

  api.post('/v1/admin/agencies', { ...allow('accounts.manage'), schema: { ...admin('Create an agency (administrator)'), body: AgencyBody } }, async (request, reply) => {
    const agency = { ...request.body, ori: request.body.ori.toUpperCase() };
    await gateway.createAgency(request.requester!, agency);
    return reply.status(201).send(agency);
  });

  api.post('/v1/admin/users', {
    ...allow('accounts.manage'),
    schema: { ...admin("Create a person's account (administrator): { id, totpSecret, status }, the one-time-code secret shown once, no API token; pending_approval until a second administrator approves"), body: UserBody },
  }, async (request, reply) => {
    return reply.status(201).send(await gateway.createUser(request.requester!, request.body));
  });

  api.post('/v1/admin/users/:id/approve', {
    ...allow('accounts.manage'),
    schema: { ...admin('Approve an account waiting for a second person: an administrator of its agency (or of the gateway operator for an agency without one), never its creator'), params: AccountParams, body: NoBody },
  }, async (request) => gateway.approveUser(request.requester!, request.params.id));

  api.post('/v1/admin/clients', {
    ...allow('accounts.manage'),
    schema: { ...admin("Register another agency's system by its public key (administrator); a system that reads records is pending_approval until a second administrator approves it"), body: ClientBody },
  }, async (request, reply) => {
    const { id } = request.body;
    const { status } = await gateway.registerClient(request.requester!, { ...request.body, publicKey: request.body.publicKey as JWK });
    return reply.status(201).send({ id, audience: CLIENT_AUDIENCE, maxLifetimeSeconds: 300, status });
  });

  api.post('/v1/admin/clients/:id/approve', {
    ...allow('accounts.manage'),
    schema: { ...admin('Approve a registered system waiting for a second person (same rule as for accounts)'), params: AccountParams, body: NoBody },
  }, async (request) => gateway.approveClient(request.requester!, request.params.id));

  api.post('/v1/admin/clients/:id/deactivate', { ...allow('accounts.manage'), schema: { ...admin('Deactivate a registered system (administrator)'), params: AccountParams, body: NoBody } }, async (request, reply) => {
    await gateway.deactivateClient(request.requester!, request.params.id);
    return reply.status(204).send();
  });

  api.post('/v1/admin/users/:id/deactivate', { ...allow('accounts.manage'), schema: { ...admin('Deactivate a user and end their sessions (administrator)'), params: AccountParams, body: NoBody } }, async (request, reply) => {
    await gateway.deactivateUser(request.requester!, request.params.id);
    return reply.status(204).send();
  });

  // Key rotation runs online: new data is sealed under the new key at once, stored data page by page.
  api.post('/v1/admin/keys/rotate', { ...allow('accounts.manage'), schema: { ...admin('Rotate the data key: stored biometrics are sealed again online (administrator); audited'), body: NoBody } }, async (request) => {
    const result = await system.rotateKeys();
    await gateway.recordKeyRotation(request.requester!, result.keyId, result.resealed, result.refused);
    return result;
  });

  // After an engine upgrade: stored templates an older extractor made are made again from their images.
  api.post('/v1/admin/templates/reextract', { ...allow('accounts.manage'), schema: { ...admin('Make again, from their stored images, the templates an older extractor made (administrator); audited'), body: NoBody } }, async (request) => {
    const report = await system.reextractTemplates().catch(async (failed: unknown) => {
      await gateway.recordReextraction(request.requester!, { failed });
      throw failed;
    });
    await gateway.recordReextraction(request.requester!, report);
    return report;
  });

  api.post('/v1/admin/retention/run', { ...allow('accounts.manage'), schema: { ...admin('Run the retention purge now (administrator); audited'), body: NoBody } }, async (request) =>
    gateway.runRetention(request.requester!, options.retention ?? DEFAULT_RETENTION),
  );
}
