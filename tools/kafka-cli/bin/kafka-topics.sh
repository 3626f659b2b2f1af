#!/usr/bin/env bash
# Kafka's kafka-topics.sh, served by `tributary kafka-topics` (same options; see --help).
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/tributary-cli.sh" kafka-topics "$@"
