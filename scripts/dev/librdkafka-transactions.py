#!/usr/bin/env python3
"""Interleaved committed and aborted transactions written by librdkafka (confluent-kafka), the
producer the exactly-one-outcome issue found the aborted-transaction bugs with.

Several transactional producers (one transactional.id each, every one with another codec) keep
transactions open at the same time; their records go to one partition interleaved with an
idempotent producer's plain records; one transaction in ``--abort-every`` aborts; odd rounds end
their transactions in reverse order. Prints one JSON line per record written:
``{"call_id": ..., "status": "committed" | "aborted" | "plain"}``.

Dev/test only (confluent-kafka from PyPI, see librdkafka-transactions.requirements.txt):

    python3 -m venv .cache/python/librdkafka && .cache/python/librdkafka/bin/pip install -r scripts/dev/librdkafka-transactions.requirements.txt
    .cache/python/librdkafka/bin/python scripts/dev/librdkafka-transactions.py --bootstrap 127.0.0.1:9092 --topic calls.transcribed
"""

import argparse
import json
import sys

from confluent_kafka import Producer

CODECS = ["none", "gzip", "snappy", "lz4", "zstd"]


def event(call_id: str) -> bytes:
    return json.dumps({"call_id": call_id, "text": "Thanks, the refund arrived and the agent was kind."}).encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--producers", type=int, default=5)
    parser.add_argument("--transactions", type=int, default=40)
    parser.add_argument("--per-transaction", type=int, default=50)
    parser.add_argument("--abort-every", type=int, default=4)
    parser.add_argument("--plain-per-send", type=int, default=10)
    parser.add_argument("--id-prefix", default="librdkafka-txn")
    args = parser.parse_args()

    producers = []
    for p in range(args.producers):
        producer = Producer({
            "bootstrap.servers": args.bootstrap,
            "transactional.id": f"{args.id_prefix}-{p}",
            "compression.type": CODECS[p % len(CODECS)],
            # Small batches, so the producers' batches interleave in the log.
            "linger.ms": 0,
            "batch.num.messages": 5,
        })
        producer.init_transactions(30)
        producers.append(producer)
    plain = Producer({"bootstrap.servers": args.bootstrap, "enable.idempotence": True, "compression.type": "zstd", "linger.ms": 0})

    out = sys.stdout
    written = 0
    rounds = (args.transactions + args.producers - 1) // args.producers
    for rnd in range(rounds):
        members = [p for p in range(args.producers) if rnd * args.producers + p < args.transactions]
        for p in members:
            producers[p].begin_transaction()
        statuses = {p: ("aborted" if (rnd * args.producers + p) % args.abort_every == args.abort_every - 1 else "committed") for p in members}
        ids = {p: [] for p in members}
        for sent in range(0, args.per_transaction, 5):
            for p in members:
                for i in range(sent, min(sent + 5, args.per_transaction)):
                    call_id = f"{args.id_prefix}-r{rnd}-p{p}-{statuses[p]}-{i}"
                    producers[p].produce(args.topic, key=call_id.encode(), value=event(call_id), partition=0)
                    ids[p].append(call_id)
                producers[p].flush(30)
            for i in range(args.plain_per_send):
                call_id = f"{args.id_prefix}-r{rnd}-plain-{sent}-{i}"
                plain.produce(args.topic, key=call_id.encode(), value=event(call_id), partition=0)
                out.write(json.dumps({"call_id": call_id, "status": "plain"}) + "\n")
                written += 1
            plain.flush(30)
        ending = members if rnd % 2 == 0 else list(reversed(members))
        for p in ending:
            if statuses[p] == "aborted":
                producers[p].abort_transaction(30)
            else:
                producers[p].commit_transaction(30)
            for call_id in ids[p]:
                out.write(json.dumps({"call_id": call_id, "status": statuses[p]}) + "\n")
                written += 1
    out.flush()
    print(f"wrote {written} records", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
