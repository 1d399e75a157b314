import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { listen } from '../platform/http/listen';
import { createUpstream } from '../upstream/createUpstream';
import { parseUpstreamEnv } from '../upstream/upstreamEnv';

// The server side of the kit-overhead measurement (bench/kitOverhead.ts), its own process: `/direct`
// calls the stub upstream with a bare undici Pool, `/kit` through the upstream kit (deadline,
// bulkhead, breaker, retry wrapper, as every Switchyard upstream call goes) with its production
// defaults. Both parse the JSON answer, so the difference is the kit alone. It learns the stub's URL
// over IPC and says where it listens the same way; it also times each call in-process, so a missed
// target can be split into the kit's own work and what the network and the scheduler add.

interface Start {
  target: string;
}

const timings: Record<'direct' | 'kit', number[]> = { direct: [], kit: [] };

process.once('message', (message: Start) => {
  void start(message.target).then((url) => process.send?.({ listening: url }));
});

async function start(target: string): Promise<string> {
  const options = parseUpstreamEnv('KIT_OVERHEAD', 'kit-overhead', target, {});
  const upstream = createUpstream(options);
  // The same pool settings the kit gives its own (upstream/createUpstream.ts).
  const pool = new Pool(new URL(target).origin, {
    connections: options.maxConnections,
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: 10_000,
  });
  const calls = {
    direct: async () => {
      const response = await pool.request({ method: 'GET', path: '/item' });
      return response.body.json();
    },
    kit: async () => (await upstream.request({ method: 'GET', path: '/item' })).body,
  };
  const server = createServer((req, res) => {
    const variant = req.url === '/kit' ? 'kit' : req.url === '/direct' ? 'direct' : null;
    if (!variant) return void res.writeHead(404).end();
    const started = performance.now();
    calls[variant]().then(
      () => {
        timings[variant].push(performance.now() - started);
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      },
      () => res.writeHead(502).end(),
    );
  });
  process.on('message', (message: { timings?: boolean }) => {
    if (!message.timings) return;
    process.send?.({ timings: { direct: timings.direct.splice(0), kit: timings.kit.splice(0) } });
  });
  return listen(server, 0);
}
