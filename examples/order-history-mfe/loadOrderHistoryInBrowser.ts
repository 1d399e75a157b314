/** Where the MFE's page finds its services (frontend-platform's config: LMS_BASE_URL and the rest). */
export interface BrowserMfeConfig {
  /** The gateway's GraphQL URL. */
  graphqlUrl: string;
  /** frontend-platform's REFRESH_ACCESS_TOKEN_ENDPOINT: `<LMS>/login_refresh`. */
  refreshUrl: string;
  /** frontend-platform's ACCESS_TOKEN_COOKIE_NAME: the script-readable half. */
  accessTokenCookieName: string;
  page: number;
  pageSize: number;
  /** Leave USE-JWT-COOKIE off (to show the gateway then ignores the cookies). @default false */
  withoutJwtCookieHeader?: boolean;
}

/** What the page shows (the shapes of loadOrderHistoryPage.ts, kept small). */
export type BrowserOutcome =
  | { kind: 'page'; username: string; count: number; numbers: string[] }
  | { kind: 'signIn'; status: number | null }
  | { kind: 'failed'; status: number; code: string };

/**
 * The order-history page as an MFE runs it in the browser, signed in the way frontend-platform's
 * AxiosJwtAuthService signs in (docs/api.md "Browsers"): it never sees the token's signature. It reads
 * the `header.payload` cookie (AxiosJwtTokenService.decodeJwtCookie), refreshes it at the LMS when it
 * is missing or expired (`getJwtToken` → POST REFRESH_ACCESS_TOKEN_ENDPOINT with credentials), and
 * sends every call with `credentials: 'include'` (withCredentials) and `USE-JWT-COOKIE: true`
 * (createJwtTokenProviderInterceptor): the browser adds both cookies, the gateway joins them.
 *
 * Self-contained on purpose (no imports, no outer names): a bundler puts it in the MFE, and the
 * browser test hands the function itself to the page (test/e2e/mfeCookieSignIn.test.ts).
 */
export async function loadOrderHistoryInBrowser(config: BrowserMfeConfig): Promise<BrowserOutcome> {
  const decodeCookie = (): { exp?: number; preferred_username?: string } | null => {
    const prefix = `${config.accessTokenCookieName}=`;
    const value = document.cookie
      .split(';')
      .map((c) => c.trim())
      .find((c) => c.startsWith(prefix))
      ?.slice(prefix.length);
    const payload = value?.split('.')[1];
    if (!payload) return null;
    try {
      const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
      return JSON.parse(json) as { exp?: number; preferred_username?: string };
    } catch {
      return null;
    }
  };
  const expired = (claims: { exp?: number } | null) =>
    !claims || typeof claims.exp !== 'number' || claims.exp < Date.now() / 1000;

  let claims = decodeCookie();
  if (expired(claims)) {
    const refreshed = await fetch(config.refreshUrl, { method: 'POST', credentials: 'include' });
    if (refreshed.status === 401) return { kind: 'signIn', status: 401 };
    claims = decodeCookie();
    if (expired(claims)) return { kind: 'signIn', status: null };
  }

  const query = `query OrderHistory($page: Int!, $pageSize: Int!) {
    orderHistory(page: $page, pageSize: $pageSize) { count orders { number } }
  }`;
  const response = await fetch(config.graphqlUrl, {
    method: 'POST',
    credentials: 'include',
    headers: {
      'content-type': 'application/json',
      ...(config.withoutJwtCookieHeader ? {} : { 'USE-JWT-COOKIE': 'true' }),
    },
    body: JSON.stringify({ query, variables: { page: config.page, pageSize: config.pageSize } }),
  });
  const body = (await response.json()) as {
    data?: { orderHistory?: { count: number; orders: { number: string }[] } } | null;
    errors?: { extensions?: { code?: string } }[];
  };
  const history = body.data?.orderHistory;
  if (history) {
    return {
      kind: 'page',
      username: claims?.preferred_username ?? '',
      count: history.count,
      numbers: history.orders.map((o) => o.number),
    };
  }
  const code = body.errors?.[0]?.extensions?.code ?? 'UNKNOWN';
  if (code === 'UNAUTHENTICATED') return { kind: 'signIn', status: response.status };
  return { kind: 'failed', status: response.status, code };
}
