package mdns

import (
	"context"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
)

// HandlePeerFound is called by mDNS for every announcement heard (it
// implements go-libp2p's mdns.Notifee). It never blocks: the peer is queued
// for a dialler unless it is this host, already connected, dialled less
// than redialAfter ago, or the queue is full. Calls after Close are ignored.
func (s *Service) HandlePeerFound(ai peer.AddrInfo) {
	if ai.ID == s.host.ID() || ai.ID == "" || len(ai.Addrs) == 0 {
		return
	}
	if s.host.Network().Connectedness(ai.ID) == network.Connected {
		return
	}
	if !s.claim(ai.ID, time.Now()) {
		return
	}
	select {
	case s.queue <- ai:
	default:
		s.log.Debug("mdns: dial queue full; peer dropped", "peer", ai.ID)
		s.release(ai.ID)
	}
}

// claim records a dial attempt on p unless one was made within redialAfter
// or the service is closed.
func (s *Service) claim(p peer.ID, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	if last, ok := s.lastDial[p]; ok && now.Sub(last) < redialAfter {
		return false
	}
	if len(s.lastDial) >= 4*queueLen {
		for id, t := range s.lastDial {
			if now.Sub(t) >= redialAfter {
				delete(s.lastDial, id)
			}
		}
	}
	s.lastDial[p] = now
	return true
}

// release forgets a claim that was not dialled.
func (s *Service) release(p peer.ID) {
	s.mu.Lock()
	delete(s.lastDial, p)
	s.mu.Unlock()
}

// dialLoop connects to queued peers until Close.
func (s *Service) dialLoop() {
	for {
		select {
		case <-s.ctx.Done():
			return
		case ai := <-s.queue:
			if s.ctx.Err() == nil {
				s.dial(ai)
			}
		}
	}
}

// dial connects to one discovered peer and, once the connection has
// authenticated its ID, keeps its LAN addresses in the peerstore.
func (s *Service) dial(ai peer.AddrInfo) {
	if !s.yield(ai.ID) {
		return
	}
	if s.host.Network().Connectedness(ai.ID) == network.Connected {
		return // the other side dialled us
	}
	ctx, cancel := context.WithTimeout(s.ctx, dialTimeout)
	defer cancel()
	if err := s.connect(ctx, ai); err != nil {
		s.log.Debug("mdns: cannot connect to discovered peer", "peer", ai.ID, "err", err)
		return
	}
	s.host.Peerstore().AddAddrs(ai.ID, ai.Addrs, addrTTL)
	s.log.Info("mdns: connected to LAN peer", "peer", ai.ID)
}

// yield makes the side with the greater peer ID wait before dialling. Two
// peers usually hear each other's mDNS answers at the same moment; if both
// dialled at once, TCP port reuse would turn the two dials into one
// simultaneous open that fails on both sides (each end sends a TLS/Noise
// ClientHello). It reports false if the service closed meanwhile.
func (s *Service) yield(p peer.ID) bool {
	if s.host.ID() < p {
		return true
	}
	t := time.NewTimer(s.yieldDelay)
	defer t.Stop()
	select {
	case <-s.ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
