package bindcheck

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// benchSource builds about n bytes of ordinary server-side code in the
// language of path: functions, objects, template strings, comments, a few
// listen calls.
func benchSource(path string, n int) []byte {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		switch LangOf(path) {
		case LangPython:
			fmt.Fprintf(&b, `
def handler_%d(request, *, limit: int = 10, host: str = "127.0.0.1"):
    """Handle request %d; see https://example.com/docs."""
    # skip empty payloads
    items = [x for x in request.items if x.value > %d]
    data = {"id": %d, "name": f"item-{request.id}-{limit}", "tags": ["a", "b"]}
    if not items:
        return None
    logger.info("handled %%s items on %%s", len(items), host)
    return json.dumps(data) + str(len(items))
`, i, i, i, i)
			if i%50 == 0 {
				fmt.Fprintf(&b, "uvicorn.run(app, host=os.getenv(\"HOST\", \"0.0.0.0\"), port=%d)\n", 8000+i)
			}
		default:
			fmt.Fprintf(&b, `
/** Handles request %d. */
export async function handler%d(req: Request, { limit = 10, host = "127.0.0.1" }: Opts = {}): Promise<Response> {
  // skip empty payloads
  const items = req.items.filter((x) => x.value > %d).map(x => ({ ...x, seen: true }));
  const data = { id: %d, name: `+"`item-${req.id}-${limit}`"+`, tags: ["a", "b"], re: /a\/b/g };
  if (!items.length) return new Response(null, { status: 204 });
  console.log("handled %%d items on %%s", items.length, host);
  return Response.json(data);
}
`, i, i, i, i)
			if i%50 == 0 {
				fmt.Fprintf(&b, "app.listen(Number(process.env.PORT ?? %d), process.env.HOST || '0.0.0.0');\n", 3000+i)
			}
		}
	}
	return []byte(b.String())
}

func benchFind(b *testing.B, path string, n int) {
	src := benchSource(path, n)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(Find(path, src)) == 0 {
			b.Fatal("no binds")
		}
	}
}

// BenchmarkFindJS and BenchmarkFindPython measure the analysis on a
// 256 KiB source file (MB/s and allocated bytes per file).
func BenchmarkFindJS(b *testing.B)     { benchFind(b, "src/server.ts", 256<<10) }
func BenchmarkFindPython(b *testing.B) { benchFind(b, "app/server.py", 256<<10) }
func BenchmarkFindGo(b *testing.B) {
	var s strings.Builder
	s.WriteString("package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n)\n")
	for i := 0; s.Len() < 256<<10; i++ {
		fmt.Fprintf(&s, "\n// handler%d handles a request.\nfunc handler%d(w http.ResponseWriter, r *http.Request) {\n\tname := fmt.Sprintf(\"item-%%d-%%s\", %d, r.URL.Path)\n\tif name == \"\" {\n\t\treturn\n\t}\n\tfmt.Fprintln(w, name)\n}\n", i, i, i)
	}
	s.WriteString("func main() { http.ListenAndServe(\":8080\", nil) }\n")
	src := []byte(s.String())
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if len(Find("main.go", src)) == 0 {
			b.Fatal("no binds")
		}
	}
}

// BenchmarkWants measures the keyword prefilter on text without a keyword.
func BenchmarkWants(b *testing.B) {
	src := []byte(strings.Repeat("const a = f(b) + g(c, d); // calls, but none of a server\n", 1<<14))
	b.SetBytes(int64(len(src)))
	for i := 0; i < b.N; i++ {
		if Wants(LangJS, src) {
			b.Fatal("wants")
		}
	}
}

// TestTreeCost measures the analysis on a real source tree (scripts/bench.sh
// points it at an npm node_modules tree and Python's standard library):
// files and bytes read, files the prefilter passes, binds, seconds, MB/s
// and the largest heap seen. It skips unless MCPSCAN_BIND_TREE names a
// directory.
func TestTreeCost(t *testing.T) {
	root := os.Getenv("MCPSCAN_BIND_TREE")
	if root == "" {
		t.Skip("MCPSCAN_BIND_TREE is not set")
	}
	var files, wanted, binds int
	var bytes int64
	var peak uint64
	var ms runtime.MemStats
	var inAnalysis time.Duration
	start := time.Now()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || LangOf(p) == LangNone {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		files++
		bytes += int64(len(src))
		t0 := time.Now()
		if Wants(LangOf(p), src) {
			wanted++
		}
		binds += len(FindAll(p, src))
		inAnalysis += time.Since(t0)
		if files%200 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sec := time.Since(start).Seconds()
	an := inAnalysis.Seconds()
	t.Logf("%s: %d code files, %.1f MB, %d passed the prefilter, %d binds; analysis %.2f s (%.0f MB/s of code), walk+read+analysis %.2f s, heap peak %.1f MiB",
		root, files, float64(bytes)/1e6, wanted, binds, an, float64(bytes)/1e6/an, sec, float64(peak)/(1<<20))
}
