package wire

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
)

// ReadFrame reads one length-prefixed frame body from r into buf (grown as
// needed, never past MaxFrame) and returns it. io.EOF is returned only on a
// clean end between frames.
func ReadFrame(r *bufio.Reader, buf []byte) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, malformed("frame length: %v", err)
	}
	if n > MaxFrame {
		return nil, malformed("frame of %d bytes exceeds %d", n, MaxFrame)
	}
	if uint64(cap(buf)) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(r, buf); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return buf, nil
}
