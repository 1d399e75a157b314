import { createLogger } from '../platform/createLogger';
import { runMain } from '../platform/runMain';
import { createLocalStack } from './createLocalStack';

// `npm start`: the whole stack in one process, on simulators for every upstream whose URL is unset.
runMain(async () => {
  const level = process.env.LOG_LEVEL ?? 'info';
  const stack = await createLocalStack({ env: process.env, logger: (name) => createLogger(name, level) });
  const lines = [
    '',
    'Switchyard is running.',
    `  explorer          ${stack.gatewayUrl}/`,
    `  gateway           ${stack.gatewayUrl}/graphql   (/healthz /readyz /metrics)`,
    `  orders subgraph   ${stack.ordersUrl}/graphql`,
    `  catalog subgraph  ${stack.catalogUrl}/graphql`,
    ...(stack.simulators.legacy ? [`  legacy ecommerce  ${stack.simulators.legacy.url}   (simulator)`] : []),
    ...(stack.simulators.discovery
      ? [`  discovery         ${stack.simulators.discovery.url}   (simulator)`]
      : []),
    ...(stack.simulators.vendor ? [`  vendor commerce   ${stack.simulators.vendor.url}   (simulator)`] : []),
    '',
    ...(stack.simulators.legacy
      ? [
          'Demo token for learner1 (pre-filled in the explorer):',
          `  Authorization: JWT ${stack.demoToken}`,
          '',
        ]
      : []),
    'Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  return { stop: () => stack.stop() };
});
