import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { explorerRoutes } from '../../../gateway/explorer/explorerRoutes';

// The explorer's assets are read on their first request, not at start (issue 25: 4 MiB of buffers in
// every gateway process otherwise); what a browser receives must not change, first request or later.

const ASSET_FILES: Record<string, { file: string; type: string }> = {
  'react.js': {
    file: join(dirname(require.resolve('react/package.json')), 'umd/react.production.min.js'),
    type: 'text/javascript',
  },
  'react-dom.js': {
    file: join(dirname(require.resolve('react-dom/package.json')), 'umd/react-dom.production.min.js'),
    type: 'text/javascript',
  },
  'graphiql.js': {
    file: join(dirname(require.resolve('graphiql/package.json')), 'graphiql.min.js'),
    type: 'text/javascript',
  },
  'graphiql.css': {
    file: join(dirname(require.resolve('graphiql/package.json')), 'graphiql.min.css'),
    type: 'text/css',
  },
};

let server: Server;
let base: string;

beforeAll(async () => {
  const routes = explorerRoutes({ defaultQuery: '{ orderHistory { count } }' });
  server = createServer((req, res) => {
    const handler = routes[`${req.method} ${req.url}`];
    if (handler) void handler(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it.each(Object.entries(ASSET_FILES))(
  'serves /explorer/%s from its package, the same bytes every time',
  async (name, asset) => {
    const expected = readFileSync(asset.file);
    for (const attempt of ['first', 'again']) {
      const response = await fetch(`${base}/explorer/${name}`);
      expect({ attempt, status: response.status }).toEqual({ attempt, status: 200 });
      expect(response.headers.get('content-type')).toBe(`${asset.type}; charset=utf-8`);
      expect(response.headers.get('content-length')).toBe(String(expected.length));
      expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
      expect(Buffer.from(await response.arrayBuffer()).equals(expected)).toBe(true);
    }
  },
);

it('serves the page and its boot script as before', async () => {
  const page = await fetch(`${base}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/explorer\/graphiql\.js/);
  const boot = await fetch(`${base}/explorer/boot.js`);
  expect(boot.status).toBe(200);
  expect((await boot.text()).length).toBeGreaterThan(0);
});
