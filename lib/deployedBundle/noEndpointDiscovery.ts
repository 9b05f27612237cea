/**
 * Stands in for `@aws-sdk/middleware-endpoint-discovery` in the deployed bundles only: DynamoDB's client resolves
 * the setting but none of its commands use it (their middleware lists are empty), so its endpoint cache and
 * DescribeEndpoints command are dead weight at every cold start. Should an SDK update start using the plugin,
 * the bundle stops building (a missing export), not silently behaving differently.
 */

/** Read by the client's runtime config; no variable and no config file entry is looked at. */
export const NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS = {
  environmentVariableSelector: (): undefined => undefined,
  configFileSelector: (): undefined => undefined,
  default: undefined,
};

/** The client's config, unchanged: no endpoint cache, discovery never enabled. */
export const resolveEndpointDiscoveryConfig = <Config extends object>(input: Config, _options?: unknown): Config =>
  input;
