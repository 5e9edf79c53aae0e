import { createReadStream } from 'node:fs';

export interface LineCheck {
  lines: number;
  lost: number;
  /** Lines whose number is not the one after the line before (a loss counts once, at its gap). */
  outOfOrder: number;
  duplicated: number;
}

/** Reads a file of lines that start with their number 0..total-1 and counts what is missing or out of place. */
export async function checkNumberedLines(file: string, total: number): Promise<LineCheck> {
  const seen = new Uint8Array(total);
  let lines = 0;
  let outOfOrder = 0;
  let duplicated = 0;
  let expected = 0;
  let partial = '';
  for await (const chunk of createReadStream(file, { encoding: 'latin1', highWaterMark: 1 << 20 })) {
    const text = partial + (chunk as string);
    let start = 0;
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      const n = Number.parseInt(text.slice(start, text.indexOf(' ', start)), 10);
      start = end + 1;
      lines++;
      if (!(n >= 0 && n < total)) continue;
      if (seen[n] === 1) duplicated++;
      seen[n] = 1;
      if (n !== expected) outOfOrder++;
      expected = n + 1;
    }
    partial = text.slice(start);
  }
  let present = 0;
  for (const flag of seen) present += flag;
  return { lines, lost: total - present, outOfOrder, duplicated };
}
