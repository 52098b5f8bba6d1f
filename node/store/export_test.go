package store

import (
	"path/filepath"

	"github.com/dgraph-io/badger/v4"
	"github.com/ipfs/go-cid"
)

// SetRawKey writes key=value straight into the index of the repo at dir
// (which must not be open), to test how Open and reads handle data they
// did not write.
func SetRawKey(dir string, key, value []byte) error {
	opts := badger.DefaultOptions(filepath.Join(dir, "index")).WithLogger(nil)
	db, err := badger.Open(opts)
	if err != nil {
		return err
	}
	if err := db.Update(func(txn *badger.Txn) error { return txn.Set(key, value) }); err != nil {
		db.Close()
		return err
	}
	return db.Close()
}

// SchemaKey and LocationKey expose the key schema to the tests.
var SchemaKey = schemaKey

func LocationKey(c cid.Cid) []byte { return locationKey(c) }
