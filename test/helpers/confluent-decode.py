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
        return protobuf_decoder(registry)
    raise SystemExit(f"unknown format {fmt}")


def protobuf_decoder(registry):
    """Confluent's ProtobufDeserializer, given the message class the record's own framing names.

    The deserializer would fetch the writer schema itself, but asks for it as a base64 descriptor
    (?format=serialized), which Apicurio does not serve (it answers the .proto text). So the framing
    is read with Confluent's SchemaId, the .proto of that id is compiled with protoc (grpcio-tools),
    the message is found by the record's message-index list, and the deserializer decodes with it.
    """
    import io
    import os
    import tempfile
    from confluent_kafka.schema_registry.common.serde import SchemaId
    from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer
    from google.protobuf import descriptor_pb2, descriptor_pool
    from google.protobuf.json_format import MessageToDict
    from google.protobuf.message_factory import GetMessageClass
    from grpc_tools import protoc

    cache = {}

    def message_class(schema_id, indexes):
        key = (schema_id, tuple(indexes))
        if key not in cache:
            text = registry.get_schema(schema_id).schema_str
            with tempfile.TemporaryDirectory() as d:
                with open(os.path.join(d, "schema.proto"), "w") as f:
                    f.write(text)
                out = os.path.join(d, "set.pb")
                if protoc.main(["protoc", f"-I{d}", f"--descriptor_set_out={out}", "schema.proto"]) != 0:
                    raise SystemExit(f"protoc could not compile schema {schema_id}")
                with open(out, "rb") as f:
                    fds = descriptor_pb2.FileDescriptorSet.FromString(f.read())
            pool = descriptor_pool.DescriptorPool()
            for fd in fds.file:
                pool.Add(fd)
            fd = fds.file[-1]
            msg = fd.message_type[indexes[0]]
            name = msg.name
            for i in indexes[1:]:
                msg = msg.nested_type[i]
                name += "." + msg.name
            cls = GetMessageClass(pool.FindMessageTypeByName((fd.package + "." if fd.package else "") + name))
            cache[key] = (cls, ProtobufDeserializer(cls, {"use.deprecated.format": False}))
        return cache[key]

    def decode(data, ctx):
        sid = SchemaId("PROTOBUF")
        sid.from_bytes(io.BytesIO(data))
        cls, deserialize = message_class(sid.id, sid.message_indexes)
        return {
            "message_type": cls.DESCRIPTOR.full_name,
            "message_indexes": sid.message_indexes,
            "fields": MessageToDict(deserialize(data, ctx), preserving_proto_field_name=True),
        }

    return decode


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
