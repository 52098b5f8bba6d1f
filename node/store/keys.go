package store

import (
	"encoding/binary"

	"github.com/ipfs/go-cid"
)

// Key prefixes (docs/spec/store.md). Each key starts with one prefix byte;
// the rest is specific to the prefix.
const (
	prefixMeta     byte = 0x00 // 0x00 | name                        → meta value
	prefixLocation byte = 0x01 // 0x01 | binary CID                  → location list
	prefixPin      byte = 0x02 // 0x02 | name                        → pin
	prefixJournal  byte = 0x03 // 0x03 | uvarint len | id | page BE  → 512-byte bitmap
	prefixBan      byte = 0x04 // 0x04 | peer ID (text)              → ban
	prefixEndpoint byte = 0x05 // 0x05 | binary root CID             → endpoint URL list
)

// schemaKey holds the schema version, a 4-byte big-endian integer.
var schemaKey = []byte{prefixMeta, 's', 'c', 'h', 'e', 'm', 'a'}

func locationKey(c cid.Cid) []byte {
	return append([]byte{prefixLocation}, c.Bytes()...)
}

func pinKey(name string) []byte {
	return append([]byte{prefixPin}, name...)
}

func banKey(peer string) []byte {
	return append([]byte{prefixBan}, peer...)
}

func endpointsKey(root cid.Cid) []byte {
	return append([]byte{prefixEndpoint}, root.Bytes()...)
}

// journalPrefix is the prefix of every page key of one download. The length
// prefix keeps one ID's keys from being a prefix range of another's.
func journalPrefix(id string) []byte {
	k := make([]byte, 0, 1+binary.MaxVarintLen64+len(id)+8)
	k = append(k, prefixJournal)
	k = binary.AppendUvarint(k, uint64(len(id)))
	return append(k, id...)
}

func journalKey(id string, page uint64) []byte {
	return binary.BigEndian.AppendUint64(journalPrefix(id), page)
}

// journalPage extracts the page number from a journal key.
func journalPage(key []byte) uint64 {
	return binary.BigEndian.Uint64(key[len(key)-8:])
}

// afterJournal is the smallest key greater than every page key of the
// download whose prefix is p: p followed by eight 0xFF bytes and a 0x00.
func afterJournal(p []byte) []byte {
	k := append([]byte(nil), p...)
	k = binary.BigEndian.AppendUint64(k, ^uint64(0))
	return append(k, 0)
}
