// Package store is the node's persistent index: catalog.Store on Badger,
// with blocks kept as files by node/store/blobstore.
//
// A repo directory holds the Badger database in index/ and the blob store
// in blobs/. Badger allows one process per directory; Open reports a second
// one with ErrLocked. The key schema and value encodings are specified in
// docs/spec/store.md; Open refuses an index written under another schema
// version (ErrSchema).
//
// This is the only package of the project that imports Badger. Behaviour
// shared with the in-memory store (node/store/storetest) lives in
// node/store/storecore, and both pass the suite storetest.Run.
package store
