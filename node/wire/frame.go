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
	n, err := readLength(r)
	if err != nil {
		return nil, err
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

// readLength reads a frame's length, a minimally encoded uvarint like
// every other in the protocol.
func readLength(r *bufio.Reader) (uint64, error) {
	var b [binary.MaxVarintLen64]byte
	for i := range b {
		c, err := r.ReadByte()
		if err != nil {
			if i == 0 && errors.Is(err, io.EOF) {
				return 0, io.EOF
			}
			if errors.Is(err, io.EOF) {
				return 0, malformed("frame length: %v", io.ErrUnexpectedEOF)
			}
			return 0, err
		}
		b[i] = c
		if c < 0x80 {
			_, n, err := uvarint(b[:i+1])
			if err != nil {
				return 0, malformed("frame length: %v", err)
			}
			return n, nil
		}
	}
	return 0, malformed("frame length: varint overflows 64 bits")
}
