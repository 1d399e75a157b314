import type { ExplorerOptions } from './ExplorerOptions';

/** JSON inside a <script type="application/json"> must not be able to close the tag. */
const safeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export function explorerPage(options: ExplorerOptions): string {
  const config = {
    endpoint: '/graphql',
    defaultQuery: options.defaultQuery,
    headers: options.demoAuthorization ? { Authorization: options.demoAuthorization } : {},
  };
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Switchyard explorer</title>
  <!-- An empty inline icon: otherwise every browser asks for /favicon.ico and logs a 404. -->
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/explorer/graphiql.css">
  <style>html, body, #explorer { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="explorer">Loading the explorer…</div>
  <script type="application/json" id="explorer-config">${safeJson(config)}</script>
  <script src="/explorer/react.js"></script>
  <script src="/explorer/react-dom.js"></script>
  <script src="/explorer/graphiql.js"></script>
  <script src="/explorer/boot.js"></script>
</body>
</html>
`;
}
