// Command gencorpus writes the labelled trend corpus to testdata/trend: one
// CSV per case and cases.csv listing them with their labels. Run it with
// go generate in report/trend.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/soakrun/soakrun/report/trend"
)

// seeds are fixed so that the files never change unless the generator does.
var seeds = []int64{1, 2, 3, 4, 5}

func main() {
	out := flag.String("out", "testdata/trend", "directory to write the corpus to")
	flag.Parse()
	if err := write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

func write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	cases := trend.Corpus(seeds)
	manifest, err := os.Create(filepath.Join(dir, "cases.csv"))
	if err != nil {
		return fmt.Errorf("create manifest: %w", err)
	}
	defer manifest.Close()
	m := bufio.NewWriter(manifest)
	fmt.Fprintf(m, "file,name,seed,rises,threshold_per_hour,metric,warmup_s,min_span_s\n")
	for _, c := range cases {
		if err := writeCase(dir, c); err != nil {
			return err
		}
		metric, o := "memory_mb", c.Options()
		if c.CPU {
			metric = "cpu_percent"
		}
		warmup := "auto"
		if o.Warmup >= 0 {
			warmup = fmt.Sprint(o.Warmup)
		}
		fmt.Fprintf(m, "%s,%s,%d,%t,%g,%s,%s,%g\n", c.FileName(), c.Name, c.Seed, c.Leak, o.Threshold, metric, warmup, o.MinSpan)
	}
	if err := m.Flush(); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	if err := manifest.Close(); err != nil {
		return fmt.Errorf("close manifest: %w", err)
	}
	return nil
}

func writeCase(dir string, c trend.Case) error {
	path := filepath.Join(dir, c.FileName())
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := c.WriteCSV(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	return nil
}
