package reporters

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/mcpscan/mcpscan/scanner"
)

// Schema returns the JSON Schema of the JSON report and of each JSON
// Lines line (reporters/report.schema.json), with the "source" values
// and the "context" keys generated from sources, the registry's source
// descriptors: adding a source documents its context keys here without
// touching this file. The test in cmd/mcpscan keeps the file equal to
// Schema(the registry's sources).
func Schema(sources []*scanner.Source) ([]byte, error) {
	byName := map[string]*scanner.Source{}
	for _, s := range sources {
		byName[s.Name] = s
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)

	var descs []string
	type keyDoc struct {
		doc  string
		used []string
	}
	keys := map[string]*keyDoc{
		"field":        {doc: "Where the secret sat: \"toolUseResult.stdout\", \"mcpServers.github.env.TOKEN\"."},
		"other_fields": {doc: "Further places that held the same secret: fields of the same record, and \"line N: field\" for a copy the agent stored again in a later record of the same file (a message mirrored, a tool call repeated)."},
	}
	for _, n := range names {
		s := byName[n]
		var ks []string
		for _, f := range s.Fields {
			ks = append(ks, f.Key)
			k := keys[f.Key]
			if k == nil {
				k = &keyDoc{doc: f.Doc}
				keys[f.Key] = k
			}
			k.used = append(k.used, n)
		}
		d := n + " (" + s.Label
		if len(ks) > 0 {
			d += "; context: " + strings.Join(ks, ", ")
		}
		descs = append(descs, d+")")
	}
	keyNames := make([]string, 0, len(keys))
	for k := range keys {
		keyNames = append(keyNames, k)
	}
	sort.Strings(keyNames)
	var ctx bytes.Buffer
	ctx.WriteString("{")
	for i, k := range keyNames {
		if i > 0 {
			ctx.WriteString(",")
		}
		doc := keys[k].doc
		if len(keys[k].used) > 0 {
			doc += " Sources: " + strings.Join(keys[k].used, ", ") + "."
		}
		prop := map[string]any{"description": doc, "type": "string", "minLength": 1}
		if k == "other_fields" {
			prop = map[string]any{"description": doc, "type": "array", "items": map[string]string{"type": "string"}, "minItems": 1}
		}
		kb, _ := json.Marshal(k)
		pb, err := json.Marshal(prop)
		if err != nil {
			return nil, err
		}
		ctx.Write(kb)
		ctx.WriteString(":")
		ctx.Write(pb)
	}
	ctx.WriteString("}")
	srcDoc, _ := json.Marshal(strings.Join(descs, "; ") + ".")
	nameList, _ := json.Marshal(names)
	out := strings.NewReplacer(
		"\"The kind of file (values are only ever added): {{SOURCES}}\"", `"The kind of file (values are only ever added): `+strings.Trim(string(srcDoc), `"`)+`"`,
		"{{SOURCE_NAMES}}", string(nameList),
		"{{CONTEXT}}", ctx.String(),
	).Replace(schemaTemplate)
	var compact, b bytes.Buffer
	if err := json.Compact(&compact, []byte(out)); err != nil {
		return nil, fmt.Errorf("report schema: %w", err)
	}
	if err := json.Indent(&b, compact.Bytes(), "", "  "); err != nil {
		return nil, fmt.Errorf("report schema: %w", err)
	}
	var check any
	if err := json.Unmarshal(b.Bytes(), &check); err != nil {
		return nil, fmt.Errorf("report schema: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// schemaTemplate is the schema with the generated parts left as
// placeholders.
const schemaTemplate = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://raw.githubusercontent.com/mcpscan/mcpscan/main/reporters/report.schema.json",
  "title": "mcpscan JSON report (--format json) and JSON Lines records (--format jsonl)",
  "description": "The root schema is the document ` + "`" + `mcpscan --format json` + "`" + ` writes; ` + "`" + `#/$defs/jsonl_line` + "`" + ` is one line of ` + "`" + `mcpscan --format jsonl` + "`" + `. Fields are only ever added, never renamed or given a new meaning; an incompatible change bumps schema_version. This schema is strict (unknown members are errors) so that mcpscan's own tests catch an undocumented field: consumers should ignore members they do not know. Without --show-secrets no raw secret appears anywhere in either format.",
  "type": "object",
  "properties": {
    "schema_version": {
      "description": "Version of this contract; changes only when the report changes incompatibly.",
      "const": 1
    },
    "tool": { "$ref": "#/$defs/tool" },
    "host": { "$ref": "#/$defs/host" },
    "user": { "$ref": "#/$defs/user" },
    "started_at": { "$ref": "#/$defs/started_at" },
    "finished_at": { "$ref": "#/$defs/finished_at" },
    "complete": { "$ref": "#/$defs/complete" },
    "findings": {
      "description": "Always an array, sorted by path, line, column and rule ID.",
      "type": "array",
      "items": { "$ref": "#/$defs/finding", "unevaluatedProperties": false }
    },
    "errors": {
      "description": "Problems with single files that did not stop the scan. Always an array, sorted by path and line.",
      "type": "array",
      "items": { "$ref": "#/$defs/error", "unevaluatedProperties": false }
    },
    "stats": { "$ref": "#/$defs/stats" }
  },
  "required": ["schema_version", "tool", "complete", "findings", "errors", "stats"],
  "additionalProperties": false,

  "$defs": {
    "tool": {
      "description": "The program that wrote the report.",
      "type": "object",
      "properties": {
        "name": { "const": "mcpscan" },
        "version": { "description": "mcpscan's version (\"1.2.3\", \"v1.2.3\" for go install builds, \"dev\" for local builds).", "type": "string", "minLength": 1 }
      },
      "required": ["name", "version"],
      "additionalProperties": false
    },
    "host": {
      "description": "The machine scanned: --host-id, by default the host name (os.Hostname). Omitted when empty (--host-id \"\").",
      "type": "string",
      "minLength": 1
    },
    "user": {
      "description": "The account whose files were scanned ($USER, else the process owner). Omitted when unknown.",
      "type": "string",
      "minLength": 1
    },
    "started_at": { "description": "When the scan started, RFC 3339 in UTC.", "type": "string", "format": "date-time" },
    "finished_at": { "description": "When the scan finished, RFC 3339 in UTC.", "type": "string", "format": "date-time" },
    "complete": { "description": "false when something the scan was asked to read was not read (an unreadable file or directory, an archive member or file skipped for a limit, a package that did not resolve): see errors[].incomplete. The exit status is then 2 unless findings make it 1 or --allow-incomplete is given.", "type": "boolean" },
    "severity": {
      "description": "How bad a finding is, lowest to highest: info, low, medium, high, critical.",
      "enum": ["info", "low", "medium", "high", "critical"]
    },
    "finding": {
      "description": "One secret (or other problem) found in one place.",
      "type": "object",
      "properties": {
        "rule_id": { "description": "Stable kebab-case rule ID (see ` + "`" + `mcpscan rules` + "`" + `).", "type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$" },
        "description": { "description": "What the rule finds, one sentence.", "type": "string" },
        "severity": { "$ref": "#/$defs/severity" },
        "kind": {
          "description": "What sort of problem: secret, hardcoded-credential, network-exposure, agent-artifact, vulnerable-server, unpinned-server (values are only ever added).",
          "type": "string",
          "pattern": "^[a-z][a-z0-9-]*$",
          "examples": ["secret", "hardcoded-credential", "network-exposure", "agent-artifact", "vulnerable-server", "unpinned-server"]
        },
        "path": { "description": "The scanned argument joined with the file's path below it; archive members as \"archive.tgz!member/path\", database rows as \"state.vscdb!table/key\" (see steps). A secret in a file name is redacted here.", "type": "string", "minLength": 1 },
        "line": { "description": "1-based line of the secret's first character (0 only for a finding about a whole file).", "type": "integer", "minimum": 0 },
        "column": { "description": "1-based column, counted in Unicode code points of the raw line (for transcripts: of the JSONL line, where the secret sits JSON-escaped).", "type": "integer", "minimum": 0 },
        "end_line": { "description": "1-based line of the secret's last character.", "type": "integer", "minimum": 0 },
        "end_column": { "description": "1-based, exclusive end column, in Unicode code points.", "type": "integer", "minimum": 0 },
        "secret": { "description": "Redacted (\"ghp_…a1B2 (40 chars)\"; shorter secrets show less) unless --show-secrets.", "type": "string" },
        "secret_id": { "description": "12 hex digits, the same for every finding of one secret value (across files and rules): group places by it. A keyed hash whose key stays on the machine (no help in guessing the secret). Omitted for evidence.", "type": "string", "pattern": "^[0-9a-f]{12}$" },
        "fingerprint": { "description": "32 hex digits of SHA-256 over rule ID, the file's path (home directory written as ~) and the secret: independent of line numbers, the same on every machine.", "type": "string", "pattern": "^[0-9a-f]{32}$" },
        "source": {
          "description": "The kind of file (values are only ever added): {{SOURCES}}",
          "type": "string",
          "pattern": "^[a-z][a-z0-9-]*$",
          "examples": {{SOURCE_NAMES}}
        },
        "context": { "$ref": "#/$defs/context" },
        "remediation": { "description": "How to fix it; never empty.", "type": "string", "minLength": 1 },
        "offset": { "description": "Byte offset of the secret's first raw byte in the file.", "type": "integer", "minimum": 0 },
        "carried": { "description": "The finding was carried over from an earlier scan by the state file (--state): the bytes holding it were not read this time.", "const": true },
        "steps": {
          "description": "The steps from the file on disk to the item holding the finding, outermost first: archive members and database rows. Omitted for a plain file.",
          "type": "array",
          "minItems": 1,
          "items": {
            "type": "object",
            "properties": {
              "kind": { "enum": ["member", "row"] },
              "name": { "type": "string", "minLength": 1 }
            },
            "required": ["kind", "name"],
            "additionalProperties": false
          }
        }
      },
      "required": ["rule_id", "description", "severity", "kind", "path", "line", "column", "end_line", "end_column", "secret", "fingerprint", "source", "remediation", "offset"]
    },
    "context": {
      "description": "Where inside a structured record the finding sat; omitted when empty, and each member omitted when empty. Which keys a finding can have depends on its source (see the source property).",
      "type": "object",
      "properties": {{CONTEXT}},
      "minProperties": 1,
      "additionalProperties": false
    },
    "error": {
      "description": "A problem with one input that did not stop the scan (permission denied, a malformed record, a symlink loop).",
      "type": "object",
      "properties": {
        "path": { "type": "string" },
        "error": { "type": "string", "minLength": 1 },
        "line": { "description": "1-based line of the problem; omitted when unknown.", "type": "integer", "minimum": 1 },
        "reason": { "description": "unreadable, limit, skipped, unresolved, other (content was not scanned: incomplete true); symlink-loop, not-regular, malformed, parse, state (the scan still read the content)", "type": "string", "pattern": "^[a-z][a-z0-9-]*$" },
        "incomplete": { "description": "true when content the scan was asked to read was not read because of this problem.", "type": "boolean" }
      },
      "required": ["path", "error", "reason", "incomplete"]
    },
    "stats": {
      "description": "What the scan did.",
      "type": "object",
      "properties": {
        "files_scanned": { "type": "integer", "minimum": 0 },
        "bytes_scanned": { "type": "integer", "minimum": 0 },
        "files_skipped": { "type": "integer", "minimum": 0 },
        "skipped_by": {
          "description": "files_skipped by reason (binary, credential-store, symlink, special, excluded, too-large …); omitted when empty.",
          "type": "object",
          "additionalProperties": { "type": "integer", "minimum": 0 }
        },
        "duration_ms": { "type": "integer", "minimum": 0 },
        "split_files": { "description": "Files large enough to be split across idle CPUs; omitted when none.", "type": "integer", "minimum": 1 },
        "suppressed": {
          "description": "Findings suppressed because the user vouched for them, by mechanism (inline-allow, ignore-file, gitleaksignore, config-allowlist, baseline); omitted when none.",
          "type": "object",
          "additionalProperties": { "type": "integer", "minimum": 1 }
        },
        "suppressed_total": { "description": "Sum of suppressed.", "type": "integer", "minimum": 0 }
      },
      "required": ["files_scanned", "bytes_scanned", "files_skipped", "duration_ms"],
      "additionalProperties": false
    },

    "jsonl_line": {
      "description": "One line of --format jsonl: findings and errors as the scan goes, then exactly one summary, last. Every line has \"type\" as its first member.",
      "oneOf": [
        { "$ref": "#/$defs/jsonl_finding" },
        { "$ref": "#/$defs/jsonl_error" },
        { "$ref": "#/$defs/jsonl_summary" }
      ]
    },
    "jsonl_finding": {
      "description": "A finding of the JSON report, with \"type\", \"host\", \"user\" and \"started_at\" added so that the line stands alone.",
      "type": "object",
      "$ref": "#/$defs/finding",
      "properties": {
        "type": { "const": "finding" },
        "host": { "$ref": "#/$defs/host" },
        "user": { "$ref": "#/$defs/user" },
        "started_at": { "$ref": "#/$defs/started_at" }
      },
      "required": ["type"],
      "unevaluatedProperties": false
    },
    "jsonl_error": {
      "description": "An error of the JSON report, with \"type\", \"host\", \"user\" and \"started_at\".",
      "type": "object",
      "$ref": "#/$defs/error",
      "properties": {
        "type": { "const": "error" },
        "host": { "$ref": "#/$defs/host" },
        "user": { "$ref": "#/$defs/user" },
        "started_at": { "$ref": "#/$defs/started_at" }
      },
      "required": ["type"],
      "unevaluatedProperties": false
    },
    "jsonl_summary": {
      "description": "The last line: the JSON report's header and stats, and how many finding and error lines came before it. A stream without it was cut short.",
      "type": "object",
      "properties": {
        "type": { "const": "summary" },
        "schema_version": { "const": 1 },
        "tool": { "$ref": "#/$defs/tool" },
        "host": { "$ref": "#/$defs/host" },
        "user": { "$ref": "#/$defs/user" },
        "started_at": { "$ref": "#/$defs/started_at" },
        "finished_at": { "$ref": "#/$defs/finished_at" },
        "complete": { "$ref": "#/$defs/complete" },
        "findings": { "description": "Number of finding lines.", "type": "integer", "minimum": 0 },
        "errors": { "description": "Number of error lines.", "type": "integer", "minimum": 0 },
        "stats": { "$ref": "#/$defs/stats" }
      },
      "required": ["type", "schema_version", "tool", "complete", "findings", "errors", "stats"],
      "additionalProperties": false
    }
  }
}
`
