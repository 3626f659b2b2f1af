#!/usr/bin/env bash
# Kafka's kafka-configs.sh, served by `tributary kafka-configs` (same options; see --help).
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/tributary-cli.sh" kafka-configs "$@"
