package match

import (
	"encoding/binary"
	"math/bits"
)

// runeCount is utf8.RuneCount for the inputs the matcher sees, eight bytes
// at a time: the bytes that do not continue a UTF-8 sequence
// (0b10xxxxxx). It counts as utf8.RuneCount does on valid UTF-8; on
// invalid input it may count differently (each stray continuation byte is
// a rune for utf8.RuneCount, none here), which only shifts a column.
func runeCount(b []byte) int {
	n := len(b)
	cont := 0
	i := 0
	const highs = 0x8080808080808080
	// 32 ASCII bytes per step, the common case.
	for ; i+32 <= len(b); i += 32 {
		w0 := binary.LittleEndian.Uint64(b[i : i+8])
		w1 := binary.LittleEndian.Uint64(b[i+8 : i+16])
		w2 := binary.LittleEndian.Uint64(b[i+16 : i+24])
		w3 := binary.LittleEndian.Uint64(b[i+24 : i+32])
		if (w0|w1|w2|w3)&highs == 0 {
			continue
		}
		cont += bits.OnesCount64(w0&^(w0<<1)&highs) + bits.OnesCount64(w1&^(w1<<1)&highs) +
			bits.OnesCount64(w2&^(w2<<1)&highs) + bits.OnesCount64(w3&^(w3<<1)&highs)
	}
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i : i+8])
		if w&0x8080808080808080 == 0 {
			continue // ASCII
		}
		cont += bits.OnesCount64(w &^ (w << 1) & 0x8080808080808080)
	}
	for ; i < len(b); i++ {
		if b[i]&0xC0 == 0x80 {
			cont++
		}
	}
	return n - cont
}

// lastNewline is bytes.LastIndexByte(b, '\n'), eight bytes at a time from
// the end (the standard library's is a byte loop).
func lastNewline(b []byte) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	i := len(b)
	for i >= 8 {
		w := binary.LittleEndian.Uint64(b[i-8:i]) ^ ('\n' * ones)
		if (w-ones)&^w&highs != 0 {
			break // a zero byte, a newline, in b[i-8:i]
		}
		i -= 8
	}
	for i--; i >= 0; i-- {
		if b[i] == '\n' {
			return i
		}
	}
	return -1
}
