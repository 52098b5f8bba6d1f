// Package storecore holds what every catalog.Store implementation shares
// apart from persistence: validation of locations, pins and download IDs,
// the policy for a chunk's list of locations (dedupe, cap, order), reading
// and verifying a chunk from a file added in place, and resolving a chunk
// across its locations and the blob store.
//
// node/store (Badger) and node/store/storetest (memory) both call it, so the
// two implementations cannot drift apart. It imports no database.
package storecore
