import type { KafkaConnectionSettings, WebhookSettings } from '../config/config.js';
import { GroupConsumer } from '../kafka/group-consumer.js';
import type { Logger } from '../logging/logger.js';
import { WebhookDelivery, type WebhookOutcome } from './delivery.js';
import { createNotifier } from './notifier.js';

export interface RunningWebhooks {
  readonly delivery: WebhookDelivery;
  /** Leaves the consumer group (its partitions go to the other replicas), then drains for up to budgetMs. */
  close(budgetMs: number): Promise<void>;
}

export interface WebhookDeps {
  kafka: KafkaConnectionSettings;
  statusTopic: string;
  log: Logger;
  count?: (outcome: WebhookOutcome | 'stale') => void;
}

/**
 * Every replica joins one consumer group on the status topic, so each status record is read by
 * one replica and its webhook sent once per replica set (docs/webhooks.md says when it can be twice).
 */
export async function startWebhooks(settings: WebhookSettings, deps: WebhookDeps): Promise<RunningWebhooks> {
  const delivery = new WebhookDelivery(settings, {
    log: deps.log,
    ...(deps.count ? { count: deps.count } : {}),
  });
  const notify = createNotifier({
    enqueue: (payload) => delivery.enqueue(payload),
    maxEventAgeMs: settings.maxEventAgeMs,
    log: deps.log,
    ...(deps.count ? { countStale: () => deps.count!('stale') } : {}),
  });
  const consumer = await GroupConsumer.start(
    {
      ...deps.kafka,
      purpose: 'webhooks',
      groupId: settings.consumerGroup,
      topics: [deps.statusTopic],
    },
    notify,
    deps.log,
  );
  let closing: Promise<void> | undefined;
  return {
    delivery,
    close: (budgetMs) =>
      (closing ??= (async () => {
        await consumer.close();
        await delivery.close(budgetMs);
      })()),
  };
}
