package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// JSON is the comparison as indented JSON with a final newline.
func (c *Comparison) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode comparison: %w", err)
	}
	return append(b, '\n'), nil
}

// Publish writes what p asks for of the comparison: its one line on
// p.Summary, its markdown block appended to p.JobSummaryPath, its page to
// p.HTMLPath. Each failure is returned, and none stops the others.
func (c *Comparison) Publish(base, next *Series, p Publication) error {
	var errs []error
	if p.Summary != nil {
		if _, err := io.WriteString(p.Summary, "soakrun: "+c.Summary()+"\n"); err != nil {
			errs = append(errs, fmt.Errorf("write summary: %w", err))
		}
	}
	if p.JobSummaryPath != "" {
		errs = append(errs, appendFile(p.JobSummaryPath, c.Markdown()+"\n"))
	}
	if p.HTMLPath != "" {
		var b bytes.Buffer
		if err := c.WriteHTML(&b, base, next); err != nil {
			errs = append(errs, err)
		} else if err := os.WriteFile(p.HTMLPath, b.Bytes(), 0o644); err != nil {
			errs = append(errs, fmt.Errorf("write comparison page: %w", err))
		}
	}
	return errors.Join(errs...)
}
