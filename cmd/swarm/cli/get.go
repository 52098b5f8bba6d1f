package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/swarm-project/swarm/node/apiclient"
	"github.com/swarm-project/swarm/node/apitype"
)

type getFlags struct {
	out       string
	peers     []string
	endpoints []string
	gateways  []string
	noPeerEPs bool
	asJSON    bool
	policy    string
	rate      string
	minRate   string
}

func newGetCmd(e *env) *cobra.Command {
	var f getFlags
	cmd := &cobra.Command{
		Use:   "get CID",
		Short: "Download a root, verifying every chunk; resumes after an interruption",
		Long: `get fetches the manifest of CID and every chunk it lists from the local
index, the peers given with --peer or found in the DHT, HTTP(S) mirrors given
with --endpoint (by byte range), IPFS trustless gateways given with --gateway
(raw blocks by CID; they can serve the manifest too) and the HTTP(S) URLs the
peers advertise for the root (unless --no-peer-endpoints). It verifies each
chunk against its CID before writing it, and writes into a temporary name
next to the destination (.NAME.swarm-partial), renamed into place only when
complete. Interrupted (Ctrl-C, kill, crash)? Run the same command again: only
missing chunks are fetched. The destination must not exist.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runGet(cmd.Context(), e, args[0], f) },
	}
	cmd.Flags().StringVarP(&f.out, "output", "o", "", "destination path (default: the content's name in the current directory)")
	cmd.Flags().StringArrayVar(&f.peers, "peer", nil, "multiaddr of a peer that has the content, ending in /p2p/ID (repeatable)")
	cmd.Flags().StringArrayVar(&f.endpoints, "endpoint", nil, "HTTP(S) URL serving the content's bytes: the file, or the base URL of the tree (repeatable)")
	cmd.Flags().StringArrayVar(&f.gateways, "gateway", nil, "IPFS trustless gateway serving raw blocks by CID, e.g. https://trustless-gateway.link (repeatable); also asked for the manifest")
	cmd.Flags().BoolVar(&f.noPeerEPs, "no-peer-endpoints", false, "do not fetch from the HTTP(S) URLs peers advertise for the root")
	cmd.Flags().StringVar(&f.policy, "policy", "", "ask peers to send with this policy: fixed, fair, high, low (default: theirs)")
	cmd.Flags().StringVar(&f.rate, "rate", "", "ask peers for at most this rate (the target with --policy fixed), bits/s, e.g. 200M")
	cmd.Flags().StringVar(&f.minRate, "min-rate", "", "ask peers for at least this rate, bits/s, e.g. 10M")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "print a JSON summary: bytes, seconds, goodput, bytes per source")
	return cmd
}

func runGet(ctx context.Context, e *env, root string, f getFlags) error {
	rate, err := parseRate("--rate", f.rate)
	if err != nil {
		return err
	}
	minRate, err := parseRate("--min-rate", f.minRate)
	if err != nil {
		return err
	}
	if err := checkRates("--min-rate", minRate, "--rate", rate); err != nil {
		return err
	}
	return withClient(ctx, e, func(c *apiclient.Client) error {
		out, err := destination(ctx, c, root, f)
		if err != nil {
			return err
		}
		bar := newProgressBar(e.stderr, !f.asJSON, "fetched")
		res, err := c.Get(ctx, apitype.GetRequest{CID: root, Out: out, Peers: f.peers, Endpoints: f.endpoints, Gateways: f.gateways, NoPeerEndpoints: f.noPeerEPs,
			Policy: f.policy, Rate: rate, MinRate: minRate}, bar.update)
		bar.finish()
		if err != nil {
			return err
		}
		if f.asJSON {
			return json.NewEncoder(e.stdout).Encode(getJSON(res))
		}
		printGetSummary(e, res)
		return nil
	})
}

// destination is -o made absolute, or the manifest's name in the current
// directory.
func destination(ctx context.Context, c *apiclient.Client, root string, f getFlags) (string, error) {
	if f.out != "" {
		return filepath.Abs(f.out)
	}
	ls, err := c.Ls(ctx, root, f.peers, f.gateways)
	if err != nil {
		return "", err
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	return filepath.Join(wd, ls.Name), nil
}

// getSummary is the --json output; field names are part of the CLI contract.
type getSummary struct {
	Root        string            `json:"root"`
	Dest        string            `json:"dest"`
	Bytes       int64             `json:"bytes"`
	Resumed     int64             `json:"resumed"`
	Total       int64             `json:"total"`
	Seconds     float64           `json:"seconds"`
	GoodputMbps float64           `json:"goodput_mbps"`
	Sources     map[string]int64  `json:"sources"`
	Dropped     map[string]string `json:"dropped,omitempty"`
}

func getJSON(r *apitype.GetResult) getSummary {
	s := getSummary{Root: r.Root, Dest: r.Dest, Bytes: r.Bytes, Resumed: r.Resumed, Total: r.Total,
		Seconds: r.Seconds, GoodputMbps: r.GoodputMbps, Sources: map[string]int64{}}
	for _, src := range r.Sources {
		s.Sources[src.Name] = src.Bytes
		if src.Dropped != "" {
			if s.Dropped == nil {
				s.Dropped = map[string]string{}
			}
			s.Dropped[src.Name] = src.Dropped
		}
	}
	return s
}

func printGetSummary(e *env, r *apitype.GetResult) {
	fmt.Fprintf(e.stdout, "fetched %s in %.1fs (%.1f Mbit/s) into %s", humanBytes(r.Bytes), r.Seconds, r.GoodputMbps, r.Dest)
	if r.Resumed > 0 {
		fmt.Fprintf(e.stdout, "; %s were already verified from an earlier run", humanBytes(r.Resumed))
	}
	fmt.Fprintln(e.stdout)
	for _, s := range r.Sources {
		if s.Bytes == 0 && s.Dropped == "" {
			continue
		}
		fmt.Fprintf(e.stdout, "  %-60s %10s", s.Name, humanBytes(s.Bytes))
		if s.Dropped != "" {
			fmt.Fprintf(e.stdout, "  DROPPED: %s", s.Dropped)
		}
		fmt.Fprintln(e.stdout)
	}
}
