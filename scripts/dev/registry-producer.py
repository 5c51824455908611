#!/usr/bin/env python3
"""Produce (or read back) registry-framed events with confluent-kafka's own serializers.

Dev/test tool: the Schema Registry integration tests use it as a producer that is not ours
(librdkafka + Confluent's Python Avro / JSON Schema serializers, which register the schema under
<topic>-value and write the Confluent wire format). Reads one JSON event per stdin line; prints
one JSON line per acknowledged message: {"partition", "offset", "schema_id"}.
With --consume N it reads N messages of the topic from the beginning instead, decodes each with
the JSON Schema deserializer (writer schema fetched from the registry by the id in the frame) and
prints {"partition", "offset", "schema_id", "value"} per message.

  python3 scripts/dev/registry-producer.py --bootstrap 127.0.0.1:9092 \
      --registry http://127.0.0.1:8080/apis/ccompat/v7 --topic calls.transcribed --format avro < events.jsonl
"""
import argparse
import faulthandler
import json
import logging
import sys

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.schema_registry import topic_record_subject_name_strategy
from confluent_kafka.serialization import MessageField, SerializationContext

# The producer's own view of the event: optional fields as unions with null, times as longs,
# metadata as a map of strings (Avro has no free-form object).
AVRO_SCHEMA = json.dumps({
    "type": "record", "name": "CallTranscribed", "namespace": "com.example.calls",
    "fields": [
        {"name": "call_id", "type": "string"},
        {"name": "text", "type": ["null", "string"], "default": None},
        {"name": "segments", "default": None, "type": ["null", {"type": "array", "items": {
            "type": "record", "name": "Segment", "fields": [
                {"name": "speaker", "type": "string"},
                {"name": "text", "type": "string"},
                {"name": "start_ms", "type": ["null", "long"], "default": None},
                {"name": "end_ms", "type": ["null", "long"], "default": None},
            ]}}]},
        {"name": "language", "type": ["null", "string"], "default": None},
        {"name": "timestamp", "type": ["null", "string"], "default": None},
        {"name": "metadata", "type": ["null", {"type": "map", "values": "string"}], "default": None},
    ],
})

JSON_SCHEMA = json.dumps({
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "CallTranscribed",
    "type": "object",
    "required": ["call_id"],
    "properties": {
        "call_id": {"type": "string"},
        "text": {"type": "string"},
        "segments": {"type": "array", "items": {"type": "object", "required": ["speaker", "text"], "properties": {
            "speaker": {"type": "string"}, "text": {"type": "string"},
            "start_ms": {"type": "number"}, "end_ms": {"type": "number"}}}},
        "language": {"type": "string"},
        "timestamp": {"type": ["string", "number"]},
        "metadata": {"type": "object"},
    },
})


REGISTRY_REQUEST_TIMEOUT_S = 15


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True, help="Confluent-compatible registry URL")
    parser.add_argument("--topic", required=True)
    parser.add_argument("--format", choices=["avro", "json"], required=True)
    parser.add_argument("--ca", help="CA file to trust for an https registry")
    parser.add_argument("--record-subjects", action="store_true",
                        help="register under <topic>-<record name> (TopicRecordNameStrategy), so Avro and "
                             "JSON Schema events can share a topic; default <topic>-value")
    parser.add_argument("--consume", type=int, metavar="N", help="read N messages back instead of producing")
    parser.add_argument("--dump-stack-after", type=float, metavar="SECONDS",
                        help="still running then: print every thread's stack to stderr and exit (for a caller's timeout)")
    args = parser.parse_args()
    if args.dump_stack_after:
        faulthandler.dump_traceback_later(args.dump_stack_after, exit=True)
    # Each registry request and its answer on stderr (httpx logs them at INFO): a caller that has to
    # kill a stuck run can say which request it was.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.INFO)

    # httpx waits for ever by default: bound every registry request (connect, write, read) so that a
    # stuck one is retried (max.retries, on transport errors) instead of hanging the run.
    conf = {"url": args.registry, "timeout": REGISTRY_REQUEST_TIMEOUT_S}
    if args.ca:
        conf["ssl.ca.location"] = args.ca
    registry = SchemaRegistryClient(conf)
    if args.consume:
        return consume(args, registry)
    to_dict = lambda obj, ctx: obj  # noqa: E731 - the events are dicts already
    serializer_conf = {"subject.name.strategy": topic_record_subject_name_strategy} if args.record_subjects else None
    if args.format == "avro":
        serializer = AvroSerializer(registry, AVRO_SCHEMA, to_dict, conf=serializer_conf)
    else:
        serializer = JSONSerializer(JSON_SCHEMA, registry, to_dict, conf=serializer_conf)

    # A delivery that cannot happen fails within the minute instead of librdkafka's default 5 minutes.
    producer = Producer({"bootstrap.servers": args.bootstrap, "acks": "all", "enable.idempotence": True,
                         "message.timeout.ms": 60000})
    failures = []

    def delivered(err, msg):
        if err is not None:
            failures.append(str(err))
            return
        value = msg.value()
        print(json.dumps({"partition": msg.partition(), "offset": msg.offset(),
                          "schema_id": int.from_bytes(value[1:5], "big")}), flush=True)

    for line in sys.stdin:
        if not line.strip():
            continue
        event = json.loads(line)
        value = serializer(event, SerializationContext(args.topic, MessageField.VALUE))
        producer.produce(args.topic, key=str(event.get("call_id", "")).encode(), value=value, on_delivery=delivered)
        producer.poll(0)
    undelivered = producer.flush(90)
    if undelivered:
        failures.append(f"{undelivered} message(s) still undelivered after 90 s")
    if failures:
        print("delivery failed: " + "; ".join(failures), file=sys.stderr)
        return 1
    return 0


def consume(args, registry) -> int:
    deserializer = JSONDeserializer(None, schema_registry_client=registry)
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": f"registry-reader-{args.topic}",
                         "auto.offset.reset": "earliest", "enable.auto.commit": False})
    consumer.subscribe([args.topic])
    seen = 0
    idle = 0
    while seen < args.consume and idle < 60:
        msg = consumer.poll(1.0)
        if msg is None:
            idle += 1
            continue
        if msg.error():
            print(f"consume error: {msg.error()}", file=sys.stderr)
            continue
        raw = msg.value()
        value = deserializer(raw, SerializationContext(args.topic, MessageField.VALUE))
        print(json.dumps({"partition": msg.partition(), "offset": msg.offset(),
                          "schema_id": int.from_bytes(raw[1:5], "big"), "value": value}), flush=True)
        seen += 1
    consumer.close()
    return 0 if seen >= args.consume else 1


if __name__ == "__main__":
    sys.exit(main())
