import { FORBIDDEN_BODY_KEYS, InputLimit } from '../../tencent/limits.js';
import { WebhookRejectedError } from '../../tencent/rejection.js';
import type { WebhookMiddleware } from '../types.js';

/**
 * Walks a parsed body without recursion and refuses it when it nests deeper than the limit or has a key
 * that could reach a prototype. Runs before anything else (the delivery digest included) reads the body.
 */
export const assertSafeBodyShape = (body: unknown, maxDepth: number = InputLimit.nestingDepth): void => {
  const pending: Array<{ value: unknown; depth: number }> = [{ value: body, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, depth } = next;
    if (value === null || typeof value !== 'object') continue;
    if (depth > maxDepth) {
      throw new WebhookRejectedError('BodyTooDeep', `body nests deeper than ${maxDepth} levels`);
    }
    const children = Array.isArray(value)
      ? value
      : Object.keys(value).map((key) => {
          if (FORBIDDEN_BODY_KEYS.has(key)) {
            throw new WebhookRejectedError('BodyKeyForbidden', `body has a forbidden key: ${key}`);
          }
          return (value as Record<string, unknown>)[key];
        });
    for (const child of children) pending.push({ value: child, depth: depth + 1 });
  }
};

/** After JSON parsing: a body too deep or with a prototype key is refused before any handler sees it. */
export const refuseUnsafeBody = (): WebhookMiddleware => ({
  before: function refuseUnsafeBodyBefore(request) {
    assertSafeBodyShape(request.event.body);
  },
});
