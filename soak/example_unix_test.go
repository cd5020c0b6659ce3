//go:build linux || darwin

package soak_test

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"time"

	"github.com/soakrun/soakrun/report"
	"github.com/soakrun/soakrun/soak"
	"github.com/soakrun/soakrun/supervisor"
)

// A Go test soaks a helper command and fails on a LEAK verdict. In a test,
// the context is t.Context():
//
//	o, err := soak.Run(t.Context(), cfg)
//	if err != nil {
//		t.Fatal(err)
//	}
//	if o.Leaked() {
//		t.Fatalf("the service leaks: exit %d", o.ExitCode)
//	}
func ExampleRun() {
	dir, _ := os.MkdirTemp("", "soak-example-")
	defer os.RemoveAll(dir)
	cfg := soak.Config{
		Supervisor: &supervisor.Supervisor{Args: []string{"/bin/sh", "-c", "sleep 2"}, Timeout: time.Minute},
		Sampling:   soak.Sampling{Interval: 100 * time.Millisecond, Output: filepath.Join(dir, "resources.jsonl")},
		Judge:      true,
		Verdict: report.Options{
			Thresholds: maps.Clone(report.DefaultThresholds), // 10 MB/h of memory, …
			Warmup:     500 * time.Millisecond,
			MinSpan:    time.Second,
		},
		LeakExitCode: soak.ExitLeak,
	}
	o, err := soak.Run(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("exit %d, leaked %v\n", o.ExitCode, o.Leaked())
	// Output: exit 0, leaked false
}
