import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { distPath } from '../api/dist-path.js';
import { sendText } from './http-util.js';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/**
 * The esbuild bundle (scripts/build-web.mjs writes it to dist/web/assets). It is a few hundred
 * KB, so it is read once into memory when the server starts; the ETag is a content hash.
 */
export class StaticAssets {
  private readonly assets = new Map<string, Asset>();

  constructor(folder: string = distPath('web/assets')) {
    let names: string[] = [];
    try {
      names = readdirSync(folder);
    } catch {
      // No bundle (a build without the web step): pages answer 503 and say why.
    }
    for (const name of names) {
      const type = MIME[extname(name)];
      if (!type) continue;
      const body = readFileSync(join(folder, name));
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      this.assets.set(name, { body, type, etag });
    }
  }

  has(name: string): boolean {
    return this.assets.has(name);
  }

  /** Serves one file by its bare name; anything not in the bundle is a 404 (no path lookups). */
  serve(req: IncomingMessage, res: ServerResponse, name: string): void {
    const asset = this.assets.get(name);
    if (!asset) {
      if (name === 'index.html') sendText(res, 503, 'the dashboard bundle is missing: run `npm run build`\n');
      else sendText(res, 404, 'not found\n');
      return;
    }
    // no-cache means "revalidate": the ETag makes that a cheap 304 after an upgrade-free reload.
    const headers = { ETag: asset.etag, 'Cache-Control': 'no-cache' };
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': asset.type, 'Content-Length': asset.body.length });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }
}
