// Browser JS served at /explorer/boot.js: kept as a string so the build needs no asset copying.
export const EXPLORER_BOOT_JS = `
(function boot() {
  var config = JSON.parse(document.getElementById('explorer-config').textContent);
  var fetcher = GraphiQL.createFetcher({ url: config.endpoint });
  var root = ReactDOM.createRoot(document.getElementById('explorer'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: config.defaultQuery,
      defaultHeaders: JSON.stringify(config.headers, null, 2),
      defaultEditorToolsVisibility: Object.keys(config.headers).length > 0 ? 'headers' : undefined,
      // A demo token must not outlive the tab in localStorage.
      shouldPersistHeaders: false,
    }),
  );
})();
`;
