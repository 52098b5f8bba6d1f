package session

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"net"
	"time"

	"github.com/swarm-project/swarm/ratectl/wire"
)

// cookiePeriod is the lifetime of a cookie's time bucket; a cookie is
// accepted in its own bucket and the next one.
const cookiePeriod = 10 * time.Second

// cookieLen is 4 bytes of time bucket and 16 bytes of MAC.
const cookieLen = 20

// cookieJar makes and checks stateless address-validation cookies:
// HMAC-SHA256(secret, bucket, client address, client IDs), truncated.
type cookieJar struct{ secret []byte }

func (j cookieJar) mac(bucket uint32, addr net.Addr, p *wire.Initial) []byte {
	m := hmac.New(sha256.New, j.secret)
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], bucket)
	m.Write(b[:])
	m.Write(addrKey(addr))
	m.Write(p.SrcID[:])
	m.Write(p.DestID[:])
	return m.Sum(nil)[:cookieLen-4]
}

func bucketOf(now time.Time) uint32 { return uint32(now.Unix() / int64(cookiePeriod/time.Second)) }

// make returns a cookie for the Initial p from addr.
func (j cookieJar) make(now time.Time, addr net.Addr, p *wire.Initial) []byte {
	bucket := bucketOf(now)
	c := binary.BigEndian.AppendUint32(make([]byte, 0, cookieLen), bucket)
	return append(c, j.mac(bucket, addr, p)...)
}

// valid checks p's cookie against addr at now.
func (j cookieJar) valid(now time.Time, addr net.Addr, p *wire.Initial) bool {
	if len(p.Cookie) != cookieLen {
		return false
	}
	bucket := binary.BigEndian.Uint32(p.Cookie)
	if cur := bucketOf(now); bucket != cur && bucket+1 != cur {
		return false
	}
	return hmac.Equal(p.Cookie[4:], j.mac(bucket, addr, p))
}

// addrKey returns a canonical byte form of addr.
func addrKey(addr net.Addr) []byte {
	if u, ok := addr.(*net.UDPAddr); ok {
		ap := u.AddrPort()
		b, _ := ap.MarshalBinary()
		return b
	}
	return []byte(addr.Network() + "|" + addr.String())
}

// sameAddr reports whether a and b are the same address.
func sameAddr(a, b net.Addr) bool {
	ua, ok1 := a.(*net.UDPAddr)
	ub, ok2 := b.(*net.UDPAddr)
	if ok1 && ok2 {
		return ua.Port == ub.Port && ua.IP.Equal(ub.IP)
	}
	return a.Network() == b.Network() && a.String() == b.String()
}
