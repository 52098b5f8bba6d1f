package dht

import "errors"

var (
	// ErrClosed: the DHT was closed.
	ErrClosed = errors.New("dht: closed")
	// ErrNoPeers: the routing table is empty, so there is nobody to announce
	// to. Retryable: the root is kept and announced once peers appear.
	ErrNoPeers = errors.New("dht: no DHT peers to announce to")
	// ErrNotAnnounced: DHT peers were found but none accepted the provider
	// record. Retryable.
	ErrNotAnnounced = errors.New("dht: no peer accepted the provider record")
	// ErrNoAddresses: the host listens on no address, so a provider record
	// would tell others nothing they could dial. Fatal until the host listens.
	ErrNoAddresses = errors.New("dht: host has no listen addresses to announce")
	// ErrBootstrap: none of the configured bootstrap peers could be reached.
	ErrBootstrap = errors.New("dht: no bootstrap peer reachable")
	// ErrPublicPrefix: the protocol prefix is the public IPFS DHT's.
	ErrPublicPrefix = errors.New("dht: protocol prefix /ipfs would join the public IPFS DHT")
)
