package sampler

import (
	"golang.org/x/sys/windows"

	"github.com/soakrun/soakrun/proc"
)

func selfUsage() (Self, error) {
	h := windows.CurrentProcess()
	_, cpu, err := proc.Times(h)
	if err != nil {
		return Self{}, err
	}
	mc, err := proc.Memory(h)
	if err != nil {
		return Self{CPU: cpu}, err
	}
	return Self{CPU: cpu, PeakRSSBytes: mc.PeakWorkingSetBytes}, nil
}
