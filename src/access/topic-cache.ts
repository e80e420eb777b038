import type { Logger } from '../logging/logger.js';

export interface TopicCache {
  has(topic: string): boolean;
  /** Loads the list once (start-up waits for it), then refreshes every ttlMs in the background. */
  start(): Promise<void>;
  stop(): void;
}

/**
 * The cluster's topic names, kept fresh by a timer instead of asked per request: the produce
 * path stays a Set lookup. A topic created meanwhile is accepted within ttlMs; a failed refresh
 * keeps the last list.
 */
export function createTopicCache(deps: { list: () => Promise<string[]>; ttlMs: number; log: Pick<Logger, 'warn'> }): TopicCache {
  let topics: ReadonlySet<string> = new Set();
  let timer: NodeJS.Timeout | undefined;
  const refresh = async (): Promise<void> => {
    topics = new Set(await deps.list());
  };
  return {
    has: (topic) => topics.has(topic),
    async start() {
      await refresh();
      timer = setInterval(() => {
        refresh().catch((err: unknown) => deps.log.warn('topic list not refreshed; keeping the last one', { err: (err as Error).message }));
      }, deps.ttlMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
