#!/bin/bash
# Runs one of Kafka's main classes on its jars: the part of the distribution's kafka-run-class.sh
# the tools need. Tools get a small heap and the quick-starting JIT (the healthcheck runs one every 10 s).
exec java ${KAFKA_TOOLS_HEAP_OPTS:--Xmx256m} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
  -Dlog4j.configuration=file:/opt/kafka/config/tools-log4j.properties \
  -cp '/opt/kafka/libs/*' "$@"
