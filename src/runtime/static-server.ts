/**
 * `tend serve <dir> [port]`: a static file server that runs as an ordinary tend app (started by
 * path, Node built-ins only). It serves files under one folder and nothing else: no listing, no
 * dotfiles (`.env`, `.git`), no path or symlink leading out of the folder. `--spa` answers a
 * path that names no file with the folder's index.html, for client-side routers.
 *
 * argv: <dir> <port> [--spa] [--host <address>]. Basic auth, when both are set, from
 * PM2_SERVE_BASIC_AUTH_USERNAME and PM2_SERVE_BASIC_AUTH_PASSWORD (env, never arguments).
 */
import { timingSafeEqual } from 'node:crypto';
import { createReadStream, realpathSync, statSync, type Stats } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
};

interface Options {
  root: string;
  port: number;
  host: string | undefined;
  spa: boolean;
  /** The page a single-page app answers unknown paths with. */
  homepage: string;
  auth: string | null;
}

/**
 * From the arguments (`tend serve`), else from PM2's variables, so an ecosystem entry written
 * for PM2 (`script: 'serve'`, `env: { PM2_SERVE_PATH, PM2_SERVE_PORT, PM2_SERVE_SPA }`) runs.
 */
function readOptions(argv: string[], env: NodeJS.ProcessEnv): Options {
  const [dir, port, ...rest] = argv;
  const fromArgs = dir !== undefined;
  const hostAt = rest.indexOf('--host');
  const user = env.PM2_SERVE_BASIC_AUTH_USERNAME;
  const password = env.PM2_SERVE_BASIC_AUTH_PASSWORD;
  const homepage = env.PM2_SERVE_HOMEPAGE ?? '/index.html';
  return {
    root: realpathSync(resolve(fromArgs ? dir : (env.PM2_SERVE_PATH ?? '.'))),
    port: Number((fromArgs ? port : env.PM2_SERVE_PORT) ?? 8080),
    host: hostAt === -1 ? undefined : rest[hostAt + 1],
    spa: fromArgs ? rest.includes('--spa') : env.PM2_SERVE_SPA === 'true',
    homepage: homepage.startsWith('/') ? homepage : `/${homepage}`,
    auth: user && password ? `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` : null,
  };
}

/** The file a URL path names under root, or null: outside root, a dotfile, or nothing there. */
function findFile(root: string, urlPath: string): { path: string; stats: Stats } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.split('/').some((part) => part.startsWith('.') && part.length > 0)) return null;
  let path = resolve(root, `.${decoded}`);
  try {
    if (statSync(path).isDirectory()) path = join(path, 'index.html');
    // Symlinks are followed only to files inside root.
    const real = realpathSync(path);
    if (real !== root && !real.startsWith(root + sep)) return null;
    const stats = statSync(real);
    return stats.isFile() ? { path: real, stats } : null;
  } catch {
    return null;
  }
}

function authorized(req: IncomingMessage, expected: string | null): boolean {
  if (expected === null) return true;
  const given = Buffer.from(req.headers.authorization ?? '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function handle(req: IncomingMessage, res: ServerResponse, options: Options): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
  if (!authorized(req, options.auth)) return send(res, 401, 'authentication required\n', { 'WWW-Authenticate': 'Basic realm="tend serve"' });
  const urlPath = (req.url ?? '/').split('?')[0] ?? '/';
  const found = findFile(options.root, urlPath) ?? (options.spa ? findFile(options.root, options.homepage) : null);
  if (found === null) return send(res, 404, 'not found\n');
  const etag = `W/"${found.stats.size.toString(16)}-${Math.floor(found.stats.mtimeMs).toString(16)}"`;
  const headers = { ETag: etag, 'Last-Modified': found.stats.mtime.toUTCString(), 'Cache-Control': 'no-cache' };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const type = TYPES[extname(found.path).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': found.stats.size, 'X-Content-Type-Options': 'nosniff' });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(found.path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

const options = readOptions(process.argv.slice(2), process.env);
const server = createServer((req, res) => handle(req, res, options));
server.listen(options.port, options.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  console.log(`serving ${options.root} on port ${port}${options.host ? ` (${options.host})` : ''}${options.spa ? ', single-page app' : ''}`);
  // Online once it listens (the app is started with wait_ready).
  process.send?.('ready');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
