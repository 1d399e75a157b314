import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { parse, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { Histogram, type Registry } from 'prom-client';
import { ErrorCode } from '../ErrorCode';
import { codedError } from '../codedError';
import { actualCost } from '../graphql/limits/actualCost';
import { CostEstimationError } from '../graphql/limits/CostEstimationError';
import { CostModel } from '../graphql/limits/CostModel';
import { estimateCost } from '../graphql/limits/estimateCost';
import { readCostDirectives } from '../graphql/limits/readCostDirectives';

/** Whatever tells us each schema Apollo runs on and the supergraph it came from: the ApolloGateway. */
export interface SupergraphSource {
  onSchemaLoadOrUpdate(
    callback: (schemaContext: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }) => void,
  ): () => void;
}

export interface CostLimitOptions {
  /** The @cost/@listSize directives are read from each supergraph it loads (they are not in the API schema). */
  gateway: SupergraphSource;
  /** Operations estimated above this are refused (GATEWAY_MAX_COST). */
  maxCost: number;
  /** Where the estimated and actual cost histograms go. */
  metrics: Registry;
  /**
   * The size assumed for a list field no @listSize sizes (Apollo Router's `list_size`). Every object
   * list in our schema is sized; 100 is the largest page a subgraph serves. @default 100
   */
  defaultListSize?: number;
}

// Apollo Router's suggested cost buckets, with the default limit's neighbourhood filled in.
const COST_BUCKETS = [0, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 100_000, 1_000_000];

/**
 * Demand control (docs/reference/demand-control.md): estimates each operation's cost once Apollo
 * has parsed and validated it and before the gateway plans it, refuses it with COST_LIMIT_EXCEEDED
 * (400, `extensions.cost: { estimated, max }`) when over `maxCost`, so no subgraph is called;
 * afterwards records the actual cost, recomputed from the response's list sizes.
 *
 * Cheap on the hot path: the directives are read once per supergraph and each field's weights once
 * per schema, and an estimate that read no variable is kept per parsed operation (Apollo Server
 * reuses the parsed document of a query it has seen), so a repeated query costs a WeakMap lookup.
 */
export function enforceCostLimit<TContext extends BaseContext>(
  options: CostLimitOptions,
): ApolloServerPlugin<TContext> {
  const defaultListSize = options.defaultListSize ?? 100;
  const models = new WeakMap<GraphQLSchema, CostModel>();
  let latest: CostModel | null = null;
  // Subscribed now, before Apollo starts the gateway, so the first schema it loads is seen too.
  const unsubscribe = options.gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    latest = new CostModel(apiSchema, readCostDirectives(parse(coreSupergraphSdl)), defaultListSize);
    models.set(apiSchema, latest);
  });
  // Per model: a reloaded supergraph may reweigh a document Apollo still has parsed.
  const estimates = new WeakMap<CostModel, WeakMap<OperationDefinitionNode, number>>();
  const registers = [options.metrics];
  const estimated = new Histogram({
    name: 'switchyard_operation_cost_estimated',
    help: 'Estimated cost of each operation before execution, by result (COST_OK, COST_LIMIT_EXCEEDED)',
    labelNames: ['result'],
    buckets: COST_BUCKETS,
    registers,
  });
  const actual = new Histogram({
    name: 'switchyard_operation_cost_actual',
    help: 'Cost of each executed operation recomputed from its response (actual list sizes)',
    buckets: COST_BUCKETS,
    registers,
  });
  const modelOf = (schema: GraphQLSchema): CostModel => {
    const model = models.get(schema) ?? latest;
    if (!model) throw new Error('enforceCostLimit: no supergraph loaded yet');
    return model;
  };

  return {
    async serverWillStart() {
      return { serverWillStop: async () => unsubscribe() };
    },
    async requestDidStart() {
      let admitted = false;
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const model = modelOf(schema);
          let known = estimates.get(model);
          if (!known) estimates.set(model, (known = new WeakMap()));
          let cost = known.get(operation);
          if (cost === undefined) {
            try {
              const estimate = estimateCost(model, document, operation, request.variables ?? {});
              cost = estimate.cost;
              if (!estimate.dependsOnVariables) known.set(operation, cost);
            } catch (error) {
              if (error instanceof CostEstimationError)
                throw codedError(ErrorCode.BAD_USER_INPUT, error.message, { http: { status: 400 } });
              throw error;
            }
          }
          if (cost > options.maxCost) {
            estimated.observe({ result: ErrorCode.COST_LIMIT_EXCEEDED }, cost);
            throw codedError(
              ErrorCode.COST_LIMIT_EXCEEDED,
              `Operation's estimated cost is ${cost}; the limit is ${options.maxCost}`,
              { cost: { estimated: cost, max: options.maxCost }, http: { status: 400 } },
            );
          }
          estimated.observe({ result: 'COST_OK' }, cost);
          admitted = true;
        },
        async willSendResponse({ schema, document, operation, request, response }) {
          if (!admitted || !document || !operation || response.body.kind !== 'single') return;
          const data = response.body.singleResult.data;
          if (!data) return;
          actual.observe(actualCost(modelOf(schema), document, operation, request.variables ?? {}, data));
        },
      };
    },
  };
}
