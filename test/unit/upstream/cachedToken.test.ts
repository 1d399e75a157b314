import { CachedToken, type FetchedToken } from '../../../upstream/CachedToken';

// The token cache shared by the vendor's OAuth client and the LMS service identity.
describe('CachedToken', () => {
  let now = 0;
  let fetches = 0;
  let release: (() => void) | undefined;
  let failNext = false;
  const fetch = async (): Promise<FetchedToken<string>> => {
    fetches++;
    const n = fetches;
    // Held open until the test releases it, so concurrent callers really overlap.
    await new Promise<void>((resolve) => (release = resolve));
    if (failNext) {
      failNext = false;
      throw new Error('refused');
    }
    return { value: `token-${n}`, refreshAt: now + 1000 };
  };
  beforeEach(() => {
    now = 0;
    fetches = 0;
    failNext = false;
  });
  const settle = async <T>(pending: Promise<T>) => {
    await Promise.resolve();
    release?.();
    return pending;
  };

  it('makes one fetch for 50 concurrent callers and reuses it until refreshAt', async () => {
    const cache = new CachedToken(fetch, () => now);
    const all = Promise.all(Array.from({ length: 50 }, () => cache.get()));
    expect(await settle(all)).toEqual(Array(50).fill('token-1'));
    now = 999;
    expect(await cache.get()).toBe('token-1');
    now = 1000;
    expect(await settle(cache.get())).toBe('token-2');
    expect(fetches).toBe(2);
  });

  it('does not remember a failed fetch', async () => {
    const cache = new CachedToken(fetch, () => now);
    failNext = true;
    await expect(settle(cache.get())).rejects.toThrow('refused');
    expect(await settle(cache.get())).toBe('token-2');
  });

  it('forgets an invalidated token, but not a newer one', async () => {
    const cache = new CachedToken(fetch, () => now);
    expect(await settle(cache.get())).toBe('token-1');
    cache.invalidate('token-1');
    expect(await settle(cache.get())).toBe('token-2');
    cache.invalidate('token-1');
    expect(await cache.get()).toBe('token-2');
    expect(fetches).toBe(2);
  });
});
