import type { JwtOptions } from '../../platform/auth/JwtOptions';
import { authenticate, isResponse } from '../kit/authenticate';
import type { SimRequest, SimResponse, SimRoute } from '../kit/createSimulator';

/** The LMS's users: username → `auth_user.id`. Live: a test renames or retires a user by editing it. */
export type LmsAccounts = Map<string, number>;

/**
 * The LMS user API's account read, `GET /api/user/v1/accounts/{username}` (edx-platform
 * `openedx/core/djangoapps/user_api/accounts/views.py`, docs/reference/lms-oauth.md "Accounts"): with a
 * JWT, the user themselves or staff get the admin fields, `id` among them (`UserReadOnlySerializer`,
 * `get_account_settings` in `accounts/api.py`); anyone else only what is shared, never `id`; an unknown
 * username is 404. Only the fields Switchyard reads, and a few beside them, are modelled.
 */
export function lmsAccountRoutes(accounts: LmsAccounts, jwt: JwtOptions): SimRoute[] {
  async function account(request: SimRequest): Promise<SimResponse> {
    const who = await authenticate(request.headers, jwt);
    if (isResponse(who)) return who;
    const username = request.params[0] ?? '';
    const id = accounts.get(username);
    if (id === undefined) return { status: 404, body: { detail: 'Not found.' } };
    const shared = { username, account_privacy: 'private', profile_image: { has_image: false } };
    if (!who.isStaff && who.username !== username) return { status: 200, body: shared };
    return {
      status: 200,
      body: { ...shared, id, email: `${username}@example.org`, name: username, is_active: true },
    };
  }
  return [
    {
      method: 'GET',
      // accounts/urls.py: the username pattern, with or without the trailing slash.
      pattern: /^\/api\/user\/v1\/accounts\/([^/]+)\/?$/,
      name: 'accounts.detail',
      handle: account,
    },
  ];
}
