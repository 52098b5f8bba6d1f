//go:build linux

package session

import (
	"net"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mmsgWriter sends a connection's datagrams with sendmmsg, grouping runs
// of equal-sized datagrams into one GSO message each when it can. It is
// owned by one goroutine.
type mmsgWriter struct {
	l     *linuxIO
	hdrs  []mmsghdr
	iovs  []unix.Iovec // up to three per datagram (head and body)
	oob   []byte
	first []int // index of each message's first datagram
	sa    sockaddr
	addr  net.Addr // what sa holds
	saOK  bool
	fn    func(fd uintptr) bool
	slow  portableWriter // for addresses the socket cannot take raw

	count, next int  // messages built, messages done
	niov        int  // iovecs used
	gsoFailed   bool // the device refused a GSO message
}

func newMmsgWriter(l *linuxIO) *mmsgWriter {
	w := &mmsgWriter{l: l, hdrs: make([]mmsghdr, maxBatch), iovs: make([]unix.Iovec, 3*maxBatch),
		oob: make([]byte, maxBatch*oobSize), first: make([]int, maxBatch), slow: portableWriter{pc: l.pc}}
	w.fn = w.send
	return w
}

func (w *mmsgWriter) writeBatch(pkts []datagram, addr net.Addr) {
	if addr != w.addr {
		w.addr, w.saOK = addr, encodeSockaddr(&w.sa, w.l.af, addr)
	}
	if !w.saOK {
		w.slow.writeBatch(pkts, addr)
		return
	}
	for len(pkts) > 0 {
		built := w.build(pkts, w.l.gso.Load())
		w.next, w.gsoFailed = 0, false
		if err := w.l.rc.Write(w.fn); err != nil {
			return // closed
		}
		if w.gsoFailed {
			w.l.gso.Store(false) // send the rest one datagram per message
			pkts = pkts[w.first[w.next]:]
			continue
		}
		pkts = pkts[built:]
	}
}

// build turns a prefix of pkts into messages and returns its length. With
// gso, a message takes a run of datagrams of one size (the last may be
// shorter), within the kernel's limits.
func (w *mmsgWriter) build(pkts []datagram, gso bool) int {
	w.count, w.niov = 0, 0
	i := 0
	for i < len(pkts) && w.niov+3 <= len(w.iovs) && w.count < len(w.hdrs) {
		start, iov0, seg, total := i, w.niov, pkts[i].size(), 0
		for i < len(pkts) && w.niov+3 <= len(w.iovs) && fits(pkts, start, i, seg, total, gso) {
			w.addIovecs(&pkts[i])
			total += pkts[i].size()
			i++
		}
		w.message(start, iov0, i-start, seg)
	}
	return i
}

// fits reports whether pkts[i] may join the GSO message that starts at
// start, whose datagrams have seg bytes and total so far.
func fits(pkts []datagram, start, i, seg, total int, gso bool) bool {
	if i == start {
		return true
	}
	size := pkts[i].size()
	return gso && i-start < maxGSOSegs && total+size <= maxGSOBytes &&
		size <= seg && pkts[i-1].size() == seg
}

// addIovecs points iovecs at the datagram's non-empty parts.
func (w *mmsgWriter) addIovecs(d *datagram) {
	for _, part := range [3][]byte{d.head, d.body[0], d.body[1]} {
		if len(part) > 0 {
			w.iovs[w.niov].Base = &part[0]
			w.iovs[w.niov].SetLen(len(part))
			w.niov++
		}
	}
}

// message fills the next header with n datagrams from pkts[start], whose
// iovecs start at iov0, seg bytes each (GSO when n > 1).
func (w *mmsgWriter) message(start, iov0, n, seg int) {
	m := w.count
	h := &w.hdrs[m].hdr
	*h = unix.Msghdr{Name: (*byte)(unsafe.Pointer(&w.sa.raw)), Namelen: w.sa.len, Iov: &w.iovs[iov0]}
	h.SetIovlen(w.niov - iov0)
	if n > 1 {
		oob := w.oob[m*oobSize : (m+1)*oobSize]
		h.Control = &oob[0]
		h.SetControllen(putSegmentCmsg(oob, seg))
		w.l.gsoSends.Add(1)
	}
	w.first[m] = start
	w.count++
}

// send is the RawConn.Write callback: false asks to wait for writability.
// A message the kernel refuses is dropped, except that a refused GSO
// message stops the batch so that it goes again without GSO.
func (w *mmsgWriter) send(fd uintptr) bool {
	for w.next < w.count {
		n, e := w.l.sendmmsg(fd, w.hdrs[w.next:w.count])
		switch {
		case e == 0 && n > 0:
			w.next += n
			w.l.mmsgSends.Add(1)
		case e == unix.EINTR:
		case e == unix.EAGAIN:
			return false
		case (e == unix.EIO || e == unix.EINVAL) && w.hdrs[w.next].hdr.Controllen > 0:
			w.gsoFailed = true
			return true
		default:
			w.next++
		}
	}
	return true
}
