#!/bin/sh
# Runs inside the apache/kafka image for docker-compose.yml:
#   create-topics   the input topics, one per input shape
#   produce         sample-data/*.ndjson into the topic of its shape
#   print-alerts    the alert documents, as the worker publishes them
set -eu

BOOTSTRAP=kafka:9092
BIN=/opt/kafka/bin
ECS_TOPIC=logs-endpoint.events.file-default
WINLOGBEAT_TOPIC=winlogbeat-sample
FLAT_TOPIC=logs-windows.sysmon_operational-default

topic_of_shape() {
  case "$1" in
    ecs) echo "$ECS_TOPIC" ;;
    winlogbeat) echo "$WINLOGBEAT_TOPIC" ;;
    flat) echo "$FLAT_TOPIC" ;;
    *) echo "unknown shape $1" >&2; exit 1 ;;
  esac
}

produce_file() {
  topic="$(topic_of_shape "$1")"
  echo "producing $2 ($(wc -l < "$2") events) to $topic"
  "$BIN/kafka-console-producer.sh" --bootstrap-server "$BOOTSTRAP" --topic "$topic" \
    --producer-property max.request.size=10485760 --producer-property compression.type=lz4 < "$2"
}

case "${1:-}" in
  create-topics)
    for topic in "$ECS_TOPIC" "$WINLOGBEAT_TOPIC" "$FLAT_TOPIC"; do
      "$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$topic" --partitions 3
    done
    ;;
  produce)
    # sample-data/public/<shape>/*.ndjson (real events) and sample-data/attacks/<shape>.ndjson (crafted attacks).
    for shape in ecs winlogbeat flat; do
      for file in /sample-data/public/"$shape"/*.ndjson /sample-data/attacks/"$shape".ndjson; do
        [ -f "$file" ] && produce_file "$shape" "$file"
      done
    done
    echo "all samples produced"
    ;;
  print-alerts)
    exec "$BIN/kafka-console-consumer.sh" --bootstrap-server "$BOOTSTRAP" --topic eql-stream-alerts \
      --from-beginning --property print.key=true --property key.separator=' '
    ;;
  *)
    echo "usage: samples.sh create-topics|produce|print-alerts" >&2
    exit 2
    ;;
esac
