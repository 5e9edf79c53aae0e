import type { IncomingMessage, ServerResponse } from 'node:http';

const SIZE = 16;
/** The dashboard's accent colour (style.css --accent), as BGRA. */
const ACCENT = [0xd8, 0x7e, 0x2f, 0xff] as const;
const WHITE = [0xff, 0xff, 0xff, 0xff] as const;
const CLEAR = [0, 0, 0, 0] as const;

/** One pixel of the icon: a round badge with a white "t". Row 0 is the top. */
function pixel(x: number, y: number): readonly number[] {
  const dx = x - 7.5;
  const dy = y - 7.5;
  if (dx * dx + dy * dy > 7.6 * 7.6) return CLEAR;
  const stem = x >= 6 && x <= 7 && y >= 3 && y <= 11;
  const bar = y >= 5 && y <= 6 && x >= 4 && x <= 10;
  const foot = y >= 10 && y <= 11 && x >= 6 && x <= 10;
  return stem || bar || foot ? WHITE : ACCENT;
}

/**
 * A 16x16 32-bit ICO, built once: browsers ask for /favicon.ico whatever the page says, and
 * a 404 there is noise in every log and devtools console.
 */
function buildIco(): Buffer {
  const pixels = SIZE * SIZE * 4;
  const mask = SIZE * 4; // 1 bit per pixel, rows padded to 32 bits; all zero: the alpha decides.
  const image = 40 + pixels + mask;
  const ico = Buffer.alloc(6 + 16 + image);
  ico.writeUInt16LE(1, 2); // type: icon
  ico.writeUInt16LE(1, 4); // one image
  ico.writeUInt8(SIZE, 6);
  ico.writeUInt8(SIZE, 7);
  ico.writeUInt16LE(1, 10); // planes
  ico.writeUInt16LE(32, 12); // bits per pixel
  ico.writeUInt32LE(image, 14);
  ico.writeUInt32LE(22, 18); // offset of the image
  ico.writeUInt32LE(40, 22); // BITMAPINFOHEADER
  ico.writeInt32LE(SIZE, 26);
  ico.writeInt32LE(SIZE * 2, 30); // colour rows and mask rows
  ico.writeUInt16LE(1, 34);
  ico.writeUInt16LE(32, 36);
  ico.writeUInt32LE(pixels + mask, 42);
  for (let y = 0; y < SIZE; y += 1) {
    for (let x = 0; x < SIZE; x += 1) {
      // Bitmaps run bottom-up.
      ico.set(pixel(x, y), 62 + ((SIZE - 1 - y) * SIZE + x) * 4);
    }
  }
  return ico;
}

let cached: Buffer | null = null;

/** Served before authentication: the icon tells nothing, and a browser asks without the token. */
export function sendFavicon(req: IncomingMessage, res: ServerResponse): void {
  cached ??= buildIco();
  res.writeHead(200, { 'Content-Type': 'image/x-icon', 'Content-Length': cached.length, 'Cache-Control': 'public, max-age=86400' });
  res.end(req.method === 'HEAD' ? undefined : cached);
}
