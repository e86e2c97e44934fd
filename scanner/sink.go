package scanner

import "context"

// Collector is a Sink that keeps everything, for reports that need the
// whole scan (the terminal's grouping, SARIF, JSON) and for tests.
type Collector struct {
	Findings []Finding
	Errors   []FileError
}

var _ Sink = (*Collector)(nil)

// Finding keeps a copy of f.
func (c *Collector) Finding(f *Finding) error { c.Findings = append(c.Findings, *f); return nil }

// Error keeps a copy of e.
func (c *Collector) Error(e *FileError) error { c.Errors = append(c.Errors, *e); return nil }

// Result returns what was collected as a sorted Result with the summary's
// roots, statistics and times.
func (c *Collector) Result(sum *Summary) *Result {
	res := &Result{Findings: c.Findings, Errors: c.Errors}
	if sum != nil {
		res.Roots, res.Stats, res.Started, res.Finished, res.Looked = sum.Roots, sum.Stats, sum.Started, sum.Finished, sum.Looked
	}
	res.Sort()
	return res
}

// Collect scans roots with e and returns everything as one sorted Result,
// for callers that want the whole scan at once (tests, the redact
// command).
func (e *Engine) Collect(ctx context.Context, roots []Root) (*Result, error) {
	var c Collector
	sum, err := e.Run(ctx, roots, &c)
	if err != nil {
		return nil, err
	}
	return c.Result(sum), nil
}
