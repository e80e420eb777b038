"""Reads Kafka records (a JSON array of {headers, key, value}, as kcat read them) on stdin and hands
each to the PyPI CloudEvents SDK's Kafka binding (from_kafka: binary mode when ce_ headers are
present, else structured). Prints one JSON object per record: the event's attributes and data, or
the SDK's error. Run with the venv of scripts/install-cloudevents-py.sh."""
import base64
import json
import sys
from datetime import datetime

from cloudevents.core.bindings.kafka import KafkaMessage, from_kafka
from cloudevents.core.formats.json import JSONFormat


def plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"bytes_base64": base64.b64encode(value).decode()}
    return value


out = []
for record in json.load(sys.stdin):
    message = KafkaMessage(
        headers={name: value.encode() for name, value in record["headers"].items()},
        key=None if record["key"] is None else record["key"].encode(),
        value=record["value"].encode(),
    )
    try:
        event = from_kafka(message, JSONFormat())
        out.append({"attributes": {k: plain(v) for k, v in event.get_attributes().items()}, "data": plain(event.get_data())})
    except Exception as err:  # the SDK's verdict is the test's subject: report it, do not hide it
        out.append({"error": f"{type(err).__name__}: {err}"})
print(json.dumps(out))
