package bindcheck

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestCorpus measures the analysis on hand-labelled real server code kept
// outside the repository (public repositories' files may not be
// committed here). Set MCPSCAN_BIND_CORPUS to its directory, which holds
// labels.tsv (repo, path, commit, label pos|neg, lines, note, set
// dev|heldout; held-out files were labelled before the analysis first ran
// on them) and
// files/<owner>__<name>/<path>:
//
//	MCPSCAN_BIND_CORPUS=/work/notes/bindcorpus go test -run TestCorpus -v ./rules/bindcheck
//
// A positive file counts as found when a bind is reported on one of its
// labelled lines; a negative file with any bind is a false-positive file.
// The bar: at least 90% found, at most one false-positive file
// in 30.
func TestCorpus(t *testing.T) {
	dir := os.Getenv("MCPSCAN_BIND_CORPUS")
	if dir == "" {
		t.Skip("MCPSCAN_BIND_CORPUS is not set: the real-code corpus lives outside the repository")
	}
	f, err := os.Open(filepath.Join(dir, "labels.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type tally struct{ pos, found, neg, fp int }
	byLang := map[string]*tally{}
	bySet := map[string]*tally{}
	total := &tally{}
	var misses, fps []string
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		col := strings.Split(sc.Text(), "\t")
		if len(col) < 5 {
			continue
		}
		repo, p, label, lines := col[0], col[1], col[3], col[4]
		src, err := os.ReadFile(filepath.Join(dir, "files", strings.ReplaceAll(repo, "/", "__"), filepath.FromSlash(p)))
		if err != nil {
			t.Errorf("%s %s: %v", repo, p, err)
			continue
		}
		lang := map[Lang]string{LangGo: "go", LangPython: "python", LangJS: "js/ts"}[LangOf(p)]
		if byLang[lang] == nil {
			byLang[lang] = &tally{}
		}
		set := "dev"
		if len(col) > 6 && col[6] != "" {
			set = col[6]
		}
		if bySet[set] == nil {
			bySet[set] = &tally{}
		}
		tl, ts := byLang[lang], bySet[set]
		binds := FindAll(p, src)
		want := map[int]bool{}
		for _, l := range strings.Split(lines, ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(l)); err == nil {
				want[n] = true
			}
		}
		var got []string
		hit := false
		for _, b := range binds {
			got = append(got, fmt.Sprintf("%d %s (%s)", b.Line, b.Call, b.Origin))
			if want[b.Line] {
				hit = true
			}
		}
		switch label {
		case "pos":
			tl.pos++
			ts.pos++
			total.pos++
			if hit {
				tl.found++
				ts.found++
				total.found++
			} else {
				misses = append(misses, fmt.Sprintf("%s %s lines %s: got %v", repo, p, lines, got))
			}
		case "neg":
			tl.neg++
			ts.neg++
			total.neg++
			if len(binds) > 0 {
				tl.fp++
				ts.fp++
				total.fp++
				fps = append(fps, fmt.Sprintf("%s %s: %v", repo, p, got))
			}
		}
	}
	langs := make([]string, 0, len(byLang))
	for l := range byLang {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		x := byLang[l]
		t.Logf("%-7s found %d/%d positive files, %d/%d negative files flagged", l, x.found, x.pos, x.fp, x.neg)
	}
	for _, set := range []string{"dev", "heldout"} {
		if x := bySet[set]; x != nil {
			t.Logf("%-7s found %d/%d positive files, %d/%d negative files flagged", set, x.found, x.pos, x.fp, x.neg)
		}
	}
	recall := float64(total.found) / float64(max(total.pos, 1))
	fpRate := float64(total.fp) / float64(max(total.neg, 1))
	t.Logf("total   recall %.1f%% (%d/%d), false-positive files %d/%d (%.1f%%)", 100*recall, total.found, total.pos, total.fp, total.neg, 100*fpRate)
	for _, m := range misses {
		t.Logf("missed: %s", m)
	}
	for _, m := range fps {
		t.Logf("false positive: %s", m)
	}
	if recall < 0.9 {
		t.Errorf("recall %.1f%% is below the 90%% bar", 100*recall)
	}
	if fpRate > 1.0/30 {
		t.Errorf("%d false-positive files in %d negatives: above one in 30", total.fp, total.neg)
	}
}
