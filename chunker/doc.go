// Package chunker cuts content into fixed-size chunks and names each chunk
// by a CID.
//
// A chunk is named by a CIDv1 with the raw codec (0x55) and a BLAKE3-256
// multihash (code 0x1e, 32-byte digest). Verify recomputes such a name over
// bytes received from an untrusted source; it also accepts sha2-256 so that
// content named elsewhere can be checked.
//
// Chunk sizes are powers of two between MinChunkSize and MaxChunkSize. Fixed
// power-of-two chunks keep the offset of chunk i equal to i*chunkSize, which
// lets readers, writers and range requests compute positions without a
// table; content-defined chunking may be added later under a new manifest
// version.
package chunker
