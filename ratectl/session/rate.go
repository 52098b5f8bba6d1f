package session

import (
	"time"

	"github.com/swarm-project/swarm/ratectl"
	"github.com/swarm-project/swarm/ratectl/wire"
)

// rateChange asks the connection's loop to replace its controller.
type rateChange struct {
	cfg  ratectl.Config
	done chan error
}

// SetRate replaces the rate controller of what this side sends (policy,
// target and minimum rates), e.g. when the receiving peer asks for a rate
// and policy for its download. The new controller starts from its initial
// rate. It fails if the configuration is invalid or the connection ended.
func (c *Conn) SetRate(cfg ratectl.Config) error {
	if cfg.MSS == 0 {
		cfg.MSS = c.cfg.Rate.MSS
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	rc := rateChange{cfg: cfg, done: make(chan error, 1)}
	select {
	case c.rateReq <- rc:
		return <-rc.done
	case <-c.done:
		return c.err
	case <-time.After(10 * time.Second):
		return ErrDeadline
	}
}

// setRate runs on the loop goroutine.
func (s *loopState) setRate(cfg ratectl.Config) error {
	ctl, err := ratectl.New(dataRates(cfg))
	if err != nil {
		return err
	}
	s.ctl = ctl
	s.syncMSS()
	s.pacer.SetRate(s.now, ctl.Rate())
	return nil
}

// dataRates marks a configuration's target and minimum rates as rates of
// stream data (what the application reads, as iperf3's -b is): the
// controller then paces each datagram's wire.DataHeaderLen of header on
// top, at the datagram size in use (it follows SetMSS). Without this,
// `fixed` at 20 Mbit/s delivered 19.3 Mbit/s of data (1444 of every 1472
// bytes). The controller's own measurements are of datagrams already.
func dataRates(cfg ratectl.Config) ratectl.Config {
	cfg.Header = wire.DataHeaderLen
	return cfg
}
