// Topic names come from request bodies, so they cannot become label values freely: each distinct
// value is a time series kept forever. A topic earns a label of its own only when the broker has
// acknowledged a message to it (so it exists and is legal), and only the first `max` such topics
// do; every other topic shares OTHER. Both reserved values start with "__", which normalise()
// refuses in a topic name, so they never collide with a real topic.
export const OTHER_TOPIC = '__other__';
/** Items refused before their topic was found legal (missing or illegal topic, or any other shape error). */
export const NO_TOPIC = '__none__';

export class TopicLabels {
  private readonly known = new Set<string>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.known.size;
  }

  /** After an acknowledgement: the topic's label, admitting it while there is room. */
  admit(topic: string): string {
    if (this.known.has(topic)) return topic;
    if (this.known.size >= this.max) return OTHER_TOPIC;
    this.known.add(topic);
    return topic;
  }

  /** Without admitting: a failure never earns a topic its own label. */
  lookup(topic: string | undefined): string {
    if (topic === undefined) return NO_TOPIC;
    return this.known.has(topic) ? topic : OTHER_TOPIC;
  }
}
