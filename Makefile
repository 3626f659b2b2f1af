# Tributary: the two newcomer commands are `make demo` and `make test`.
SHELL := /bin/bash
CONFIGURATION ?= Release
SHARED ?= ../shared
DOTNET := dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

.PHONY: all deps restore build test protocol crds demo bench microbench conformance conformance-cluster soak clean

all: build

deps:
	@tools/deps.sh

restore:
	@$(DOTNET) restore Operator.sln --verbosity quiet

build: restore
	@$(DOTNET) build Operator.sln --no-restore -c $(CONFIGURATION) --verbosity quiet -nologo

test: deps build
	@CONFIGURATION=$(CONFIGURATION) tools/test-summary.sh

# Regenerates broker-image/src/Tributary.Protocol/Generated from Kafka's schemas in ../shared.
protocol:
	@$(DOTNET) run --project broker-image/src/Tributary.Protocol.Generator -c $(CONFIGURATION) -- \
		$(SHARED)/kafka-protocol broker-image/src/Tributary.Protocol/Generated

# Regenerates the CRD YAML from the C# API types (operator/src/Tributary.Operator/Api).
crds:
	@$(DOTNET) run --project operator/src/Tributary.Operator.CrdGen -c $(CONFIGURATION) -- \
		crds charts/tributary-operator/crds

# Throughput and latency with Confluent.Kafka: Tributary (on disk) vs librdkafka's mock cluster.
BENCH_RECORDS ?= 1000000
BENCH_SIZE ?= 1024
BENCH_REPEATS ?= 5
# BENCH_ARGS="--interleave" alternates the targets per repetition (a shared, noisy machine).
BENCH_ARGS ?=
bench: deps
	@$(DOTNET) run --project tools/Tributary.Bench -c Release -- --records $(BENCH_RECORDS) --size $(BENCH_SIZE) --repeats $(BENCH_REPEATS) $(BENCH_ARGS)

# BenchmarkDotNet micro-benchmarks of the produce hot path (CRC32C, ValidateProduce, PartitionLog.Append)
# with allocation figures; MICROBENCH_FILTER narrows them (BenchmarkDotNet --filter glob).
MICROBENCH_FILTER ?= *
microbench:
	@$(DOTNET) run --project tools/Tributary.MicroBench -c Release -- --filter '$(MICROBENCH_FILTER)'

# librdkafka's own regression suite against a local broker; per-test report in artifacts/conformance.
conformance:
	@tools/conformance.sh

# The same suite against a 3-broker `tributary dev` cluster (racks a,b,c); report in artifacts/conformance-cluster.
conformance-cluster:
	@CONFORMANCE_BROKERS=3 tools/conformance.sh

# Starts a local broker, produces and consumes with kcat, runs until Ctrl-C.
demo:
	@tools/demo.sh

# The multi-broker durability tests SOAK_RUNS times in a row, stopping at the first failure:
# the leader SIGKILLed 5 times under an idempotent acks=all producer, and 20 times at random
# moments for random times (a failing run prints its seed; TRIBUTARY_SOAK_SEED=N replays it).
SOAK_RUNS ?= 10
soak: deps
	@$(DOTNET) build tests/Tributary.Server.Tests -c $(CONFIGURATION) --verbosity quiet -nologo
	@for i in $$(seq 1 $(SOAK_RUNS)); do \
		echo "==> soak run $$i/$(SOAK_RUNS)"; \
		TRIBUTARY_CLUSTER_TESTS=1 TRIBUTARY_SOAK=1 $(DOTNET) test tests/Tributary.Server.Tests -c $(CONFIGURATION) --no-build --nologo \
			--filter "FullyQualifiedName~Tributary.Server.Tests.Cluster.LeaderFailoverTests|FullyQualifiedName~Tributary.Server.Tests.Cluster.RandomLeaderKillTests" || exit 1; \
	done

clean:
	rm -rf artifacts
