import { Type } from '@sinclair/typebox';
import { clientKey, RateLimiter, SIGN_IN_RATE_LIMITS } from '../../gateway/rate-limit.ts';
import { AccountId, BearerHeaders, NoBody, NoParameters, Strict, Text } from '../schemas/common.ts';
import { bearerToken, typed, userView, type RouteContext } from './route-context.ts';

export const SignInBody = Strict({
  user: AccountId,
  password: Text(256),
  code: Type.String({ pattern: '^[0-9]{6,8}$', description: 'the current one-time code (RFC 6238)' }),
});

/** Signing in and out, and who the caller is. */
export function registerSessionRoutes({ app, gateway }: RouteContext): void {
  const api = typed(app);
  // Guessing is slowed per (account, client address) and per client address, whatever the lockout says.
  const signInLimiter = new RateLimiter(gateway.database, 'sign-in', SIGN_IN_RATE_LIMITS, { user: 'account', agency: 'client address' });

  api.post('/auth/sign-in', {
    schema: { summary: 'Password and one-time code (RFC 6238) to a session token', tags: ['session'], security: [], querystring: NoParameters, body: SignInBody },
  }, async (request) => {
    // Per (account, address) and per address: guesses from one address never slow down the account's user at another.
    const address = clientKey(request.ip);
    await signInLimiter.take(`${request.body.user} from ${address}`, address);
    const result = await gateway.signIn(request.body, request.ip);
    return { token: result.token, user: userView(result.requester), idleLockSeconds: result.idleLockSeconds };
  });

  api.post('/v1/sign-out', { schema: { summary: 'End the session', tags: ['session'], headers: BearerHeaders, querystring: NoParameters, body: NoBody } }, async (request, reply) => {
    await gateway.signOut(request.requester!, bearerToken(request) ?? '');
    return reply.status(204).send();
  });

  api.get('/v1/me', { schema: { summary: 'The signed-in user', tags: ['session'], headers: BearerHeaders, querystring: NoParameters } }, async (request) => userView(request.requester!));
}
