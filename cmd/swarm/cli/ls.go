package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/swarm-project/swarm/node/apiclient"
)

func newLsCmd(e *env) *cobra.Command {
	var peers, gateways []string
	cmd := &cobra.Command{
		Use:   "ls CID",
		Short: "List the files and directories of a root",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runLs(cmd.Context(), e, args[0], peers, gateways)
		},
	}
	cmd.Flags().StringArrayVar(&peers, "peer", nil, "multiaddr of a peer to ask for the manifest (repeatable)")
	cmd.Flags().StringArrayVar(&gateways, "gateway", nil, "IPFS trustless gateway to ask for the manifest blocks (repeatable)")
	return cmd
}

func runLs(ctx context.Context, e *env, root string, peers, gateways []string) error {
	return withClient(ctx, e, func(c *apiclient.Client) error {
		ls, err := c.Ls(ctx, root, peers, gateways)
		if err != nil {
			return err
		}
		for _, en := range ls.Entries {
			suffix := ""
			if en.Kind == "dir" {
				suffix = "/"
			}
			fmt.Fprintf(e.stdout, "%s %12d %s%s\n", en.Mode, en.Size, en.Path, suffix)
		}
		return nil
	})
}
