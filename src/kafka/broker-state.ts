/** The part of librdkafka's statistics JSON we read; see STATISTICS.md in librdkafka. */
export interface RdKafkaStats {
  ts?: number;
  msg_cnt?: number;
  msg_size?: number;
  brokers?: Record<string, { nodeid: number; state: string; rtt?: { avg?: number; p99?: number }; txerrs?: number; name?: string }>;
  [key: string]: unknown;
}

/**
 * Whether the producer can reach the cluster right now, from librdkafka's own view: its
 * periodic statistics (a broker in state UP) and its ALL_BROKERS_DOWN error. Stale statistics
 * count as unreachable, so a stuck poll loop cannot report a healthy gateway.
 */
export class BrokerState {
  private up = false;
  private lastStatsAt = 0;

  constructor(private readonly statsIntervalMs: number) {}

  markUp(now = Date.now()): void {
    this.up = true;
    this.lastStatsAt = Math.max(this.lastStatsAt, now);
  }

  markDown(): void {
    this.up = false;
  }

  onStats(stats: RdKafkaStats, now = Date.now()): void {
    this.lastStatsAt = now;
    this.up = Object.values(stats.brokers ?? {}).some((b) => b.state === 'UP');
  }

  isConnected(now = Date.now()): boolean {
    if (!this.up) return false;
    return now - this.lastStatsAt <= Math.max(3 * this.statsIntervalMs, 5000);
  }
}
