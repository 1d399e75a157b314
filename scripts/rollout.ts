import pino from 'pino';
import { runRolloutCommand } from './rollout/runRolloutCommand';

// `npm run rollout -- status|halt|resume --reason "…"`: answers on stdout, problems on stderr.
const logger = pino({ name: 'rollout', level: 'error' }, pino.destination(2));
runRolloutCommand(
  process.argv.slice(2),
  process.env,
  {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  },
  logger,
).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `rollout failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(2);
  },
);
