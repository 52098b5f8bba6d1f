package session

import (
	"errors"
	"fmt"
)

// Errors. Those that are net.Error report Timeout() where they are one.
var (
	// ErrClosed is returned by operations on a closed Conn or Endpoint.
	ErrClosed = errors.New("session: closed")
	// ErrHandshakeTimeout: Dial heard nothing acceptable in time.
	ErrHandshakeTimeout = &timeoutError{"session: handshake timed out"}
	// ErrIdleTimeout: nothing was received for Config.IdleTimeout.
	ErrIdleTimeout = &timeoutError{"session: idle timeout"}
	// ErrDeadline is returned by Read and Write past their deadline.
	ErrDeadline = &timeoutError{"session: i/o deadline exceeded"}
	// ErrProtocol: the peer broke the protocol (e.g. moved its FIN or sent
	// beyond the credit it was given).
	ErrProtocol = errors.New("session: protocol violation")
)

// Close codes carried in Close packets.
const (
	CodeNone     uint16 = 0 // clean close
	CodeIdle     uint16 = 1 // idle timeout
	CodeProtocol uint16 = 2 // protocol violation
	CodeAbort    uint16 = 3 // closed before all data was acknowledged
)

// CloseError is returned when the peer closed the connection with a
// non-zero code, or closed it before the stream was complete.
type CloseError struct {
	Code   uint16
	Reason string
	Remote bool // the peer sent the Close
}

func (e *CloseError) Error() string {
	who := "local"
	if e.Remote {
		who = "peer"
	}
	return fmt.Sprintf("session: closed by %s: code %d %s", who, e.Code, e.Reason)
}

// Is makes errors.Is(err, ErrClosed) true for every CloseError.
func (e *CloseError) Is(target error) bool { return target == ErrClosed }

// timeoutError is a net.Error that timed out.
type timeoutError struct{ msg string }

func (e *timeoutError) Error() string   { return e.msg }
func (e *timeoutError) Timeout() bool   { return true }
func (e *timeoutError) Temporary() bool { return true }
