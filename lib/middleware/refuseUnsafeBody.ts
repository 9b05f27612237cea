import { assertSafeBodyShape } from '../bodyShape.js';
import type { WebhookMiddleware } from '../webhookEvent.js';

/** After JSON parsing: a body too deep or with a prototype key is refused before any handler sees it. */
export const refuseUnsafeBody = (): WebhookMiddleware => ({
  before: function refuseUnsafeBodyBefore(request) {
    assertSafeBodyShape(request.event.body);
  },
});
