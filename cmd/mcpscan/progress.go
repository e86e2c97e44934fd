package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/mcpscan/mcpscan/scanner"
)

// progressDisplay draws files, bytes, MB/s and ETA on stderr while a scan
// runs (github.com/schollz/progressbar). It is only used when stderr is a
// terminal, so it never mixes into a report, whatever the format.
type progressDisplay struct {
	mu    sync.Mutex
	bar   *progressbar.ProgressBar
	start time.Time
}

// newProgress returns a display writing to w, or nil when w is not a
// terminal or the user turned it off.
func newProgress(w io.Writer, disabled bool) *progressDisplay {
	if disabled || os.Getenv("MCPSCAN_NO_PROGRESS") != "" || !isTerminal(w) {
		return nil
	}
	bar := progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetDescription("scanning"),
	)
	return &progressDisplay{bar: bar, start: time.Now()}
}

// update is the scanner.Options.Progress callback. The bar itself counts
// bytes and their rate; the description gives files, the share done and,
// once the walk has found every file, the time left.
func (p *progressDisplay) update(s scanner.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	desc := fmt.Sprintf("scanning %d/%d files", s.Files, s.TotalFiles)
	if s.WalkDone && s.TotalBytes > 0 {
		done := min(float64(s.Bytes)/float64(s.TotalBytes), 1)
		desc += fmt.Sprintf(", %3.0f%%", 100*done)
		if el := time.Since(p.start); done > 0.02 {
			left := time.Duration(float64(el) * (1 - done) / done).Round(time.Second)
			desc += fmt.Sprintf(", about %s left", left)
		}
	}
	p.bar.Describe(desc)
	_ = p.bar.Set64(s.Bytes)
}

// finish clears the display.
func (p *progressDisplay) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Finish()
	_ = p.bar.Clear()
}
