import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { keepScrollback } from '../../../src/cli/monit/terminal.js';

describe('keepScrollback', () => {
  it('drops clear-scrollback from writes until restored, keeping the screen clear', () => {
    const written: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written.push(chunk.toString());
        done();
      },
    }) as unknown as NodeJS.WriteStream;
    const original = stream.write;
    const restore = keepScrollback(stream);
    stream.write('\x1b[2J\x1b[3J\x1b[Hframe');
    restore();
    stream.write('\x1b[3J');
    assert.deepEqual(written, ['\x1b[2J\x1b[Hframe', '\x1b[3J']);
    assert.equal(stream.write, original);
  });
});
