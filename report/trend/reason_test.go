package trend

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// comparisons are the words of a reason that compare two numbers it
// prints: the number before the words with the one after them.
var comparisons = []struct {
	words string
	holds func(before, after float64) bool
}{
	{"more than", func(b, a float64) bool { return b > a }},
	{"less than", func(b, a float64) bool { return b < a }},
	{"faster than", func(b, a float64) bool { return b > a }},
	{"slower than", func(b, a float64) bool { return b < a }},
	{"higher than", func(b, a float64) bool { return b > a }},
	{"lower than", func(b, a float64) bool { return b < a }},
	{"above", func(b, a float64) bool { return b > a }},
	{"below", func(b, a float64) bool { return b < a }},
	{"at least", func(b, a float64) bool { return b >= a }},
	{"at most", func(b, a float64) bool { return b <= a }},
	// "rose 20 MB/h but only 3 MB/h", "fell behind it, 3 MB/h": the
	// second is the smaller.
	{"but only", func(b, a float64) bool { return a < b }},
	{"fell behind it,", func(b, a float64) bool { return a < b }},
}

var (
	pValue = regexp.MustCompile(`p(<|=)(\d+(?:\.\d+)?)`)
	number = regexp.MustCompile(`-?\d+(?:\.\d+)?`)
	// A number right after the comparison's words, "the" allowed between.
	objectNumber = regexp.MustCompile(`^\s*(?:the\s+)?(-?\d+(?:\.\d+)?)`)
	slowedTo     = regexp.MustCompile(`slowed to (-?\d+(?:\.\d+)?)\D[^;]*? from (-?\d+(?:\.\d+)?)\D`)
	needPoints   = regexp.MustCompile(`only (\d+) usable points, need (\d+)`)
	needColl     = regexp.MustCompile(`holds (\d+) collections .* where (\d+) are needed`)
	shorterThan  = regexp.MustCompile(`span (-?\d+(?:\.\d+)?) (s|min|h) is shorter than the (\d+(?:\.\d+)?) (s|min|h) needed`)
	// Words that say a test's p-value did not reach alpha.
	notSignificant = regexp.MustCompile(`(?:no significant rise of the \w+ |not significant |is not above (?:the|its) first )\((p[<=][\d.]+)\)`)
	// Every word that compares, whether or not a rule above reads it: a
	// reason that uses one no rule reads fails, so that a new sentence
	// cannot compare unchecked.
	comparing = regexp.MustCompile(`\b(more|less|faster|slower|higher|lower|greater|smaller|fewer) than\b|\babove\b|\bbelow\b|\bat (least|most)\b|\bonly\b|\bfell behind\b|\bslowed\b|\bshorter than\b|\bsignificant\b`)
)

// checkReason returns what in reason is false for its own numbers, and
// the comparing words no rule read.
func checkReason(reason string, alpha float64) (wrong, unread []string) {
	read := map[int]bool{} // offsets of comparing words a rule read
	markRead := func(lo, hi int) {
		for _, m := range comparing.FindAllStringIndex(reason, -1) {
			if m[0] >= lo && m[0] < hi {
				read[m[0]] = true
			}
		}
	}
	// p-values are read by their own rule; blank them so that a number
	// before a comparison is never one.
	plain := pValue.ReplaceAllStringFunc(reason, func(s string) string { return strings.Repeat("p", len(s)) })
	for _, c := range comparisons {
		for off := 0; ; {
			i := strings.Index(plain[off:], c.words)
			if i < 0 {
				break
			}
			at := off + i
			off = at + len(c.words)
			obj := objectNumber.FindStringSubmatch(plain[off:])
			if obj == nil {
				continue // "lies above the first": no number to compare
			}
			subjects := number.FindAllString(plain[:at], -1)
			if len(subjects) == 0 {
				continue
			}
			b, _ := strconv.ParseFloat(subjects[len(subjects)-1], 64)
			a, _ := strconv.ParseFloat(obj[1], 64)
			markRead(at, off)
			if !c.holds(b, a) {
				wrong = append(wrong, sprintf("%q: %v %s %v", c.words, b, c.words, a))
			}
		}
	}
	for _, m := range slowedTo.FindAllStringSubmatchIndex(plain, -1) {
		to, _ := strconv.ParseFloat(plain[m[2]:m[3]], 64)
		from, _ := strconv.ParseFloat(plain[m[4]:m[5]], 64)
		markRead(m[0], m[1])
		if !(to < from) {
			wrong = append(wrong, sprintf("slowed to %v from %v", to, from))
		}
	}
	for _, re := range []*regexp.Regexp{needPoints, needColl} {
		for _, m := range re.FindAllStringSubmatchIndex(plain, -1) {
			have, _ := strconv.Atoi(plain[m[2]:m[3]])
			need, _ := strconv.Atoi(plain[m[4]:m[5]])
			markRead(m[0], m[1])
			if !(have < need) {
				wrong = append(wrong, sprintf("%d where %d are needed", have, need))
			}
		}
	}
	seconds := map[string]float64{"s": 1, "min": 60, "h": 3600}
	for _, m := range shorterThan.FindAllStringSubmatchIndex(plain, -1) {
		have, _ := strconv.ParseFloat(plain[m[2]:m[3]], 64)
		need, _ := strconv.ParseFloat(plain[m[6]:m[7]], 64)
		markRead(m[0], m[1])
		if !(have*seconds[plain[m[4]:m[5]]] < need*seconds[plain[m[8]:m[9]]]) {
			wrong = append(wrong, sprintf("span %s shorter than %s", plain[m[2]:m[5]], plain[m[6]:m[9]]))
		}
	}
	for _, m := range notSignificant.FindAllStringSubmatchIndex(reason, -1) {
		markRead(m[0], m[1])
		p := reason[m[2]:m[3]]
		v, _ := strconv.ParseFloat(p[2:], 64)
		if p[1] == '<' || v < alpha {
			wrong = append(wrong, sprintf("not significant at %s", p))
		}
	}
	for _, m := range comparing.FindAllStringIndex(reason, -1) {
		word := reason[m[0]:m[1]]
		if !read[m[0]] && !allowed(reason, m[0], word) {
			unread = append(unread, word)
		}
	}
	return wrong, unread
}

