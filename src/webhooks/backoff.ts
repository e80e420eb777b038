export interface BackoffSettings {
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/**
 * "Full jitter": a uniform draw in [0, min(max, base·2^(n-1))] before retry n. Receivers that
 * came back after an outage are not hit by every sender at the same instant.
 */
export function backoffDelayMs(retry: number, settings: BackoffSettings, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** Math.min(retry - 1, 30));
  return Math.floor(random() * ceiling);
}
