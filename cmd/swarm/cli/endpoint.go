package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/swarm-project/swarm/node/apiclient"
	"github.com/swarm-project/swarm/node/apitype"
)

func newEndpointCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "endpoint",
		Short: "HTTP(S) URLs recorded with a root, advertised to peers that download it",
		Long: `A root's endpoints are HTTP(S) URLs serving its bytes: the file itself for a
single-file root, the base URL of the tree for a directory (a mirror, an
object-store bucket). The node tells peers that download the root about them
(the chunk protocol's ENDPOINTS message), and they fetch chunks from them by
range beside the peers, verifying every byte. At most 16 per root. Anyone
who can reach this node learns them: do not record URLs carrying secrets.`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "add CID URL...",
		Short: "Record URLs serving CID's bytes",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEndpointEdit(cmd.Context(), e, args[0], apitype.EndpointsRequest{Add: args[1:]})
		},
	}, &cobra.Command{
		Use:   "rm CID URL...",
		Short: "Forget recorded URLs of CID",
		Args:  cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEndpointEdit(cmd.Context(), e, args[0], apitype.EndpointsRequest{Remove: args[1:]})
		},
	}, &cobra.Command{
		Use:   "ls CID",
		Short: "List the URLs recorded for CID",
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return runEndpointLs(cmd.Context(), e, args[0]) },
	})
	return cmd
}

func runEndpointEdit(ctx context.Context, e *env, root string, req apitype.EndpointsRequest) error {
	return withClient(ctx, e, func(c *apiclient.Client) error {
		out, err := c.EditEndpoints(ctx, root, req)
		if err != nil {
			return err
		}
		printEndpoints(e, out)
		return nil
	})
}

func runEndpointLs(ctx context.Context, e *env, root string) error {
	return withClient(ctx, e, func(c *apiclient.Client) error {
		out, err := c.Endpoints(ctx, root)
		if err != nil {
			return err
		}
		printEndpoints(e, out)
		return nil
	})
}

func printEndpoints(e *env, eps *apitype.Endpoints) {
	for _, u := range eps.Endpoints {
		fmt.Fprintln(e.stdout, u)
	}
}
