package htmlgate

import (
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Browsers run a URL's host through the WHATWG host parser, which maps it with
// UTS 46 before the lookup: soft hyphens and zero-width spaces vanish,
// fullwidth and ideographic full stops become ".", and fullwidth or
// mathematical letters become ASCII ones. So "connect.ｆacebook.net" loads
// connect.facebook.net. Only a value holding a non-ASCII byte can be affected;
// ASCII values never reach this file.

// hostProfile maps like the WHATWG "domain to ASCII" (UTS 46 non-transitional
// processing, no STD3 rules, no hyphen checks).
var hostProfile = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.StrictDomainName(false),
	idna.CheckHyphens(false),
	idna.VerifyDNSLength(false),
)

// hostRunByte marks the ASCII bytes that can sit inside a host as the URL
// parser hands it to the host parser: everything else ("/", ":", "@", "?",
// spaces, commas between srcset candidates…) ends the run.
func hostRunByte(c byte) bool { return c >= 0x80 || isLabelChar(c) || c == '.' }

// appendMappedHosts appends v to dst with every run of host characters that
// holds a non-ASCII byte mapped as a browser maps a host. A run the mapper
// rejects is mapped as far as it goes, and the characters UTS 46 ignores are
// dropped from it as well, so a clear tracker is never hidden by an error.
// Paths are mapped too: that can only add matches. It allocates; it is only
// for values with non-ASCII bytes.
func appendMappedHosts(dst, v []byte) []byte {
	for i := 0; i < len(v); {
		if !hostRunByte(v[i]) {
			dst = append(dst, v[i])
			i++
			continue
		}
		j := i
		hi := false
		for j < len(v) && hostRunByte(v[j]) {
			hi = hi || v[j] >= 0x80
			j++
		}
		run := v[i:j]
		i = j
		if !hi {
			dst = append(dst, run...)
			continue
		}
		mapped, err := hostProfile.ToUnicode(string(run))
		if err == nil {
			dst = append(dst, mapped...)
			continue
		}
		// Fail closed: keep both the mapper's partial result and the run
		// with the ignored characters dropped, separated so neither joins
		// the other's labels.
		dst = append(dst, mapped...)
		dst = append(dst, ' ')
		dst = appendWithoutIgnored(dst, run)
	}
	return dst
}

// matchMappedRuns returns the categories of the URL fragments found in v
// once each host-like run holding a non-ASCII byte is mapped: the mapped run
// is matched together with the bytes after it that a fragment's path can
// reach, so only those are copied, not the whole value or script. A run the
// mapper rejects is matched both as far as it was mapped and with the ignored
// code points dropped.
func (s *Signatures) matchMappedRuns(v []byte) uint64 {
	var mask uint64
	var buf []byte
	for i := 0; i < len(v); {
		if !hostRunByte(v[i]) {
			i++
			continue
		}
		j := i
		hi := false
		for j < len(v) && hostRunByte(v[j]) {
			hi = hi || v[j] >= 0x80
			j++
		}
		if hi {
			// The tail ends on a label boundary: cutting a label short would
			// make a fragment's last label seem to end there.
			end := min(len(v), j+s.maxFrag)
			for end < len(v) && isLabelChar(v[end]) {
				end++
			}
			tail := v[j:end]
			mapped, err := hostProfile.ToUnicode(string(v[i:j]))
			buf = append(append(buf[:0], mapped...), tail...)
			m, _ := s.matchURLBytes(buf)
			mask |= m
			if err != nil {
				buf = append(appendWithoutIgnored(buf[:0], v[i:j]), tail...)
				m, _ = s.matchURLBytes(buf)
				mask |= m
			}
		}
		i = j
	}
	return mask
}

// appendWithoutIgnored appends run without the code points UTS 46 maps to
// nothing, and with the full stops it maps to "." replaced.
func appendWithoutIgnored(dst, run []byte) []byte {
	for i := 0; i < len(run); {
		r, n := utf8.DecodeRune(run[i:])
		i += n
		switch {
		case r == 0x00AD, r == 0x034F, r >= 0x180B && r <= 0x180F, r >= 0x200B && r <= 0x200D,
			r == 0x2060, r >= 0xFE00 && r <= 0xFE0F, r == 0xFEFF, r >= 0xE0100 && r <= 0xE01EF:
			continue
		case r == 0x3002, r == 0xFF0E, r == 0xFF61:
			dst = append(dst, '.')
		case r >= 0xFF01 && r <= 0xFF5E: // fullwidth ASCII
			dst = append(dst, lower(byte(r-0xFEE0)))
		default:
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}
