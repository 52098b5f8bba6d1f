// Package manifest implements the Swarm manifest, version 1: the canonical,
// content-addressed description of a directory tree or a single file and of
// the chunks that make up each file.
//
// The format is specified in docs/spec/manifest-v1.md. In short: the entries
// are serialised, sorted by path, into one logical byte stream (paths
// prefix-compressed against the previous path, chunk names as multihashes).
// If the root header and the stream fit in one block of at most MaxBlockSize
// bytes, the stream is inlined in the root block. Otherwise the stream is
// cut into full-size leaf blocks, and the root lists the BLAKE3 digests of
// the leaves, through as many index levels as needed. Every choice (order,
// varint form, block cuts, tree shape) is fixed by the content, so one tree
// has exactly one encoding and one root CID; the decoder rejects anything
// else.
//
// Security: paths are relative, slash-separated, free of "." and ".."
// components, NUL, control characters and backslashes; every entry's parent
// must be a directory entry of the same manifest; and v1 has no symlinks.
// Together these mean that no entry can name a location outside the root
// it is materialised under. Decode fetches blocks one at a time, verifies
// each against its CID, and never sizes an allocation from a wire value
// beyond the hard caps declared here.
package manifest
