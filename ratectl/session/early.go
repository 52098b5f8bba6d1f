package session

// Early data, the server's side (ratectl-wire.md section 3.1): a client's
// first bytes arrive before it has the Accept, addressed to its Initial's
// dest ID, and the connection goes to the application at once, within the
// anti-amplification budget until the client confirms.

// acceptEarly hands a server connection that received early data to
// Accept before the client confirmed it, so that the application answers
// a round trip sooner; until the confirmation, what it sends stays within
// three times what the client sent (anti-amplification, see
// ampBlocked). Early data neither refreshes the handshake timeout nor
// ends the connection when the accept queue is full (it waits for the
// confirmation, which can carry a Close), and a connection whose address
// no cookie proved takes one of few early places (Endpoint.takeEarly): a
// spoofer of a client's address could otherwise hold that address's
// share of the application's connection limits.
func (s *loopState) acceptEarly() {
	if s.accepted || !s.c.ep.takeEarly(s.c) {
		return
	}
	if s.c.ep.enqueueAccept(s.c) {
		s.accepted = true
		return
	}
	s.c.ep.releaseEarly(s.c)
}

// toAccept queues a confirmed server connection for Accept once; it
// reports whether the connection ended (the queue was full).
func (s *loopState) toAccept() bool {
	s.c.ep.releaseEarly(s.c)
	if s.accepted {
		return false
	}
	s.accepted = true
	if !s.c.ep.enqueueAccept(s.c) {
		s.finish(&CloseError{Code: CodeAbort, Reason: "accept queue full"}, CodeAbort)
		return true
	}
	return false
}

// unconfirmedServer reports whether this is a server connection whose
// client has not yet confirmed its address.
func (s *loopState) unconfirmedServer() bool { return !s.c.client && !s.confirmed }

// ampBlocked reports whether a server connection the client has not yet
// confirmed must not send n more bytes: before its address is proven by
// a packet to the server's ID, it sends at most three times what it
// received from it.
func (s *loopState) ampBlocked(n int) bool {
	return s.unconfirmedServer() && s.unprovenSent+n > 3*s.unprovenRecv
}
