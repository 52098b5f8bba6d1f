package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/swarm-project/swarm/node/apiclient"
	"github.com/swarm-project/swarm/node/apitype"
)

func newStatusCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the node: identity, peers, index and running transfers",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runStatus(cmd.Context(), e, asJSON) },
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func runStatus(ctx context.Context, e *env, asJSON bool) error {
	return withClient(ctx, e, func(c *apiclient.Client) error {
		st, err := c.Status(ctx)
		if err != nil {
			return err
		}
		if asJSON {
			return json.NewEncoder(e.stdout).Encode(st)
		}
		fmt.Fprintf(e.stdout, "peer id   %s\npeers     %d\nchunks    %d\npins      %d\nblobs     %d (%s)\nunfinished downloads %d\n",
			st.ID, st.Peers, st.Chunks, st.Pins, st.Blobs, humanBytes(st.BlobBytes), st.Journals)
		for _, a := range st.Addrs {
			fmt.Fprintf(e.stdout, "address   %s\n", a)
		}
		for _, t := range st.Transfers {
			fmt.Fprintf(e.stdout, "%-4s %s  %s\n", t.Kind, t.Target, progressLine("", t.Progress))
		}
		for _, s := range st.Sessions {
			fmt.Fprintln(e.stdout, sessionLine(s))
		}
		if t := st.SessionTotals; t.BytesSent > 0 || t.BytesRecv > 0 {
			fmt.Fprintf(e.stdout, "swarmrc since start: sent %s (%.2f%% retransmitted)  received %s\n",
				humanBytes(t.BytesSent), float64(t.BytesRetrans)*100/float64(max(t.BytesSent, 1)), humanBytes(t.BytesRecv))
		}
		if m := st.TransportMemory; m.Peak > 0 {
			fmt.Fprintf(e.stdout, "swarmrc buffers: %s of %s (peak %s, refused %d times)\n",
				humanBytes(m.Used), humanBytes(m.Limit), humanBytes(m.Peak), m.Refused)
		}
		return nil
	})
}

// sessionLine describes one swarmrc connection. The policy, rate and loss
// are of what this end sends; on a downloading node that is requests and
// acknowledgements, so the line says so rather than show a control
// stream's rate and retransmissions as the transfer's.
func sessionLine(s apitype.Session) string {
	retrans := 0.0
	if s.BytesSent > 0 {
		retrans = float64(s.BytesRetrans) * 100 / float64(s.BytesSent)
	}
	head := fmt.Sprintf("swarmrc %s  rtt %.1f ms (base %.1f)  datagrams %d B", s.Remote, s.RTTms, s.BaseRTTms, s.Datagram)
	if s.BytesRecv > 8*s.BytesSent {
		return fmt.Sprintf("%s  receiving: %s received; this end sends only requests and acks (%s)", head, humanBytes(s.BytesRecv), humanBytes(s.BytesSent))
	}
	return fmt.Sprintf("%s  sending: %s/%s  rate %.1f Mbit/s  loss %.2f%%  sent %s (%.2f%% retransmitted)  received %s",
		head, s.Policy, s.Mode, s.RateMbps, s.Loss*100, humanBytes(s.BytesSent), retrans, humanBytes(s.BytesRecv))
}
