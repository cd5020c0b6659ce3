package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/internal/units"
)

// The reference a user needs at the terminal, as GNU timeout --help has
// it: the exit codes and the duration grammar. They are written once,
// here; --help lays them out as text, and the generated flag reference
// (docs/cli.md), man page (docs/soakrun.1) and the README's exit-code
// table as markdown.

// exitStatus is one row of the exit-code table.
type exitStatus struct{ code, meaning string }

var exitCodes = []exitStatus{
	{"the command's", "it exited by itself"},
	{"128+N", "the command died of signal N; also a run stopped by signal N to soakrun whose command still exited 0 (an interrupted run never reports success)"},
	{"124", "the timeout fired (--preserve-status: the command's own status)"},
	{"125", "soakrun itself failed: unknown flag, bad value, failed setup (--cgroup=required without a cgroup), a tree it could not empty; one line on stderr names the problem"},
	{"126", "the command was found but cannot be executed"},
	{"127", "the command was not found"},
	{"3", "--leak-exit-code: the command succeeded, but a leak or a CPU degradation was found; or --abort-on-leak stopped the run when the verdict was in"},
	{"4", "--worse-exit-code: soakrun compare found the new run worse than the baseline"},
	{"5", "--max-tree-memory or --max-processes: the tree passed a hard ceiling and was stopped"},
}

const exitPrecedence = "Precedence: command failure > timeout, ceiling or early leak stop (whichever stopped the run first) > leak > success. " +
	"A stop soakrun decided on outranks the status the command died of because of it (--preserve-status gives the command's own status instead)."

const commandRule = "Everything after the first -- is the command: soakrun -- ps aux runs ps, never the ps subcommand."

// helpDescription is the app's description in --help: plain text.
func helpDescription() string {
	var b strings.Builder
	b.WriteString(commandRule + "\n\n" + units.DurationGrammar + " " + units.SizeGrammar + "\n\nEXIT STATUS:\n")
	width := 0
	for _, e := range exitCodes {
		width = max(width, len(e.code))
	}
	for _, e := range exitCodes {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, e.code, e.meaning)
	}
	b.WriteString("\n" + exitPrecedence)
	return b.String()
}

// exitCodeTable is the exit-code table in markdown.
func exitCodeTable() string {
	var b strings.Builder
	b.WriteString("| code | meaning |\n| --- | --- |\n")
	for _, e := range exitCodes {
		fmt.Fprintf(&b, "| %s | %s |\n", markdownCode(e.code), markdownCode(e.meaning))
	}
	return b.String()
}

// markdownDescription is helpDescription in markdown, for the generated
// reference and man page. The exit codes are a list, not a table: a man
// page's table does not wrap to the terminal.
func markdownDescription() string {
	var b strings.Builder
	b.WriteString(markdownCode(commandRule) + "\n\n" + markdownCode(units.DurationGrammar+" "+units.SizeGrammar) + "\n\n## EXIT STATUS\n\n")
	for _, e := range exitCodes {
		fmt.Fprintf(&b, "- **%s**: %s\n", e.code, markdownCode(e.meaning))
	}
	b.WriteString("\n" + markdownCode(exitPrecedence) + "\n")
	return b.String()
}

// markdownCode puts flags and literal values in backticks.
func markdownCode(s string) string {
	words := strings.Split(s, " ")
	for i, w := range words {
		trimmed := strings.TrimRight(w, ",;:)")
		lead := strings.TrimLeft(trimmed, "(")
		if strings.HasPrefix(lead, "--") && len(lead) > 2 || lead == "-0" {
			words[i] = strings.Replace(w, lead, "`"+lead+"`", 1)
		}
	}
	return strings.Join(words, " ")
}

// helpTemplate is urfave/cli's app help with the description moved to the
// end, where GNU tools keep the exit status.
func helpTemplate() string {
	const block = "{{if .Description}}\n\nDESCRIPTION:\n   {{template \"descriptionTemplate\" .}}{{end}}"
	t := cli.AppHelpTemplate
	if !strings.Contains(t, block) {
		return t // a newer template: the description stays where it is
	}
	return strings.TrimRight(strings.Replace(t, block, "", 1), "\n") + "{{if .Description}}\n\n{{.Description}}{{end}}\n"
}
