"""Reads a topic from the beginning and decodes every value with Confluent's official deserializers.

Usage: confluent-decode.py <bootstrap> <registry url> <topic> <avro|jsonschema|protobuf>
Prints one JSON line per record: {"partition", "offset", "schema_id", "value"} (value as the
deserializer returns it), sorted by partition and offset. The schema id is read from the record's
own bytes 1-4; the deserializer fetches that id from the registry itself, so a wrong id fails here.
Exits non-zero with the deserializer's error when a value cannot be decoded.
"""
import json
import struct
import sys

from confluent_kafka import Consumer, KafkaError, TopicPartition, OFFSET_BEGINNING
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.serialization import MessageField, SerializationContext


def deserializer(fmt, registry):
    if fmt == "avro":
        from confluent_kafka.schema_registry.avro import AvroDeserializer
        return AvroDeserializer(registry)
    if fmt == "jsonschema":
        from confluent_kafka.schema_registry.json_schema import JSONDeserializer
        return JSONDeserializer(None, schema_registry_client=registry)
    if fmt == "protobuf":
        from google.protobuf.json_format import MessageToDict
        from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer
        # Without a message class: the deserializer builds it from the writer schema; to_dict keeps field names.
        inner = ProtobufDeserializer(None, {"use.deprecated.format": False}, registry)
        return lambda data, ctx: MessageToDict(inner(data, ctx), preserving_proto_field_name=True)
    raise SystemExit(f"unknown format {fmt}")


def main():
    bootstrap, url, topic, fmt = sys.argv[1:5]
    registry = SchemaRegistryClient({"url": url})
    decode = deserializer(fmt, registry)
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "kgate-test-decode", "enable.auto.commit": False, "enable.partition.eof": True})
    partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
    consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
    open_partitions = set(partitions)
    out = []
    while open_partitions:
        msg = consumer.poll(10)
        if msg is None:
            raise SystemExit("no record or end of partition within 10 s")
        if msg.error():
            if msg.error().code() == KafkaError._PARTITION_EOF:
                open_partitions.discard(msg.partition())
                continue
            raise SystemExit(str(msg.error()))
        raw = msg.value()
        magic, schema_id = struct.unpack(">bI", raw[:5])
        value = decode(raw, SerializationContext(topic, MessageField.VALUE))
        out.append({"partition": msg.partition(), "offset": msg.offset(), "magic": magic, "schema_id": schema_id, "value": value})
    consumer.close()
    for line in sorted(out, key=lambda r: (r["partition"], r["offset"])):
        print(json.dumps(line, default=str))


main()
