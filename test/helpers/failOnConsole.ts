// Tests must stay quiet: code under test logs through an injected logger, never the console.
for (const method of ['log', 'info', 'warn', 'error'] as const) {
  console[method] = (...args: unknown[]) => {
    throw new Error(`console.${method} called in a test: ${args.map(String).join(' ')}`);
  };
}
