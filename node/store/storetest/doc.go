// Package storetest holds the test suite every catalog.Store implementation
// must pass (Run) and an in-memory catalog.Store (NewMemory) for the tests
// of packages that need a store without Badger.
//
// The memory store shares node/store/storecore and node/store/blobstore
// with the Badger store, so both follow the same rules: locations are
// validated, deduplicated and capped alike, chunks are read and verified by
// the same code, and blocks are kept as files in a directory.
package storetest
