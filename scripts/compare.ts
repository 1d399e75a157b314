import pino from 'pino';
import { runCompare } from './compare/runCompare';

// `npm run compare -- <usernames…>`: the report goes to stdout, problems and adapter warnings to stderr.
const logger = pino({ name: 'compare', level: 'warn' }, pino.destination(2));
runCompare(
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
      `compare failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(2);
  },
);
