/** Publishes status events through the gateway: POST /produce to the status topic, keyed by request id. */
export interface StatusClientOptions {
  gatewayUrl: string;
  statusTopic: string;
  /** Sent as `Authorization: Bearer <key>` when set: the status topic is reserved once keys are on. */
  apiKey?: string | undefined;
  attempts?: number;
}

export type StatusUpdate = { request_id: string; status: string } & Record<string, unknown>;

export function createStatusClient(options: StatusClientOptions): (update: StatusUpdate) => Promise<void> {
  const attempts = options.attempts ?? 5;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.apiKey) headers['authorization'] = `Bearer ${options.apiKey}`;
  const url = new URL('/produce', options.gatewayUrl).toString();

  return async (update) => {
    const body = JSON.stringify({
      topic: options.statusTopic,
      key: update.request_id,
      message: { ...update, updated_at: new Date().toISOString() },
    });
    for (let attempt = 1; ; attempt++) {
      let problem: string;
      try {
        const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
        const text = await res.text();
        if (res.ok) return;
        // Only the gateway's retriable answers are worth another go; a 4xx is a bug to report.
        if (res.status < 500 && res.status !== 429) throw new Error(`gateway refused the status (HTTP ${res.status}): ${text.slice(0, 500)}`);
        problem = `HTTP ${res.status}`;
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('gateway refused')) throw err;
        problem = (err as Error).message;
      }
      if (attempt >= attempts) throw new Error(`status not published after ${attempts} attempts: ${problem}`);
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  };
}
