import autocannon from 'autocannon';
import type { LoadJob, LoadResult } from './startLoadWorker';

// The load generator, a child process of runBench (see startLoadWorker for why it is separate).
// It receives one job per message over IPC and answers with a LoadResult; it never reads env.

const MAX_ERROR_KINDS = 10;

function run(job: LoadJob): Promise<LoadResult> {
  let next = 0;
  let graphqlErrors = 0;
  // autocannon calls onResponse and then emits 'response' synchronously for the same response, so
  // this flag carries the verdict on the body over to the event that has the response time.
  let lastFailed = false;
  const goodLatencies: number[] = [];
  const errorKinds: Record<string, number> = {};
  const count = (kind: string) => {
    if (kind in errorKinds || Object.keys(errorKinds).length < MAX_ERROR_KINDS)
      errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  };

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.url,
        connections: job.connections,
        duration: job.durationS,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            headers: { ...job.headers, 'content-type': 'application/json' },
            body: job.body,
            // Round-robin over learners: each one's orders are a different upstream page, so the
            // uncached path is exercised the way traffic from many learners would.
            setupRequest: (request) => {
              request.headers.authorization = job.authorizations[next++ % job.authorizations.length]!;
              return request;
            },
            onResponse: (status, body) => {
              // A substring test rather than JSON.parse: this runs per response and its CPU competes with
              // the stack on small machines. Apollo writes `errors` only at the top level.
              lastFailed =
                status < 200 ||
                status > 299 ||
                body.includes('"errors":') ||
                !body.includes('"orderHistory":{');
              if (!lastFailed) return;
              if (status >= 200 && status <= 299) graphqlErrors++;
              count(describe(status, body));
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const good = goodLatencies.sort((a, b) => a - b);
        resolve({
          durationS: result.duration,
          completed: result.requests.total,
          good: good.length,
          non2xx: result.non2xx,
          graphqlErrors,
          transportErrors: result.errors,
          timeouts: result.timeouts,
          latencyMs: {
            p50: result.latency.p50,
            p90: result.latency.p90,
            p99: result.latency.p99,
            max: result.latency.max,
            mean: result.latency.mean,
          },
          goodLatencyMs: { p50: percentile(good, 50), p90: percentile(good, 90), p99: percentile(good, 99) },
          statusCodes: Object.fromEntries(
            Object.entries(result.statusCodeStats).map(([code, stat]) => [code, stat.count]),
          ),
          errorKinds,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      if (!lastFailed) goodLatencies.push(responseTime);
    });
    instance.on('reqError', (error: Error) => count(`transport: ${error.message}`));
  });
}

/** `CODE: message` of the first GraphQL error, or the status and start of the body. */
function describe(status: number, body: string): string {
  const code = /"code":"([^"]+)"/.exec(body)?.[1];
  const message = /"message":"((?:[^"\\]|\\.)*)"/.exec(body)?.[1];
  if (message !== undefined) return `HTTP ${status} ${code ?? 'no code'}: ${message.slice(0, 200)}`;
  return `HTTP ${status}: ${body.slice(0, 200)}`;
}

/** Nearest-rank percentile of sorted values; 0 when there are none. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

process.on('message', (message: { type: 'run'; job: LoadJob }) => {
  if (message.type !== 'run') return;
  run(message.job).then(
    (result) => process.send?.({ type: 'result', result }),
    (error: unknown) => process.send?.({ type: 'error', message: String(error) }),
  );
});
// The parent going away (crash, SIGKILL) must not leave a load generator hammering a port.
process.on('disconnect', () => process.exit(0));
