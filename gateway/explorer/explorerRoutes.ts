import { readFileSync } from 'node:fs';
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

/** `GET /` (GraphiQL) and its assets under `/explorer/`, loaded once and served from memory. */
export function explorerRoutes(options: ExplorerOptions): Routes {
  const routes: Routes = {};
  for (const [name, asset] of Object.entries(ASSETS)) {
    // Package `exports` hide the UMD files from require.resolve, so go through each package's root.
    const body = readFileSync(join(dirname(require.resolve(`${asset.pkg}/package.json`)), asset.file));
    routes[`GET /explorer/${name}`] = (_req, res) => {
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
