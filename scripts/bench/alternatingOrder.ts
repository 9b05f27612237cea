export const Contender = { Webhook: 'webhook', Baseline: 'baseline' } as const;
export type ContenderName = (typeof Contender)[keyof typeof Contender];

/**
 * Which of the pair runs first in pair `index`: webhook first, then baseline first, and so on, so that
 * whatever the machine does in a given second (and any first/second position effect) hits both alike.
 */
export const alternatingOrder = (index: number): readonly [ContenderName, ContenderName] =>
  index % 2 === 0 ? [Contender.Webhook, Contender.Baseline] : [Contender.Baseline, Contender.Webhook];
