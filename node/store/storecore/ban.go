package storecore

import "github.com/swarm-project/swarm/catalog"

// Limits of a ban, in bytes.
const (
	MaxBanPeerLen   = 255
	MaxBanReasonLen = 1024
)

// ValidateBanPeer reports whether peer can key a ban: non-empty, at most
// MaxBanPeerLen bytes, no NUL byte. Errors wrap ErrInvalid.
func ValidateBanPeer(peer string) error { return validateName("ban peer", peer, MaxBanPeerLen) }

// ValidateBan checks the peer, the reason's length and that both times are
// set.
func ValidateBan(b catalog.Ban) error {
	if err := ValidateBanPeer(b.Peer); err != nil {
		return err
	}
	switch {
	case len(b.Reason) > MaxBanReasonLen:
		return invalidf("ban reason longer than %d bytes", MaxBanReasonLen)
	case b.Time.IsZero() || b.Until.IsZero():
		return invalidf("ban of %q without its times", b.Peer)
	}
	return nil
}

// NormalizeBan returns b as a store gives it back: times kept to the
// nanosecond, without monotonic clock reading, in UTC.
func NormalizeBan(b catalog.Ban) catalog.Ban {
	b.Time, b.Until = NormalizeTime(b.Time), NormalizeTime(b.Until)
	return b
}
