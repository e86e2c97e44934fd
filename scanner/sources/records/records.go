package records

import (
	"io"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/jsonloc"
	"github.com/mcpscan/mcpscan/scanner/match"
)

// ScanJSONL runs the matcher over a JSON Lines input in JSON mode (escapes
// decoded around keyword hits), checking that each record is whole as the
// bytes pass (Checker), and calls record once per record holding hits, in
// file order, with that record's hits, as soon as the record is done (the
// slice is not kept: copy what must outlive the call). Malformed records are
// reported as problems of in (the first MaxProblems one by one, then a
// count); they are still scanned as text.
func ScanJSONL(in *scanner.Input, env *scanner.Env, record func(hits []match.Hit)) error {
	checker := NewChecker(in.Reader, in.StartLine)
	// Hits come in order of offset; a record's hits are handed on as soon
	// as a hit of a later record arrives, so memory holds one record's
	// hits, not the file's.
	var hits []match.Hit
	in2 := *in
	in2.Reader = checker
	err := env.Match(&in2, match.JSON, func(h *match.Hit) error {
		if len(hits) > 0 && hits[0].LineStart != h.LineStart {
			record(hits)
			hits = hits[:0:0]
		}
		hits = append(hits, *h)
		return nil
	})
	if len(hits) > 0 {
		record(hits)
	}
	problems, more := checker.Finish()
	for _, p := range problems {
		env.Problem(in, p.Line, scanner.ReasonMalformed, "%s", p.Msg)
	}
	if more > 0 {
		env.Problem(in, 0, scanner.ReasonMalformed, "%d more malformed records not listed", more)
	}
	return err
}

// Locate parses the record (a JSON value starting at raw offset lineStart
// of in) and returns, for each hit, the field that holds it, with the
// scalar fields named in capture kept from every enclosing object. It
// returns nil when in has no random access. A malformed record gives what
// targets it can (the Checker reported it).
func Locate(in *scanner.Input, lineStart int64, hits []match.Hit, capture []string) []jsonloc.Target {
	if in.ReaderAt == nil {
		return nil
	}
	offsets := make([]int64, len(hits))
	for i, h := range hits {
		offsets[i] = h.Start - lineStart
	}
	size := in.Size
	if size < 0 {
		size = 1<<63 - 1
	}
	targets, _ := jsonloc.Locate(io.NewSectionReader(in.ReaderAt, lineStart, size-lineStart), offsets, jsonloc.Options{Capture: capture})
	return targets
}

// Place is one secret of a record: the first hit of a (rule, secret) pair,
// its field (nil when not located), and the other fields of the record
// that held the same secret.
type Place struct {
	Hit    *match.Hit
	Target *jsonloc.Target
	Also   []string
	// Others are the targets of Also, in the same order.
	Others []*jsonloc.Target
}

// Dedupe returns one Place per (rule, secret) of a record's hits, in hit
// order: a secret stored several times in one record (Claude Code stores a
// tool's output in message.content and toolUseResult; Codex stores a
// message as a response_item and an event_msg) is one finding, with the
// other fields listed. Hits whose field skip reports true (opaque data
// such as signatures and base64 images) are dropped. targets may be nil
// or shorter than hits.
func Dedupe(hits []match.Hit, targets []jsonloc.Target, skip func(*jsonloc.Target) bool) []Place {
	var out []Place
	index := map[string]int{}
	for i := range hits {
		h := &hits[i]
		var t *jsonloc.Target
		if i < len(targets) && targets[i].Found {
			t = &targets[i]
			if skip != nil && skip(t) {
				continue
			}
		}
		key := h.Rule.ID + "\x00" + h.Secret
		if j, ok := index[key]; ok {
			p := &out[j]
			if t != nil && (p.Target == nil || t.Path != p.Target.Path) && !contains(p.Also, t.Path) {
				p.Also = append(p.Also, t.Path)
				p.Others = append(p.Others, t)
			}
			continue
		}
		index[key] = len(out)
		out = append(out, Place{Hit: h, Target: t})
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// LastKey returns the last key of a JSON field path ("data" of
// "message.content[1].source.data").
func LastKey(path string) string {
	if i := strings.LastIndexAny(path, ".]"); i >= 0 {
		return path[i+1:]
	}
	return path
}
