// Package scripts tests the shell scripts beside it the way their callers
// run them: the release script as the release task does, the action's
// script with the environment a GitHub runner gives it; that a
// `go install …@version` build knows its version; and the documentation
// as code: its links resolve, and its runnable shell blocks run and say
// what they print.
package scripts

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/soakrun/soakrun/samples"
)

// markdownFiles are the checkout's *.md files, by slash-separated path.
func markdownFiles(t *testing.T) []string {
	t.Helper()
	var mds []string
	for f := range checkoutFiles(t) {
		if strings.HasSuffix(f, ".md") {
			mds = append(mds, f)
		}
	}
	if len(mds) == 0 {
		t.Fatal("no markdown files in the checkout")
	}
	return mds
}

// fence is a fenced code block of a markdown file.
type fence struct {
	info string // the info string: "sh runnable", "text output", …
	body string
	line int // of the opening fence, 1-based
}

// markdownDoc is a markdown file split into its prose (code blocks and
// code spans blanked out, so a link in an example is not a link) and its
// fenced blocks.
type markdownDoc struct {
	prose  []string // one per line
	fences []fence
}

var codeSpan = regexp.MustCompile("`+[^`]*`+")

func parseMarkdown(text string) markdownDoc {
	var d markdownDoc
	var open *fence
	var marker string
	var body []string
	for i, l := range strings.Split(text, "\n") {
		trimmed := strings.TrimLeft(l, " ")
		if open == nil && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")) {
			marker = trimmed[:3]
			open = &fence{info: strings.TrimSpace(strings.TrimLeft(trimmed, "`~")), line: i + 1}
			body = nil
			d.prose = append(d.prose, "")
			continue
		}
		if open != nil {
			if strings.HasPrefix(trimmed, marker) && strings.Trim(trimmed, marker[:1]) == "" {
				open.body = strings.Join(body, "\n")
				d.fences = append(d.fences, *open)
				open = nil
			} else {
				// An indented fence (in a list item) has its body indented too.
				body = append(body, strings.TrimPrefix(l, strings.Repeat(" ", len(l)-len(trimmed))))
			}
			d.prose = append(d.prose, "")
			continue
		}
		d.prose = append(d.prose, codeSpan.ReplaceAllStringFunc(l, func(s string) string {
			return strings.Repeat("x", len(s))
		}))
	}
	return d
}

var (
	heading    = regexp.MustCompile(`^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$`)
	inlineLink = regexp.MustCompile(`\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)
	linkDef    = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s|$)`)
	htmlAnchor = regexp.MustCompile(`<a\s+(?:name|id)="([^"]+)"`)
	mdLinkText = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
)

