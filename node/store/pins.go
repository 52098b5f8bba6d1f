package store

import (
	"context"
	"fmt"

	"github.com/swarm-project/swarm/catalog"
	"github.com/swarm-project/swarm/node/store/storecore"
)

// AddPin records p, replacing a pin of the same name.
func (s *Store) AddPin(ctx context.Context, p catalog.Pin) error {
	if err := storecore.ValidatePin(p); err != nil {
		return err
	}
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	return s.putNamed(pinKey(p.Name), encodePin(p))
}

// RemovePin deletes the pin called name, or returns ErrNotFound.
func (s *Store) RemovePin(ctx context.Context, name string) error {
	if err := s.acquire(ctx); err != nil {
		return err
	}
	defer s.mu.RUnlock()
	return s.deleteNamed(pinKey(name), fmt.Sprintf("pin %q", name))
}

// Pins lists the pins sorted by name (byte order).
func (s *Store) Pins(ctx context.Context) ([]catalog.Pin, error) {
	if err := s.acquire(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	var pins []catalog.Pin
	err := s.scanNamed(prefixPin, func(name string, v []byte) error {
		p, err := decodePin(name, v)
		pins = append(pins, p)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: listing pins: %w", err)
	}
	return pins, nil
}
