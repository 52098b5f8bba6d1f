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
	return ReadFrameMax(r, buf, MaxFrame)
}

// ReadFrameMax is ReadFrame for a frame of at most limit bytes (at most
// MaxFrame): a longer length is refused before anything is allocated.
func ReadFrameMax(r *bufio.Reader, buf []byte, limit uint64) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, malformed("frame length: %v", err)
	}
	if limit = min(limit, MaxFrame); n > limit {
		return nil, malformed("frame of %d bytes exceeds %d", n, limit)
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
