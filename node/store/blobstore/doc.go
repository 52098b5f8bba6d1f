// Package blobstore keeps verified blocks as files: one file per block at
// <dir>/<shard>/<cid>, where shard is the next-to-last two characters of the
// CID string (as IPFS flatfs does; the leading characters of a CIDv1 string
// are the same for every block). Writes are atomic (temporary file in the
// same directory, fsync, rename, fsync of the directory); blocks are
// verified against their CID when stored and again when read, and a block
// found corrupted on disk is removed rather than served.
package blobstore
