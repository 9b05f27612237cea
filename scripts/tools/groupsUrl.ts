/** The read API's base beside a webhook URL: `…/webhook` → `…/groups`, as serverless.yml routes both. */
export const groupsUrlOf = (webhookUrl: URL): URL =>
  new URL(webhookUrl.pathname.replace(/\/webhook\/?$/, '/groups'), webhookUrl);
