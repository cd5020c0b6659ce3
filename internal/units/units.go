// Package units reads durations and sizes as the users of a soak tool
// write them: 90, 1.5, 72h, 3d; 512M, 4G, 1.5GiB. The grammar is written
// once, here, for the parsers and for the help that explains them.
package units

// DurationGrammar and SizeGrammar are the grammars in a sentence, for
// --help and the generated reference.
const (
	DurationGrammar = "Durations are Go syntax (500ms, 1h30m, 72h), plain seconds (90, 1.5), or days in front of either (3d, 1d12h). " +
		"A positive duration below the clock's resolution (1e-10) is 1ns, never none; every negative value, -0 included, is exit 125."
	SizeGrammar = "Sizes (--max-tree-memory) are 512M, 4G, 1.5GiB: powers of 1024; a bare number is bytes."
)
