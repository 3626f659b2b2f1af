# Tributary: the two newcomer commands are `make demo` and `make test`.
SHELL := /bin/bash
CONFIGURATION ?= Release
SHARED ?= ../shared
DOTNET := dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

.PHONY: all deps restore build test protocol crds demo bench conformance clean

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

clean:
	rm -rf artifacts
