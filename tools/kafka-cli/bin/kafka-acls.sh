#!/usr/bin/env bash
# Kafka's kafka-acls.sh, served by `tributary kafka-acls` (same options; see --help).
exec "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/tributary-cli.sh" kafka-acls "$@"
