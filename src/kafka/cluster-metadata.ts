/** The cluster as the metadata routes show it: plain data, no node-rdkafka types above this layer. */
export interface PartitionInfo {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface TopicInfo {
  name: string;
  partitions: PartitionInfo[];
}

export interface ClusterMetadata {
  brokers: Array<{ id: number; host: string; port: number }>;
  topics: TopicInfo[];
}

interface RdKafkaMetadata {
  brokers: Array<{ id: number; host: string; port: number }>;
  topics: Array<{ name: string; partitions: Array<{ id: number; leader: number; replicas: number[]; isrs: number[] }> }>;
}

/** Kafka's own topics (__consumer_offsets, __transaction_state) are nobody's business here. */
export function isInternalTopic(name: string): boolean {
  return name.startsWith('__');
}

/** librdkafka's metadata → ours: internal topics dropped, topics and partitions sorted. */
export function toClusterMetadata(metadata: RdKafkaMetadata): ClusterMetadata {
  return {
    brokers: metadata.brokers.map(({ id, host, port }) => ({ id, host, port })).sort((a, b) => a.id - b.id),
    topics: metadata.topics
      .filter((t) => !isInternalTopic(t.name))
      .map((t) => ({
        name: t.name,
        partitions: t.partitions
          .map((p) => ({ partition: p.id, leader: p.leader, replicas: [...p.replicas], isr: [...p.isrs] }))
          .sort((a, b) => a.partition - b.partition),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}
