import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../../scripts/stack/localSettings.js';

/** Biome formats code to this width but leaves comments and strings alone: this test holds them to it too. */
const MAX_LINE_LENGTH = 120;
const SOURCE_FOLDERS = ['functions', 'lib', 'scripts', 'tests'];
const SOURCE_FILE = /\.(ts|cjs|mjs|js)$/;

const sourceFiles = (folder: string): string[] =>
  readdirSync(join(repositoryRoot, folder), { recursive: true, encoding: 'utf8' })
    .filter((path) => SOURCE_FILE.test(path))
    .map((path) => join(folder, path));

describe('the source files', () => {
  it(`have no line over ${MAX_LINE_LENGTH} characters`, () => {
    // Act
    const longLines = SOURCE_FOLDERS.flatMap(sourceFiles).flatMap((file) =>
      readFileSync(join(repositoryRoot, file), 'utf8')
        .split('\n')
        .flatMap((line, index) => (line.length > MAX_LINE_LENGTH ? [`${file}:${index + 1} (${line.length})`] : [])),
    );

    // Assess
    expect(longLines).toEqual([]);
  });
});
