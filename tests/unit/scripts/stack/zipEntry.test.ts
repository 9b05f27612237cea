import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readZipEntry } from '../../../../scripts/stack/process/zipEntry.js';

/** A one-file zip archive, laid out as the zip specification says (local header, data, central directory, end). */
const zipWithOneFile = (name: string, content: Buffer, deflate: boolean): Buffer => {
  const data = deflate ? deflateRawSync(content) : content;
  const nameBytes = Buffer.from(name, 'utf8');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(deflate ? 8 : 0, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(deflate ? 8 : 0, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(0, 42);
  const centralOffset = local.length + nameBytes.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, nameBytes, data, central, nameBytes, end]);
};

describe('readZipEntry', () => {
  const content = Buffer.from('exports.handler = async () => ({ statusCode: 200 });\n'.repeat(20));

  it.each([
    ['deflated', true],
    ['stored', false],
  ])('reads a %s entry back byte for byte', (_, deflate) => {
    expect(readZipEntry(zipWithOneFile('functions/webhook.cjs', content, deflate), 'functions/webhook.cjs')).toEqual(
      content,
    );
  });

  it('names the entry it cannot find', () => {
    expect(() => readZipEntry(zipWithOneFile('a.cjs', content, true), 'functions/webhook.cjs')).toThrow(
      'no entry functions/webhook.cjs',
    );
  });

  it('refuses what is not a zip', () => {
    expect(() => readZipEntry(Buffer.alloc(64), 'a')).toThrow('not a zip file');
  });
});
