// Deletes the bench's topics from a broker kept between runs (each full run writes ~6 GB).
import Kafka from 'node-rdkafka';

export async function deleteTopics(bootstrap, topics) {
  const admin = Kafka.AdminClient.create({ 'metadata.broker.list': bootstrap });
  try {
    for (const topic of topics) {
      // A topic a scenario did not run never existed: UNKNOWN_TOPIC_OR_PART is not an error here.
      await new Promise((resolve) => admin.deleteTopic(topic, 10_000, () => resolve()));
    }
  } finally {
    admin.disconnect();
  }
}
