# Swarm's front door. `make demo` and `make test` are the README's quick start.
GO       ?= go
BIN      := bin/swarm
PKGS     := ./...
FUZZTIME ?= 30s

.PHONY: all build test test-short demo lint fuzz bench bench-wan bench-local bench-multi test-wanlab clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/swarm

# The whole suite, with the race detector. CI runs exactly this.
test:
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 -timeout 30m $(PKGS)

test-short:
	$(GO) test -short -count=1 $(PKGS)

# Three daemons on loopback, ~1 GB of mixed files added on one and fetched
# by another through the real CLI, verified, throughput printed.
demo: build
	./scripts/demo.sh $(BIN)

lint:
	$(GO) vet $(PKGS)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# Every Fuzz target for FUZZTIME each.
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# Micro-benchmarks (chunker hashing vs raw BLAKE3, store put/get, ...).
bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x ./chunker/... ./node/store/... ./swarm/...

# WAN lab benchmarks (root; installs iperf3, nginx, aria2 if missing).
# PROFILES=P1,P2 REPEAT=3 to narrow or widen a run.
PROFILES ?= P1,P2,P3,P4,P5
REPEAT   ?= 3
bench-wan:
	$(GO) run ./bench/wanbench --profiles $(PROFILES) --repeat $(REPEAT)

bench-local:
	$(GO) run ./bench/localbench --size-mb 1000 --repeat 3

# Multi-source: 4 capped seeders, mixed links, peers + HTTP, a killed and a
# lying seeder (WAN lab, root), and memory of a 10 GB download from 8
# sources on loopback (~21 GB free in $$TMPDIR). Quick run:
# MULTIBENCH_FLAGS="--size-gb 2 --sources 4 --repeat 1"
bench-multi:
	$(GO) run ./bench/multibench $(MULTIBENCH_FLAGS)

# The emulator's own validation tests (root, namespaces); not part of make test.
test-wanlab:
	$(GO) test -count=1 -v -tags wanlab ./bench/...

clean:
	rm -rf bin
