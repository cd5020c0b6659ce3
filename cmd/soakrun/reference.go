package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/soakrun/soakrun/internal/units"
	"github.com/soakrun/soakrun/soak"
)

// The reference a user needs at the terminal, as GNU timeout --help has
// it: the exit codes (soak.ExitCodes) and the duration and size grammars
// (internal/units). --help lays them out as text, and the generated flag reference
// (docs/cli.md), man page (docs/soakrun.1) and the README's exit-code
// table as markdown.

const commandRule = "Everything after the first -- is the command: soakrun -- ps aux runs ps, never the ps subcommand."

// helpDescription is the app's description in --help: plain text.
func helpDescription() string {
	var b strings.Builder
	b.WriteString(commandRule + "\n\n" + units.DurationGrammar + " " + units.SizeGrammar + "\n\nEXIT STATUS:\n")
	width := 0
	for _, e := range soak.ExitCodes {
		width = max(width, len(e.Code))
	}
	for _, e := range soak.ExitCodes {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, e.Code, e.Meaning)
	}
	b.WriteString("\n" + soak.ExitPrecedence)
	return b.String()
}

// exitCodeTable is the exit-code table in markdown.
func exitCodeTable() string {
	var b strings.Builder
	b.WriteString("| code | meaning |\n| --- | --- |\n")
	for _, e := range soak.ExitCodes {
		fmt.Fprintf(&b, "| %s | %s |\n", markdownCode(e.Code), markdownCode(e.Meaning))
	}
	return b.String()
}

// markdownDescription is helpDescription in markdown, for the generated
// reference and man page. The exit codes are a list, not a table: a man
// page's table does not wrap to the terminal.
func markdownDescription() string {
	var b strings.Builder
	b.WriteString(markdownCode(commandRule) + "\n\n" + markdownCode(units.DurationGrammar+" "+units.SizeGrammar) + "\n\n## EXIT STATUS\n\n")
	for _, e := range soak.ExitCodes {
		fmt.Fprintf(&b, "- **%s**: %s\n", e.Code, markdownCode(e.Meaning))
	}
	b.WriteString("\n" + markdownCode(soak.ExitPrecedence) + "\n")
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
