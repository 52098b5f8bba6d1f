package storetest_test

import (
	"testing"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/node/store/storetest"
)

func TestMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T) catalog.Store {
		return storetest.NewMemory(t.TempDir())
	})
}
