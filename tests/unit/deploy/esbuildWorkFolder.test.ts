import { describe, expect, it } from 'vitest';
import { serverlessEsbuildConfig } from '../../../scripts/deploy/bundleOptions.js';
import { DEFAULT_ESBUILD_WORK_FOLDER, esbuildWorkFolder } from '../../../scripts/deploy/esbuildWorkFolder.js';

describe('esbuildWorkFolder', () => {
  it("is serverless-esbuild's .esbuild unless SERVERLESS_ESBUILD_WORK_FOLDER names another folder", () => {
    expect(esbuildWorkFolder({})).toBe(DEFAULT_ESBUILD_WORK_FOLDER);
    expect(esbuildWorkFolder({ SERVERLESS_ESBUILD_WORK_FOLDER: ' ' })).toBe('.esbuild');
    expect(esbuildWorkFolder({ SERVERLESS_ESBUILD_WORK_FOLDER: '.esbuild-vitest-2' })).toBe('.esbuild-vitest-2');
  });

  it('refuses anything but one folder name inside the repository, which npm start deletes before each build', () => {
    for (const folder of ['..', '.', '../elsewhere', '/tmp/build', 'a/b', 'a\\b'])
      expect(() => esbuildWorkFolder({ SERVERLESS_ESBUILD_WORK_FOLDER: folder }), folder).toThrow(
        'SERVERLESS_ESBUILD_WORK_FOLDER must be one folder name inside the repository',
      );
  });

  it("is serverless-esbuild's work folder for every stage", () => {
    expect(serverlessEsbuildConfig('local').outputWorkFolder).toBe(esbuildWorkFolder());
    expect(serverlessEsbuildConfig('prod').outputWorkFolder).toBe(esbuildWorkFolder());
  });
});
