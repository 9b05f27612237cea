'use strict';
/**
 * serverless-esbuild's config file (serverless.yml, custom.esbuild.config): the options are TypeScript in
 * ./bundleOptions.ts, loaded through tsx as ./serverlessPlugin.cjs loads its rules.
 */
const { require: requireTypeScript } = require('tsx/cjs/api');

const { serverlessEsbuildConfig } = requireTypeScript('./bundleOptions.ts', __filename);

module.exports = (serverless) => serverlessEsbuildConfig(serverless.service.provider.stage);
