package scanner

import (
	"testing"
	"time"
)

// TestPoolWorkerStaysForSegments: a worker that finds the walk over stays
// while another worker still scans a file, and runs the segments that
// file posts; it leaves once that file is done. (A scan of one large
// file ran on one core when the idle worker left at once.)
func TestPoolWorkerStaysForSegments(t *testing.T) {
	p := newPool(2)
	jobs := make(chan job, 1)
	jobs <- job{display: "big.jsonl", size: 1 << 30}
	close(jobs)
	if _, ok := p.next(jobs); !ok { // worker A takes the one file
		t.Fatal("no job")
	}
	left := make(chan bool)
	go func() { // worker B finds the walk over
		_, more := p.next(jobs)
		left <- more
	}()
	ran := make(chan struct{})
	p.tasks <- func() { close(ran) } // A splits its file
	select {
	case <-ran:
	case more := <-left:
		t.Fatalf("worker B left (more=%v) before the split file's segment ran", more)
	case <-time.After(10 * time.Second):
		t.Fatal("the segment never ran")
	}
	select {
	case <-left:
		t.Fatal("worker B left while worker A still scans its file")
	case <-time.After(20 * time.Millisecond):
	}
	p.fileDone()
	select {
	case more := <-left:
		if more {
			t.Fatal("worker B got a job after the walk")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("worker B never left")
	}
	if _, ok := p.next(jobs); ok { // A comes back: the scan is over
		t.Fatal("worker A got a job after the walk")
	}
}
