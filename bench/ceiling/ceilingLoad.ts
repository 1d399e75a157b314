import { orderHistoryBody } from '../orderHistoryQuery';

// MEASUREMENT ONLY (bench/executionCeiling.ts, issue 25): the load driver, a child process (forked
// with IPC) so that the measuring process's CPU is the server side alone, as the bench's stack CPU is.
// Each batch sends `pages` order-history pages (page 1, as the MFE loads it) to one URL with
// `concurrency` in flight, the Authorization rotating over every learner across all batches.

/** What the measuring process asks. */
export type LoadRequest =
  | { kind: 'init'; authorizations: string[] }
  | { kind: 'batch'; url: string; pages: number; concurrency: number }
  | { kind: 'answer'; url: string; authorization: string };

/** What the driver answers. */
export type LoadReply =
  | { kind: 'ready' }
  | { kind: 'batch'; pages: number; errors: number; firstError?: string; wallMs: number }
  | { kind: 'answer'; status: number; body: unknown };

const BODY = orderHistoryBody(1);
let authorizations: string[] = [];
let next = 0;

async function post(url: string, authorization: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: BODY,
  });
  return { status: response.status, body: await response.json() };
}

/** A page counts as an error unless it is 200 with data and no `errors` at all. */
function problemOf(status: number, body: unknown): string | undefined {
  const answer = body as { data?: { orderHistory?: unknown } | null; errors?: unknown[] };
  if (status !== 200) return `HTTP ${status}: ${JSON.stringify(body).slice(0, 300)}`;
  if (answer.errors !== undefined) return `errors: ${JSON.stringify(answer.errors).slice(0, 300)}`;
  if (!answer.data?.orderHistory) return 'no orderHistory in data';
  return undefined;
}

async function batch(url: string, pages: number, concurrency: number): Promise<LoadReply> {
  let sent = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = process.hrtime.bigint();
  const lane = async () => {
    while (sent < pages) {
      sent++;
      const authorization = authorizations[next++ % authorizations.length]!;
      const problem = await post(url, authorization).then(
        ({ status, body }) => problemOf(status, body),
        (error: unknown) => String(error),
      );
      if (problem !== undefined) {
        errors++;
        firstError ??= problem;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { kind: 'batch', pages, errors, wallMs, ...(firstError ? { firstError } : {}) };
}

process.on('message', (message: LoadRequest) => {
  const reply = (r: LoadReply) => process.send!(r);
  if (message.kind === 'init') {
    authorizations = message.authorizations;
    reply({ kind: 'ready' });
  } else if (message.kind === 'batch') {
    void batch(message.url, message.pages, message.concurrency).then(reply);
  } else {
    void post(message.url, message.authorization).then(({ status, body }) =>
      reply({ kind: 'answer', status, body }),
    );
  }
});
process.on('disconnect', () => process.exit(0));
