import { z } from 'zod';
import type { CallContext } from '../CallContext';
import { expectStatus } from '../../upstream/expectStatus';
import { parseBody } from '../../upstream/parseBody';
import { sendRenewingOn401 } from '../../upstream/sendRenewingOn401';
import type { Upstream } from '../../upstream/Upstream';
import type { ServiceTokens } from './createServiceTokens';

// What we read of the account (UserReadOnlySerializer): `id` is among the fields staff are shown.
const accountSchema = z.object({ username: z.string(), id: z.number().int().positive() });

/**
 * The LMS user id of a username, from the LMS user API (`GET /api/user/v1/accounts/{username}`,
 * docs/reference/lms-oauth.md "Accounts") as Switchyard's service user, which is staff and so is shown
 * `id`. For when a request names a learner by username and the id is what identifies them elsewhere
 * (a vendor customer's `edx-lms_user_id`): usernames are changed and, after retirement, reused; the
 * id never is. Not cached: staff lookups are rare, and a rename must show at once.
 */
export class LmsUserIds {
  constructor(
    private readonly api: Upstream,
    private readonly service: Pick<ServiceTokens, 'identity' | 'invalidate'>,
  ) {}

  /** The user's id, or null when the LMS has no user of that name (renamed, retired, never was). */
  async userIdOf(username: string, context: CallContext): Promise<number | null> {
    const response = await sendRenewingOn401(
      { current: () => this.service.identity(), invalidate: (refused) => this.service.invalidate(refused) },
      (service) =>
        this.api.request({
          method: 'GET',
          path: `/api/user/v1/accounts/${encodeURIComponent(username)}`,
          route: '/api/user/v1/accounts/{username}',
          headers: { authorization: `JWT ${service.token}`, 'x-request-id': context.requestId },
          signal: context.signal,
        }),
    );
    if (response.status === 404) return null;
    // Anything else (a second 401, a 403 because our user is not staff) is ours to fix: fail closed.
    expectStatus(this.api.name, response, 200);
    return parseBody(this.api.name, accountSchema, response.body).id;
  }
}
