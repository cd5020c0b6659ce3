//go:build !darwin

package sampler

import (
	"context"

	"github.com/shirou/gopsutil/v4/net"
)

// networkBytes are the bytes sent and received on all interfaces.
func networkBytes() (sent, recv *uint64) {
	io, err := net.IOCountersWithContext(context.Background(), false)
	if err != nil || len(io) != 1 {
		return nil, nil
	}
	return ptr(io[0].BytesSent), ptr(io[0].BytesRecv)
}