// slug is the anchor GitHub gives a heading: its text lowercased, with
// everything but letters, digits, spaces, hyphens and underscores dropped
// and each space a hyphen.
func slug(text string) string {
	text = mdLinkText.ReplaceAllString(text, "$1")
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// anchors are the #fragments a markdown file answers to: its headings'
// slugs (a repeated one gets -1, -2, … as on GitHub) and explicit anchors.
func anchors(text string) map[string]bool {
	got, seen := map[string]bool{}, map[string]int{}
	raw := strings.Split(text, "\n")
	for i, l := range parseMarkdown(text).prose {
		if m := heading.FindStringSubmatch(l); m != nil {
			// Headings are slugged from their raw text, code spans included.
			m = heading.FindStringSubmatch(raw[i])
			s := slug(m[1])
			if n := seen[s]; n > 0 {
				got[fmt.Sprintf("%s-%d", s, n)] = true
			} else {
				got[s] = true
			}
			seen[s]++
		}
		for _, m := range htmlAnchor.FindAllStringSubmatch(raw[i], -1) {
			got[m[1]] = true
		}
	}
	return got
}

// Every relative link in every markdown file of the checkout leads to a
// file that exists, and its #anchor to a heading of that file.
func TestMarkdownLinks(t *testing.T) {
	files := checkoutFiles(t)
	anchorsOf := map[string]map[string]bool{}
	anchorsIn := func(f string) map[string]bool {
		if a, ok := anchorsOf[f]; ok {
			return a
		}
		b, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		anchorsOf[f] = anchors(string(b))
		return anchorsOf[f]
	}
	checked := 0
	for _, md := range markdownFiles(t) {
		b, err := os.ReadFile(filepath.Join(repoRoot, md))
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range parseMarkdown(string(b)).prose {
			var targets []string
			for _, m := range inlineLink.FindAllStringSubmatch(l, -1) {
				targets = append(targets, m[1])
			}
			if m := linkDef.FindStringSubmatch(l); m != nil {
				targets = append(targets, m[1])
			}
			for _, target := range targets {
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				checked++
				where := fmt.Sprintf("%s:%d: %s", md, i+1, target)
				file, frag, _ := strings.Cut(target, "#")
				dest := md
				if file != "" {
					dest = path.Clean(path.Join(path.Dir(md), file))
					if strings.HasPrefix(dest, "../") {
						t.Errorf("%s: leads out of the repository", where)
						continue
					}
					if _, tracked := files[dest]; !tracked {
						if fi, err := os.Stat(filepath.Join(repoRoot, dest)); err != nil || !fi.IsDir() {
							t.Errorf("%s: no such file in the checkout", where)
							continue
						}
					}
				}
				if frag != "" && strings.HasSuffix(dest, ".md") && !anchorsIn(dest)[frag] {
					t.Errorf("%s: %s has no heading whose anchor is #%s", where, dest, frag)
				}
			}
		}
	}
	if checked == 0 {
		t.Error("no relative links found: the parser is broken")
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Containment on Linux: a cgroup, or the process group": "containment-on-linux-a-cgroup-or-the-process-group",
		"Comparing runs: `soakrun compare`":                    "comparing-runs-soakrun-compare",
		"What changed for targets that saw `SIGBREAK`":         "what-changed-for-targets-that-saw-sigbreak",
		"What soakrun promises, and the test behind each":      "what-soakrun-promises-and-the-test-behind-each",
		"Signals: where each one goes, and why":                "signals-where-each-one-goes-and-why",
		"The [action](docs/action.md) — one step":              "the-action--one-step",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// runnableMarker is the info string of a shell block a test runs:
// ```sh runnable, or ```sh runnable exit=N for a block that ends with N.
// A ```text output block right after it holds lines its output must
// contain.
const runnableMarker, outputMarker = "sh runnable", "text output"

// runnable is one shell block to run, with what it must print.
type runnable struct {
	where    string // file:line
	script   string
	exit     int
	expected []string // lines, in order, within the output; none: anything
}

func runnables(t *testing.T) []runnable {
	var rs []runnable
	for _, md := range markdownFiles(t) {
		b, err := os.ReadFile(filepath.Join(repoRoot, md))
		if err != nil {
			t.Fatal(err)
		}
		fences := parseMarkdown(string(b)).fences
		for i, f := range fences {
			if !strings.HasPrefix(f.info, runnableMarker) {
				continue
			}
			r := runnable{where: fmt.Sprintf("%s:%d", md, f.line), script: f.body}
			for _, attr := range strings.Fields(strings.TrimPrefix(f.info, runnableMarker)) {
				if _, err := fmt.Sscanf(attr, "exit=%d", &r.exit); err != nil {
					t.Errorf("%s: unknown attribute %q (want exit=N)", r.where, attr)
				}
			}
			if i+1 < len(fences) && fences[i+1].info == outputMarker {
				r.expected = strings.Split(strings.TrimRight(fences[i+1].body, "\n"), "\n")
			}
			rs = append(rs, r)
		}
	}
	return rs
}

// number is any figure in a line of output: it changes from run to run.
var number = regexp.MustCompile(`[0-9]+(\.[0-9]+)?`)

// sameShape says whether an output line says what the documented one
// says, figures aside. A line is clauses separated by "; "; the
// documented clauses must all be there, in order, and the run may add
// some (a disk that a neighbour fills adds a disk_used_gb clause to the
// verdict). A clause is items separated by ", ": it starts as the
// documented one does, has its other items in order, and may add some (a
// busy machine lets a process's file-backed mappings grow too).
// pValue is a p-value in parentheses, its number already N.
var pValue = regexp.MustCompile(` \(p[<=]N\)`)

func sameShape(documented, got string) bool {
	// A p-value is printed where the test ran on enough points: whether a
	// run has it depends on its figures, so it is a figure too.
	shape := func(s string) []string {
		return strings.Split(pValue.ReplaceAllString(number.ReplaceAllString(s, "N"), ""), "; ")
	}
	return inOrder(shape(documented), shape(got), sameClause)
}

func sameClause(documented, got string) bool {
	want, have := strings.Split(documented, ", "), strings.Split(got, ", ")
	return want[0] == have[0] && inOrder(want[1:], have[1:], func(a, b string) bool { return a == b })
}

// inOrder says whether every one of want has its match in have, in order,
// with others between them.
func inOrder(want, have []string, same func(want, have string) bool) bool {
	for _, h := range have {
		if len(want) > 0 && same(want[0], h) {
			want = want[1:]
		}
	}
	return len(want) == 0
}

// containsShape says whether the documented lines follow one another
// somewhere in the output.
func containsShape(documented, output []string) bool {
	for start := range output {
		if len(output)-start < len(documented) {
			return false
		}
		ok := true
		for i, d := range documented {
			if !sameShape(d, output[start+i]) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func TestSameShape(t *testing.T) {
	doc := "soakrun: verdict: LEAK in m — floor rose 13441 MB/h (p<0.001); host memory runs out in 2 h at this rate"
	for got, want := range map[string]bool{
		"soakrun: verdict: LEAK in m — floor rose 99 MB/h (p<0.002); host memory runs out in 7 h at this rate":                                      true,
		"soakrun: verdict: LEAK in m — floor rose 99 MB/h (p<0.002); disk_used_gb — median rose 5.1 GB/h; host memory runs out in 7 h at this rate": true,
		"soakrun: verdict: LEAK in m — floor rose 99 MB/h; host memory runs out in 7 h at this rate":                                                true,
		"soakrun: verdict: no leak; host memory runs out in 7 h at this rate":                                                                       false,
		"soakrun: verdict: LEAK in m — floor rose 99 MB/h (p<0.002)":                                                                                false,
	} {
		if sameShape(doc, got) != want {
			t.Errorf("sameShape(%q) = %v, want %v", got, !want, want)
		}
	}
	doc = "where: a (pid 1): anon +62 MB; cgroup: anon +67 MB; evidence in s, b"
	for got, want := range map[string]bool{
		"where: a (pid 2): anon +63 MB, file +2 MB; b (pid 3): anon +5 MB; cgroup: anon +66 MB, file +5 MB; evidence in s, b": true,
		"where: a (pid 2): file +2 MB, anon +63 MB; cgroup: anon +66 MB; evidence in s, b":                                    false,
		"where: a (pid 2): anon +63 MB; cgroup: anon +66 MB; evidence in s":                                                   false,
		"where: a (pid 2): anon +63 MB; cgroup: file +66 MB, anon +1 MB; evidence in s, b":                                    false,
	} {
		if sameShape(doc, got) != want {
			t.Errorf("sameShape(%q) = %v, want %v", got, !want, want)
		}
	}
}

// checkoutCopy copies the checkout's files to a new directory, so that a
// block that writes files (the demo's resources.jsonl) leaves the checkout
// as it was.
func checkoutCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for f, fi := range checkoutFiles(t) {
		b, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, f), b, fi.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Every shell block marked runnable in the documentation runs on Linux,
// from the root of a copy of the checkout, ends with the exit code it
// says, and prints the lines the output block after it quotes (figures
// aside). The README's demo is one of them.
func TestRunnableShellBlocks(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" {
		t.Skip("the documentation's shell blocks are run on Linux")
	}
	rs := runnables(t)
	if len(rs) == 0 {
		t.Fatal("no runnable shell blocks: the README's demo should be one")
	}
	if testing.Short() {
		t.Skipf("-short: %d runnable block(s) not run", len(rs))
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("needs bash")
	}
	dir := checkoutCopy(t)
	for _, r := range rs {
		t.Run(r.where, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "bash", "-eo", "pipefail", "-c", r.script)
			cmd.Dir = dir
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			code := cmd.ProcessState.ExitCode()
			if ctx.Err() != nil {
				t.Fatalf("%s: still running after 5 minutes\n%s", r.where, out.String())
			}
			if code != r.exit {
				t.Fatalf("%s: exit %d (%v), the block says %d\n%s", r.where, code, err, r.exit, out.String())
			}
			// A host finding says what else the host did meanwhile (a disk
			// filled by another job): not the demo's to quote.
			lines := slices.DeleteFunc(strings.Split(out.String(), "\n"), func(l string) bool {
				return strings.HasPrefix(l, "soakrun: host finding:")
			})
			if len(r.expected) > 0 && strings.Contains(out.String(), "containment: process group") {
				t.Skipf("%s ran without a cgroup; the output it quotes is a run's with one", r.where)
			}
			if len(r.expected) > 0 && !containsShape(r.expected, lines) {
				t.Errorf("%s: the output does not contain the lines the document quotes (figures aside):\n%s\n--- got:\n%s",
					r.where, strings.Join(r.expected, "\n"), out.String())
			}
		})
	}
}

// The README's test command is the one CI and the test task run.
func TestReadmeTestCommandIsWhatCIRuns(t *testing.T) {
	const command = "go test -race ./..."
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range parseMarkdown(string(readme)).fences {
		if f.info == "sh" && strings.TrimSpace(f.body) == command {
			found = true
		}
	}
	if !found {
		t.Errorf("README.md has no ```sh block holding just %q", command)
	}
	for _, f := range []string{".ci/run", "Taskfile.yml"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`(?m)^\s*(- )?` + regexp.QuoteMeta(command) + `$`).Match(b) {
			t.Errorf("%s does not run the README's test command %q", f, command)
		}
	}
}

// docs/samples.md names every field a sample can hold, as its JSON key.
func TestSamplesDocNamesEveryField(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, "docs", "samples.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[samples.Snapshot](), reflect.TypeFor[samples.Member]()} {
		for i := range typ.NumField() {
			name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			if name != "" && name != "-" && !bytes.Contains(b, []byte("`"+name+"`")) {
				t.Errorf("docs/samples.md does not name %s.%s (`%s`)", typ.Name(), typ.Field(i).Name, name)
			}
		}
	}
}
