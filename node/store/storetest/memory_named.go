package storetest

import (
	"fmt"
	"maps"
	"slices"

	"github.com/swarm-project/swarm/catalog"
)

// Helpers for the records kept by name (pins, bans). The caller holds the
// lock.

// removeNamed deletes m[name], or returns ErrNotFound naming what.
func removeNamed[V any](m map[string]V, name, what string) error {
	if _, ok := m[name]; !ok {
		return fmt.Errorf("%w: %s", catalog.ErrNotFound, what)
	}
	delete(m, name)
	return nil
}

// byName returns m's values in the byte order of their names.
func byName[V any](m map[string]V) []V {
	out := make([]V, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k])
	}
	return out
}
