#!/bin/bash
# One-shot topic creation for the compose stack (the `kafka-init` service). The worker never
# creates topics: partition counts are an operations decision (max useful replicas = input partitions).
# Idempotent: --if-not-exists, so `docker compose up` can run it again.
set -euo pipefail
BOOTSTRAP="${BOOTSTRAP:-kafka:9092}"
TOPICS_BIN="${TOPICS_BIN:-/opt/kafka/bin/kafka-topics.sh}"

create() {
  local topic="$1" partitions="$2"
  "$TOPICS_BIN" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor 1
}

create "${INPUT_TOPIC:-calls.transcribed}" "${INPUT_PARTITIONS:-6}"
create "${OUTPUT_TOPIC:-calls.sentiment}" "${OUTPUT_PARTITIONS:-6}"
create "${DLQ_TOPIC:-calls.transcribed.dlq}" "${DLQ_PARTITIONS:-1}"
"$TOPICS_BIN" --bootstrap-server "$BOOTSTRAP" --list
echo "topics ready"
