import { createServer } from 'node:http';
import { parseGatewayConfig } from '../../../gateway/gatewayConfig';
import { createUpstream } from '../../../upstream/createUpstream';
import { parseUpstreamEnv } from '../../../upstream/upstreamEnv';
import { configError } from '../../helpers/configError';
import { json, startFakeUpstream, type FakeUpstream } from '../../helpers/startFakeUpstream';

// One upstream over several instances of a service (a subgraph's replicas): calls are spread over
// all of them, and a read retried after a failed instance lands on another.
describe('an upstream with replica origins', () => {
  let instances: FakeUpstream[];
  beforeEach(async () => {
    instances = await Promise.all([startFakeUpstream(), startFakeUpstream()]);
    instances.forEach((instance, i) => instance.handle((_req, res) => json(res, 200, { instance: i })));
  });
  afterEach(() => Promise.all(instances.map((i) => i.close())));

  let clock: { now: number; sleeps: number };
  beforeEach(() => {
    clock = { now: 1_000_000, sleeps: 0 };
  });
  const upstreamOver = (urls: string[]) =>
    createUpstream(
      {
        ...parseUpstreamEnv('ORDERS_SUBGRAPH', 'orders', `${urls[0]}/graphql`, {}),
        replicaOrigins: urls.slice(1),
      },
      {
        // Backoff counted, not waited: a sleep is a retry.
        sleep: async () => {
          clock.sleeps++;
        },
        now: () => clock.now,
      },
    );

  it('spreads calls over every instance, on the base path', async () => {
    const upstream = upstreamOver(instances.map((i) => i.url));
    try {
      for (let i = 0; i < 20; i++) await upstream.request({ method: 'GET', path: '/status' });
      expect(instances[0]!.requests.length).toBeGreaterThan(0);
      expect(instances[1]!.requests.length).toBeGreaterThan(0);
      expect(instances[0]!.requests.length + instances[1]!.requests.length).toBe(20);
      expect(new Set(instances.flatMap((i) => i.requests.map((r) => r.url)))).toEqual(
        new Set(['/graphql/status']),
      );
    } finally {
      await upstream.close();
    }
  });

  it('answers every read while one instance is gone (the retry takes the other)', async () => {
    const upstream = upstreamOver(instances.map((i) => i.url));
    try {
      await instances[1]!.close();
      const answers = [];
      for (let i = 0; i < 10; i++)
        answers.push((await upstream.request<{ instance: number }>({ method: 'GET', path: '/' })).body);
      expect(answers).toEqual(Array(10).fill({ instance: 0 }));
    } finally {
      await upstream.close();
    }
  });

  it('answers 30 concurrent reads with two of three instances gone: a retry never repeats an instance', async () => {
    instances.push(await startFakeUpstream());
    instances[2]!.handle((_req, res) => json(res, 200, { instance: 2 }));
    const upstream = upstreamOver(instances.map((i) => i.url));
    try {
      await instances[0]!.close();
      await instances[1]!.close();
      const answers = await Promise.all(
        Array.from({ length: 30 }, () =>
          upstream.request<{ instance: number }>({ method: 'GET', path: '/' }),
        ),
      );
      expect(answers.map((a) => a.body)).toEqual(Array(30).fill({ instance: 2 }));
    } finally {
      await upstream.close();
    }
  });

  it('ejects only for a refused connection: an instance answering 503 stays in rotation', async () => {
    instances[1]!.handle((_req, res) => json(res, 503, {}));
    const upstream = upstreamOver(instances.map((i) => i.url));
    try {
      for (let i = 0; i < 4; i++)
        expect((await upstream.request({ method: 'GET', path: '/' })).body).toEqual({ instance: 0 });
      expect(upstream.status().instances!.map((i) => i.ejectedUntil)).toEqual([null, null]);
      // Still taking calls: its 503s were retried on the other instance, not avoided.
      expect(instances[1]!.requests.length).toBeGreaterThanOrEqual(2);
    } finally {
      await upstream.close();
    }
  });

  it('ejects an instance that refused a connection until its time is up, and shows it on status', async () => {
    const upstream = upstreamOver(instances.map((i) => i.url));
    const gone = new URL(instances[1]!.url);
    try {
      await instances[1]!.close();
      await upstream.request({ method: 'GET', path: '/' });
      await upstream.request({ method: 'GET', path: '/' });
      // One of those two went to the gone instance first and was retried on the other.
      expect(clock.sleeps).toBe(1);
      expect(upstream.status().instances).toEqual([
        { origin: instances[0]!.url, ejectedUntil: null },
        { origin: gone.origin, ejectedUntil: new Date(clock.now + 1000).toISOString() },
      ]);
      for (let i = 0; i < 10; i++) await upstream.request({ method: 'GET', path: '/' });
      // Ejected: no call paid a refused attempt, so none was retried.
      expect(clock.sleeps).toBe(1);

      // Back on the same port, and the ejection over: it takes calls again.
      const back = createServer((_req, res) => json(res, 200, { instance: 'back' }));
      await new Promise<void>((resolve) => back.listen(Number(gone.port), '127.0.0.1', resolve));
      try {
        clock.now += 1000;
        const answers = [];
        for (let i = 0; i < 4; i++) answers.push((await upstream.request({ method: 'GET', path: '/' })).body);
        expect(answers).toContainEqual({ instance: 'back' });
        expect(upstream.status().instances![1]!.ejectedUntil).toBeNull();
      } finally {
        back.closeAllConnections();
        await new Promise((resolve) => back.close(resolve));
      }
    } finally {
      await upstream.close();
    }
  });
});

describe('ORDERS_SUBGRAPH_URLS', () => {
  it('reads a list of instances as the first URL plus the others’ origins', () => {
    const config = parseGatewayConfig({
      ORDERS_SUBGRAPH_URLS: 'http://orders-a:4001/graphql, http://orders-b:4001/graphql',
    });
    expect(config.subgraphs.orders).toMatchObject({
      baseUrl: 'http://orders-a:4001/graphql',
      replicaOrigins: ['http://orders-b:4001'],
      timeoutMs: 5000,
    });
    expect(config.subgraphs.catalog.replicaOrigins).toEqual([]);
  });

  it.each([
    [
      { ORDERS_SUBGRAPH_URLS: 'http://a:1/graphql,http://b:1/other' },
      'every instance must serve the same path',
    ],
    [
      { ORDERS_SUBGRAPH_URLS: 'http://a:1/graphql,ftp://b/graphql' },
      '"ftp://b/graphql" is not an http(s) URL',
    ],
    [{ ORDERS_SUBGRAPH_URLS: ' , ' }, 'lists no URL'],
    [{ CATALOG_SUBGRAPH_URLS: 'http://a:1/graphql,http://a:1/graphql' }, 'lists an instance twice'],
    [
      { ORDERS_SUBGRAPH_URL: 'http://a:1/graphql', ORDERS_SUBGRAPH_URLS: 'http://b:1/graphql' },
      'ORDERS_SUBGRAPH_URL and ORDERS_SUBGRAPH_URLS are both set',
    ],
  ])('stops start-up on %j', (env, message) => {
    expect(configError(() => parseGatewayConfig(env))).toContain(message);
  });
});
