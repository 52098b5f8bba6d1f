package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/swarm-project/swarm/node/apiclient"
)

func newBansCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bans",
		Short: "Peers remembered as bad: list, or clear with `bans clear`",
		Long: `A peer that serves a chunk failing verification is dropped from the
download and remembered for 24 hours: later downloads do not contact it,
even when it is named with --peer. bans lists them: peer, until when, why.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runBans(cmd.Context(), e) },
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "clear [PEER-ID...]",
		Short: "Forget the bans of these peers, or of every peer",
		RunE:  func(cmd *cobra.Command, args []string) error { return runBansClear(cmd.Context(), e, args) },
	})
	return cmd
}

func runBans(ctx context.Context, e *env) error {
	return withClient(ctx, e, func(c *apiclient.Client) error {
		bans, err := c.Bans(ctx)
		if err != nil {
			return err
		}
		for _, b := range bans {
			fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", b.Peer, b.Until, b.Reason)
		}
		return nil
	})
}

func runBansClear(ctx context.Context, e *env, peers []string) error {
	return withClient(ctx, e, func(c *apiclient.Client) error {
		n, err := c.ClearBans(ctx, peers)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "forgot %d ban(s)\n", n)
		return nil
	})
}
