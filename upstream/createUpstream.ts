import { setTimeout as delay } from 'node:timers/promises';
import { trace, type Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { ErrorCode } from '../platform/ErrorCode';
import { AttemptTracer, type Attempt } from './AttemptTracer';
import { backoffDelay } from './backoffDelay';
import { Bulkhead } from './Bulkhead';
import { buildUrlPath } from './buildUrlPath';
import { createBreaker } from './createBreaker';
import { deadlineSignal } from './deadlineSignal';
import { reportNotice } from '../platform/degradedNotices';
import { httpAttempt, rateLimitedError } from './httpAttempt';
import { isRetryable } from './isRetryable';
import { outcomeOf } from './outcomeOf';
import { ReplicaSet } from './ReplicaSet';
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
  const poolOptions = {
    connections: options.maxConnections,
    // The kit's AbortSignals own every deadline; undici's own timers would race them with other errors.
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: 10_000,
  };
  const now = deps.now ?? Date.now;
  // One breaker and one bulkhead for the service as a whole: its callers see one dependency.
  const instances = new ReplicaSet({
    base,
    replicaOrigins: options.replicaOrigins ?? [],
    name,
    timeoutMs: options.timeoutMs,
    pool: poolOptions,
    now,
  });
  const bulkhead = new Bulkhead(name, options.bulkhead.maxConcurrent, options.bulkhead.maxQueue);
  const budget = new RetryBudget(options.retry.budgetPercent, options.retry.budgetMinConcurrent);
  const attempts = new AttemptTracer(deps.tracer ?? trace.getTracer('switchyard-upstream'), name, base);
  const breaker = createBreaker(
    name,
    // Runs only once the breaker lets the call through: a fast-fail never left, so it gets no span.
    async (request: UpstreamRequest, signal: AbortSignal, attempt: Attempt) => {
      const target = instances.pick(attempt.tried);
      attempt.tried.push(target.origin);
      try {
        const response = await httpAttempt(
          target,
          request,
          signal,
          attempts.start(attempt, request, target.origin),
        );
        instances.answered(target.origin);
        return response;
      } catch (error) {
        // Only a refused connection ejects an instance: a reset or a timeout may be one bad call.
        if (isUpstreamError(error) && error.code === ErrorCode.UPSTREAM_UNAVAILABLE && error.detail.neverSent)
          instances.refused(target.origin);
        throw error;
      }
    },
    options.breaker,
  );
  const stale: StaleStore | null =
    options.staleIfError.maxAgeMs > 0
      ? (deps.staleStore ?? new MemoryStaleStore(options.staleIfError.maxEntries))
      : null;
  const sleep = deps.sleep ?? ((ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }));
  const metrics = deps.metrics;
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
      // Raised only now, past the breaker: a 429 is one caller's throttle (the legacy API counts per
      // user token), so it must never open the breaker every other user shares. opossum saw an answer.
      if (response.status === 429) throw rateLimitedError(name, response);
      metrics?.calls.inc({ upstream: name, outcome: response.status >= 400 ? 'client_error' : 'success' });
      attempts.answered(attempt, response.status);
      return response;
    } catch (error) {
      const failure = toUpstreamError(error);
      metrics?.calls.inc({ upstream: name, outcome: outcomeOf(failure) });
      attempts.failed(attempt, failure);
      // What the upstream did wrong, for /status: not a caller who left, not our own fast-fail while
      // the breaker is open, which would hide the failure that opened it, and not one user throttled.
      if (
        !failure.detail.callerAborted &&
        !failure.detail.breakerOpen &&
        failure.code !== ErrorCode.UPSTREAM_RATE_LIMITED
      )
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
    // Whether the attempt under way holds a slot of the retry budget.
    let charged = false;
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
        if (charged) budget.release();
        charged = false;
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
      // Never retry past the request's deadline.
      if (now() + wait + 1 >= deadlineAt) throw failure;
      // Nor beyond the budget, which bounds the extra load retries put on a failing service. A refused
      // connection put none on it (no process took the request), and its retry goes to another
      // instance where there are several: during a rolling restart every read must get that retry.
      const refused = failure.code === ErrorCode.UPSTREAM_UNAVAILABLE && failure.detail.neverSent === true;
      if (!refused) {
        if (!budget.tryAcquire()) throw failure;
        charged = true;
      }
      try {
        await sleep(wait, signal);
      } catch {
        if (charged) budget.release();
        charged = false;
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
    const attempt: Attempt = { retry: 0, span: undefined, failedAt: 0, tried: [] };
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
      // Not for a throttled caller: a stored answer would hide the wait they were told, and each of
      // their retries would still reach the upstream and spend their allowance (RFC 5861 §4 names
      // 500, 502, 503 and 504 as the errors stale-if-error covers).
      const stored =
        key && !failure.detail.callerAborted && failure.code !== ErrorCode.UPSTREAM_RATE_LIMITED
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
    return `${request.staleScope}\u0000${request.method} ${buildUrlPath('', request)}`;
  }

  function toUpstreamError(error: unknown): UpstreamError {
    if (isUpstreamError(error)) return error;
    if ((error as { code?: unknown })?.code === 'EOPENBREAKER') {
      return new UpstreamError(
        name,
        ErrorCode.UPSTREAM_UNAVAILABLE,
        `${name} is unavailable (circuit open)`,
        { breakerOpen: true, neverSent: true },
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
      ...(options.replicaOrigins?.length ? { instances: instances.status() } : {}),
    }),
    close: async () => {
      breaker.shutdown();
      await instances.close();
    },
  };
}
