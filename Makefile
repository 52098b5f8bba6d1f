# Swarm's front door. `make demo` and `make test` are the README's quick start.
GO       ?= go
BIN      := bin/swarm
PKGS     := ./...
FUZZTIME ?= 30s

.PHONY: all build test test-short demo lint fuzz bench bench-wan bench-share bench-local bench-multi kubo test-wanlab clean

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
	GOOS=darwin $(GO) build -o /dev/null ./cmd/swarm # the CLI builds on macOS too (not tested there)

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

# swarm's policies next to one TCP flow (CUBIC, BBR) on a 50 Mbit/s lab link.
bench-share:
	$(GO) run ./bench/wanbench --share --timebox 40s --size-mb 400

bench-local:
	$(GO) run ./bench/localbench --size-mb 1000 --repeat 3

# Multi-source: 4 capped seeders, mixed links, peers + HTTP, Kubo beside
# swarm, a killed and a lying seeder (WAN lab, root), and memory of a 10 GB
# download from 8 sources on loopback (~21 GB free in $$TMPDIR). Quick run:
# MULTIBENCH_FLAGS="--size-gb 2 --sources 4 --repeat 1"
# If Kubo does not build, its scenario is skipped with a message.
bench-multi:
	-$(MAKE) kubo
	$(GO) run ./bench/multibench --kubo $(KUBO) $(MULTIBENCH_FLAGS)

# Kubo for multibench's kubo scenario, built once into bin/ from the
# module proxy inside Kubo's own module (our go.mod and go.sum are not
# touched), with the Go it supports: with Go 1.26 cockroachdb/swiss does
# not compile and quic-go v0.54 panics in the QUIC handshake. (`go install
# ...@$(KUBO_VERSION)` fails here: the proxy refuses the version list the
# deprecation check reads.)
KUBO_VERSION ?= v0.38.0
KUBO_GO      ?= go1.25.5
KUBO         := bin/kubo-$(KUBO_VERSION)/ipfs
kubo: $(KUBO)
$(KUBO):
	@mkdir -p $(@D)
	dir=$$(cd "$${TMPDIR:-/tmp}" && $(GO) mod download -json github.com/ipfs/kubo@$(KUBO_VERSION) | \
	  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p') && test -n "$$dir" && \
	cd "$$dir" && GOTOOLCHAIN=$(KUBO_GO) GOFLAGS=-buildvcs=false $(GO) build -trimpath -o $(CURDIR)/$@.tmp ./cmd/ipfs
	mv $@.tmp $@

# The emulator's own validation tests (root, namespaces); not part of make test.
test-wanlab:
	$(GO) test -count=1 -v -tags wanlab ./bench/...

clean:
	rm -rf bin
