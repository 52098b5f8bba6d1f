package ratectl

import "time"

// SendState is what RateSampler records about a packet when it is sent;
// the caller keeps it with the packet and hands it back on its ack.
type SendState struct {
	Delivered     int64     // bytes delivered when the packet was sent
	DeliveredTime time.Time // when Delivered was last updated
	FirstSent     time.Time // send time of the first packet of the flight
	SentTime      time.Time
	AppLimited    bool
}

// RateSampler estimates the delivery rate the way BBR does: for each acked
// packet, bytes delivered between its send and its ack over the longer of
// the send and ack intervals. It is pure; time is passed in.
type RateSampler struct {
	delivered     int64
	deliveredTime time.Time
	firstSent     time.Time
	appLimitedTo  int64 // samples are app-limited until delivered passes this
}

// OnSend records the state for a packet sent at now with inFlight bytes
// already unacknowledged (before this packet).
func (s *RateSampler) OnSend(now time.Time, inFlight int) SendState {
	if inFlight == 0 {
		s.firstSent, s.deliveredTime = now, now
	}
	return SendState{
		Delivered:     s.delivered,
		DeliveredTime: s.deliveredTime,
		FirstSent:     s.firstSent,
		SentTime:      now,
		AppLimited:    s.appLimitedTo > s.delivered,
	}
}

// OnAppLimited marks the sender as having nothing to send with inFlight
// bytes unacknowledged: samples until those are delivered are app-limited.
func (s *RateSampler) OnAppLimited(inFlight int) {
	s.appLimitedTo = max(s.delivered+int64(inFlight), 1)
}

// OnAck accounts bytes of the packet with state st acknowledged at now and
// returns a delivery-rate sample in bytes/s (0 if none can be taken) and
// whether the sample is app-limited.
func (s *RateSampler) OnAck(now time.Time, st SendState, bytes int) (float64, bool) {
	s.delivered += int64(bytes)
	s.deliveredTime = now
	if st.SentTime.After(s.firstSent) {
		s.firstSent = st.SentTime
	}
	sendElapsed := st.SentTime.Sub(st.FirstSent)
	ackElapsed := now.Sub(st.DeliveredTime)
	interval := max(sendElapsed, ackElapsed)
	if interval <= 0 || st.DeliveredTime.IsZero() {
		return 0, st.AppLimited
	}
	return float64(s.delivered-st.Delivered) / interval.Seconds(), st.AppLimited
}

// Delivered returns the total bytes acknowledged.
func (s *RateSampler) Delivered() int64 { return s.delivered }
