package store

import (
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// maxConflictRetries bounds how often a transaction is retried after a
// conflicting concurrent commit.
const maxConflictRetries = 20

// updateItems applies items [0, n) with fn, one call per item, in as few
// read-write transactions as Badger's size limit allows: when an item does
// not fit, the transaction is committed and a new one continues with it.
// A transaction that conflicts with a concurrent commit is retried from its
// first item; fn must therefore read what it modifies through txn.
func (s *Store) updateItems(n int, fn func(txn *badger.Txn, i int) error) error {
	for start, retries := 0, 0; start < n; {
		next, err := s.applyFrom(start, n, fn)
		switch {
		case errors.Is(err, badger.ErrConflict) && retries < maxConflictRetries:
			retries++
		case err != nil:
			return fmt.Errorf("store: %w", err)
		default:
			start, retries = next, 0
		}
	}
	return nil
}

// applyFrom applies items from start on in one transaction until they are
// done or the transaction is full, commits, and returns the next item.
func (s *Store) applyFrom(start, n int, fn func(txn *badger.Txn, i int) error) (int, error) {
	txn := s.db.NewTransaction(true)
	defer txn.Discard()
	i := start
	for ; i < n; i++ {
		err := fn(txn, i)
		if errors.Is(err, badger.ErrTxnTooBig) && i > start {
			break
		}
		if err != nil {
			return start, err
		}
	}
	return i, txn.Commit()
}
