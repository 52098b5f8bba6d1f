package manifest

import (
	"encoding/binary"
	"errors"
	"io"
)

// stream reads the entry stream across leaf payloads, fetching each leaf
// only when the parser reaches it.
type stream struct {
	buf  []byte                 // unread part of the current leaf
	next func() ([]byte, error) // the next leaf payload; io.EOF after the last
	left int64                  // stream bytes not yet read
}

var errStreamTruncated = invalid("entry stream: " + reasonTruncated)

// fill makes buf non-empty.
func (s *stream) fill() error {
	for len(s.buf) == 0 {
		if s.left <= 0 {
			return errStreamTruncated
		}
		b, err := s.next()
		if errors.Is(err, io.EOF) {
			return errStreamTruncated
		}
		if err != nil {
			return err
		}
		s.buf = b
	}
	return nil
}

func (s *stream) byte() (byte, error) {
	if err := s.fill(); err != nil {
		return 0, err
	}
	b := s.buf[0]
	s.buf = s.buf[1:]
	s.left--
	return b, nil
}

// read fills p.
func (s *stream) read(p []byte) error {
	for len(p) > 0 {
		if err := s.fill(); err != nil {
			return err
		}
		n := copy(p, s.buf)
		s.buf, p = s.buf[n:], p[n:]
		s.left -= int64(n)
	}
	return nil
}

// uvarint reads a canonical uvarint no larger than max.
func (s *stream) uvarint(field string, max uint64) (uint64, error) {
	if err := s.fill(); err != nil {
		return 0, err
	}
	v, n, reason := uvarint(s.buf)
	if reason == reasonTruncated { // the varint may continue in the next leaf
		return s.slowUvarint(field, max)
	}
	if reason == "" {
		s.buf = s.buf[n:]
		s.left -= int64(n)
	}
	return checkVarint(field, v, reason, max)
}

// slowUvarint reads a uvarint that straddles leaves, byte by byte.
func (s *stream) slowUvarint(field string, max uint64) (uint64, error) {
	var tmp [binary.MaxVarintLen64]byte
	n := 0
	for n < len(tmp) {
		b, err := s.byte()
		if err != nil {
			return 0, err
		}
		tmp[n] = b
		n++
		if b < 0x80 {
			break
		}
	}
	v, _, reason := uvarint(tmp[:n])
	return checkVarint(field, v, reason, max)
}

// checkVarint turns the result of uvarint into a value no larger than max
// or an *InvalidError.
func checkVarint(field string, v uint64, reason string, max uint64) (uint64, error) {
	if reason == "" && v > max {
		reason = itoa(v) + " exceeds " + itoa(max)
	}
	if reason != "" {
		return 0, invalid(field + ": " + reason)
	}
	return v, nil
}
