import { accessSync, constants, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Routes } from '../../platform/http/Routes';
import { EXPLORER_BOOT_JS } from './explorerBoot';
import type { ExplorerOptions } from './ExplorerOptions';
import { explorerPage } from './explorerPage';

// Every asset comes from installed packages: the explorer must work with no internet (no CDN).
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

/**
 * `GET /` (GraphiQL) and its assets under `/explorer/`, each read on its first request and then
 * served from memory. Not read at start: 4 MiB of buffers (graphiql.min.js is 3.4 MiB) that every
 * gateway process, each co-located worker included, would hold though most never serve the explorer
 * (bench/PROFILE.md, "Issue 25: worker memory"). Each file is still checked at start, so a missing
 * package stops the gateway then, not at the first visit.
 */
export function explorerRoutes(options: ExplorerOptions): Routes {
  const routes: Routes = {};
  for (const [name, asset] of Object.entries(ASSETS)) {
    // Package `exports` hide the UMD files from require.resolve, so go through each package's root.
    const path = join(dirname(require.resolve(`${asset.pkg}/package.json`)), asset.file);
    accessSync(path, constants.R_OK);
    let loaded: Buffer | undefined;
    routes[`GET /explorer/${name}`] = (_req, res) => {
      // Synchronous as before, once per process: the file is local and small next to a page's work.
      const body = (loaded ??= readFileSync(path));
      res.writeHead(200, {
        'content-type': `${asset.type}; charset=utf-8`,
        'cache-control': 'public, max-age=86400',
        'content-length': body.length,
      });
      res.end(body);
    };
  }
  const boot = Buffer.from(EXPLORER_BOOT_JS);
  routes['GET /explorer/boot.js'] = (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'content-length': boot.length });
    res.end(boot);
  };
  const html = explorerPage(options);
  routes['GET /'] = (_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      // Only our own scripts run: the page config travels as inert JSON, not inline code.
      'content-security-policy':
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:",
      'cache-control': 'no-store',
    });
    res.end(html);
  };
  return routes;
}
