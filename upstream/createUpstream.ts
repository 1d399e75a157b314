import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { trace, type Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { Pool } from 'undici';
import { ErrorCode } from '../platform/ErrorCode';
import { AttemptTracer, type Attempt } from './AttemptTracer';
import { backoffDelay } from './backoffDelay';
import { Bulkhead } from './Bulkhead';
import { buildUrlPath } from './buildUrlPath';
import { createBreaker } from './createBreaker';
import { deadlineSignal } from './deadlineSignal';
import { reportNotice } from './degradedNotices';
import { httpAttempt } from './httpAttempt';
import { isRetryable } from './isRetryable';
import { outcomeOf } from './outcomeOf';
import { RetryBudget } from './RetryBudget';
import { MemoryStaleStore } from './MemoryStaleStore';
import type { StaleStore } from './StaleStore';
import type { BreakerState, Upstream, UpstreamRequest, UpstreamResponse, UpstreamStatus } from './Upstream';
import { UpstreamError, isUpstreamError } from './UpstreamError';
import { BREAKER_STATE_VALUE, type UpstreamMetrics } from './UpstreamMetrics';
import type { UpstreamOptions } from './UpstreamOptions';

export interface UpstreamDeps {
  metrics?: UpstreamMetrics;
  logger?: Logger;
  /** Injected in tests for deterministic jitter. */
  random?: () => number;
  /** Injected in tests so backoff needs no real waiting. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Clock for deadline arithmetic; a test's fake sleep advances it. */
  now?: () => number;
  /** Shared stale-if-error store (Redis); a bounded in-memory one per upstream otherwise. */
  staleStore?: StaleStore;
  /**
   * Starts the CLIENT span of each attempt (the component's, from createTracing).
   * @default the OpenTelemetry API's global tracer: a no-op unless one is registered, which still
   * passes the caller's trace context on
   */
  tracer?: Tracer;
}

/**
 * One upstream, created once at start-up: bulkhead → retries (idempotent only, budgeted, within the
 * request deadline) → breaker → one HTTP attempt under its own deadline; stale-if-error around it all
 * when enabled. Every other module calls other services only through this.
 */
export function createUpstream(options: UpstreamOptions, deps: UpstreamDeps = {}): Upstream {
  const { name } = options;
  const base = new URL(options.baseUrl);
  const pool = new Pool(base.origin, {
    connections: options.maxConnections,
    // The kit's AbortSignals own every deadline; undici's own timers would race them with other errors.
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: 10_000,
  });
  const target = { name, pool, origin: base.origin, basePath: base.pathname, timeoutMs: options.timeoutMs };
  const bulkhead = new Bulkhead(name, options.bulkhead.maxConcurrent, options.bulkhead.maxQueue);
  const budget = new RetryBudget(options.retry.budgetPercent, options.retry.budgetMinConcurrent);
  const attempts = new AttemptTracer(deps.tracer ?? trace.getTracer('switchyard-upstream'), name, base);
  const breaker = createBreaker(
    name,
    // Runs only once the breaker lets the call through: a fast-fail never left, so it gets no span.
    (request: UpstreamRequest, signal: AbortSignal, attempt: Attempt) =>
      httpAttempt(target, request, signal, attempts.start(attempt, request)),
    options.breaker,
  );
  const stale: StaleStore | null =
    options.staleIfError.maxAgeMs > 0
      ? (deps.staleStore ?? new MemoryStaleStore(options.staleIfError.maxEntries))
      : null;
  const sleep = deps.sleep ?? ((ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }));
  const metrics = deps.metrics;
  const now = deps.now ?? Date.now;
  let lastError: UpstreamStatus['lastError'] = null;

  const setState = (state: BreakerState) => () => {
    metrics?.breakerState.set({ upstream: name }, BREAKER_STATE_VALUE[state]);
    const log = state === 'open' ? deps.logger?.warn.bind(deps.logger) : deps.logger?.info.bind(deps.logger);
    log?.(
      {
        upstream: name,
        breaker: state,
        stats: { fires: breaker.stats.fires, failures: breaker.stats.failures },
      },
      `breaker ${state}`,
    );
  };
  breaker.on('open', setState('open'));
  breaker.on('halfOpen', setState('halfOpen'));
  breaker.on('close', setState('closed'));
  metrics?.breakerState.set({ upstream: name }, 0);

  async function attemptOnce<T>(
    request: UpstreamRequest,
    signal: AbortSignal,
    attempt: Attempt,
  ): Promise<UpstreamResponse<T>> {
    const stopTimer = metrics?.duration.startTimer({ upstream: name });
    try {
      const response = (await breaker.fire(request, signal, attempt)) as UpstreamResponse<T>;
      metrics?.calls.inc({ upstream: name, outcome: response.status >= 400 ? 'client_error' : 'success' });
      attempts.answered(attempt, response.status);
      return response;
    } catch (error) {
      const failure = toUpstreamError(error);
      metrics?.calls.inc({ upstream: name, outcome: outcomeOf(failure) });
      attempts.failed(attempt, failure);
      // What the upstream did wrong, for /status: not a caller who left, and not our own fast-fail while
      // the breaker is open, which would hide the failure that opened it.
      if (!failure.detail.callerAborted && !failure.detail.breakerOpen)
        lastError = { code: failure.code, message: failure.message, at: new Date().toISOString() };
      throw failure;
    } finally {
      stopTimer?.();
    }
  }

  // A failure thrown from here leaves its attempt's span open: request() ends it, knowing by then
  // whether a stale answer stood in.
  async function withRetries<T>(
    request: UpstreamRequest,
    signal: AbortSignal,
    deadlineAt: number,
    attempt: Attempt,
  ): Promise<UpstreamResponse<T>> {
    const idempotent = request.idempotent ?? request.method === 'GET';
    for (let retry = 0; ; retry++) {
      let failure: UpstreamError;
      attempt.retry = retry;
      try {
        return await attemptOnce<T>(request, signal, attempt);
      } catch (error) {
        failure = error as UpstreamError;
      } finally {
        // A retry's slot is given back as soon as its attempt ends, before the next retry asks for
        // one: a request waiting for its second retry is one retry in flight, not two.
        if (retry > 0) budget.release();
      }
      if (retry >= options.retry.maxRetries || !isRetryable(failure, idempotent) || signal.aborted)
        throw failure;
      const wait = backoffDelay(
        retry,
        {
          baseMs: options.retry.baseDelayMs,
          maxMs: options.retry.maxDelayMs,
          retryAfterMs: failure.detail.retryAfterMs,
        },
        deps.random,
      );
      // Never retry past the request's deadline, nor beyond the budget.
      if (now() + wait + 1 >= deadlineAt || !budget.tryAcquire()) throw failure;
      try {
        await sleep(wait, signal);
      } catch {
        budget.release();
        throw failure;
      }
      attempts.end(attempt);
      metrics?.retries.inc({ upstream: name });
    }
  }

  async function request<T>(request: UpstreamRequest): Promise<UpstreamResponse<T>> {
    const deadline = deadlineSignal(options.requestTimeoutMs, request.signal);
    const { signal } = deadline;
    const deadlineAt = now() + options.requestTimeoutMs;
    const key =
      stale && request.staleScope !== undefined && (request.idempotent ?? request.method === 'GET')
        ? staleKey(request)
        : null;
    const attempt: Attempt = { retry: 0, span: undefined, failedAt: 0 };
    budget.requestStarted();
    try {
      const response = await bulkhead.run(() => {
        metrics?.inFlight.set({ upstream: name }, bulkhead.inFlight);
        return withRetries<T>(request, signal, deadlineAt, attempt);
      }, signal);
      // Not awaited: remembering an answer must not delay it.
      if (key && response.status === 200) void stale!.set(key, response, options.staleIfError.maxAgeMs);
      return response;
    } catch (error) {
      const failure = toUpstreamError(error);
      const stored =
        key && !failure.detail.callerAborted
          ? await stale!.get(key, options.staleIfError.maxAgeMs)
          : undefined;
      attempts.end(attempt, stored !== undefined);
      if (failure.detail.breakerOpen || failure.detail.localOverload)
        attempts.rejected(failure, stored !== undefined);
      if (stored) {
        metrics?.staleServed.inc({ upstream: name });
        reportNotice({ upstream: name, reason: 'stale', ageMs: stored.ageMs });
        return { ...(stored.response as UpstreamResponse<T>), stale: { ageMs: stored.ageMs } };
      }
      if (failure.code === ErrorCode.UPSTREAM_OVERLOADED && failure.detail.localOverload) {
        metrics?.calls.inc({ upstream: name, outcome: 'rejected_overload' });
      }
      throw failure;
    } finally {
      deadline.dispose();
      budget.requestFinished();
      metrics?.inFlight.set({ upstream: name }, bulkhead.inFlight);
      metrics?.queued.set({ upstream: name }, bulkhead.queued);
    }
  }

  function staleKey(request: UpstreamRequest): string {
    const auth = createHash('sha256')
      .update(request.headers?.authorization ?? '')
      .digest('base64url');
    return `${request.staleScope}\u0000${auth}\u0000${request.method} ${buildUrlPath('', request)}`;
  }

  function toUpstreamError(error: unknown): UpstreamError {
    if (isUpstreamError(error)) return error;
    if ((error as { code?: unknown })?.code === 'EOPENBREAKER') {
      return new UpstreamError(
        name,
        ErrorCode.UPSTREAM_UNAVAILABLE,
        `${name} is unavailable (circuit open)`,
        { breakerOpen: true },
      );
    }
    return new UpstreamError(name, ErrorCode.UPSTREAM_ERROR, `${name} call failed`, {
      cause: String((error as Error)?.message ?? error),
    });
  }

  return {
    name,
    request,
    status: () => ({
      name,
      breaker: breaker.opened ? 'open' : breaker.halfOpen ? 'halfOpen' : 'closed',
      inFlight: bulkhead.inFlight,
      queued: bulkhead.queued,
      rejectedOverload: bulkhead.rejected,
      lastError,
    }),
    close: async () => {
      breaker.shutdown();
      await pool.close();
    },
  };
}
