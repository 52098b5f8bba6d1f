package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// SchemaVersion is the version of the key schema and value encodings this
// package reads and writes (docs/spec/store.md). Any change to either bumps
// it.
const SchemaVersion uint32 = 1

// checkSchema records SchemaVersion in a new index and refuses an index
// written under another version, or one with data but no version.
func checkSchema(db *badger.DB) error {
	return db.Update(func(txn *badger.Txn) error {
		item, err := txn.Get(schemaKey)
		if errors.Is(err, badger.ErrKeyNotFound) {
			if !isEmpty(txn) {
				return fmt.Errorf("%w: the index holds data but no schema version; was it written by swarm?", ErrSchema)
			}
			return txn.Set(schemaKey, binary.BigEndian.AppendUint32(nil, SchemaVersion))
		}
		if err != nil {
			return err
		}
		v, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		if len(v) != 4 {
			return fmt.Errorf("%w: schema version is %d bytes, want 4", ErrSchema, len(v))
		}
		if got := binary.BigEndian.Uint32(v); got != SchemaVersion {
			return fmt.Errorf("%w: the index has version %d, this swarm reads version %d", ErrSchema, got, SchemaVersion)
		}
		return nil
	})
}

func isEmpty(txn *badger.Txn) bool {
	it := txn.NewIterator(badger.IteratorOptions{})
	defer it.Close()
	it.Rewind()
	return !it.Valid()
}
