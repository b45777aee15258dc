// Package faults holds the fault tests of sohoa: real `sohoa serve` and `sohoa worker`
// processes, each test with its own redis-server, Meilisearch and data directory on free
// loopback ports, are killed, starved of disk or cut off from a service in the middle of a
// batch, and the batch is then followed to the end through the API and checked against the
// store and the search index: every page stored once, no document twice, nothing left
// running or queued.
//
// The package has no code besides this comment; everything is in its tests, which `make
// test` runs. It must not be imported.
package faults
