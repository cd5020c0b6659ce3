package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/supervisor"
)

// regenerate is the command that rewrites the generated references.
const regenerate = "go generate ./cmd/soakrun"

var updateDocs = flag.Bool("update-docs", false, "rewrite the generated references ("+regenerate+")")

// generatedDoc is a file made from the flag definitions and reference.go.
type generatedDoc struct {
	path string // from the module's root
	make func(old []byte) ([]byte, error)
}

func generatedDocs() []generatedDoc {
	app := func() *cli.App {
		a := newApp(nil, supervisor.Signals{})
		a.Description = markdownDescription()
		return a
	}
	return []generatedDoc{
		{"docs/cli.md", func([]byte) ([]byte, error) {
			md, err := app().ToMarkdown()
			return []byte("<!-- Generated from the flag definitions by `" + regenerate + "`: edit cmd/soakrun, not this file. -->\n\n" + md), err
		}},
		{"docs/soakrun.1", func([]byte) ([]byte, error) {
			man, err := app().ToManWithSection(1)
			return []byte(`.\" Generated from the flag definitions by "` + regenerate + "\": edit cmd/soakrun, not this file.\n" + man), err
		}},
		{"README.md", func(old []byte) ([]byte, error) {
			return replaceBetween(old, "<!-- exit codes: generated -->\n", "<!-- end of exit codes -->\n", exitCodeTable())
		}},
	}
}

// replaceBetween replaces what lies between the markers begin and end.
func replaceBetween(b []byte, begin, end, with string) ([]byte, error) {
	s := string(b)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		return nil, &os.PathError{Op: "find markers", Path: strings.TrimSpace(begin) + " … " + strings.TrimSpace(end), Err: os.ErrNotExist}
	}
	return []byte(s[:i+len(begin)] + with + s[j:]), nil
}

// The man page, the flag reference and the README's exit-code table are
// generated from the same definitions --help prints; a stale one fails
// here with the command that rewrites it.
func TestGeneratedDocsAreCurrent(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the references are generated on Linux, whose flags they list")
	}
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Skip("not run from the source tree (the kernels harness runs the test binary alone): no generated files to compare")
	}
	for _, d := range generatedDocs() {
		path := filepath.Join(root, d.path)
		old, err := os.ReadFile(path)
		if err != nil && !*updateDocs {
			t.Errorf("%s: %v (run %s)", d.path, err, regenerate)
			continue
		}
		want, err := d.make(old)
		if err != nil {
			t.Fatalf("%s: %v", d.path, err)
		}
		switch {
		case bytes.Equal(old, want):
		case *updateDocs:
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s", d.path)
		default:
			t.Errorf("%s is stale: run %s", d.path, regenerate)
		}
	}
}

// --help carries the exit codes and the duration grammar, after the flags,
// as GNU timeout --help does.
func TestHelpHasExitCodesAndDurations(t *testing.T) {
	t.Parallel()
	out, err := subcommand(t, "--help").Output()
	help := string(out)
	if err != nil {
		t.Fatalf("--help: %v\n%s", err, help)
	}
	options, status := strings.Index(help, "GLOBAL OPTIONS:"), strings.Index(help, "EXIT STATUS:")
	if options < 0 || status < options {
		t.Errorf("no EXIT STATUS after the options:\n%s", help)
	}
	for _, want := range []string{"124 ", "125 ", "127 ", "128+N", "Durations are Go syntax", "1d12h"} {
		if !strings.Contains(help[max(options, 0):], want) {
			t.Errorf("--help lacks %q", want)
		}
	}
}
