package records

import (
	"io"
	"strconv"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
	"github.com/mcpscan/mcpscan/scanner/jsonloc"
	"github.com/mcpscan/mcpscan/scanner/match"
)

// Options says how a history handler's records are read.
type Options struct {
	// Capture lists the scalar fields kept from every object around a hit
	// (jsonloc.Options.Capture), for context.
	Capture []string
	// Skip reports fields whose values are opaque data (signatures,
	// ids); their hits are dropped. nil keeps every hit.
	Skip func(*jsonloc.Target) bool
	// Depth is, for a JSON document, how many containers down a record
	// sits: 1 for the elements of a top-level array (Cline's histories,
	// Gemini's logs.json), 2 for "messages[i]" (Gemini's legacy chats);
	// 0 makes the whole document one record. JSON Lines records are
	// lines.
	Depth int
	// Flat keeps JSON held in strings unopened (see Nest).
	Flat bool
}

// JSONL scans a JSON Lines input (ScanJSONL) and calls fn once per record
// holding hits, in file order, with its secrets: located (Locate), followed
// into JSON held in strings (Nest) and deduplicated (Dedupe). Values held
// three JSON levels down are matched again decoded (see deep.go).
func JSONL(in *scanner.Input, env *scanner.Env, opt Options, fn func(places []Place)) error {
	in2 := *in
	w := newWatcher(in.Reader, in.Start, in.StartLine)
	in2.Reader = w
	var hits []match.Hit
	err := ScanJSONL(&in2, env, func(h []match.Hit) { hits = append(hits, h...) })
	hits = mergeHits(hits, deepHits(in, env, w.marks, true))
	for start := 0; start < len(hits); {
		end := start + 1
		for end < len(hits) && hits[end].LineStart == hits[start].LineStart {
			end++
		}
		rec := hits[start:end]
		lineStart := rec[0].LineStart
		targets := Locate(in, lineStart, rec, opt.Capture)
		if !opt.Flat && in.ReaderAt != nil {
			Nest(in.ReaderAt, lineStart, targets, hitOffsets(rec), opt.Capture)
		}
		fn(Dedupe(rec, targets, opt.Skip))
		start = end
	}
	return err
}

// Document scans a JSON document: the matcher runs over it in JSON mode
// as a stream, and only when it found something is the document parsed,
// once and as a stream too (jsonloc), to locate every hit. So a history
// stored as one JSON array of hundreds of MB is never loaded whole. fn is
// called once per record holding hits (see Options.Depth), in document
// order, with its secrets located, followed into JSON held in strings and
// deduplicated. A document that is not valid JSON is reported as a
// problem of in and its hits are passed on unlocated.
func Document(in *scanner.Input, env *scanner.Env, opt Options, fn func(places []Place)) error {
	var hits []match.Hit
	in2 := *in
	w := newWatcher(in.Reader, 0, 1)
	in2.Reader = w
	err := env.Match(&in2, match.JSON, func(h *match.Hit) error {
		hits = append(hits, *h)
		return nil
	})
	hits = mergeHits(hits, deepHits(in, env, w.marks, false))
	if len(hits) == 0 {
		return err
	}
	var targets []jsonloc.Target
	if in.ReaderAt != nil {
		size := in.Size
		if size < 0 {
			size = 1<<63 - 1
		}
		var invalid error
		targets, invalid = jsonloc.Locate(io.NewSectionReader(in.ReaderAt, 0, size), hitOffsets(hits), jsonloc.Options{Capture: opt.Capture})
		if invalid != nil {
			env.Problem(in, 0, scanner.ReasonParse, "not valid JSON (%v); scanned as text", invalid)
		}
		if !opt.Flat {
			Nest(in.ReaderAt, 0, targets, hitOffsets(hits), opt.Capture)
		}
	}
	// Group the hits by record, in order of each record's first hit.
	var order []string
	groups := map[string][]int{}
	for i := range hits {
		key := ""
		if i < len(targets) {
			key = recordKey(&targets[i], opt.Depth)
		}
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], i)
	}
	for _, key := range order {
		idx := groups[key]
		gh := make([]match.Hit, len(idx))
		gt := make([]jsonloc.Target, len(idx))
		for j, i := range idx {
			gh[j] = hits[i]
			if i < len(targets) {
				gt[j] = targets[i]
			}
		}
		fn(Dedupe(gh, gt, opt.Skip))
	}
	return err
}

// recordKey names the record of depth depth holding t: the keys and
// indexes of its first depth containers below the root ("" when t is
// not located or not that deep).
func recordKey(t *jsonloc.Target, depth int) string {
	if !t.Found || depth <= 0 || len(t.Frames) <= depth {
		return ""
	}
	var b strings.Builder
	for _, f := range t.Frames[1 : depth+1] {
		if f.Index >= 0 {
			b.WriteString("[" + strconv.Itoa(f.Index) + "]")
		} else {
			b.WriteString("." + f.Key)
		}
	}
	return b.String()
}

// Record returns the object of a place's record: for a JSON document read
// with Options.Depth d, the frame d levels down; for a JSON Lines record
// (d = 0), the line's root object. nil when the place is not located or
// the record is not an object.
func (p *Place) Record(depth int) *jsonloc.Frame {
	if p.Target == nil || len(p.Target.Frames) <= depth {
		return nil
	}
	return p.Target.Frames[depth]
}

// Field returns the value of the captured field key of the innermost
// object around the place that has it ("" when none does): the tool name
// of the block holding a tool's input, say.
func (p *Place) Field(key string) string {
	if p.Target == nil {
		return ""
	}
	for i := len(p.Target.Frames) - 1; i >= 0; i-- {
		if v := p.Target.Frames[i].Fields[key]; v != "" {
			return v
		}
	}
	return ""
}

// Finding returns the finding of place p in in, of source src, with
// context ctx (empty values dropped): the hit's rule, secret and
// position, the field that held it and the record's other fields that
// held the same secret.
func Finding(in *scanner.Input, src *scanner.Source, p Place, ctx scanner.Context) scanner.Finding {
	f := scanner.FindingFromHit(in, src, p.Hit)
	f.Context = append(scanner.Context(nil), ctx...).Compact()
	if p.Target != nil {
		f.Field = p.Target.Path
		f.AlsoIn = p.Also
	}
	return f
}

func hitOffsets(hits []match.Hit) []int64 {
	offs := make([]int64, len(hits))
	for i, h := range hits {
		offs[i] = h.Start
	}
	return offs
}

// Get returns the captured field key of frame f ("" for a nil frame or a
// field not captured).
func Get(f *jsonloc.Frame, key string) string {
	if f == nil {
		return ""
	}
	return f.Fields[key]
}
