package wire

// Packet is any parsed packet. Parse returns one of *Initial, *Retry,
// *Accept, *Data, *Ack, *Close or *Ping.
type Packet interface {
	// Append encodes the packet onto b.
	Append(b []byte) []byte
}

// Parse parses one datagram of any type. Hot paths should use PeekHeader
// and the per-type parsers, which do not allocate.
func Parse(b []byte) (Packet, error) {
	t, _, err := PeekHeader(b)
	if err != nil {
		return nil, err
	}
	p, err := parseType(t, b)
	if err != nil {
		return nil, err
	}
	return p, nil
}

func parseType(t Type, b []byte) (Packet, error) {
	switch t {
	case TypeInitial:
		p, err := ParseInitial(b)
		return &p, err
	case TypeRetry:
		p, err := ParseRetry(b)
		return &p, err
	case TypeAccept:
		p, err := ParseAccept(b)
		return &p, err
	case TypeData:
		p, err := ParseData(b)
		return &p, err
	case TypeAck:
		var p Ack
		err := ParseAck(b, &p)
		return &p, err
	case TypeClose:
		p, err := ParseClose(b)
		return &p, err
	default: // TypePing; PeekHeader rejected the rest
		p, err := ParsePing(b)
		return &p, err
	}
}
