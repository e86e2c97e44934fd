// Package redact removes found secrets from files in place: agent
// transcripts, prompt histories, file-history copies, plans, memory files
// and configs. It is the core of `mcpscan redact`; it knows nothing of the
// scanner or the reporters. Its input is a Plan (files, each with its
// kind and the secret values to remove); its output is a Result (per
// file: outcome, places, bytes before and after, backup) and, unless
// disabled, a run in a private backup store that Undo can reverse.
//
// # Use
//
//	located, _ := redact.Locate(ctx, scannedPaths, values, redact.LocateOptions{})
//	// build a Plan: every file where a value occurs, with its secrets
//	res, err := redact.Apply(ctx, plan, redact.Options{})
//	// rescan res.Changed(); later, if needed:
//	redact.Undo(ctx, res.RunID, redact.Options{})
//	redact.Purge("", res.RunID)
//
// # What is replaced
//
// Every occurrence of every value in a file, not only the reported one:
// raw, inside JSON strings written with escapes (\u0067hp_…, \/, \" or \n
// next to it, an escape in the middle of it), and escaped twice (a JSON
// file printed by a tool, inside a transcript's JSON string). A key block
// found with LF line breaks is also found with CRLF, and the other way
// round. Each occurrence's exact raw span becomes
//
//	[REDACTED:<rule-id>:<id>]
//
// where id is a random 8-character id (crypto/rand) shared by every place
// of one value across the run; nothing in the marker derives from the
// secret. The marker holds only [A-Za-z0-9._:-[]], so it needs no escape
// in JSON, and replacing whole escapes keeps every JSON string valid.
//
// Line breaks are never replaced. A secret spanning lines (a private key
// block) becomes one marker per line, its line breaks kept, raw or
// escaped as they were. So no line is added or removed in any kind of
// file: line numbers of other findings stay right, JSON Lines keep one
// record per line, and an embedded file keeps its line count.
//
// JSON Lines and JSON documents: only string contents change (object
// keys too, when a key is a secret). Structure, keys that hold no secret,
// numbers, literals and every byte outside the replaced spans stay as
// they were. A changed line of JSON Lines that parsed before must parse
// after, or the file is left unchanged (a guard against bugs). A value
// found outside strings is replaced only in JSONC comments; a secret that
// is a JSON number, or a raw hit crossing a string's quotes, is left and
// counted as unredactable. Lines that are not valid JSON (a record cut by
// a crash) are handled with the same string-aware scan. Plain text:
// every occurrence's span is replaced, with the same line-break rule.
//
// Values shorter than MinValueLen (6) bytes are refused: every occurrence
// is replaced, and a shorter value would hit unrelated text.
//
// # Never losing data
//
// Atomic: the new content is written to a temporary file in the file's
// directory, fsynced, given the original's mode, owner and access and
// modification times (Claude Code orders `--resume` by mtime), and swapped
// in by rename; the directory is then fsynced. A reader sees the old file
// or the new one, never a mix. Any failure before the swap (disk full,
// permission denied, read-only directory) leaves the original untouched
// and removes the temporary file. A file whose owner cannot be kept, a
// file with several hard links (the other names would keep the secret)
// and anything but a regular file are reported as errors and left alone.
// A symbolic link is followed: the file it names is rewritten, the link
// kept.
//
// Backed up: before the swap, the original is copied (and fsynced) to
// <state dir>/<run id>/files/, with a manifest.json recording per file
// the path, size, mode, owner, mtime, SHA-256 before and after, and per
// secret its id, rule ID and places (never a value). The state directory
// is $XDG_STATE_HOME/mcpscan/redact, else ~/.local/state/mcpscan/redact
// (~/Library/Application Support/mcpscan/redact on macOS,
// %LocalAppData%\mcpscan\redact on Windows); directories are 0700, files
// 0600. The backups hold the secrets: Purge deletes a run, PurgeAll every
// run. Options.NoBackup skips the store (and undo).
//
// Undoable: Undo restores each file of a run byte for byte. If the file
// grew since (a live session appended records), the original is restored
// and the appended bytes follow it. If the file changed in any other
// way, it is refused and left alone (a later run that changed it is
// named, to be undone first).
//
// # Live files
//
// Claude Code appends to the active session's transcript at any moment;
// it opens the file for each record (fs.appendFileSync: open with
// O_APPEND, write, close). Apply and Undo keep every appended byte:
//
//   - Bytes appended while the file is read are read too (and redacted),
//     for up to Options.MaxRounds rounds; a file that keeps growing is
//     reported skipped-active, unchanged.
//   - The slow steps (fsyncs, manifest, the checks below) happen once,
//     before a last quick catch-up, so that the time between the last
//     size check and the swap is microseconds.
//   - The bytes read are hashed again before the swap, and once more
//     after it through the original's descriptor: a change other than an
//     append (another program rewrote the file in place) leaves the file
//     unchanged (rolled back after the swap), skipped-active.
//   - A process holding the file open for writing (a writer that would
//     keep writing to the replaced inode) leaves it skipped-active. Linux
//     reads /proc; macOS asks lsof for recently written files; other
//     systems cannot tell, and there a file written within
//     Options.ActiveWindow (10 minutes) is skipped-active.
//   - The swap keeps the original inode reachable: on Linux and macOS
//     the new file and the original exchange names atomically
//     (renameat2 RENAME_EXCHANGE, renamex_np RENAME_SWAP), elsewhere the
//     original is first hard-linked to a hold name. The swap is checked
//     to have replaced the very inode that was read.
//   - A writer that opened the path just before the swap writes to the
//     original inode after it. So the original is watched through the
//     open descriptor right after the swap; for a live file (written
//     within ActiveWindow, or grown while read) until no other process
//     holds it open for writing (Linux; after that nothing can reach it),
//     or for Options.Settle (250 ms) where that cannot be told. If it
//     grew, or a writer still holds it after Settle plus 2 s, the swap is
//     rolled back: the original, with the late bytes, returns to the
//     path, records appended to the new file meanwhile are carried over
//     to it (in whole lines, until no writer holds the new file), and the
//     file is reported skipped-active with nothing redacted.
//
// What remains, honestly. On Linux, for writers in other processes: a
// writer that holds the original open for more than Settle plus 2 s after
// the swap makes the swap roll back, and if it keeps the descriptor and
// writes only after the carry-over ended, that record goes to a file no
// name points to. Elsewhere, a writer that opened the path before the
// swap but writes more than Settle later (a process stalled between open
// and write) loses its record the same way. Our own process is not
// watched. After a rollback, records appended to the new file follow those
// that reached the original, so two records can swap order (Claude Code
// links records by parentUuid, not by order). A program that rewrites a
// whole file by rename (as Claude Code does ~/.claude.json) is detected
// when it does so during the work; if it read the file before the swap
// and writes after it, its write wins and the secret comes back: the
// rescan after Apply reports it. On file systems with neither atomic
// exchange nor hard links (FAT, some network file systems), a live file
// is skipped-active; an idle one is renamed over, and bytes that reach
// the old inode meanwhile are appended, redacted, to the new file (undo
// keeps them redacted).
//
// A run that stops (crash, kill) before a swap leaves the file untouched
// and perhaps a temporary ".<name>.mcpscan-*" file next to it. Right
// after each swap the manifest records it; a run stopped after that
// record is undone like any other. Stopped in the milliseconds between
// the swap and the record, the file is redacted, the original sits next
// to it under a ".<name>.mcpscan-" name, and Undo refuses that file,
// naming the original and the backup. Purge removes such leftovers when
// they are exact copies of the original or the redacted file, and keeps
// (and names) any that hold bytes found nowhere else.
//
// # Memory
//
// Apply holds one line at a time (a block of about 1 MiB of lines for
// text), up to Options.MaxLineBytes (64 MiB) for a single line; a file
// with a longer line is reported as an error and left unchanged. Locate
// reads each file in overlapping chunks; see LocateOptions.
package redact