// allowed are comparing words that compare nothing the sentence prints:
// "lies above the first" is the rank-sum test's claim, whose p-value
// stands beside it; "only" in "only 4 usable points" is read with "need".
func allowed(reason string, at int, word string) bool {
	rest := reason[at:]
	return word == "above" && strings.HasPrefix(rest, "above the first (p")
}

// TestReasonsTrueToTheirNumbers reads every reason Analyze gives the
// corpus, with its labelled options and with window medians: each
// comparison a sentence makes must hold for the numbers it prints.
func TestReasonsTrueToTheirNumbers(t *testing.T) {
	checked := map[string]int{}
	for _, c := range Corpus(corpusSeeds) {
		for _, envelope := range []bool{true, false} {
			o := c.Options()
			if c.CPU && !envelope {
				continue
			}
			o.Envelope = envelope
			r := Analyze(c.Points, o)
			bad, unread := checkReason(r.Reason, DefaultAlpha)
			for _, b := range bad {
				t.Errorf("%s seed %d (envelope %t): %s is false in %q", c.Name, c.Seed, envelope, b, r.Reason)
			}
			if len(unread) > 0 {
				t.Errorf("%s seed %d: no rule reads %q in %q", c.Name, c.Seed, unread, r.Reason)
			}
			for _, m := range comparing.FindAllString(r.Reason, -1) {
				checked[m]++
			}
		}
	}
	t.Logf("comparing words read: %v", checked)
}

// TestCheckReason keeps the reader honest: it finds the false sentences
// it is for, and passes true ones.
func TestCheckReason(t *testing.T) {
	for _, tc := range []struct {
		reason string
		bad    bool
	}{
		{"floor rose 3334 MB/h in the last third (p<0.001), more than the 4078 MB/h of the whole run", true},
		{"floor rose 30.1 MB/h in the last third (p<0.001), faster than the 8.2 MB/h of the whole run: the rise sped up late", false},
		{"floor rose 10.0 MB/h (p<0.001), below the 10.0 MB/h threshold", true},
		{"floor rose 9.96 MB/h (p<0.001), below the 10.00 MB/h threshold", false},
		{"floor rose 20.0 MB/h (p<0.001) but only 30.0 MB/h in the last third", true},
		{"floor rose 148 MB (p=0.006) but growth slowed to 0.051 MB/h in the last third from 20.3 MB/h on average", false},
		{"floor rose 148 MB (p=0.006) but growth slowed to 21 MB/h in the last third from 20.3 MB/h on average", true},
		{"no significant rise of the floor (p=0.004), slope 3.0 MB/h", true},
		{"only 4 usable points, need 10", false},
		{"usable span 12 min is shorter than the 10 min needed", true},
	} {
		bad, unread := checkReason(tc.reason, DefaultAlpha)
		if (len(bad) > 0) != tc.bad || len(unread) > 0 {
			t.Errorf("%q: false %q, unread %q; want false: %t", tc.reason, bad, unread, tc.bad)
		}
	}
}
