package lab

import (
	"context"
	"log/slog"
)

const readBatchMax = 64

// reader is the goroutine that reads one TUN device and feeds the
// directions leaving it, chosen by destination address.
type reader struct {
	dev    *tunDevice
	clk    clock
	routes [256]int     // by last octet of a 10.77.0.0/24 destination: index+1 in dirs
	dirs   []*direction // the directions leaving this device
	log    *slog.Logger
	strays uint64
}

func (r *reader) addRoute(lastOctet byte, d *direction) {
	r.dirs = append(r.dirs, d)
	r.routes[lastOctet] = len(r.dirs)
}

func (r *reader) run(ctx context.Context) {
	bufs := make([]*[bufSize]byte, readBatchMax)
	lens := make([]int, readBatchMax)
	for i := range bufs {
		bufs[i] = bufPool.Get().(*[bufSize]byte)
	}
	in := make([][]packet, len(r.dirs))
	for ctx.Err() == nil {
		n, err := r.dev.readBatch(bufs, lens)
		if err != nil {
			if ctx.Err() == nil {
				r.log.Error("read failed", "dev", r.dev.name, "err", err)
			}
			return
		}
		now := r.clk.now()
		for i := range n {
			if k := r.route(bufs[i][:lens[i]]); k >= 0 {
				in[k] = append(in[k], packet{buf: bufs[i], n: lens[i]})
			} else {
				r.strays++
				bufPool.Put(bufs[i])
			}
			bufs[i] = bufPool.Get().(*[bufSize]byte)
		}
		for k, d := range r.dirs {
			if len(in[k]) == 0 {
				continue
			}
			batch := d.model(now, in[k])
			in[k] = in[k][:0]
			if len(batch) == 0 {
				d.recycle(batch)
				continue
			}
			if !d.hand(ctx, batch) {
				return
			}
		}
	}
}

// route returns the index in r.dirs of the direction for an IPv4 packet
// to a lab address, or -1 for anything else.
func (r *reader) route(pkt []byte) int {
	if len(pkt) < 20 || pkt[0]>>4 != 4 || pkt[16] != 10 || pkt[17] != 77 || pkt[18] != 0 {
		return -1
	}
	return r.routes[pkt[19]] - 1
}
